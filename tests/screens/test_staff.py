"""Staff access: the hidden corner gesture, the PIN pad and its lockout, and the staff panel.

Real taps through the window, real files in tmp_path; only the clock and the timers are fakes.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.lockdown import StaffGesture
from kiosk.navigation import ATTRACT, HOME
from kiosk.pin import PinLockout
from kiosk.staff_access import EXIT_STAFF

from conftest import (
    CORNER,
    PIN,
    TOPIC_COUNT,
    close_kiosk,
    copy_content,
    corner_taps,
    edit,
    enter_pin,
    hold_corner,
    press,
    release,
    staff_gesture,
    tap,
)

WRONG = "1357"


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk(kiosk_mode=True)


class DoubleClicks(QObject):
    """Counts the double-clicks that reach the window's QWindow: proof the taps were quick enough."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.count = 0
        window.windowHandle().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        self.count += event.type() == QEvent.Type.MouseButtonDblClick
        return False


def pad_is_open(kiosk) -> bool:
    return kiosk.pin_pad is not None and kiosk.pin_pad.isVisible()


# -- the gesture ---------------------------------------------------------------------------------


def test_five_taps_then_a_three_second_hold_opens_the_pin_pad(kiosk, time_machine):
    assert not isinstance(kiosk.window.childAt(CORNER), QAbstractButton)
    corner_taps(kiosk, time_machine, 5)
    time_machine.advance(0.25)
    press(kiosk.window, CORNER)
    time_machine.advance(2.999)
    assert not pad_is_open(kiosk)
    time_machine.advance(0.001)
    assert pad_is_open(kiosk)
    release(kiosk.window, CORNER)
    assert pad_is_open(kiosk)
    assert not kiosk.staff_panel.isVisible()


def test_the_gesture_works_on_the_home_screen_too(kiosk, time_machine):
    tap(kiosk.navigator.screen(ATTRACT).languages.buttons["de"])
    assert kiosk.navigator.current == HOME
    staff_gesture(kiosk, time_machine)
    assert pad_is_open(kiosk)
    assert kiosk.i18n.current == "de"  # the corner taps hit no language button


def test_four_taps_and_a_hold_do_not_open_it(kiosk, time_machine):
    corner_taps(kiosk, time_machine, 4)
    time_machine.advance(0.25)
    hold_corner(kiosk, time_machine)
    time_machine.advance(10)
    assert not pad_is_open(kiosk)


def test_taps_spread_over_more_than_three_seconds_do_not_open_it(kiosk, time_machine):
    corner_taps(kiosk, time_machine, 5, every_s=1.0)  # first to last: 4 s
    time_machine.advance(0.5)
    hold_corner(kiosk, time_machine)
    time_machine.advance(10)
    assert not pad_is_open(kiosk)


def test_a_hold_released_early_does_not_open_it(kiosk, time_machine):
    corner_taps(kiosk, time_machine, 5)
    time_machine.advance(0.25)
    hold_corner(kiosk, time_machine, seconds=2.9)
    time_machine.advance(10)
    assert not pad_is_open(kiosk)


def test_a_tap_elsewhere_starts_the_count_again(kiosk, time_machine):
    elsewhere = QPoint(kiosk.window.width() // 2, kiosk.window.height() - 20)
    assert not isinstance(kiosk.window.childAt(elsewhere), QAbstractButton)
    corner_taps(kiosk, time_machine, 3)
    time_machine.advance(0.25)
    tap(kiosk.window, elsewhere)
    time_machine.advance(0.25)
    corner_taps(kiosk, time_machine, 2)
    time_machine.advance(0.25)
    hold_corner(kiosk, time_machine)
    assert not pad_is_open(kiosk)


# Real taps at a natural speed: Qt makes a double-click of a press 0.4 s or less after another.
NATURAL_TAP_MS = 150


def quick_taps(kiosk, time_machine, count: int, at: QPoint = CORNER) -> None:
    """`count` mouse taps 150 ms apart, through the window: Qt delivers every second press as a double-click."""
    handle = kiosk.window.windowHandle()
    for index in range(count):
        if index:
            time_machine.advance(NATURAL_TAP_MS / 1000)
        QTest.mousePress(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at, NATURAL_TAP_MS)
        QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at, 50)


