"""Fake time and a whole-kiosk fixture for the session, lockdown and staff tests.

Only clocks and timers are stand-ins: `FakeClock` is the one clock (monotonic and wall), `FakeTimer`
has QTimer's small API, and `TimeMachine.advance()` moves the clock and fires every timer that falls
due on the way, in order, with the clock set to the exact moment each is due. Widgets, events,
files and SQLite are real.

Taps go through the window's QWindow (`QTest.mouseClick(window.windowHandle(), ...)`), the path a
real touch takes: the application's event filters see the event on the QWindow first, then on the
widget under the finger (found by Qt's own hit-testing), then on its parents.

Import what you use into the test module (`from session_harness import kiosk_factory, tap, ...`):
pytest finds fixtures by their name in the module.
"""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

import kiosk.i18n as i18n_module
from kiosk.app import Kiosk
from kiosk.config import Settings
from kiosk.pin import hash_pin

PIN = "2468"
PIN_HASH = hash_pin(PIN)  # scrypt is slow on purpose: hash once per test run
GEOMETRY = QRect(0, 0, 1280, 800)
CORNER = QPoint(10, 10)  # inside the staff corner, on no button (the header's margin, the attract screen's margin)
START_S = 1000.0


class FakeClock:
    """Seconds, as time.monotonic and time.time return them; kept in whole milliseconds so sums are exact."""

    def __init__(self, start_s: float = START_S) -> None:
        self.ms = round(start_s * 1000)

    def __call__(self) -> float:
        return self.ms / 1000


class FakeTimer(QObject):
    """QTimer's API as IdlePolicy and StaffGesture use it; it fires only when the TimeMachine says so."""

    timeout = Signal()

    def __init__(self, machine: "TimeMachine") -> None:
        super().__init__()
        self._machine = machine
        self._single = False
        self._interval = 0
        self.due_ms: int | None = None
        self.order = 0
        self.starts = 0

    def setSingleShot(self, single: bool) -> None:  # noqa: N802 - QTimer's API
        self._single = single

    def isSingleShot(self) -> bool:  # noqa: N802
        return self._single

    def setInterval(self, msec: int) -> None:  # noqa: N802
        self._interval = msec

    def interval(self) -> int:
        return self._interval

    def start(self, msec: int | None = None) -> None:
        if msec is not None:
            self._interval = int(msec)
        self.starts += 1
        self.due_ms = self._machine.clock.ms + self._interval
        self.order = self._machine.next_order()

    def stop(self) -> None:
        self.due_ms = None

    def isActive(self) -> bool:  # noqa: N802
        return self.due_ms is not None

    def fire(self) -> None:
        if self._single:
            self.due_ms = None
        else:
            self.due_ms = self._machine.clock.ms + max(1, self._interval)
        self.timeout.emit()


class TimeMachine:
    """Owns the fake clock and every fake timer; `advance` is the only way time passes."""

    def __init__(self, start_s: float = START_S) -> None:
        self.clock = FakeClock(start_s)
        self.timers: list[FakeTimer] = []
        self._order = 0

    def now(self) -> float:
        return self.clock()

    def next_order(self) -> int:
        self._order += 1
        return self._order

    def timer(self) -> FakeTimer:
        """The timer factory to inject."""
        timer = FakeTimer(self)
        self.timers.append(timer)
        return timer

    def forget(self, timers: list[FakeTimer]) -> None:
        for timer in timers:
            timer.stop()
            if timer in self.timers:
                self.timers.remove(timer)

    def advance(self, seconds: float) -> None:
        """Move the clock `seconds` ahead, firing due timers at their exact moments on the way."""
        self.advance_to_ms(self.clock.ms + round(seconds * 1000))

    def advance_to(self, when_s: float) -> None:
        self.advance_to_ms(round(when_s * 1000))

    def advance_to_ms(self, target_ms: int) -> None:
        assert target_ms >= self.clock.ms, "time does not go back"
        for _ in range(100_000):
            due = [t for t in self.timers if t.due_ms is not None and t.due_ms <= target_ms]
            if not due:
                break
            first = min(due, key=lambda t: (t.due_ms, t.order))
            self.clock.ms = max(self.clock.ms, first.due_ms)
            first.fire()
        else:
            raise AssertionError("a timer keeps firing without end")
        self.clock.ms = target_ms


@pytest.fixture
def time_machine() -> TimeMachine:
    return TimeMachine()


