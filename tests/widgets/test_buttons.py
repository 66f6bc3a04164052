"""Touch buttons and topic tiles answer a tap in the frame that follows it, not in one painted before it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.widgets.buttons import TouchButton
from kiosk.widgets.tiles import TopicTile


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


@pytest.mark.parametrize("make", [lambda: TouchButton("Start over"), lambda: TopicTile("symptoms")])
def test_a_tap_acts_before_anything_is_painted_and_the_button_is_painted_released_next(qtbot, make) -> None:
    button: QAbstractButton = make()
    qtbot.addWidget(button)
    button.resize(300, 150)
    button.show()
    qtbot.waitExposed(button)
    counter = PaintCounter()
    button.installEventFilter(counter)
    painted_before_action: list[int] = []
    button.clicked.connect(lambda: painted_before_action.append(counter.paints))

    QTest.mousePress(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert button.isDown()
    counter.paints = 0
    QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
    # Qt would paint the released button at once, a frame the tap's own makes obsolete.
    assert painted_before_action == [0]
    assert button.updatesEnabled() and not button.isDown()
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=2000)  # released, in the next frame
