"""Visitor sessions: the idle policy on fake time, the app-wide activity filter, and idle reset in the kiosk.

Only clocks and timers are fakes (conftest.TimeMachine); every tap, key and wheel is a real
Qt event on real widgets.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from kiosk.access import in_sight
from kiosk.navigation import ATTRACT, HOME
from kiosk.screens.topic import TopicScreen
from kiosk.session import ActivityFilter, IdlePolicy
from kiosk.theme import HIGH_CONTRAST, NORMAL, TextSize

from conftest import TOP_LEVEL, attract, home_screen, key, msgstr, open_tile, staff_gesture, start, tap

TIMEOUT_S = 90
WARNING_S = 30


# -- IdlePolicy alone ----------------------------------------------------------------------------


class PolicyLog:
    """Every signal of one policy, with the fake time (ms) it came at."""

    def __init__(self, policy: IdlePolicy, machine) -> None:
        self.events: list[tuple[str, int | None, int]] = []
        now = lambda: machine.clock.ms  # noqa: E731
        policy.warning_started.connect(lambda s: self.events.append(("warning", s, now())))
        policy.countdown_changed.connect(lambda s: self.events.append(("countdown", s, now())))
        policy.warning_cancelled.connect(lambda: self.events.append(("cancelled", None, now())))
        policy.timed_out.connect(lambda: self.events.append(("timed_out", None, now())))

    def names(self) -> list[str]:
        return [name for name, _value, _at in self.events]

    def take(self) -> list[tuple[str, int | None, int]]:
        events, self.events = self.events, []
        return events


@pytest.fixture
def policy(time_machine):
    policy = IdlePolicy(TIMEOUT_S, WARNING_S, time_machine.clock, time_machine.timer)
    return policy, PolicyLog(policy, time_machine)


def assert_warning_after_a_full_timeout(log: PolicyLog, machine) -> None:
    """The idle time starts now: nothing for the time-out less a millisecond, then the warning."""
    machine.advance(TIMEOUT_S - 0.001)
    assert log.events == []  # no countdown tick, no time-out, no earlier warning
    machine.advance(0.001)
    assert log.take() == [("warning", WARNING_S, machine.clock.ms)]


def test_warning_starts_exactly_at_the_timeout_not_a_millisecond_before(policy, time_machine):
    idle, log = policy
    idle.start()
    started = time_machine.clock.ms
    time_machine.advance(TIMEOUT_S - 0.001)
    assert log.events == []
    assert idle.state == "active"
    time_machine.advance(0.001)
    assert log.events == [("warning", WARNING_S, started + TIMEOUT_S * 1000)]
    assert idle.state == "warning"


def test_countdown_shows_30_to_1_second_by_second_then_times_out_exactly_at_the_end(policy, time_machine):
    idle, log = policy
    idle.start()
    start = time_machine.clock.ms
    time_machine.advance(TIMEOUT_S + WARNING_S - 0.001)
    events = log.take()
    # The first number comes with warning_started, each later one with countdown_changed.
    assert events[0] == ("warning", 30, start + 90_000)
    assert events[1:] == [("countdown", n, start + 90_000 + (30 - n) * 1000) for n in range(29, 0, -1)]
    shown = [value for _name, value, _at in events]
    assert shown == list(range(30, 0, -1))
    assert idle.state == "warning"
    time_machine.advance(0.001)
    assert log.take() == [("timed_out", None, start + 120_000)]
    assert idle.state == "stopped" and not idle.running
    time_machine.advance(3600)
    assert log.events == []


def test_activity_before_the_timeout_postpones_the_warning(policy, time_machine):
    idle, log = policy
    idle.start()
    time_machine.advance(60)
    idle.activity()
    assert_warning_after_a_full_timeout(log, time_machine)


def test_activity_during_the_countdown_cancels_it_and_restarts_the_idle_time(policy, time_machine):
    idle, log = policy
    idle.start()
    time_machine.advance(TIMEOUT_S + 10)
    assert log.take()[-1][:2] == ("countdown", 20)
    idle.activity()
    assert log.take() == [("cancelled", None, time_machine.clock.ms)]
    assert idle.state == "active"
    assert_warning_after_a_full_timeout(log, time_machine)  # the old countdown is gone


def test_pause_during_the_countdown_stops_it_and_resume_restarts_the_idle_timer(policy, time_machine):
    idle, log = policy
    idle.start()
    time_machine.advance(TIMEOUT_S + 5)
    log.take()
    idle.pause()  # read-aloud started: the visitor is listening
    assert log.take() == [("cancelled", None, time_machine.clock.ms)]
    assert idle.state == "paused" and idle.running
    time_machine.advance(600)  # a long text read aloud
    assert log.events == []
    idle.resume()
    assert idle.state == "active"
    assert_warning_after_a_full_timeout(log, time_machine)


def test_pause_while_active_holds_the_idle_timer_until_resume(policy, time_machine):
    idle, log = policy
    idle.start()
    time_machine.advance(60)
    idle.pause()
    assert log.events == []  # no warning was showing: nothing to cancel
    time_machine.advance(600)
    assert log.events == []
    idle.resume()
    assert_warning_after_a_full_timeout(log, time_machine)


def test_expire_now_times_out_at_once_and_only_once(policy, time_machine):
    idle, log = policy
    idle.start()
    time_machine.advance(10)
    idle.expire_now()
    assert log.take() == [("timed_out", None, time_machine.clock.ms)]
    assert not idle.running
    idle.expire_now()
    time_machine.advance(3600)
    assert log.events == []


def test_expire_now_during_the_countdown(policy, time_machine):
    idle, log = policy
    idle.start()
    time_machine.advance(TIMEOUT_S + 3)
    log.take()
    idle.expire_now()
    assert log.take() == [("timed_out", None, time_machine.clock.ms)]
    time_machine.advance(3600)
    assert log.events == []


def test_a_stopped_policy_does_nothing(policy, time_machine):
    idle, log = policy
    for _ in range(2):  # never started, then started and stopped
        idle.activity()
        idle.pause()
        idle.resume()
        idle.expire_now()
        time_machine.advance(3600)
        assert log.events == []
        assert idle.state == "stopped"
        idle.start()
        time_machine.advance(TIMEOUT_S + 1)
        idle.stop()
        log.take()


# -- ActivityFilter on the application ------------------------------------------------------------


class Tree(QWidget):
    """A window with a label nested three deep, a button, and a panel to exempt."""

    def __init__(self) -> None:
        super().__init__()
        self.setGeometry(QRect(0, 0, 600, 400))
        outer = QFrame(self)
        inner = QFrame(outer)
        self.label = QLabel("nested text", inner)
        QVBoxLayout(inner).addWidget(self.label)
        QVBoxLayout(outer).addWidget(inner)
        self.button = QPushButton("button")
        self.exempt = QFrame()
        self.exempt_button = QPushButton("exempt", self.exempt)
        QVBoxLayout(self.exempt).addWidget(self.exempt_button)
        column = QVBoxLayout(self)
        column.addWidget(outer)
        column.addWidget(self.button)
        column.addWidget(self.exempt)


@pytest.fixture
def tree(qtbot):
    app = QApplication.instance()
    widget = Tree()
    qtbot.addWidget(widget)
    widget.show()
    QApplication.processEvents()
    activity = ActivityFilter()
    app.installEventFilter(activity)
    emitted: list[int] = []
    activity.activity.connect(lambda: emitted.append(1))
    yield widget, activity, emitted
    app.removeEventFilter(activity)


def click_through_window(widget: QWidget) -> None:
    tap(widget)


def click_on_widget(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


CLICKS = pytest.mark.parametrize("click", [click_through_window, click_on_widget], ids=["through-window", "on-widget"])


@CLICKS
def test_a_click_on_a_nested_label_counts_exactly_once(tree, click):
    window, activity, emitted = tree
    for expected in (1, 2, 3):
        click(window.label)  # the press propagates label -> inner -> outer -> window
        assert activity.events_seen == expected
        assert len(emitted) == expected


def test_a_key_press_counts_once_though_it_propagates_from_the_focused_widget(tree):
    window, activity, emitted = tree
    window.label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.activateWindow()
    window.label.setFocus()
    assert QApplication.focusWidget() is window.label
    key(window, Qt.Key.Key_A)  # a label ignores keys: label -> inner -> outer -> window
    assert activity.events_seen == 1 and len(emitted) == 1


def wheel_notch(widget: QWidget, at: QPoint) -> QWheelEvent:
    """One notch of a mouse wheel turned down, at `at` in `widget`."""
    return QWheelEvent(
        QPointF(at),
        QPointF(widget.mapToGlobal(at)),
        QPoint(),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )


def test_wheel_events_count(tree):
    window, activity, _emitted = tree
    for expected in (1, 2):
        wheel = wheel_notch(window.label, QPoint(5, 5))
        wheel.setTimestamp(1000 + expected)
        QApplication.sendEvent(window.label, wheel)
        assert activity.events_seen == expected


def test_a_mouse_move_without_buttons_does_not_count_but_a_drag_does(tree):
    window, activity, _emitted = tree
    handle = window.windowHandle()
    QTest.mouseMove(handle, QPoint(50, 50))
    QTest.mouseMove(handle, QPoint(80, 90))
    assert activity.events_seen == 0
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(80, 90))
    assert activity.events_seen == 1
    QTest.mouseMove(handle, QPoint(80, 150))  # a finger dragging text
    assert activity.events_seen == 2
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(80, 150))
    assert activity.events_seen == 2


@CLICKS
def test_events_on_an_exempt_widget_do_not_count(tree, click):
    window, activity, emitted = tree
    activity.exempt.append(window.exempt)
    click(window.exempt_button)
    assert activity.events_seen == 0 and emitted == []
    click(window.button)  # beside it: counts
    assert activity.events_seen == 1
    activity.exempt.remove(window.exempt)
    click(window.exempt_button)
    assert activity.events_seen == 2


def test_a_hidden_exempt_widget_exempts_nothing(tree):
    window, activity, _emitted = tree
    activity.exempt.append(window.exempt)
    window.exempt.hide()
    tap(window.label)
    assert activity.events_seen == 1


# -- through the kiosk ----------------------------------------------------------------------------


def open_first_topic(kiosk) -> TopicScreen:
    return open_tile(kiosk, home_screen(kiosk).grid.tiles, TOP_LEVEL[0])


def wheel_down(scroll_area, notches: int = 3) -> None:
    """A real wheel turn over the text (the test stand-in for a finger drag)."""
    viewport = scroll_area.viewport()
    for _ in range(notches):
        QApplication.sendEvent(viewport, wheel_notch(viewport, QPoint(20, 20)))
    QApplication.processEvents()


def scroll_value(scroll_area) -> int:
    return scroll_area.verticalScrollBar().value()


def visit(kiosk, time_machine) -> TopicScreen:
    """French, a topic scrolled down, largest text, high contrast, then Russian."""
    home = start(kiosk, "fr")
    wheel_down(home.scroll)
    assert scroll_value(home.scroll) > 0
    time_machine.advance(5)
    topic = open_first_topic(kiosk)
    wheel_down(topic.scroll)
    time_machine.advance(5)
    tap(kiosk.header.size_buttons[TextSize.LARGEST])
    tap(kiosk.header.contrast_button)
    tap(kiosk.header.languages.buttons["ru"])
    QApplication.processEvents()
    assert kiosk.appearance.text_size is TextSize.LARGEST
    assert kiosk.appearance.theme is HIGH_CONTRAST
    assert kiosk.i18n.current == "ru"
    assert scroll_value(topic.scroll) > 0
    return topic


def snapshot(kiosk, topic: TopicScreen) -> dict:
    kiosk.navigator.screen(HOME).finish_building()  # rebuilt ahead of need after the restyle: maybe in parts yet
    return {
        "screen": kiosk.navigator.current,
        "widget": kiosk.navigator.on_show(),
        "history": list(kiosk.navigator.history),
        "language": kiosk.i18n.current,
        "size": kiosk.appearance.text_size,
        "theme": kiosk.appearance.theme,
        "scroll": scroll_value(topic.scroll),
        "home scroll": scroll_value(kiosk.navigator.screen(HOME).scroll),
        "header": in_sight(kiosk.header),
    }


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk(kiosk_mode=True, idle_timeout_s=TIMEOUT_S, idle_warning_s=WARNING_S)


def test_the_still_there_overlay_shows_at_the_timeout_with_its_countdown(kiosk, time_machine):
    visit(kiosk, time_machine)
    overlay = kiosk.idle_overlay
    last_tap = time_machine.clock.ms
    time_machine.advance_to_ms(last_tap + TIMEOUT_S * 1000 - 1)
    assert not overlay.isVisible()
    time_machine.advance(0.001)
    assert overlay.isVisible()
    assert overlay.count.text() == "30"
    assert overlay.heading.text() == msgstr("ru", "Still there?")
    time_machine.advance(1)
    assert overlay.count.text() == "29"
    time_machine.advance(28)
    assert overlay.count.text() == "1" and overlay.isVisible()


def test_keep_reading_hides_the_overlay_and_changes_nothing(kiosk, time_machine):
    topic = visit(kiosk, time_machine)
    before = snapshot(kiosk, topic)
    time_machine.advance(TIMEOUT_S + 12)
    assert kiosk.idle_overlay.isVisible()
    tap(kiosk.idle_overlay.keep_button)
    assert not kiosk.idle_overlay.isVisible()
    assert snapshot(kiosk, topic) == before
    # The idle time starts again from the tap on "Keep reading".
    time_machine.advance(TIMEOUT_S - 0.001)
    assert not kiosk.idle_overlay.isVisible()
    time_machine.advance(0.001)
    assert kiosk.idle_overlay.isVisible() and kiosk.idle_overlay.count.text() == "30"


def test_a_tap_on_the_dimmed_background_also_keeps_reading(kiosk, time_machine):
    topic = visit(kiosk, time_machine)
    before = snapshot(kiosk, topic)
    time_machine.advance(TIMEOUT_S + 20)
    overlay = kiosk.idle_overlay
    outside = QPoint(overlay.card.geometry().left() // 2, overlay.height() // 2)
    assert not overlay.card.geometry().contains(outside)
    tap(overlay, outside)
    assert not overlay.isVisible()
    assert snapshot(kiosk, topic) == before
    time_machine.advance(WARNING_S)  # the old countdown's end passes: nothing happens
    assert kiosk.navigator.current == before["screen"]


def assert_every_default(kiosk) -> None:
    """What the next visitor finds: what shows at once; what is under the attract screen (every screen at its top,
    in reach again) once the reset's frame is painted, with the work ahead of need."""
    assert kiosk.navigator.current == ATTRACT
    assert kiosk.navigator.on_show() is attract(kiosk)
    assert kiosk.navigator.history == []
    assert kiosk.i18n.current == "en"
    assert attract(kiosk).title.text() == "Learn about ALS"
    assert kiosk.appearance.text_size is TextSize.NORMAL
    assert kiosk.appearance.theme is NORMAL
    assert kiosk.header.size_buttons[TextSize.NORMAL].isChecked()
    assert not kiosk.header.contrast_button.isChecked()
    assert not kiosk.idle_overlay.isVisible()
    assert kiosk.pin_pad is None or not kiosk.pin_pad.isVisible()
    assert not kiosk.staff_panel.isVisible()
    assert not in_sight(kiosk.header)
    assert kiosk.policy.state == "stopped"
    kiosk.ahead.finish()
    for key_, screen in kiosk.navigator.built.items():
        area = getattr(screen, "scroll", None)
        if isinstance(area, QScrollArea):
            assert scroll_value(area) == 0, f"{key_} still scrolled"
        assert screen.isEnabled(), f"{key_} out of reach"
    assert kiosk.header.isEnabled()
    assert kiosk.navigator.stack.currentWidget() is kiosk.navigator.built[HOME]  # the next visitor uncovers it


