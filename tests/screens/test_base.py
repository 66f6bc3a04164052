"""What every screen shares: a hidden screen keeps its updates off, out of the way of Qt's stacked layout."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage

from kiosk.navigation import ATTRACT, HOME

from conftest import open_tile, press, release, settle, start, tap, window_point


def on_screen(window) -> QImage:
    """What the window's backing store holds: what the platform was given to show."""
    return window.screen().grabWindow(window.winId()).toImage().convertToFormat(QImage.Format.Format_RGB32)


def screens_with_updates(kiosk) -> dict[str, bool]:
    return {key: screen.updatesEnabled() for key, screen in kiosk.navigator.built.items()}


def test_only_the_screen_on_show_has_its_updates_on_and_it_paints(qtbot, kiosk):
    # Qt's stacked layout turns updates off and on again for every screen at each move, a walk over all of
    # their widgets; one whose updates were turned off itself is left out of it.
    home = start(kiosk)
    topic = open_tile(kiosk, home.grid.tiles, home.grid.tiles[0].topic_id)
    tap(topic.back_button)
    open_tile(kiosk, home.grid.tiles, home.grid.tiles[1].topic_id)
    kiosk.reset()
    settle()
    assert kiosk.navigator.current == ATTRACT
    for step in (lambda: start(kiosk, "de"), lambda: open_tile(kiosk, home.grid.tiles, "symptoms")):
        step()
        settle()
        shown = kiosk.navigator.current
        assert screens_with_updates(kiosk) == {key: key == shown for key in kiosk.navigator.built}
        # What changes on the screen shown now reaches the display (updates off, it would not): a finger
        # down on a tile or a button shows it pressed.
        screen = kiosk.navigator.built[shown]
        target = screen.grid.tiles[0] if shown == HOME else screen.back_button
        point = window_point(target)
        press(kiosk.window, point)
        settle()
        fresh = kiosk.window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        assert on_screen(kiosk.window) == fresh, f"{shown} is not painted as it is"
        release(kiosk.window, QPoint(point.x(), kiosk.window.height() - 2))  # slid off: no tap
