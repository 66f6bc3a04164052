"""The kiosk pays for what its attract screen needs and nothing else until that screen is painted."""

from __future__ import annotations

import subprocess
import sys

# A real start as far as the first frame (offscreen), twice: the second finds the i18n cache warm.
FIRST_FRAME = """
import sys
from pathlib import Path
from kiosk.config import Settings
from kiosk.runtime import run_kiosk  # noqa: F401 - the production import path
from PySide6.QtWidgets import QApplication
from kiosk.app import Kiosk
app = QApplication([])
kiosk = Kiosk(app, Settings(), data_dir=Path(sys.argv[1]), speech_worker=None)
kiosk.window.show_on(app.primaryScreen().geometry())
app.processEvents()
kiosk.i18n.cache.save()
print(sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if m.startswith("kiosk.")}))
"""

NOT_BEFORE_THE_FIRST_FRAME = {
    "babel",  # catalogs and language names come from the i18n cache
    "markdown_it",  # content
    "segno",  # QR codes
    "sqlite3",  # statistics
    "socket",  # systemd (without $NOTIFY_SOCKET), logging.handlers
    "kiosk.content.loader",
    "kiosk.content.model",
    "kiosk.screens.home",
    "kiosk.screens.topic",
    "kiosk.screens.overlay",
    "kiosk.screens.staff",
    "kiosk.stats",
    "kiosk.metrics",
    "kiosk.pin",
    "kiosk.widgets.qr",
}


def test_the_attract_screen_imports_no_content_qr_statistics_or_babel(tmp_path):
    modules = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", FIRST_FRAME, str(tmp_path)],
            capture_output=True,
            text=True,
            check=True,
            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        )
        modules.append(set(eval(done.stdout)))
    assert "babel" in modules[0]  # the first start fills the cache
    assert NOT_BEFORE_THE_FIRST_FRAME & modules[1] == set()