def test_the_end_of_the_countdown_restores_every_default(kiosk, time_machine):
    topic = visit(kiosk, time_machine)
    wheel_down(topic.scroll)
    assert scroll_value(topic.scroll) > 0
    staff_gesture(kiosk, time_machine)  # someone opened the PIN pad and walked away
    assert kiosk.pin_pad is not None and kiosk.pin_pad.isVisible()
    last_input = time_machine.clock.ms - 3000  # the press that started the hold
    time_machine.advance_to_ms(last_input + (TIMEOUT_S + WARNING_S) * 1000 - 1)
    assert kiosk.navigator.current != ATTRACT and kiosk.idle_overlay.isVisible()
    time_machine.advance(0.001)
    # The visitor changed text size and contrast: screens not on show were dropped, to be built
    # afresh in the default style (ahead of need); the one on show is reset in place.
    assert "home" not in kiosk.navigator.built
    assert_every_default(kiosk)


def test_start_over_resets_at_once(kiosk, time_machine):
    visit(kiosk, time_machine)
    time_machine.advance(TIMEOUT_S + 2)
    assert kiosk.idle_overlay.isVisible()
    tap(kiosk.idle_overlay.start_over_button)
    assert_every_default(kiosk)


def test_start_over_leaves_the_screen_under_the_attract_screen_to_be_tidied_after_its_frame(kiosk, time_machine):
    topic = visit(kiosk, time_machine)
    wheel_down(topic.scroll)
    time_machine.advance(TIMEOUT_S + 2)
    # click(): the release's handling alone, with no pass of the event loop after it (the frame, the work ahead).
    kiosk.idle_overlay.start_over_button.click()
    assert kiosk.navigator.current == ATTRACT and not in_sight(topic)
    assert scroll_value(topic.scroll) > 0 and not topic.isEnabled()  # not yet: under the attract screen
    assert_every_default(kiosk)


