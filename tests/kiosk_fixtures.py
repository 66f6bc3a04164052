"""Fixtures and helpers for tests that drive a whole kiosk through its real widgets.

Import what you use into the test module (`from kiosk_fixtures import make_kiosk, ...`): pytest
finds fixtures by their name in the module. Only clocks, timers and folders are stand-ins; the
widgets, content and catalogs are the real ones.
"""

from __future__ import annotations

import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QScroller, QWidget

from kiosk.app import Kiosk
from kiosk.config import Settings
from kiosk.navigation import ATTRACT, HOME
from kiosk.paths import TRANSLATIONS_DIR
from kiosk.screens.home import HomeScreen
from kiosk.screens.topic import TopicScreen
from kiosk.widgets.touch import TopicTile

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "rush-als-page.txt"
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


LANGUAGES = ("en", "fr", "de", "it", "pt_BR", "ru")
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1280, 800)}


class InertTimer(QObject):
    """A timer that never fires by itself: idle time and the staff gesture hold do not run out in a test."""

    timeout = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.active = False
        self.interval = 0

    def setSingleShot(self, single: bool) -> None:  # noqa: N802 - QTimer's API
        pass

    def setInterval(self, msec: int) -> None:  # noqa: N802
        self.interval = msec

    def start(self, msec: int | None = None) -> None:
        self.active = True
        if msec is not None:
            self.interval = msec

    def stop(self) -> None:
        self.active = False

    def isActive(self) -> bool:  # noqa: N802
        return self.active


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def no_speech_engine() -> None:
    """No text-to-speech engine on this machine: read-aloud stays hidden."""
    return None


def copy_translations(target: Path) -> Path:
    """The real catalogs, copied so a test can break or add one."""
    shutil.copytree(TRANSLATIONS_DIR, target)
    return target


@pytest.fixture
def make_kiosk(qtbot, tmp_path) -> Iterator[Callable[..., Kiosk]]:
    """`make_kiosk(size=(w, h), **settings)`: a shown, warmed-up kiosk in a window; closed at teardown.

    One kiosk per test: calling it twice in one test is an error.
    """
    built: list[Kiosk] = []
    app = QApplication.instance()

    def build(size: tuple[int, int] = (1920, 1080), **settings) -> Kiosk:
        assert not built, "one kiosk per test"
        clock = FakeClock()
        data_dir = tmp_path / "data"
        data_dir.mkdir(exist_ok=True)
        kiosk = Kiosk(
            app,
            Settings(**settings),
            kiosk_mode=False,
            data_dir=data_dir,
            clock=clock,
            wall_clock=clock,
            timer_factory=InertTimer,
            environ={},
            speech_engine=no_speech_engine,
        )
        built.append(kiosk)
        kiosk.window.show_on(QRect(0, 0, *size))
        kiosk.warm_up()
        qtbot.waitExposed(kiosk.window)
        app.processEvents()
        return kiosk

    yield build

    for kiosk in built:
        kiosk.shutdown()
        kiosk.i18n.set_language("en")  # `_` is process-wide: leave it in English for the next test
        kiosk.policy.stop()
        # A flick still coasting would confuse the next test's gestures.
        for scroller in QScroller.activeScrollers():
            scroller.stop()
        kiosk.window.hide()
        kiosk.window.deleteLater()
    app.processEvents()
    # deleteLater is carried out by an event loop, which a test never returns to: do it now.
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    app.processEvents()


# -- finding and driving widgets ------------------------------------------------------------


@contextmanager
def within_screen(widget: QWidget, point: QPoint) -> Iterator[None]:
    """Keep `point` of `widget` on the (virtual) screen while a gesture runs there.

    The offscreen platform's screen is 800 x 800, smaller than the windows under test. QScroller
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


def tap(qtbot, widget: QWidget) -> None:
    """One finger tap in the middle of the widget: press and release, as a visitor does."""
    assert widget.isVisible(), f"{widget.objectName() or widget} is not visible"
    with within_screen(widget, widget.rect().center()):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        QApplication.processEvents()


def attract(kiosk: Kiosk):
    return kiosk.navigator.built[ATTRACT]


def current_screen(kiosk: Kiosk) -> QWidget:
    return kiosk.window.stack.currentWidget()


def home_screen(kiosk: Kiosk) -> HomeScreen:
    screen = kiosk.navigator.screen(HOME)
    assert isinstance(screen, HomeScreen)
    return screen


def tile(tiles: list[TopicTile], topic_id: str) -> TopicTile:
    found = [t for t in tiles if t.topic_id == topic_id]
    assert found, f"no tile for {topic_id}"
    return found[0]


def start(qtbot, kiosk: Kiosk, language: str = "en") -> HomeScreen:
    """Tap a language on the attract screen; the visitor lands on home."""
    assert kiosk.navigator.current == ATTRACT
    tap(qtbot, attract(kiosk).languages.buttons[language])
    assert kiosk.navigator.current == HOME
    return home_screen(kiosk)


def open_tile(qtbot, kiosk: Kiosk, tiles: list[TopicTile], topic_id: str) -> TopicScreen:
    """Scroll the tile into view (as a visitor would) and tap it."""
    target = tile(tiles, topic_id)
    scroll = scroll_area_of(target)
    if scroll is not None:
        scroll.ensureWidgetVisible(target, 0, 0)
        QApplication.processEvents()
    tap(qtbot, target)
    screen = current_screen(kiosk)
    assert isinstance(screen, TopicScreen) and screen.topic.id == topic_id, (
        f"tapping {topic_id} shows {kiosk.navigator.current}"
    )
    return screen


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def visible_labels(root: QWidget) -> list[QLabel]:
    """Labels with text that are shown (the "More below" hint included when shown)."""
    return [w for w in root.findChildren(QLabel) if w.isVisibleTo(root) and w.isVisible() and w.text()]


def drag(qtbot, widget: QWidget, start: QPoint, dy: int, steps: int = 12) -> None:
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
