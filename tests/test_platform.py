"""The Qt binding under this Python keeps None's reference count (PySide6 6.12.0 on 3.11 does not)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(5000):
        label.setText(str(number))
        label.setAccessibleName(str(number))
    # Other code may take or drop a few references meanwhile; a leak here is 10,000.
    assert sys.getrefcount(None) > before - 100