def test_start_over_greets_the_next_visitor_from_the_first_language_on_in_its_own_frame(kiosk, time_machine):
    start(kiosk, "fr")
    screen = attract(kiosk)
    screen.show_prompt_in("ru")  # where the greetings' rotation was when the last visitor came
    time_machine.advance(TIMEOUT_S + 2)
    kiosk.idle_overlay.start_over_button.click()
    assert screen.welcome.text() == "Welcome"  # no event loop pass yet: what its frame shows
    screen.show_prompt_in("de")
    kiosk.ahead.finish()  # the tidying after the frame leaves the greeting on show alone
    assert screen.welcome.text() == msgstr("de", "Welcome")


def test_a_visitor_who_comes_before_the_tidying_finds_home_at_its_top_and_in_reach(kiosk, time_machine):
    home = start(kiosk, "fr")
    wheel_down(home.scroll)
    time_machine.advance(TIMEOUT_S + 2)
    kiosk.idle_overlay.start_over_button.click()
    assert scroll_value(home.scroll) > 0 and not home.isEnabled()  # left by the last visitor, not tidied yet
    attract(kiosk).languages.buttons["de"].click()
    assert kiosk.navigator.on_show() is home and kiosk.i18n.current == "de"
    assert scroll_value(home.scroll) == 0 and home.isEnabled() and kiosk.header.isEnabled()


