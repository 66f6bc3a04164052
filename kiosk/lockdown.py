"""Kiosk mode: no way out of the app for a visitor, and a hidden way in for staff.

Both are small event filters installed once on the application.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPointerEvent
from PySide6.QtWidgets import QWidget

from kiosk.session import Timer
from kiosk.theme import STAFF_CORNER_PX

BLOCKED_KEYS = {Qt.Key.Key_Escape, Qt.Key.Key_Close, Qt.Key.Key_Menu, Qt.Key.Key_Context1} | {
    getattr(Qt.Key, f"Key_F{n}") for n in range(1, 36)
}
SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


class LockdownFilter(QObject):
    """Swallows shortcuts (Alt+F4, Ctrl+Q/W, Esc, F11 ...), context menus, right clicks and drags."""

    KEYS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})
    ALWAYS_BLOCKED = frozenset({QEvent.Type.ContextMenu, QEvent.Type.Shortcut, QEvent.Type.DragEnter, QEvent.Type.Drop})
    BUTTONS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick})
    EVENT_TYPES = KEYS | ALWAYS_BLOCKED | BUTTONS | {QEvent.Type.WindowStateChange}

    def __init__(self, window: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.blocked = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in self.KEYS:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.key() in BLOCKED_KEYS or key_event.modifiers() & SHORTCUT_MODIFIERS:
                return self._block()
        elif kind in self.ALWAYS_BLOCKED:
            return self._block()
        elif kind in self.BUTTONS:
            mouse: QMouseEvent = event  # type: ignore[assignment]
            if mouse.button() not in (Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton):
                return self._block()
        elif kind == QEvent.Type.WindowStateChange and watched is self.window and not self.window.isFullScreen():
            QTimer.singleShot(0, self.window.showFullScreen)
        return False

    def _block(self) -> bool:
        self.blocked += 1
        return True


class StaffGesture(QObject):
    """Five taps in the top-left corner within three seconds, then a three-second hold there.

    A visitor does not do this by accident; staff can do it without tools. A tap is a finger down:
    a touch, a mouse press, or the double-click Qt makes of a press soon after another. Each is
    counted where it enters the window (its QWindow), once; presses sent straight to a widget count
    there. Mouse events Qt makes from a touch are the same finger again and do not count.
    """

    requested = Signal()

    CORNER_PX = STAFF_CORNER_PX
    TAPS = 5
    TAP_WINDOW_S = 3.0
    HOLD_MS = 3000

    DOWN = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin})
    UP = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel})
    EVENT_TYPES = DOWN | UP

    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float],
        timer_factory: Callable[[], Timer] = QTimer,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.window = window
        self._clock = clock
        self._taps: list[float] = []
        self._armed = False
        self._last: tuple[bool, int] | None = None  # (down, timestamp) of the last finger counted
        self._hold = timer_factory()
        self._hold.setSingleShot(True)
        self._hold.timeout.connect(self._held)

    def _in_corner(self, global_position: QPoint) -> bool:
        corner = QRect(self.window.mapToGlobal(QPoint(0, 0)), QSize(self.CORNER_PX, self.CORNER_PX))
        return corner.contains(global_position)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        down = kind in self.DOWN
        if not down and kind not in self.UP:
            return False
        pointer: QPointerEvent = event  # type: ignore[assignment]
        if isinstance(event, QMouseEvent) and event.source() != Qt.MouseEventSource.MouseEventNotSynthesized:
            return False  # made from a touch, which was counted as such
        on_window = watched is self.window.windowHandle()
        if not (on_window or (isinstance(watched, QWidget) and watched.window() is self.window)):
            return False
        # The same finger reaches the filter again on the widget under it and on each parent; and Qt
        # sends a press and then a double-click for one finger: count one.
        seen = (down, pointer.timestamp())
        if seen == self._last and seen[1] != 0:
            return False
        self._last = seen
        if down:
            self._press(self._in_corner(pointer.point(0).globalPosition().toPoint()) if pointer.pointCount() else False)
        else:
            self._hold.stop()
        return False

    def _press(self, in_corner: bool) -> None:
        now = self._clock()
        if not in_corner:
            self._taps.clear()
            self._armed = False
            return
        if self._armed:
            self._hold.start(self.HOLD_MS)
            return
        self._taps = [t for t in self._taps if now - t <= self.TAP_WINDOW_S] + [now]
        if len(self._taps) >= self.TAPS:
            self._taps.clear()
            self._armed = True

    def _held(self) -> None:
        self._armed = False
        self.requested.emit()
