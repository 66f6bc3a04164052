"""The kiosk's one application filter: each event goes to the filters that declared its type, and only them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from kiosk.access import DwellClicker, SwitchScanner
from kiosk.ahead import AheadOfTime
from kiosk.events import AfterPaint, EventRouter
from kiosk.lockdown import LockdownFilter, StaffGesture
from kiosk.session import ActivityFilter

Type = QEvent.Type


class Recorder(QObject):
    """A filter that declares `types`, records what it is offered and swallows what `swallow` names."""

    def __init__(self, name: str, types: set[QEvent.Type], log: list[str], swallow: frozenset = frozenset()):
        super().__init__()
        self.EVENT_TYPES = frozenset(types)
        self.name = name
        self.log = log
        self.swallow = swallow

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        self.log.append(f"{self.name}:{event.type().name}")
        return event.type() in self.swallow


def key_press() -> QKeyEvent:
    return QKeyEvent(Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")


def mouse_move() -> QMouseEvent:
    return QMouseEvent(
        Type.MouseMove,
        QPointF(1, 1),
        QPointF(1, 1),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_an_event_reaches_only_the_filters_that_declared_its_type_in_order(qapp):
    log: list[str] = []
    router = EventRouter(
        [
            Recorder("keys", {Type.KeyPress}, log),
            Recorder("pointer", {Type.MouseMove}, log),
            Recorder("both", {Type.KeyPress, Type.MouseMove}, log),
        ]
    )
    assert router.eventFilter(router, key_press()) is False
    assert router.eventFilter(router, mouse_move()) is False
    assert log == ["keys:KeyPress", "both:KeyPress", "pointer:MouseMove", "both:MouseMove"]


def test_the_first_filter_that_swallows_an_event_stops_it(qapp):
    log: list[str] = []
    first = Recorder("first", {Type.KeyPress}, log, swallow=frozenset({Type.KeyPress}))
    router = EventRouter([first, Recorder("second", {Type.KeyPress}, log)])
    assert router.eventFilter(router, key_press()) is True
    assert log == ["first:KeyPress"]


def test_a_type_no_filter_declared_is_let_through_untouched(qapp):
    log: list[str] = []
    router = EventRouter([Recorder("keys", {Type.KeyPress}, log)])
    assert router.routed == {Type.KeyPress}
    assert router.eventFilter(router, QEvent(Type.Paint)) is False
    assert router.eventFilter(router, mouse_move()) is False
    assert log == []


KEYS = {Type.KeyPress, Type.KeyRelease, Type.ShortcutOverride}
MOUSE = {Type.MouseButtonPress, Type.MouseButtonRelease, Type.MouseButtonDblClick, Type.MouseMove}


def an_event(kind: QEvent.Type) -> QEvent:
    """An event of `kind` that a filter would act on if it looked at that type: Escape, a right-button drag."""
    if kind in KEYS:
        return QKeyEvent(kind, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    if kind in MOUSE:
        point = QPointF(2, 2)
        buttons = Qt.MouseButton.RightButton | Qt.MouseButton.LeftButton
        return QMouseEvent(
            kind, point, point, point, Qt.MouseButton.RightButton, buttons, Qt.KeyboardModifier.NoModifier
        )
    if kind == Type.ContextMenu:
        return QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(2, 2), QPoint(2, 2))
    return QEvent(kind)


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.winId()  # its QWindow, which the staff gesture and dwell watch
    return widget


@pytest.fixture
def kiosk_filters(window) -> list[QObject]:
    """One of each of the kiosk's input filters, each in the state where it does the most."""
    scanner = SwitchScanner(lambda: [window], 1000)
    scanner.enabled = True  # without set_enabled: no scanning timer needed here
    ahead = AheadOfTime()
    ahead.add(iter(()))
    return [
        scanner,
        LockdownFilter(window),
        StaffGesture(window, clock=lambda: 0.0),
        ActivityFilter(),
        ahead,
        DwellClicker(window, 1000),
    ]


def test_each_kiosk_filter_ignores_every_type_it_did_not_declare(window, kiosk_filters):
    # So the router may skip a filter for those types: the filter would do nothing with them.
    scanner, lockdown, _, activity, _, dwell = kiosk_filters
    presses: list[None] = []
    scanner.pressed.connect(lambda: presses.append(None))
    for handler in kiosk_filters:
        assert handler.EVENT_TYPES, type(handler).__name__
        for kind in QEvent.Type:
            if kind in handler.EVENT_TYPES:
                continue
            for watched in (window, window.windowHandle()):
                assert handler.eventFilter(watched, an_event(kind)) is False, (type(handler).__name__, kind)
    assert (activity.events_seen, lockdown.blocked, presses, dwell.timer.isActive()) == (0, 0, [], False)


def test_the_filters_act_on_those_events_when_declared(window, kiosk_filters):
    # The other half of the proof above: the same events do make each filter act.
    scanner, lockdown, _, activity, _, _ = kiosk_filters
    assert lockdown.eventFilter(window, an_event(Type.KeyPress)) is True
    assert lockdown.eventFilter(window, an_event(Type.ContextMenu)) is True
    assert scanner.eventFilter(window, an_event(Type.KeyPress)) is True
    assert activity.eventFilter(window, an_event(Type.MouseMove)) is False
    assert (lockdown.blocked, activity.events_seen) == (2, 1)


def test_the_kiosk_router_lets_input_through_and_nothing_else(kiosk_filters):
    router = EventRouter(kiosk_filters)
    assert {Type.KeyPress, Type.MouseMove, Type.TouchBegin, Type.ContextMenu, Type.WindowStateChange} <= router.routed
    assert not {Type.Paint, Type.LayoutRequest, Type.Polish, Type.Timer, Type.UpdateRequest} & router.routed


class PaintLog(QWidget):
    def __init__(self, log: list[str]):
        super().__init__()
        self.log = log

    def paintEvent(self, event) -> None:  # noqa: N802
        self.log.append("painted")


def test_work_after_paint_runs_after_the_frame_a_change_queued_and_a_zero_timer_would_not(qtbot):
    log: list[str] = []
    widget = PaintLog(log)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: "painted" in log)
    after_paint = AfterPaint()

    log.clear()
    after_paint.call(lambda: log.append("after paint"))  # queued before the tap changed anything
    widget.update()  # what a tap does: Qt queues the repaint
    QTimer.singleShot(0, lambda: log.append("timer"))
    qtbot.waitUntil(lambda: len(log) == 3)
    assert log == ["timer", "painted", "after paint"]


def test_work_after_paint_still_queued_is_done_by_finish_and_only_once(qtbot):
    log: list[str] = []
    after_paint = AfterPaint()
    after_paint.call(lambda: log.append("first"))
    after_paint.call(lambda: log.append("second"))
    after_paint.finish()  # on the way out: the event loop may not run again
    assert log == ["first", "second"]
    qtbot.wait(10)  # the posted events arrive and find nothing left to do
    assert log == ["first", "second"]
