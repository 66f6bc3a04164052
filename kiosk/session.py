"""Visitor sessions: notice input anywhere, warn when idle, and time out.

The policy takes its clock and timer factory as arguments, so tests drive minutes of
idle time in milliseconds. It keeps one single-shot timer aimed at the next moment
something can change, instead of restarting a timer on every input event.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QInputEvent, QKeyEvent, QMouseEvent, QPointerEvent
from PySide6.QtWidgets import QApplication, QWidget


class Timer(Protocol):
    timeout: object

    def setSingleShot(self, single: bool) -> None: ...  # noqa: N802
    def start(self, msec: int) -> None: ...
    def stop(self) -> None: ...


class IdlePolicy(QObject):
    """active --(timeout)--> warning --(countdown over)--> timed out; any activity returns to active."""

    warning_started = Signal(int)
    countdown_changed = Signal(int)
    warning_cancelled = Signal()
    timed_out = Signal()

    def __init__(
        self,
        timeout_s: float,
        warning_s: float,
        clock: Callable[[], float],
        timer_factory: Callable[[], Timer] = QTimer,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.timeout_s = timeout_s
        self.warning_s = warning_s
        self._clock = clock
        self._timer = timer_factory()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)
        self.state = "stopped"  # stopped | active | warning | paused
        self.last_activity = clock()
        self.remaining = 0

    @property
    def running(self) -> bool:
        return self.state in ("active", "warning", "paused")

    def start(self) -> None:
        """A visitor is here: start watching for idleness."""
        self.last_activity = self._clock()
        self.state = "active"
        self._arm(self.timeout_s)

    def stop(self) -> None:
        self.state = "stopped"
        self._timer.stop()

    def activity(self) -> None:
        self.last_activity = self._clock()
        if self.state == "warning":
            self.state = "active"
            self._arm(self.timeout_s)
            self.warning_cancelled.emit()

    def pause(self) -> None:
        """While read-aloud speaks the visitor is listening, not gone."""
        if self.state in ("active", "warning"):
            if self.state == "warning":
                self.warning_cancelled.emit()
            self.state = "paused"
            self._timer.stop()

    def resume(self) -> None:
        if self.state == "paused":
            self.start()

    def expire_now(self) -> None:
        """ "Start over": end the session at once."""
        if self.running:
            self._time_out()

    def _arm(self, seconds: float) -> None:
        self._timer.start(max(0, math.ceil(seconds * 1000)))

    def _check(self) -> None:
        now = self._clock()
        if self.state == "active":
            idle_until = self.last_activity + self.timeout_s
            if now < idle_until:
                self._arm(idle_until - now)
                return
            self.state = "warning"
            self.remaining = math.ceil(self.warning_s)
            self.warning_started.emit(self.remaining)
            self._arm(self._warning_end() - now - (self.remaining - 1))
        elif self.state == "warning":
            left = self._warning_end() - now
            if left <= 0:
                self._time_out()
                return
            remaining = math.ceil(left)
            if remaining != self.remaining:
                self.remaining = remaining
                self.countdown_changed.emit(remaining)
            self._arm(left - (remaining - 1))

    def _warning_end(self) -> float:
        return self.last_activity + self.timeout_s + self.warning_s

    def _time_out(self) -> None:
        self.stop()
        self.remaining = 0
        self.timed_out.emit()


class ActivityFilter(QObject):
    """Installed once on the application: each touch, click, key or wheel counts once.

    Qt offers an event to the application filter again for every parent it propagates to;
    the (type, timestamp) pair tells a propagated event from a new one.
    """

    activity = Signal()

    # Input that is activity; a mouse move counts only with a button down (a drag).
    INPUT = frozenset(
        {
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonDblClick,
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.KeyPress,
            QEvent.Type.Wheel,
            QEvent.Type.TabletPress,
        }
    )
    EVENT_TYPES = INPUT | {QEvent.Type.MouseMove}

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.events_seen = 0
        self._last: tuple[QEvent.Type, int] | None = None
        # Widgets that handle input themselves (the "Still there?" overlay decides what a tap means).
        self.exempt: list[QWidget] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseMove:
            if not isinstance(event, QMouseEvent) or not event.buttons():
                return False
        elif kind not in self.INPUT:
            return False
        key = (kind, event.timestamp() if isinstance(event, QInputEvent) else 0)
        if key == self._last and key[1] != 0:
            return False
        self._last = key
        if any(self._covers(w, watched, event) for w in self.exempt if w.isVisible()):
            return False
        self.events_seen += 1
        self.activity.emit()
        return False

    @staticmethod
    def _covers(widget: QWidget, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, QWidget):
            return widget is watched or widget.isAncestorOf(watched)
        if isinstance(event, QKeyEvent):  # a key goes to the focus: Tab or Enter inside the widget is its own
            focus = QApplication.focusWidget()
            return focus is not None and (widget is focus or widget.isAncestorOf(focus))
        # A real touch reaches the window's QWindow first, before Qt picks the widget under the
        # finger: judge that stage by where the finger is.
        if watched is widget.window().windowHandle() and isinstance(event, QPointerEvent) and event.pointCount():
            return widget.rect().contains(widget.mapFromGlobal(event.point(0).globalPosition().toPoint()))
        return False
