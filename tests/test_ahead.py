"""Work ahead of need: jobs in slices, done on demand, failures contained; the kiosk's screens built ahead."""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from kiosk.ahead import AheadOfTime
from kiosk.navigation import ATTRACT, HOME, topic_key

from conftest import msgstr, start


def steps(log: list, name: str, count: int):
    for number in range(count):
        log.append(f"{name}{number}")
        yield


def finger(kind: QEvent.Type) -> QMouseEvent:
    """A left-button press (held down) or release at (1, 1)."""
    down = kind == QEvent.Type.MouseButtonPress
    held = Qt.MouseButton.LeftButton if down else Qt.MouseButton.NoButton
    point = QPointF(1, 1)
    return QMouseEvent(kind, point, point, Qt.MouseButton.LeftButton, held, Qt.KeyboardModifier.NoModifier)


def test_jobs_run_a_step_at_a_time_in_the_event_loop_in_queue_order(qtbot):
    log: list[str] = []
    ahead = AheadOfTime()
    ahead.add(steps(log, "a", 2))
    ahead.add(steps(log, "b", 1))
    assert log == [] and ahead.busy  # nothing runs until the event loop does
    with qtbot.waitSignal(ahead.idle, timeout=2000):
        pass
    assert log == ["a0", "a1", "b0"]
    assert not ahead.busy
    assert len(ahead.slices) == 5  # three steps, and one more per job to find it finished


def test_finish_does_everything_still_queued_now(qtbot):
    log: list[str] = []
    ahead = AheadOfTime()
    ahead.add(steps(log, "a", 3))
    ahead.finish()
    assert log == ["a0", "a1", "a2"] and not ahead.busy


def test_a_failing_job_is_dropped_with_a_log_line_and_the_next_one_runs(qtbot, caplog):
    def broken():
        yield
        raise ValueError("no such screen")

    log: list[str] = []
    ahead = AheadOfTime()
    ahead.add(broken())
    ahead.add(steps(log, "b", 1))
    with caplog.at_level(logging.ERROR, logger="kiosk.ahead"):
        ahead.finish()
    assert log == ["b0"]
    assert [r.getMessage() for r in caplog.records] == ["work ahead of need failed; it is done when needed instead"]


def test_after_its_first_frame_the_kiosk_builds_every_screen_in_slices(make_kiosk):
    kiosk = make_kiosk()
    kiosk.after_first_frame()
    assert kiosk.ahead.busy
    kiosk.ahead.finish()
    expected = {HOME, *(topic_key(t.id) for t in kiosk.services.library.topics)}
    assert expected <= set(kiosk.navigator.built)
    assert kiosk.visit.idle_overlay_built is not None and kiosk.staff_access.staff_panel_built is not None
    # Every slice but the first-time type loading of PySide6 is short; the benchmark reports their lengths.
    assert len(kiosk.ahead.slices) > len(expected) * 3


def test_a_switch_translates_the_screen_on_show_now_and_the_others_before_they_are_shown(qtbot, make_kiosk):
    kiosk = make_kiosk()
    kiosk.after_first_frame()
    kiosk.ahead.finish()
    home = start(kiosk, "en")
    hidden = kiosk.navigator.built[topic_key("symptoms")]
    other = kiosk.navigator.built[topic_key("care-team")]
    assert hidden.title.text() == "Symptoms"

    kiosk.choose_language("fr")
    assert home.heading.text() == msgstr("fr", "Learn about ALS")  # on show: at once
    assert hidden.title.text() == "Symptoms" and hidden.language_stale  # out of sight: not yet
    kiosk.open_topic("symptoms")  # shown: translated before it is painted
    assert hidden.title.text() == "Symptômes" and not hidden.language_stale
    kiosk.ahead.finish()  # idle time: the rest
    assert not other.language_stale
    assert other.title.text() == msgstr("fr", kiosk.services.library.get("care-team").title)


def test_a_switch_there_and_back_leaves_the_screens_out_of_sight_as_they_were(qtbot, make_kiosk):
    # A visitor peeks at another language and comes back: what was not on show is still in theirs.
    kiosk = make_kiosk()
    kiosk.after_first_frame()
    kiosk.ahead.finish()
    home = start(kiosk, "en")
    kiosk.open_topic("symptoms")
    kiosk.choose_language("fr")
    kiosk.choose_language("en")
    assert not any(screen.language_stale for screen in kiosk.navigator.built.values())  # nothing to catch up with
    assert home.heading.text() == "Learn about ALS"
    kiosk.i18n.reload()  # the catalogs read again: what is out of sight is out of date, even in the same language
    assert home.language_stale and not kiosk.navigator.built[topic_key("symptoms")].language_stale


