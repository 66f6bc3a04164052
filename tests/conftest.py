"""Shared fixtures. Qt runs offscreen unless a test starts its own X server."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

from PySide6.QtCore import QStandardPaths  # noqa: E402

# The platform's data and config folders point at a test location, never the user's real ones.
QStandardPaths.setTestModeEnabled(True)
