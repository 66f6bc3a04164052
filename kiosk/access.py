"""Input for visitors who cannot tap: a single switch (scanning) and a head mouse or eye gaze (dwell).

Both are small event filters that the kiosk's one application filter (events.EventRouter) calls,
and both take their timer factory as an argument, so tests run them in milliseconds.

Scanning moves the keyboard focus from control to control at a steady pace; any key (a USB
switch sends one) presses the control in focus. Dwell presses the button under a pointer that
has stayed still for a while. Either way the focus ring shows what is about to be pressed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget

from kiosk.accessibility import HIDDEN_PROPERTY
from kiosk.session import Timer

DWELL_TOLERANCE_PX = 16  # a head mouse or gaze point always trembles a little


def focus_targets(scope: QWidget) -> list[QWidget]:
    """The controls inside `scope` that Tab and a switch reach, in reading order.

    The order is the widget tree's (top to bottom, then left to right, as the screens are built),
    not Qt's focus chain, which reparenting (wrapping rows, rebuilt screens) leaves shuffled.
    """
    targets: list[QWidget] = []
    stack = [scope]
    while stack:
        widget = stack.pop()
        if widget is not scope and widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled():
            targets.append(widget)
        children = [
            c
            for c in widget.children()
            if isinstance(c, QWidget) and not c.isWindow() and c.isVisible() and not c.property(HIDDEN_PROPERTY)
        ]
        stack.extend(reversed(children))
    return targets


def in_sight(widget: QWidget) -> bool:
    """Shown and not under the window's cover (the attract screen, KioskWindow.cover) nor under the screen on
    show (one staged while a finger is on a way to it, ScreenStack.stage): what a visitor sees."""
    if not widget.isVisible():
        return False
    window = widget.window()
    if getattr(window, "covered", False):
        return window.cover is widget or window.cover.isAncestorOf(widget)
    staged = getattr(getattr(window, "stack", None), "staged", None)
    return staged is None or not (staged is widget or staged.isAncestorOf(widget))


def focus_on(widget: QWidget, reason: Qt.FocusReason) -> None:
    """Focus `widget` and scroll it into view (a topic's cards may be below the fold)."""
    widget.setFocus(reason)
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            parent.ensureWidgetVisible(widget, 0, 24)
        parent = parent.parentWidget()


def move_focus(scope: QWidget, forward: bool) -> bool:
    """Tab and Shift+Tab: the next or previous control in `scope`, round and round."""
    targets = focus_targets(scope)
    if not targets:
        return False
    current = QApplication.focusWidget()
    index = targets.index(current) if current in targets else (-1 if forward else 0)
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    focus_on(targets[(index + (1 if forward else -1)) % len(targets)], reason)
    return True


def press(widget: QWidget) -> bool:
    """What a switch press or a dwell does to `widget`; False if it is nothing one can press."""
    if isinstance(widget, QAbstractButton):
        widget.click()
        return True
    from kiosk.widgets.scroll import TouchScrollArea  # here: the attract screen has none, nor needs its classes

    if isinstance(widget, TouchScrollArea):
        widget.page_down()
        return True
    return False


class SwitchScanner(QObject):
    """Moves the focus to the next control every `interval_ms`; any key presses the one in focus.

    `targets` gives the controls to scan now, in order (an open dialog's, else the screen's).
    """

    enabled_changed = Signal(bool)
    pressed = Signal()  # the visitor pressed the switch: that is activity

    EVENT_TYPES = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease})

    def __init__(
        self,
        targets: Callable[[], list[QWidget]],
        interval_ms: int,
        timer_factory: Callable[[], Timer] = QTimer,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.targets = targets
        self.interval_ms = interval_ms
        self.enabled = False
        self._from_start = True
        self.timer = timer_factory()
        self.timer.timeout.connect(self.step)

    def set_enabled(self, on: bool) -> None:
        if on == self.enabled:
            return
        self.enabled = on
        self._from_start = True
        if on:
            self.step()
            self.timer.start(self.interval_ms)
        else:
            self.timer.stop()
        self.enabled_changed.emit(on)

    def step(self) -> None:
        """Highlight the next control (the first, after a press or a new screen)."""
        targets = self.targets()
        if not targets:
            return
        current = QApplication.focusWidget()
        fresh = self._from_start or current not in targets
        index = 0 if fresh else (targets.index(current) + 1) % len(targets)
        self._from_start = False
        focus_on(targets[index], Qt.FocusReason.TabFocusReason)

    def current(self) -> QWidget | None:
        widget = QApplication.focusWidget()
        return widget if widget in self.targets() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not self.enabled or event.type() not in self.EVENT_TYPES:
            return False
        key: QKeyEvent = event  # type: ignore[assignment]
        # Swallowed at its first stop (the window), so a key is seen once, not again per widget.
        if event.type() == QEvent.Type.KeyPress and not key.isAutoRepeat():
            target = self.current()
            self.pressed.emit()
            if target is not None:
                # A fresh interval after each press; a press that opens a new screen starts at its top.
                self._from_start = True
                self.timer.start(self.interval_ms)
                press(target)
                if self.current() is target:  # the same screen: go on from here
                    self._from_start = False
        return True  # every key is the switch while scanning


class DwellClicker(QObject):
    """Presses the button under a pointer held still for `dwell_ms`; moving away cancels.

    The button is focused as soon as the pointer rests on it, so the ring shows what will be
    pressed. After a press the pointer must move before the next one.
    """

    dwelled = Signal()  # a press by dwell: that is activity

    EVENT_TYPES = frozenset({QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress})

    def __init__(
        self, window: QWidget, dwell_ms: int, timer_factory: Callable[[], Timer] = QTimer, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.window = window
        self.dwell_ms = dwell_ms
        self.enabled = True
        self._anchor: QPointF | None = None
        self._target: QWidget | None = None
        self.timer = timer_factory()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if not self.enabled or not isinstance(watched, QWindow):
            return False  # the window sees every pointer move; its widgets only see some
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            self._moved(event.globalPosition())  # type: ignore[attr-defined]
        elif kind == QEvent.Type.MouseButtonPress:
            self._cancel()
        return False

    def _moved(self, position: QPointF) -> None:
        if self._anchor is not None and (position - self._anchor).manhattanLength() <= DWELL_TOLERANCE_PX:
            return
        self._anchor = position
        self._target = target = self._pressable_at(position)
        if target is None:
            self.timer.stop()
            return
        target.setFocus(Qt.FocusReason.MouseFocusReason)
        self.timer.start(self.dwell_ms)

    def _pressable_at(self, position: QPointF) -> QWidget | None:
        widget = self.window.childAt(self.window.mapFromGlobal(position.toPoint()))
        while widget is not None and not isinstance(widget, QAbstractButton):
            widget = widget.parentWidget()
        return widget if widget is not None and widget.isEnabled() else None

    def _cancel(self) -> None:
        self.timer.stop()
        self._target = None

    def _fire(self) -> None:
        target, self._target = self._target, None  # the pointer must move on before the next press
        if target is not None and target.isVisible() and target.isEnabled():
            self.dwelled.emit()
            press(target)