def test_a_tap_on_topic_text_counts_as_activity(kiosk, time_machine):
    start(kiosk, "en")
    topic = open_first_topic(kiosk)
    text = next(w for w in topic.scroll.widget().findChildren(QLabel) if w.property("role") == "body")
    time_machine.advance(60)
    seen = kiosk.activity.events_seen
    tap(text)
    assert kiosk.activity.events_seen == seen + 1
    time_machine.advance(TIMEOUT_S - 0.001)
    assert not kiosk.idle_overlay.isVisible()  # without that tap it would have shown 60 s ago
    time_machine.advance(0.001)
    assert kiosk.idle_overlay.isVisible()


def record_changes(kiosk) -> list[str]:
    changes: list[str] = []
    kiosk.navigator.current_changed.connect(lambda key_: changes.append(f"screen {key_}"))
    kiosk.i18n.language_changed.connect(lambda lang: changes.append(f"language {lang}"))
    kiosk.appearance.changed.connect(lambda: changes.append("appearance"))
    return changes


def test_a_reset_when_the_attract_screen_already_shows_in_defaults_changes_nothing(kiosk):
    screen = attract(kiosk)
    screen.show_prompt_in("de")  # the rotating prompt happens to show German
    prompt = screen.prompt.text()
    changes = record_changes(kiosk)
    kiosk.reset()
    assert changes == []
    assert screen.prompt.text() == prompt  # not even the prompt's rotation starts over
    assert_every_default(kiosk)


def test_an_idle_time_out_on_the_attract_screen_emits_no_change(kiosk, time_machine):
    staff_gesture(kiosk, time_machine)  # the PIN pad starts the idle timer ...
    tap(kiosk.pin_pad.cancel_button)  # ... and is cancelled: nothing else changed
    changes = record_changes(kiosk)
    time_machine.advance(TIMEOUT_S)
    assert kiosk.idle_overlay.isVisible()
    time_machine.advance(WARNING_S)
    assert_every_default(kiosk)
    assert changes == []


def test_a_kiosk_shutting_down_warns_and_resets_no_more(kiosk, time_machine):
    # Its windows may be gone already (a render's kiosk, a service stop): an idle warning then would
    # reach widgets that no longer exist.
    start(kiosk, "de")
    kiosk.shutdown()
    time_machine.advance(TIMEOUT_S + WARNING_S + 5)
    assert kiosk.visit.idle_overlay_built is None or not kiosk.visit.idle_overlay_built.isVisible()
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == "de"