def make_settings(**overrides) -> Settings:
    values = {"idle_timeout_s": 90, "idle_warning_s": 30, "staff_pin_hash": PIN_HASH}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def kiosk_factory(qtbot, tmp_path, time_machine) -> Iterator[Callable[..., Kiosk]]:
    """`kiosk_factory(kiosk_mode=True, data_dir=None, **settings)`: a shown, warmed-up kiosk.

    Every kiosk made is shut down at teardown; `close_kiosk(kiosk)` does it early (a restart).
    """
    app = QApplication.instance()
    assert QApplication.overrideCursor() is None, "an earlier test left an override cursor"
    made: list[Kiosk] = []

    def build(kiosk_mode: bool = True, data_dir: Path | None = None, **settings) -> Kiosk:
        before = len(time_machine.timers)
        kiosk = Kiosk(
            app,
            make_settings(**settings),
            kiosk_mode=kiosk_mode,
            data_dir=data_dir or tmp_path / "data",
            clock=time_machine.clock,
            wall_clock=lambda: 1_800_000_000.0 + time_machine.clock(),
            timer_factory=time_machine.timer,
            environ={},
        )
        kiosk._test_timers = time_machine.timers[before:]  # type: ignore[attr-defined]
        made.append(kiosk)
        kiosk.window.show_on(GEOMETRY)
        kiosk.warm_up()
        QApplication.processEvents()
        return kiosk

    yield build

    for kiosk in made:
        close_kiosk(kiosk)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def close_kiosk(kiosk: Kiosk) -> None:
    """What the service manager's stop does to the process, minus the exit: idempotent."""
    if getattr(kiosk, "_closed", False):
        return
    kiosk._closed = True  # type: ignore[attr-defined]
    app = QApplication.instance()
    kiosk.shutdown()
    kiosk.policy.stop()
    while QApplication.overrideCursor() is not None:
        QApplication.restoreOverrideCursor()
    kiosk.window.allow_close = True
    kiosk.window.hide()
    kiosk.window.deleteLater()
    # The next test starts in English with no style sheet, whatever this one did.
    i18n_module._translations = gettext.NullTranslations()
    app.setStyleSheet("")
    timers = getattr(kiosk, "_test_timers", [])
    if timers:
        timers[0]._machine.forget(list(timers))


# -- real input --------------------------------------------------------------------------------


def window_point(widget: QWidget, pos: QPoint | None = None) -> QPoint:
    QApplication.processEvents()  # pending layouts settle, as they would before a finger lands
    return widget.mapTo(widget.window(), pos if pos is not None else widget.rect().center())


def tap(widget: QWidget, pos: QPoint | None = None, button=Qt.MouseButton.LeftButton) -> None:
    """Press and release on `widget` (its middle by default), through the window as a real touch."""
    assert widget.isVisible(), f"{widget.objectName() or widget} is not visible"
    window = widget.window()
    QTest.mouseClick(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, window_point(widget, pos))


def press(window: QWidget, pos: QPoint, button=Qt.MouseButton.LeftButton) -> None:
    QTest.mousePress(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, pos)


def release(window: QWidget, pos: QPoint, button=Qt.MouseButton.LeftButton) -> None:
    QTest.mouseRelease(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, pos)


def key(window: QWidget, key_code, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press and release through the window, as the platform delivers them."""
    QTest.keyClick(window.windowHandle(), key_code, modifiers)


def corner_taps(kiosk: Kiosk, machine: TimeMachine, count: int, every_s: float = 0.25) -> None:
    """`count` taps in the staff corner, `every_s` apart (the clock moves before each but the first)."""
    for index in range(count):
        if index:
            machine.advance(every_s)
        tap(kiosk.window, CORNER)


def hold_corner(kiosk: Kiosk, machine: TimeMachine, seconds: float = 3.0) -> None:
    press(kiosk.window, CORNER)
    machine.advance(seconds)
    release(kiosk.window, CORNER)


def staff_gesture(kiosk: Kiosk, machine: TimeMachine) -> None:
    """Five taps in the corner within three seconds, then a three-second hold."""
    corner_taps(kiosk, machine, 5)
    machine.advance(0.25)
    hold_corner(kiosk, machine)


def enter_pin(kiosk: Kiosk, pin: str) -> None:
    pad = kiosk.pin_pad
    assert pad is not None and pad.isVisible(), "the PIN pad is not open"
    for digit in pin:
        tap(pad.keys[digit])
    tap(pad.ok_button)
