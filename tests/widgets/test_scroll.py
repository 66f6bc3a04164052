"""The touch scroll area: a screen in it is painted once per frame."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from conftest import home_screen, open_tile, settle, start


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
