"""The one test harness: a kiosk factory, one fake clock, one way to tap and one way to read the screen.

Only clocks, timers and folders are stand-ins; widgets, events, content, catalogs, files and SQLite are
real. Qt runs offscreen unless a test starts its own X server.

- `time_machine`: the fake clock (monotonic and wall) and every timer the kiosk asks for; time passes only
  through `time_machine.advance(seconds)`, which fires each timer falling due on the way, in order.
- `make_kiosk(size=..., kiosk_mode=..., data_dir=..., speech_worker=..., **settings)`: a fresh kiosk, shown
  and warmed up, shut down at teardown. `kiosk`: one kiosk shared by a module's tests, put back to what a
  new visitor finds before each test; use it when a test does not change settings or files.
- `tap(widget)`: a finger on a widget, through the window as a real touch arrives.
- `visible_text(widget)`: the text a visitor sees in it.
- `xvfb(size, log)`, `x_env(display)`, `background(...)`, `wait_until(...)`, `stop_process(p)`: the real
  program and its helpers on an X server of their own (end-to-end tests).
"""

from __future__ import annotations

import gc
import gettext
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_ACCESSIBILITY", "0")

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QStandardPaths, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QScroller, QWidget

import kiosk.i18n as i18n_module
from kiosk.app import Kiosk
from kiosk.config import Settings
from kiosk.content.loader import load_library
from kiosk.icon_names import icon_exists
from kiosk.navigation import ATTRACT, HOME
from kiosk.paths import CONTENT_DIR, TRANSLATIONS_DIR
from kiosk.pin import hash_pin
from kiosk.screens.home import HomeScreen
from kiosk.screens.topic import TopicScreen
from kiosk.widgets.tiles import TopicTile

# The platform's data and config folders point at a test location, never the user's real ones.
QStandardPaths.setTestModeEnabled(True)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "rush-als-page.txt"
LANGUAGES = ("en", "fr", "de", "it", "pt_BR", "ru")
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1280, 800)}
SIZE = SIZES["small"]
PIN = "2468"
PIN_HASH = hash_pin(PIN)  # scrypt is slow on purpose: hash once per test run
CORNER = QPoint(10, 10)  # inside the staff corner, on no button (the header's margin, the attract screen's margin)
START_S = 1000.0
WALL_START_S = 1_800_000_000.0

# -- the content, as the tests derive their expectations from it -----------------------------

LIBRARY = load_library(CONTENT_DIR, icon_exists).library
TOPIC_COUNT = len(LIBRARY.topics)  # counts come from the content, never a number typed in a test
# The content plan's structure, which the bundled content must follow (tests/content/test_loader.py checks it).
TOP_LEVEL = ["what-is-als", "symptoms", "what-to-know", "getting-help", "care-at-rush", "why-rush", "care-team"]
CARE_ITEMS = [
    "care-medical",
    "care-rehab",
    "care-speech",
    "care-nutrition",
    "care-mobility",
    "care-breathing",
    "care-emotional",
]

# Seed lines that are web-page noise or headings, not sentences of the ALS content.
SEED_SKIPPED = {
    "Excellence is just the beginning.",
    "French German Italian Portuguese Russian",
    "Amyotrophic Lateral Sclerosis (ALS)",
    "ALS: what you should know",
    "How can I get help for ALS?",
    "Care for ALS at Rush",
    "Why choose Rush for ALS care",
    "Departments and programs that treat this condition",
}
CARE_LABELS = (
    "Medical therapy",
    "Physical and occupational therapy",
    "Speech therapy",
    "Nutritional counseling",
    "Mobility assistance",
    "Respiratory support",
    "Emotional support",
)


def normalise(text: str) -> str:
    return " ".join(text.split())


def seed_sentences() -> list[str]:
    """The sentences of the ALS text on the Rush page (noise, headings and care-item labels left out)."""
    sentences = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = normalise(raw).removeprefix("• ")
        if not line or line in SEED_SKIPPED or line.startswith("As we begin to reopen"):
            continue
        for care_label in CARE_LABELS:
            line = line.removeprefix(f"{care_label}: ")
        line = line.replace("(dyspnea", "(dyspnea)").replace("(dyspnea))", "(dyspnea)")
        # The symptoms are on another screen: the content names it (issue 12).
        line = line.replace("any of the above symptoms", 'any of the symptoms listed under "Symptoms"')
        sentences += re.split(r"(?<=[.?!])\s+(?=[A-Z])", line)
    return sentences