def test_taps_at_a_natural_speed_open_the_pin_pad(kiosk, time_machine):
    received = DoubleClicks(kiosk.window)
    quick_taps(kiosk, time_machine, 5)
    assert received.count == 2, "taps 150 ms apart arrive as press, double-click, press, double-click, press"
    time_machine.advance(0.15)
    hold_corner(kiosk, time_machine)
    assert pad_is_open(kiosk)


def test_double_clicks_count_as_two_taps(kiosk, time_machine):
    handle = kiosk.window.windowHandle()
    for _ in range(2):
        QTest.mouseDClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, CORNER)
        time_machine.advance(0.3)
    tap(kiosk.window, CORNER)
    time_machine.advance(0.3)
    hold_corner(kiosk, time_machine)
    assert pad_is_open(kiosk)


def touch(kiosk, device, point: QPoint, hold_s: float = 0.0, time_machine=None) -> None:
    handle = kiosk.window.windowHandle()
    QTest.touchEvent(handle, device).press(0, point).commit()
    if hold_s:
        time_machine.advance(hold_s)
    QTest.touchEvent(handle, device).release(0, point).commit()
    QApplication.processEvents()


def test_touch_taps_open_the_pin_pad_and_a_touch_released_early_does_not(kiosk, time_machine):
    device = QTest.createTouchDevice()
    for _ in range(5):
        touch(kiosk, device, CORNER)
        time_machine.advance(0.15)
    touch(kiosk, device, CORNER, hold_s=2.9, time_machine=time_machine)
    time_machine.advance(10)
    assert not pad_is_open(kiosk)

    for _ in range(5):
        touch(kiosk, device, CORNER)
        time_machine.advance(0.15)
    touch(kiosk, device, CORNER, hold_s=3.0, time_machine=time_machine)
    assert pad_is_open(kiosk)


def test_touches_on_the_language_bar_still_choose_languages_and_break_the_count(kiosk, time_machine):
    device = QTest.createTouchDevice()
    tap(kiosk.navigator.screen(ATTRACT).languages.buttons["de"])
    for _ in range(3):
        touch(kiosk, device, CORNER)
        time_machine.advance(0.15)
    french = kiosk.header.languages.buttons["fr"]
    touch(kiosk, device, french.mapTo(kiosk.window, french.rect().center()))
    assert kiosk.i18n.current == "fr"
    for _ in range(2):
        time_machine.advance(0.15)
        touch(kiosk, device, CORNER)
    time_machine.advance(0.15)
    touch(kiosk, device, CORNER, hold_s=3.0, time_machine=time_machine)
    assert not pad_is_open(kiosk)


