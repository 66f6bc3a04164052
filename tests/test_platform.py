"""The Qt binding under this Python keeps reference counts: what a call is given, it holds once and lets go.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call that returns nothing, until Python
frees None and crashes (hence the pin in pyproject.toml). From Python 3.12 None is immortal (PEP 683): its
count never moves, so there the binding's counting is measured on an ordinary object it stores.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel

CALLS = 5000


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: its count cannot move")
def test_calls_returning_nothing_keep_none_alive(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for number in range(CALLS):
        label.setText(str(number))
        label.setAccessibleName(str(number))
    # Other code may take or drop a few references meanwhile; the 6.12.0 leak here is 10,000.
    assert abs(sys.getrefcount(None) - before) < 100


def test_an_object_the_binding_stores_is_held_once_and_let_go(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    payload = object()
    before = sys.getrefcount(payload)
    for _ in range(CALLS):
        label.setProperty("payload", payload)
    assert sys.getrefcount(payload) == before + 1, "the label holds the object once, however often it was given"
    label.setProperty("payload", None)
    assert sys.getrefcount(payload) == before, "the label let go of the object"