@cache
def po_catalog(language: str):
    """The language's .po file as Babel reads it, once per test run."""
    from babel.messages.pofile import read_po

    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def msgstr(language: str, msgid: str) -> str:
    """The catalog's own translation of `msgid`, read from the .po file (never through `_`); English is the msgid."""
    if language == "en":
        return msgid
    message = po_catalog(language).get(msgid)
    assert message is not None and message.string, f"{language}/LC_MESSAGES/messages.po: no translation of {msgid!r}"
    return message.string if isinstance(message.string, str) else message.string[0]


def copy_translations(target: Path) -> Path:
    """The real catalogs, copied so a test can break or add one."""
    shutil.copytree(TRANSLATIONS_DIR, target)
    return target


def copy_content(target: Path) -> Path:
    """The real content files, copied so a test can break or change one."""
    shutil.copytree(CONTENT_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a text file with `new`; `old` must be there, or the test would prove nothing."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, after: int = 0) -> int:
    """1-based number of the first line at or after `after` that contains `needle`."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number >= after and needle in text:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


# -- fake time ------------------------------------------------------------------------------


class FakeClock:
    """Seconds, as time.monotonic and time.time return them; kept in whole milliseconds so sums are exact."""

    def __init__(self, start_s: float = START_S) -> None:
        self.ms = round(start_s * 1000)

    def __call__(self) -> float:
        return self.ms / 1000


class FakeTimer(QObject):
    """QTimer's API as the kiosk uses it; it fires only when the TimeMachine says so."""

    timeout = Signal()

    def __init__(self, machine: TimeMachine) -> None:
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

    def wall(self) -> float:
        return WALL_START_S + self.clock()

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


@pytest.fixture
def platform_folders() -> Iterator[None]:
    """QStandardPaths answers as on a real machine (from $XDG_*), not with its test folders, for one test."""
    QStandardPaths.setTestModeEnabled(False)
    yield
    QStandardPaths.setTestModeEnabled(True)


# -- the kiosk ------------------------------------------------------------------------------


def build_kiosk(
    machine: TimeMachine,
    data_dir: Path | None,
    size: tuple[int, int] = SIZE,
    kiosk_mode: bool = False,
    speech_worker: Sequence[str] | None = None,
    environ: dict[str, str] | None = None,
    **settings,
) -> Kiosk:
    """A kiosk shown on `size` (kiosk mode: full screen, and the offscreen screen is 800 x 800) and warmed up.

    Settings default to the built-in ones with a staff PIN of `PIN`.
    """
    app = QApplication.instance()
    assert QApplication.overrideCursor() is None, "an earlier test left an override cursor"
    before = len(machine.timers)
    kiosk = Kiosk(
        app,
        Settings(**{"staff_pin_hash": PIN_HASH, **settings}),
        kiosk_mode=kiosk_mode,
        data_dir=data_dir,
        clock=machine.clock,
        wall_clock=machine.wall,
        timer_factory=machine.timer,
        environ=environ if environ is not None else {},
        speech_worker=speech_worker,  # None: read-aloud off, no worker process
    )
    kiosk._test_timers = machine.timers[before:]  # type: ignore[attr-defined]
    kiosk.window.show_on(QRect(0, 0, *size))
    kiosk.warm_up()
    settle()
    return kiosk


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
    # A flick still coasting would confuse the next test's gestures.
    for scroller in QScroller.activeScrollers():
        scroller.stop()
    kiosk.window.allow_close = True
    kiosk.window.hide()
    kiosk.window.deleteLater()
    # The next test starts in English with no style sheet, whatever this one did.
    i18n_module._translations = gettext.NullTranslations()
    app.setStyleSheet("")
    timers = getattr(kiosk, "_test_timers", [])
    if timers:
        timers[0]._machine.forget(list(timers))
    # deleteLater is carried out by an event loop, which a test never returns to: do it now.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    # What the kiosk set aside from the garbage collector (WarmUp) is collectable again once it is gone.
    gc.unfreeze()


@pytest.fixture
def make_kiosk(qapp, tmp_path, time_machine) -> Iterator[Callable[..., Kiosk]]:
    """`make_kiosk(size=(w, h), kiosk_mode=False, data_dir=None, speech_worker=..., **settings)`.

    Every kiosk made is shut down at teardown; `close_kiosk(kiosk)` does it early (a restart).
    """
    made: list[Kiosk] = []

    def make(*, data_dir: Path | str | None = "tmp", **options) -> Kiosk:
        """`data_dir`: a folder of the test's own by default; None for none (the platform's folder)."""
        kiosk = build_kiosk(time_machine, tmp_path / "data" if data_dir == "tmp" else data_dir, **options)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        close_kiosk(kiosk)


@pytest.fixture(scope="module")
def shared_kiosk(qapp, tmp_path_factory) -> Iterator[tuple[Kiosk, TimeMachine]]:
    machine = TimeMachine()
    kiosk = build_kiosk(machine, tmp_path_factory.mktemp("data"))
    yield kiosk, machine
    close_kiosk(kiosk)


@pytest.fixture
def kiosk(shared_kiosk) -> Kiosk:
    """The module's kiosk as a new visitor finds it: attract screen, defaults, nothing open, nothing scrolled."""
    kiosk, _machine = shared_kiosk
    kiosk.reset()
    for scroller in QScroller.activeScrollers():
        scroller.stop()
    settle()
    assert kiosk.is_pristine() and kiosk.navigator.history == []
    return kiosk


# -- reading the screen ---------------------------------------------------------------------


def settle() -> None:
    """Layouts that depend on other layouts (wrapping, scroll bars) need a few passes."""
    for _ in range(3):
        QApplication.processEvents()


def current_screen(kiosk: Kiosk) -> QWidget:
    return kiosk.navigator.on_show()


def attract(kiosk: Kiosk):
    return kiosk.navigator.built[ATTRACT]


def home_screen(kiosk: Kiosk) -> HomeScreen:
    screen = kiosk.navigator.screen(HOME)
    assert isinstance(screen, HomeScreen)
    return screen


def visible_labels(root: QWidget, *roles: str) -> list[QLabel]:
    """The labels a visitor sees in `root` (shown, with text), in widget order; only those of `roles` if given.

    A label scrolled out of view counts: the visitor reaches it by scrolling.
    """
    labels = root.findChildren(QLabel)
    return [w for w in labels if w.isVisible() and w.text() and (not roles or w.property("role") in roles)]


def visible_text(root: QWidget, *roles: str) -> list[str]:
    """What a visitor reads in `root`: the text of `visible_labels(root, *roles)`."""
    return [label.text() for label in visible_labels(root, *roles)]


def tile(tiles: list[TopicTile], topic_id: str) -> TopicTile:
    found = [t for t in tiles if t.topic_id == topic_id]
    assert found, f"no tile for {topic_id}"
    return found[0]


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


# -- real input -----------------------------------------------------------------------------


@contextmanager
def within_screen(widget: QWidget, point: QPoint) -> Iterator[None]:
    """Keep `point` of `widget` on the (virtual) screen while a gesture runs there.

    The offscreen platform's screen is 800 x 800, smaller than most windows under test. QScroller
    replays a delayed press to `QApplication.widgetAt(global position)`, which finds nothing off
    the screen; so a tap inside a scroll area beyond 800 px would be lost in the test, never on
    a real kiosk, whose window is the screen. Moving the window (not resizing it) changes nothing else.
    """
    window = widget.window()
    screen = window.screen().geometry()
    target = widget.mapToGlobal(point)
    if screen.contains(target):
        yield
        return
    old = window.pos()
    window.move(old + screen.center() - target)
    QApplication.processEvents()
    try:
        yield
    finally:
        window.move(old)
        QApplication.processEvents()


def window_point(widget: QWidget, pos: QPoint | None = None) -> QPoint:
    QApplication.processEvents()  # pending layouts settle, as they would before a finger lands
    return widget.mapTo(widget.window(), pos if pos is not None else widget.rect().center())


def tap(widget: QWidget, pos: QPoint | None = None, button=Qt.MouseButton.LeftButton) -> None:
    """Press and release on `widget` (its middle by default), through the window as a real touch.

    A widget in a scroll area is scrolled into view first, as a visitor would; the application's event
    filters see the event on the QWindow, then on the widget Qt's hit-testing finds under the finger.
    """
    assert widget.isVisible(), f"{widget.objectName() or widget} is not visible"
    window = widget.window()
    bounds = QRect(QPoint(0, 0), window.windowHandle().size())
    scroll = scroll_area_of(widget) if pos is None else None
    for _ in range(3):  # after a language switch the layout settles in more than one pass
        settle()
        if scroll is not None:
            scroll.ensureWidgetVisible(widget, 0, 0)
            settle()
        if bounds.contains(window_point(widget, pos)):
            break
    point = window_point(widget, pos)
    assert bounds.contains(point), f"{widget.objectName() or widget} is off the window, at {point}"
    with within_screen(window, point):
        QTest.mouseClick(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, point)
        QApplication.processEvents()


def press(window: QWidget, pos: QPoint, button=Qt.MouseButton.LeftButton) -> None:
    QTest.mousePress(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, pos)


def release(window: QWidget, pos: QPoint, button=Qt.MouseButton.LeftButton) -> None:
    QTest.mouseRelease(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier, pos)


def key(window: QWidget, key_code, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press and release through the window, as the platform delivers them."""
    QTest.keyClick(window.windowHandle(), key_code, modifiers)


def drag(widget: QWidget, start: QPoint, dy: int, steps: int = 12) -> None:
    """A finger drag: press at `start`, move `dy` pixels (negative: up) in steps, release."""
    with within_screen(widget, start + QPoint(0, dy // 2)):
        QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
        for step in range(1, steps + 1):
            QTest.mouseMove(widget, start + QPoint(0, round(dy * step / steps)))
            # QScroller applies the finger's motion on its animation timer: let a frame pass, as in life.
            QTest.qWait(20)
        QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(0, dy))
        QApplication.processEvents()


def wait_until_still(qtbot, scroll_area) -> None:
    """Wait for kinetic scrolling to come to rest."""
    scroller = QScroller.scroller(scroll_area.viewport())
    qtbot.waitUntil(lambda: scroller.state() == QScroller.State.Inactive, timeout=5000)


# -- visitor steps --------------------------------------------------------------------------


def start(kiosk: Kiosk, language: str = "en") -> HomeScreen:
    """Tap a language on the attract screen; the visitor lands on home."""
    assert kiosk.navigator.current == ATTRACT
    tap(attract(kiosk).languages.buttons[language])
    assert kiosk.navigator.current == HOME, f"tapping {language} shows {kiosk.navigator.current}"
    assert kiosk.i18n.current == language
    return home_screen(kiosk)


def open_tile(kiosk: Kiosk, tiles: list[TopicTile], topic_id: str) -> TopicScreen:
    """Tap a topic's tile (scrolled into view as a visitor would); its screen shows."""
    tap(tile(tiles, topic_id))
    screen = current_screen(kiosk)
    assert isinstance(screen, TopicScreen) and screen.topic.id == topic_id, (
        f"tapping {topic_id} shows {kiosk.navigator.current}"
    )
    return screen


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


# -- the real program, on an X server of its own ----------------------------------------------


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m kiosk ARGS` offscreen, from the repository, with no config file from the environment."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ALS_KIOSK_CONFIG="")
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT
    )


def skip_or_fail_in_ci(reason: str) -> None:
    """A test that needs what this machine lacks skips, except under CI (the CI variable set): CI must run it."""
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run them, not skip them")
    pytest.skip(reason)


def wait_until(predicate: Callable[[], object], timeout_s: float, interval_s: float = 0.1) -> bool:
    """Poll until `predicate()` is true or the time is up; never asserts on how long it took."""
    deadline = time.monotonic() + timeout_s
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval_s)


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, and kill what is still running 10 s later."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def background(command: list[str], log: Path, env: dict[str, str] | None = None, stdout: bool = False):
    """A helper program in its own session, its messages in `log`; `stdout` keeps its output readable."""
    with open(log, "wb") as errors:
        return subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
            stderr=errors,
            text=stdout,
            start_new_session=True,
        )


@contextmanager
def xvfb(size: tuple[int, int], log: Path) -> Iterator[str]:
    """An X server of `size` for the block; yields its display (":N"), which Xvfb picks and announces
    once it accepts clients: no race with another test worker for the number."""
    # -noreset: the server keeps going as it is when its last client leaves (a helper that set a root-window
    # property and went), rather than resetting while the next program may be connecting.
    server = background(
        ["Xvfb", "-displayfd", "1", "-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp", "-noreset"],
        log,
        stdout=True,
    )
    try:
        number = server.stdout.readline().strip()
        assert number.isdigit(), f"Xvfb did not start: {log.read_text(errors='replace')}"
        yield f":{number}"
    finally:
        stop_process(server)


def x_env(display: str, **extra: str) -> dict[str, str]:
    """This process's environment for a program on `display`: X only, no Wayland, no offscreen Qt."""
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "XAUTHORITY", "QT_QPA_PLATFORM")}
    return {**env, "DISPLAY": display, **extra}