def test_taps_anywhere_in_the_corner_press_no_button(kiosk, time_machine):
    """The corner used to lie over the header's first language button: each gesture tap switched language."""
    tap(kiosk.navigator.screen(ATTRACT).languages.buttons["de"])
    assert kiosk.navigator.current == HOME
    inner = StaffGesture.CORNER_PX - 1
    for point in (QPoint(inner // 2, inner // 2), QPoint(inner, inner), QPoint(inner, 0), QPoint(0, inner)):
        quick_taps(kiosk, time_machine, 5, at=point)
        time_machine.advance(0.15)
        press(kiosk.window, point)
        time_machine.advance(3.0)
        release(kiosk.window, point)
        assert pad_is_open(kiosk), point
        assert kiosk.i18n.current == "de", f"a tap at {point} chose a language"
        tap(kiosk.pin_pad.cancel_button)


def test_without_a_pin_the_gesture_opens_nothing_in_kiosk_mode(make_kiosk, time_machine):
    kiosk = make_kiosk(kiosk_mode=True, staff_pin_hash="")
    staff_gesture(kiosk, time_machine)
    assert kiosk.pin_pad is None
    assert not kiosk.staff_panel.isVisible()
    assert kiosk.navigator.current == ATTRACT


def test_without_a_pin_the_gesture_opens_the_panel_in_windowed_mode(make_kiosk, time_machine):
    kiosk = make_kiosk(kiosk_mode=False, staff_pin_hash="")
    staff_gesture(kiosk, time_machine)
    assert kiosk.pin_pad is None
    assert kiosk.staff_panel.isVisible()


# -- the PIN pad ---------------------------------------------------------------------------------


def open_pad(kiosk, time_machine):
    staff_gesture(kiosk, time_machine)
    assert pad_is_open(kiosk)
    return kiosk.pin_pad


def test_a_wrong_pin_says_so_and_opens_nothing(kiosk, time_machine):
    pad = open_pad(kiosk, time_machine)
    enter_pin(kiosk, WRONG)
    assert pad.isVisible()
    assert pad.message.text() == "Wrong PIN. Please try again."
    assert pad.display.text() == "–"  # the digits are cleared
    assert not kiosk.staff_panel.isVisible()
    assert all(button.isEnabled() for button in pad.keys.values())


def test_the_pad_opens_again_without_the_last_message(kiosk, time_machine):
    pad = open_pad(kiosk, time_machine)
    enter_pin(kiosk, WRONG)
    tap(pad.cancel_button)
    assert not pad.isVisible()
    pad = open_pad(kiosk, time_machine)
    assert pad.message.text() == ""


def test_the_digits_show_as_dots(kiosk, time_machine):
    pad = open_pad(kiosk, time_machine)
    for digit in "24":
        tap(pad.keys[digit])
    assert pad.display.text() == "●●"
    tap(pad.clear_button)
    assert pad.display.text() == "–"


def test_the_right_pin_opens_the_staff_panel(kiosk, time_machine):
    pad = open_pad(kiosk, time_machine)
    enter_pin(kiosk, PIN)
    assert not pad.isVisible()
    assert kiosk.staff_panel.isVisible()
    assert f"Content: {TOPIC_COUNT} topics" in kiosk.staff_panel.status.text()


def lock_the_pad(kiosk, time_machine) -> float:
    pad = open_pad(kiosk, time_machine)
    for attempt in range(4):
        enter_pin(kiosk, WRONG)
        assert pad.keys["1"].isEnabled(), f"locked after {attempt + 1} wrong PINs"
    enter_pin(kiosk, WRONG)
    return time_machine.wall()


def assert_locked(pad, minutes: int) -> None:
    unit = "minute" if minutes == 1 else "minutes"
    assert pad.message.text() == f"Too many wrong PINs. Try again in {minutes} {unit}."
    for button in (*pad.keys.values(), pad.ok_button, pad.clear_button):
        assert not button.isEnabled()


def test_five_wrong_pins_lock_the_pad_even_for_the_right_pin(kiosk, time_machine):
    locked_at = lock_the_pad(kiosk, time_machine)
    pad = kiosk.pin_pad
    assert_locked(pad, 5)
    enter_pin(kiosk, PIN)  # taps on disabled keys do nothing
    assert pad.display.text() == "–"
    assert not kiosk.staff_panel.isVisible()
    state = json.loads((kiosk.data_dir / "pin-lockout.json").read_text())
    assert state == {"failures": 0, "locked_until": locked_at + 300, "locks": 1}


def test_the_lock_survives_a_restart_and_ends_after_five_minutes(make_kiosk, time_machine, tmp_path):
    data_dir = tmp_path / "data"
    first = make_kiosk(kiosk_mode=True, data_dir=data_dir)
    locked_at = lock_the_pad(first, time_machine)
    close_kiosk(first)

    second = make_kiosk(kiosk_mode=True, data_dir=data_dir)  # the service restarts the kiosk
    pad = open_pad(second, time_machine)
    assert_locked(pad, 5)
    tap(pad.cancel_button)

    # Open the pad again a millisecond before the five minutes are over: still locked.
    gesture_s = 4 * 0.25 + 0.25 + 3.0
    time_machine.advance(locked_at + 300 - gesture_s - 0.001 - time_machine.wall())
    pad = open_pad(second, time_machine)
    assert time_machine.wall() == pytest.approx(locked_at + 300 - 0.001)
    assert_locked(pad, 1)
    tap(pad.cancel_button)

    pad = open_pad(second, time_machine)
    assert all(button.isEnabled() for button in pad.keys.values())
    assert pad.message.text() == ""
    enter_pin(second, PIN)
    assert second.staff_panel.isVisible()


def test_an_unwritable_data_folder_keeps_the_lock_in_the_runtime_folder_across_a_restart(
    make_kiosk, time_machine, tmp_path, caplog
):
    (tmp_path / "full").write_text("")  # the data folder cannot be written, even by root
    data_dir, runtime = tmp_path / "full" / "data", tmp_path / "run"
    systemd = {"RUNTIME_DIRECTORY": str(runtime)}  # what the unit's RuntimeDirectory= sets
    first = make_kiosk(kiosk_mode=True, data_dir=data_dir, environ=systemd)
    with caplog.at_level("WARNING", logger="kiosk.pin"):
        lock_the_pad(first, time_machine)
    assert json.loads((runtime / "pin-lockout.json").read_text())["locks"] == 1
    assert [r.getMessage() for r in caplog.records if r.name == "kiosk.pin"] == [
        (
            f"PIN lockout state: cannot save it to {data_dir / 'pin-lockout.json'} (Not a directory); "
            f"keeping it in {runtime / 'pin-lockout.json'} instead"
        )
    ]
    close_kiosk(first)

    second = make_kiosk(kiosk_mode=True, data_dir=data_dir, environ=systemd)  # the service restarts the kiosk
    assert_locked(open_pad(second, time_machine), 5)


def test_lockout_file_read_by_pin_lockout_directly(tmp_path, time_machine):
    """The state the pad writes is what a fresh PinLockout reads back, on the same wall clock."""
    path = tmp_path / "pin-lockout.json"
    clock = time_machine.wall
    lockout = PinLockout(path, clock=clock)
    for _ in range(5):
        lockout.record_failure()
    restarted = PinLockout(path, clock=clock)
    assert restarted.is_locked() and restarted.remaining_s() == 300
    time_machine.advance(299.999)
    assert restarted.is_locked() and restarted.remaining_s() == 1
    time_machine.advance(0.001)
    assert not restarted.is_locked()


# -- the staff panel -----------------------------------------------------------------------------


def open_panel(kiosk, time_machine):
    open_pad(kiosk, time_machine)
    enter_pin(kiosk, PIN)
    assert kiosk.staff_panel.isVisible()
    return kiosk.staff_panel


@pytest.fixture
def content_copy(tmp_path):
    return copy_content(tmp_path / "content")


def test_reload_with_good_content_says_reloaded(make_kiosk, time_machine, content_copy):
    kiosk = make_kiosk(kiosk_mode=True, content_dir=content_copy)
    panel = open_panel(kiosk, time_machine)
    edit(content_copy / "symptoms.md", 'title = "Symptoms"', 'title = "Signs of ALS"')
    tap(panel.reload_button)
    assert panel.result.text() == "Content and translations reloaded."
    assert panel.isVisible()
    assert len(kiosk.services.library.topics) == TOPIC_COUNT
    assert kiosk.services.library.get("symptoms").title == "Signs of ALS"


def test_reload_with_a_broken_file_keeps_the_running_content_and_says_why(make_kiosk, time_machine, content_copy):
    kiosk = make_kiosk(kiosk_mode=True, content_dir=content_copy)
    running = kiosk.services.library
    panel = open_panel(kiosk, time_machine)
    status = panel.status.text()
    (content_copy / "symptoms.md").write_text('+++\nid = "symptoms"\norder = \n+++\nBroken.\n', encoding="utf-8")
    tap(panel.reload_button)
    result = panel.result.text()
    assert result.startswith("Reload failed; the kiosk keeps its current content.")
    assert "symptoms.md" in result
    assert kiosk.services.library is running
    assert len(kiosk.services.library.topics) == TOPIC_COUNT
    assert kiosk.services.library.get("symptoms") is not None
    assert panel.status.text() == status
    assert panel.isVisible()


def test_close_hides_the_panel(kiosk, time_machine):
    panel = open_panel(kiosk, time_machine)
    tap(panel.close_button)
    assert not panel.isVisible()
    assert not kiosk.pin_pad.isVisible()
    assert kiosk.navigator.current == ATTRACT


def test_the_panel_closes_itself_when_left_idle(kiosk, time_machine):
    panel = open_panel(kiosk, time_machine)
    last_tap = time_machine.clock.ms  # the OK key
    time_machine.advance_to_ms(last_tap + 120_000 - 1)
    assert panel.isVisible()
    time_machine.advance(0.001)
    assert not panel.isVisible()
    assert not kiosk.pin_pad.isVisible() and not kiosk.idle_overlay.isVisible()
    assert kiosk.navigator.current == ATTRACT


def test_exit_to_desktop_quits_the_application_with_code_3(kiosk, time_machine):
    app = QApplication.instance()
    panel = open_panel(kiosk, time_machine)
    assert not kiosk.window.allow_close
    guard = QTimer()  # only so a broken exit fails the test instead of hanging it
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: app.exit(99))
    guard.start(10_000)
    QTimer.singleShot(0, lambda: tap(panel.exit_button))
    code = app.exec()
    guard.stop()
    assert code == EXIT_STAFF == 3
    assert kiosk.window.allow_close
    event = QCloseEvent()
    QApplication.sendEvent(kiosk.window, event)
    assert event.isAccepted()