def test_the_idle_catch_up_leaves_the_attract_screen_in_the_first_language_it_shows_in_again(qtbot, make_kiosk):
    # Translated for the visitor, it would be translated back as Start over shows it, in the tap's frame.
    kiosk = make_kiosk()
    kiosk.after_first_frame()
    kiosk.ahead.finish()
    start(kiosk, "de")
    kiosk.ahead.finish()
    cover = kiosk.navigator.built[ATTRACT]
    assert cover.language_stale and cover.title.text() == "Learn about ALS"
    kiosk.reset()
    assert not cover.language_stale and cover.title.text() == "Learn about ALS"


def test_a_screen_still_being_built_ahead_is_finished_in_the_current_language_before_it_shows(qtbot, make_kiosk):
    kiosk = make_kiosk()
    start(kiosk, "en")
    screen = kiosk.navigator.screen(topic_key("symptoms"), build_now=False)
    assert screen.build_next_part() and not screen.built  # a part built in English
    kiosk.choose_language("de")
    kiosk.reset()  # a new visitor meanwhile: nothing to reset on a screen not built yet
    start(kiosk, "de")
    kiosk.open_topic("symptoms")
    assert screen.built and screen.isVisible()
    assert screen.title.text() == msgstr("de", "Symptoms") != "Symptoms"
    assert screen.back_button.text() == msgstr("de", "Back")


def test_the_work_stands_aside_while_the_visitor_touches_the_screen(qtbot):
    log: list[str] = []
    ahead = AheadOfTime()
    ahead.add(steps(log, "a", 1))
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
        assert ahead.eventFilter(ahead, finger(kind)) is False  # seen, never swallowed
    QApplication.processEvents()
    assert log == []  # not in the pass that handles the tap and paints its frame
    qtbot.waitUntil(lambda: log == ["a0"], timeout=2000)


def test_work_a_tap_queues_waits_for_the_tap_to_be_answered(time_machine):
    # A language switch queues the screens it left behind while the tap is handled: their first step
    # must not come before the frame that answers the tap.
    log: list[str] = []
    ahead = AheadOfTime(timer_factory=time_machine.timer, clock=time_machine.now)
    release = finger(QEvent.Type.MouseButtonRelease)
    ahead.eventFilter(ahead, release)  # nothing queued yet
    time_machine.advance(0.005)  # the tap's handler
    ahead.add(steps(log, "a", 2))
    time_machine.advance(0.050)
    assert log == []
    time_machine.advance(0.006)  # the stand-aside after the touch is over: on at full pace
    assert log == ["a0", "a1"]
    # Long after the last touch, new work starts at once.
    time_machine.advance(1)
    ahead.add(steps(log, "b", 1))
    time_machine.advance(0.001)
    assert log == ["a0", "a1", "b0"]


def test_while_a_finger_is_down_the_work_waits_for_its_release(time_machine):
    log: list[str] = []
    ahead = AheadOfTime(timer_factory=time_machine.timer, clock=time_machine.now)
    ahead.eventFilter(ahead, finger(QEvent.Type.MouseButtonPress))
    ahead.add(steps(log, "a", 2))
    time_machine.advance(0.500)  # a slow tap: its release, which is the tap, never lands in a slice
    assert log == []
    ahead.eventFilter(ahead, finger(QEvent.Type.MouseButtonRelease))
    time_machine.advance(0.059)  # the tap's frame comes first
    assert log == []
    time_machine.advance(0.002)
    assert log == ["a0", "a1"]


def test_a_finger_that_stays_down_holds_the_work_up_for_two_seconds_at_most(time_machine):
    # A hand resting on the screen, or a release lost to a cancelled touch, must not stop the work for good.
    log: list[str] = []
    ahead = AheadOfTime(timer_factory=time_machine.timer, clock=time_machine.now)
    ahead.eventFilter(ahead, finger(QEvent.Type.MouseButtonPress))
    ahead.add(steps(log, "a", 1))
    time_machine.advance(1.999)
    assert log == []
    time_machine.advance(0.002)
    assert log == ["a0"]


def test_a_call_is_a_job_of_one_slice_that_stands_aside_like_the_rest(time_machine):
    calls: list[str] = []
    ahead = AheadOfTime(timer_factory=time_machine.timer, clock=time_machine.now)
    ahead.eventFilter(ahead, finger(QEvent.Type.MouseButtonPress))
    ahead.eventFilter(ahead, finger(QEvent.Type.MouseButtonRelease))
    ahead.call(lambda: calls.append("written"))
    time_machine.advance(0.050)
    assert calls == []
    time_machine.advance(0.011)
    assert calls == ["written"] and not ahead.busy


def test_a_tap_is_counted_after_its_frame(qtbot, make_kiosk):
    kiosk = make_kiosk()
    start(kiosk, "de")
    assert kiosk.stats is not None
    totals = kiosk.data_dir / "usage.sqlite3"
    assert read_sessions(totals) == 0  # the tap's handler left the database alone
    qtbot.waitUntil(lambda: read_sessions(totals) == 1, timeout=2000)  # written with the work ahead


def read_sessions(db) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COALESCE(SUM(count), 0) FROM totals WHERE metric = 'sessions'").fetchone()[0]
    finally:
        conn.close()
