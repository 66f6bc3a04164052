"""The touch scroll area: a screen in it is painted once per frame, and a flick copies what is painted."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QScroller, QWidget

from conftest import drag, home_screen, open_tile, settle, start, tap, wait_until_still


class PaintsPerFrame(QObject):
    """Counts the Paint events each widget under `root` gets in each frame (UpdateRequest to the window)."""

    def __init__(self, window: QWidget, root: QWidget):
        super().__init__()
        self.root = root
        self.frames: list[Counter] = []
        self._window = (window, window.windowHandle())  # the widget offscreen, its QWindow under X
        QApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.UpdateRequest and watched in self._window:
            self.frames.append(Counter())
        elif event.type() == QEvent.Type.Paint and self.frames and self.root.isAncestorOf(watched):
            self.frames[-1][f"{watched.objectName() or type(watched).__name__} {id(watched):x}"] += 1
        return False


def test_a_screen_shown_again_is_painted_once_in_its_frame(qtbot, kiosk):
    # Qt paints an opaque widget (one that fills its own background) on its own first and then, with the
    # window, every other widget in the same frame that was marked for painting: shown again, all of them
    # are. An opaque scroll area painted home's tiles twice in each frame that brought home back.
    home = start(kiosk)
    tiles = home.grid.tiles
    open_tile(kiosk, tiles, tiles[0].topic_id)
    settle()
    paints = PaintsPerFrame(kiosk.window, home_screen(kiosk))
    try:
        kiosk.navigator.back()
        settle()
    finally:
        paints.remove()
    painted = [frame for frame in paints.frames if frame]
    assert painted, "home was not painted after going back"
    for frame in painted:
        assert any(name.startswith("tile-") for name in frame), f"no tile painted: {frame}"
        assert max(frame.values()) == 1, f"painted more than once in a frame: {frame}"


def uncovered_point(widget: QWidget) -> QPoint:
    """A point of `widget`, on screen, that none of its children covers: where its own background shows."""
    shown = widget.visibleRegion().boundingRect()
    for y in range(shown.bottom() - 4, shown.top(), -8):
        for x in range(shown.left() + 4, shown.right(), 8):
            if widget.childAt(x, y) is None:
                return QPoint(x, y)
    raise AssertionError(f"{widget} is covered by its children")


@pytest.mark.parametrize("high_contrast", [False, True])
def test_content_moved_by_a_flick_is_opaque_in_the_background_colour_and_clear_again_at_rest(
    qtbot, kiosk, high_contrast
):
    # A moving opaque widget is copied, not repainted, frame by frame: the content fills itself while the
    # scroller moves it, and in the theme's background (Qt's default grey showed in the first version).
    home = start(kiosk)
    if high_contrast:
        tap(kiosk.header.contrast_button)
    screen = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    content = screen.scroll.widget()
    viewport = screen.scroll.viewport()
    assert not content.autoFillBackground()
    drag(viewport, QPoint(viewport.width() // 2, viewport.height() - 80), -300)
    assert QScroller.scroller(viewport).state() != QScroller.State.Inactive
    assert content.autoFillBackground()
    background = QColor(kiosk.appearance.theme.background)
    assert content.grab().toImage().pixelColor(uncovered_point(content)) == background
    wait_until_still(qtbot, screen.scroll)
    assert not content.autoFillBackground()
    point = content.mapTo(kiosk.window, uncovered_point(content))
    assert kiosk.window.grab().toImage().pixelColor(point) == background


def test_the_more_below_sign_takes_a_new_font_while_its_screen_stays_shown(qtbot, kiosk):
    """A restyle can reach a screen that stays shown without resizing it (home under the attract screen, while
    another text size is chosen there): the sign follows its own font, never cut to the size it had."""
    home = start(kiosk, "en")
    scroll, hint = home.scroll, home.scroll.more_below
    home.grid.set_fill_height(0)  # taller than the screen: the sign shows
    home.grid.setMinimumHeight(3 * scroll.height())
    settle()
    assert hint.isVisible() and hint.size() == hint.sizeHint()
    small = hint.size()
    hint.setStyleSheet("font-size: 60px;")  # only the sign's font: nothing else is resized
    settle()
    assert hint.size() == hint.sizeHint() and hint.height() > small.height()
    assert scroll.hint_strip().contains(hint.geometry().translated(-scroll.x(), -scroll.y()))
