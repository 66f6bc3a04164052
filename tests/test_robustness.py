"""Robustness of the whole kiosk: a seeded monkey, a long soak of navigations, and a table of bad input.

Real widgets, real events (through the window, as a touch arrives), real files, real SQLite and the
real command line; only the clock, the timers and the folders are stand-ins.

A longer monkey: `MONKEY_EVENTS=50000 pytest tests/test_robustness.py -k monkey`; `MONKEY_SEED=n`
replays another stream (a failure message names the seed and the last events).
"""

from __future__ import annotations

import gc
import logging
import os
import random
import sqlite3
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer, QtMsgType, qInstallMessageHandler, qWarning
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.access import in_sight
from kiosk.app import Kiosk
from kiosk.config import Settings
from kiosk.navigation import ATTRACT, HOME, topic_key, topic_of
from kiosk.screens.topic import TopicScreen
from kiosk.stats import UsageStats
from kiosk.theme import NORMAL, TextSize
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.tiles import TopicTile

from conftest import (
    LIBRARY,
    TimeMachine,
    copy_content,
    copy_translations,
    current_screen,
    edit,
    line_of,
    msgstr,
    run_cli,
    settle,
    start,
    tap,
    window_point,
)

TIMEOUT_S, WARNING_S = 90, 30
# The offscreen platform says this whenever a window's size hints change; it means nothing here.
HARMLESS_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


# -- what a finger does to the kiosk ------------------------------------------------------


def home_tiles(kiosk: Kiosk) -> dict[str, TopicTile]:
    return {tile.topic_id: tile for tile in kiosk.navigator.screen(HOME).grid.tiles}


def open_from_home(kiosk: Kiosk, topic_id: str) -> TopicScreen:
    if kiosk.navigator.current != HOME:
        tap(current_screen(kiosk).home_button)
    tap(home_tiles(kiosk)[topic_id])
    screen = current_screen(kiosk)
    assert isinstance(screen, TopicScreen) and screen.topic.id == topic_id, f"{topic_id}: {kiosk.navigator.current}"
    return screen


def valid_keys(kiosk: Kiosk) -> set[str]:
    return {ATTRACT, HOME} | {topic_key(topic.id) for topic in kiosk.services.library.topics}


# -- watching for exceptions and Qt warnings -------------------------------------------------


@pytest.fixture
def trouble() -> Iterator[list[str]]:
    """Every unhandled exception (Qt slots and event handlers end in sys.excepthook) and Qt warning."""
    found: list[str] = []

    def on_exception(kind, error, tb) -> None:
        found.append("".join(traceback.format_exception(kind, error, tb)))

    def on_message(mode, context, message: str) -> None:
        if mode in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) or any(h in message for h in HARMLESS_QT_MESSAGES):
            return
        found.append(f"Qt {mode.name}: {message}")

    old_hook, sys.excepthook = sys.excepthook, on_exception
    old_handler = qInstallMessageHandler(on_message)
    try:
        # The watchers must see trouble, or "no trouble" proves nothing.
        qWarning("robustness probe")
        QTimer.singleShot(0, lambda: 1 / 0)
        QApplication.processEvents()
        assert any("robustness probe" in f for f in found) and any("ZeroDivisionError" in f for f in found), found
        found.clear()
        yield found
    finally:
        qInstallMessageHandler(old_handler)
        sys.excepthook = old_hook


# -- the monkey ----------------------------------------------------------------------------

KEYS = [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Escape, NO_MODIFIER),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_F11, NO_MODIFIER),
    (Qt.Key.Key_Tab, NO_MODIFIER),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_Space, NO_MODIFIER),
    (Qt.Key.Key_Return, NO_MODIFIER),
    (Qt.Key.Key_Enter, NO_MODIFIER),
    (Qt.Key.Key_Up, NO_MODIFIER),
    (Qt.Key.Key_Down, NO_MODIFIER),
    (Qt.Key.Key_PageDown, NO_MODIFIER),
    (Qt.Key.Key_PageUp, NO_MODIFIER),
    (Qt.Key.Key_Home, NO_MODIFIER),
    (Qt.Key.Key_End, NO_MODIFIER),
    (Qt.Key.Key_Menu, NO_MODIFIER),
    (Qt.Key.Key_A, NO_MODIFIER),
    (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Super_L, Qt.KeyboardModifier.MetaModifier),
    (Qt.Key.Key_Back, NO_MODIFIER),
]


# A text size or contrast change restyles every screen (about 0.5 s offscreen): the monkey presses
# these buttons about 1 time in 10 it aims at them, so 5,000 events stay within a minute.
APPEARANCE_BUTTONS = {"text-size-normal", "text-size-large", "text-size-largest", "high-contrast"}


class Monkey:
    """A seeded visitor who does anything, anywhere, at any pace."""

    def __init__(self, kiosk: Kiosk, machine: TimeMachine, rng: random.Random):
        self.kiosk = kiosk
        self.machine = machine
        self.rng = rng
        self.window = kiosk.window
        self.handle = kiosk.window.windowHandle()
        self.recent: deque[str] = deque(maxlen=30)
        self.actions: list[tuple[Callable[[], str], int]] = [
            (self.tap_widget, 30),
            (self.tap_anywhere, 14),
            (self.odd_click, 4),
            (self.long_press, 3),
            (self.drag, 9),
            (self.key, 12),
            (self.wheel, 8),
            (self.wait, 18),
            (self.staff_corner, 2),
        ]

    def step(self) -> None:
        action = self.rng.choices([a for a, _ in self.actions], [w for _, w in self.actions])[0]
        self.recent.append(f"[{self.kiosk.navigator.current}] " + action())
        QApplication.processEvents()

    # where a finger can land
    def visible_widgets(self) -> list[QWidget]:
        roots = [current_screen(self.kiosk), self.kiosk.header]
        roots += [o for o in (self.kiosk.idle_overlay, self.kiosk.staff_panel, self.kiosk.pin_pad) if o is not None]
        found = []
        for root in roots:
            if root.isVisible():
                found.append(root)
                found += [w for w in root.findChildren(QWidget) if w.isVisible() and w.width() > 0 and w.height() > 0]
        return found

    # The screen is the QWindow: with large text the widget may grow wider than the small offscreen screen.
    def random_point(self) -> QPoint:
        for _ in range(10):
            pos = QPoint(self.rng.randrange(self.handle.width()), self.rng.randrange(self.handle.height()))
            under = self.window.childAt(pos)
            if under is None or under.objectName() not in APPEARANCE_BUTTONS or self.rng.random() < 0.1:
                return pos
        return pos

    def inside(self, pos: QPoint) -> QPoint:
        return QPoint(min(max(pos.x(), 0), self.handle.width() - 1), min(max(pos.y(), 0), self.handle.height() - 1))

    def point_in(self, widget: QWidget) -> QPoint:
        local = QPoint(self.rng.randrange(max(1, widget.width())), self.rng.randrange(max(1, widget.height())))
        return self.inside(window_point(widget, local))

    # what the finger does
    def tap_widget(self) -> str:
        widgets = self.visible_widgets()
        targets = [w for w in widgets if isinstance(w, (QAbstractButton, TopicTile))]
        widget = self.rng.choice(targets if targets and self.rng.random() < 0.7 else widgets)
        if widget.objectName() in APPEARANCE_BUTTONS and self.rng.random() < 0.9:
            widget = self.rng.choice(widgets)
        pos = self.point_in(widget)
        QTest.mouseClick(self.handle, LEFT, NO_MODIFIER, pos)
        return f"tap {type(widget).__name__} {widget.objectName()!r} at {pos.x()},{pos.y()}"

    def tap_anywhere(self) -> str:
        pos = self.random_point()
        QTest.mouseClick(self.handle, LEFT, NO_MODIFIER, pos)
        under = self.window.childAt(pos)
        return f"tap {type(under).__name__ if under else 'window'} at {pos.x()},{pos.y()}"

    def odd_click(self) -> str:
        pos = self.random_point()
        kind = self.rng.choice(["right", "middle", "double"])
        if kind == "double":
            QTest.mouseDClick(self.handle, LEFT, NO_MODIFIER, pos)
        else:
            button = Qt.MouseButton.RightButton if kind == "right" else Qt.MouseButton.MiddleButton
            QTest.mouseClick(self.handle, button, NO_MODIFIER, pos)
        return f"{kind} click at {pos.x()},{pos.y()}"

    def long_press(self) -> str:
        pos = self.random_point()
        QTest.mousePress(self.handle, LEFT, NO_MODIFIER, pos)
        QApplication.processEvents()
        seconds = self.rng.uniform(0.8, 4.0)
        self.machine.advance(seconds)
        QApplication.processEvents()
        QTest.mouseRelease(self.handle, LEFT, NO_MODIFIER, pos)
        return f"long press {seconds:.1f} s at {pos.x()},{pos.y()}"

    def drag(self) -> str:
        areas = [w for w in self.visible_widgets() if isinstance(w, TouchScrollArea)]
        if areas and self.rng.random() < 0.85:
            area = self.rng.choice(areas)
            pos = self.point_in(area.viewport())
            where = area.objectName() or type(area.parentWidget()).__name__
        else:
            pos, where = self.random_point(), "anywhere"
        start = QPoint(pos)
        QTest.mousePress(self.handle, LEFT, NO_MODIFIER, pos)
        for _ in range(self.rng.randint(2, 8)):
            pos = self.inside(pos + QPoint(self.rng.randint(-40, 40), self.rng.randint(-250, 250)))
            QTest.mouseMove(self.handle, pos)
            QApplication.processEvents()
        QTest.mouseRelease(self.handle, LEFT, NO_MODIFIER, pos)
        return f"drag on {where} from {start.x()},{start.y()} to {pos.x()},{pos.y()}"

    def key(self) -> str:
        key, modifiers = self.rng.choice(KEYS)
        QTest.keyClick(self.handle, key, modifiers)
        return f"key {key.name} {modifiers}"

    def wheel(self) -> str:
        pos = self.random_point()
        target = self.window.childAt(pos) or self.window
        delta = self.rng.choice([-1, 1]) * 120 * self.rng.randint(1, 5)
        event = QWheelEvent(
            QPointF(target.mapFrom(self.window, pos)),
            QPointF(self.window.mapToGlobal(pos)),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            NO_MODIFIER,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(target, event)
        return f"wheel {delta} on {type(target).__name__} at {pos.x()},{pos.y()}"

    def wait(self) -> str:
        roll = self.rng.random()
        if roll < 0.70:
            seconds = self.rng.uniform(0.05, 5)
        elif roll < 0.90:
            seconds = self.rng.uniform(5, 60)
        elif roll < 0.97:
            seconds = self.rng.uniform(TIMEOUT_S - 5, TIMEOUT_S + WARNING_S - 1)  # into the "Still there?" warning
        else:
            seconds = self.rng.uniform(TIMEOUT_S + WARNING_S, 3 * (TIMEOUT_S + WARNING_S))  # the visitor left
        self.machine.advance(seconds)
        return f"wait {seconds:.1f} s"

    def staff_corner(self) -> str:
        """Taps in the staff corner: with no PIN configured they must do nothing visible."""
        taps = self.rng.randint(1, 6)
        for _ in range(taps):
            QTest.mouseClick(self.handle, LEFT, NO_MODIFIER, QPoint(10, 10))
            self.machine.advance(0.2)
        QTest.mousePress(self.handle, LEFT, NO_MODIFIER, QPoint(10, 10))
        self.machine.advance(3.1)
        QTest.mouseRelease(self.handle, LEFT, NO_MODIFIER, QPoint(10, 10))
        return f"{taps} corner taps and a hold"


def test_monkey_leaves_no_trace(make_kiosk, time_machine, trouble) -> None:
    seed = int(os.environ.get("MONKEY_SEED", "20261123"))
    events = int(os.environ.get("MONKEY_EVENTS", "5000"))
    kiosk = make_kiosk(kiosk_mode=True, staff_pin_hash="")
    monkey = Monkey(kiosk, time_machine, random.Random(seed))
    valid = valid_keys(kiosk)
    seen: set[str] = set()

    for index in range(events):
        monkey.step()
        seen.add(kiosk.navigator.current)
        broken = list(trouble)
        if kiosk.navigator.current not in valid:
            broken.append(f"invalid screen {kiosk.navigator.current!r}")
        if not kiosk.window.isVisible():
            broken.append("the window is gone")
        if broken:
            recent = "\n  ".join(monkey.recent)
            window, handle = kiosk.window.geometry().getRect(), kiosk.window.windowHandle().geometry().getRect()
            state = f"window {window}, QWindow {handle}"
            pytest.fail(f"MONKEY_SEED={seed}, event {index}: {broken[0]}\n{state}\nlast events:\n  {recent}")

    # The stream must have gone places, or it tested little.
    assert {ATTRACT, HOME} <= seen and len([k for k in seen if topic_of(k)]) >= 5, sorted(seen)

    # Whatever the visitor left behind, walking away restores every default.
    if not kiosk.policy.running:
        start(kiosk, monkey.rng.choice([lang for lang in kiosk.i18n.enabled if lang != "en"]))
    assert not kiosk.is_pristine()
    time_machine.advance(TIMEOUT_S + WARNING_S + 1)
    settle()
    assert_pristine(kiosk)
    assert trouble == []


def assert_pristine(kiosk: Kiosk) -> None:
    assert kiosk.navigator.current == ATTRACT
    assert kiosk.navigator.history == []
    assert kiosk.session_started_at is None and kiosk.policy.state == "stopped"
    assert kiosk.i18n.current == kiosk.default_language == "en"
    assert kiosk.appearance.text_size is TextSize.NORMAL and kiosk.appearance.theme is NORMAL
    assert kiosk.header.size_buttons[TextSize.NORMAL].isChecked() and not kiosk.header.contrast_button.isChecked()
    assert not in_sight(kiosk.header)
    for overlay in (kiosk.idle_overlay, kiosk.staff_panel, kiosk.pin_pad):
        assert overlay is None or not overlay.isVisible(), f"{overlay.objectName()} is still open"
    kiosk.ahead.finish()  # the screens under the attract screen are tidied after the reset's frame
    scrolled = [
        f"{key} {area.objectName() or 'scroll'} at {area.verticalScrollBar().value()}"
        for key, screen in kiosk.navigator.built.items()
        for area in screen.findChildren(TouchScrollArea)
        if area.verticalScrollBar().value() != 0
    ]
    assert scrolled == [], "scroll positions left by the last visitor"


# -- the soak ------------------------------------------------------------------------------


class Visitor:
    """Navigates as visitors do, by tapping: topics, Back, Home, Next, the language bar, and leaving."""

    def __init__(self, kiosk: Kiosk, machine: TimeMachine, rng: random.Random):
        self.kiosk, self.machine, self.rng = kiosk, machine, rng

    def navigate(self) -> None:
        kiosk, rng = self.kiosk, self.rng
        if kiosk.navigator.current == ATTRACT:
            start(kiosk, rng.choice(kiosk.i18n.enabled))
            return
        screen = current_screen(kiosk)
        move = rng.choices(["topic", "back", "home", "next", "language", "leave"], [30, 20, 12, 20, 16, 2])[0]
        if move == "leave":
            self.machine.advance(TIMEOUT_S + WARNING_S)
        elif move == "language":
            buttons = kiosk.header.languages.buttons
            tap(buttons[rng.choice([lang for lang in buttons if lang != kiosk.i18n.current])])
        elif not isinstance(screen, TopicScreen):
            tap(rng.choice(list(home_tiles(kiosk).values())))
        elif move == "topic" and screen.cards.tiles:
            tap(rng.choice(screen.cards.tiles))
        else:
            button = {"back": screen.back_button, "home": screen.home_button, "next": screen.next_button}.get(move)
            tap(button if button is not None and button.isVisible() else screen.back_button)
        assert kiosk.navigator.current in (ATTRACT, HOME) or isinstance(current_screen(kiosk), TopicScreen)

    def visit_everything(self) -> None:
        """Every screen in every language, so all that can be built is built."""
        kiosk = self.kiosk
        start(kiosk, "en")
        for language in kiosk.i18n.enabled:
            tap(kiosk.header.languages.buttons[language])
            for topic in kiosk.services.library.topics:
                kiosk.open_topic(topic.id)
                settle()
        self.machine.advance(TIMEOUT_S + WARNING_S)


def counts() -> tuple[int, int]:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()
    return len(QApplication.allWidgets()), len(gc.get_objects())


def test_soak_thousands_of_navigations_grow_nothing(make_kiosk, time_machine, trouble) -> None:
    # Log records are kept in memory by pytest's capture, not by the kiosk: count only the kiosk's objects.
    kiosk_logger = logging.getLogger("kiosk")
    old_level = kiosk_logger.level
    kiosk_logger.setLevel(logging.WARNING)
    try:
        # Not full screen: on the 800 x 800 offscreen screen some languages push the navigation bar off
        # the bottom. The window is the 1280 x 800 of a small kiosk; lockdown plays no part in growth.
        kiosk = make_kiosk(kiosk_mode=False)
        visitor = Visitor(kiosk, time_machine, random.Random(7))
        visitor.visit_everything()
        for _ in range(300):
            visitor.navigate()
        kiosk.ahead.finish()  # what waits for a pause in the tapping (the counts to write)
        widgets_before, objects_before = counts()
        views_before = len(kiosk.navigator.built)
        for _ in range(2000):
            visitor.navigate()
        kiosk.ahead.finish()
        widgets_after, objects_after = counts()
    finally:
        kiosk_logger.setLevel(old_level)
    assert len(kiosk.navigator.built) == views_before == len(kiosk.services.library.topics) + 2
    assert widgets_after <= widgets_before, f"{widgets_after - widgets_before} widgets more after 2,000 navigations"
    assert objects_after - objects_before < 300, f"{objects_after - objects_before} Python objects more"
    assert kiosk.stats is not None and kiosk.stats.totals().sessions > 10  # the soak really had visitors
    assert trouble == []


# -- bad input: catalogs and content files -----------------------------------------------------


def append_dangling_msgid(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "dangling\n', encoding="utf-8")
    return len(text.splitlines()) + 2


def give_a_plural_rule_a_fourth_form(path: Path) -> int:
    line = line_of(path, '"Plural-Forms:')
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = '"Plural-Forms: nplurals=3; plural=(n%10);\\n"'
    path.write_text("\n".join(lines), encoding="utf-8")
    return line


COUNTDOWN = "The screen will start over in {count} seconds."


def add_a_fourth_plural_form(path: Path) -> int:
    msgid = line_of(path, f'msgid_plural "{COUNTDOWN}"') - 1
    third = line_of(path, "msgstr[2]", after=msgid)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(third, 'msgstr[3] "Через {count} секунд(ы) всё начнётся заново."')
    path.write_text("\n".join(lines), encoding="utf-8")
    return msgid


def misspell_a_placeholder(path: Path) -> int:
    msgid = line_of(path, 'msgid "Source: {source}"')
    text = path.read_text(encoding="utf-8").split("\n")
    assert text[msgid].startswith("msgstr") and "{source}" in text[msgid]
    text[msgid] = text[msgid].replace("{source}", "{sourc}")
    path.write_text("\n".join(text), encoding="utf-8")
    return msgid


def empty(path: Path) -> None:
    path.write_bytes(b"")


def replace_with_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def break_front_matter(path: Path) -> int:
    edit(path, "order = 20\n", "order = \n")
    return line_of(path, "order = ")


def unknown_icon(path: Path) -> int:
    edit(path, 'icon = "mdi6.clipboard-pulse-outline"', 'icon = "mdi6.no-such-icon"')
    return line_of(path, "icon = ")


def parent_cycle(path: Path) -> int:
    # care-breathing's parent is care-at-rush; making care-breathing care-at-rush's parent closes a loop.
    edit(path, "\norder = ", '\nparent = "care-breathing"\norder = ')
    return line_of(path, "parent = ")


def binary_garbage(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)


@dataclass(frozen=True)
class BrokenFile:
    id: str
    file: str  # under the copied translations/ or content/ folder
    breaks: Callable[[Path], int | None]  # returns the line it broke, where there is one
    message: str  # the exact message: {file} and {line} are filled in
    lost_languages: tuple[str, ...] = ()
    lost_topics: tuple[str, ...] = ()
    check_in_kiosk: Callable[[Kiosk], None] | None = None


def po(language: str) -> str:
    return str(Path("translations") / language / "LC_MESSAGES" / "messages.po")


def source_line_shows_english(kiosk: Kiosk) -> None:
    """The one dropped entry falls back to English; the rest of the screen stays French."""
    start(kiosk, "fr")
    screen = open_from_home(kiosk, "what-is-als")
    assert screen.source.text().startswith("Source: "), screen.source.text()
    assert screen.back_button.text() == "Retour"


BROKEN_FILES = [
    BrokenFile(
        "catalog-syntax-error",
        po("de"),
        append_dangling_msgid,
        "{file}:{line}: syntax error: missing msgstr for msgid",
        lost_languages=("de",),
    ),
    BrokenFile(
        "catalog-plural-rule",
        po("ru"),
        give_a_plural_rule_a_fourth_form,
        "{file}:{line}: Plural-Forms gives form 3 for n=3, but nplurals=3",
        lost_languages=("ru",),
    ),
    BrokenFile(
        "catalog-plural-forms-of-an-entry",
        po("ru"),
        add_a_fourth_plural_form,
        "{file}:{line}: 4 plural forms, but Plural-Forms declares nplurals=3: shown in English",
    ),
    BrokenFile(
        "catalog-placeholder",
        po("fr"),
        misspell_a_placeholder,
        "{file}:{line}: placeholders differ from the English ['source']: shown in English",
        check_in_kiosk=source_line_shows_english,
    ),
    BrokenFile("catalog-empty", po("it"), empty, "{file}: Plural-Forms header missing", lost_languages=("it",)),
    BrokenFile(
        "catalog-unreadable",
        po("pt_BR"),
        replace_with_folder,
        "{file}: cannot read catalog: Is a directory",
        lost_languages=("pt_BR",),
    ),
    BrokenFile(
        "content-front-matter",
        "content/symptoms.md",
        break_front_matter,
        "{file}:{line}: bad front matter: Invalid value (column 9)",
        lost_topics=("symptoms",),
    ),
    BrokenFile(
        "content-unknown-icon",
        "content/symptoms.md",
        unknown_icon,
        "{file}:{line}: icon: unknown icon name 'mdi6.no-such-icon'",
        lost_topics=("symptoms",),
    ),
    BrokenFile(
        "content-parent-cycle",
        "content/care-at-rush.md",
        parent_cycle,
        "{file}:{line}: parent: cycle of parents (care-at-rush -> care-breathing -> care-at-rush)",
        lost_topics=("care-at-rush",),
    ),
    BrokenFile(
        "content-binary-garbage",
        "content/what-to-know.md",
        binary_garbage,
        "{file}:1: not UTF-8 text (byte 0x89)",
        lost_topics=("what-to-know",),
    ),
]


def snapshot(path: Path) -> bytes | str:
    return "a folder" if path.is_dir() else path.read_bytes()


@pytest.mark.parametrize("case", BROKEN_FILES, ids=[case.id for case in BROKEN_FILES])
def test_a_broken_catalog_or_content_file(case: BrokenFile, make_kiosk, tmp_path, caplog) -> None:
    translations = copy_translations(tmp_path / "translations")
    content = copy_content(tmp_path / "content")
    broken = tmp_path / case.file
    line = case.breaks(broken)
    message = case.message.format(file=broken, line=line)
    kept = snapshot(broken)
    original = LIBRARY
    lost_topics = set(case.lost_topics) | {t.id for t in original.topics if t.parent in case.lost_topics}

    # The kiosk says what is wrong, once, naming the file (and line) ...
    caplog.set_level(logging.WARNING)
    kiosk = make_kiosk(kiosk_mode=True, translations_dir=translations, content_dir=content)
    assert caplog.text.count(message) == 1, caplog.text

    # ... and offers everything else.
    languages = [lang for lang in Settings().languages if lang not in case.lost_languages]
    assert kiosk.i18n.enabled == languages
    assert list(kiosk.navigator.built[ATTRACT].languages.buttons) == languages
    assert {t.id for t in kiosk.services.library.topics} == {t.id for t in original.topics} - lost_topics
    if case.check_in_kiosk is not None:
        case.check_in_kiosk(kiosk)
    else:
        start(kiosk, next(lang for lang in languages if lang != "en"))
        assert set(home_tiles(kiosk)) == {t.id for t in original.top_level} - lost_topics
        for topic_id in sorted(home_tiles(kiosk))[:4]:
            open_from_home(kiosk, topic_id)
        for language in languages:  # every language that is left still shows
            tap(kiosk.header.languages.buttons[language])
            assert kiosk.i18n.current == language
        assert kiosk.navigator.current in valid_keys(kiosk)

    # `check` finds it before a rollout.
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'content_dir = "{content}"\ntranslations_dir = "{translations}"\ndata_dir = "{tmp_path / "data"}"\n',
        encoding="utf-8",
    )
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 1, result.stdout
    assert message in result.stdout

    assert snapshot(broken) == kept, "the broken file was changed"


# -- bad input: the config file ---------------------------------------------------------------

CONFIG_CASES = [
    ("unknown-key", "idle_timout_s = 30\n", "{config}:2: unknown key 'idle_timout_s' (did you mean 'idle_timeout_s'?)"),
    (
        "wrong-type",
        'fullscreen = "yes"\n',
        '{config}:2: fullscreen: expected a boolean (true or false), got string "yes"',
    ),
    ("timeout-out-of-range", "idle_timeout_s = 5\n", "{config}:2: idle_timeout_s: 5 is below the minimum 10"),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CONFIG_CASES], ids=[c[0] for c in CONFIG_CASES])
def test_a_bad_config_stops_the_kiosk_before_any_window(tmp_path, body: str, expected: str) -> None:
    data = tmp_path / "data"
    config = tmp_path / "bad.toml"
    config.write_text(f'data_dir = "{data}"\n{body}', encoding="utf-8")
    kept = config.read_bytes()
    message = expected.format(config=config)

    check = run_cli("check", "--config", str(config))
    assert check.returncode == 2, check.stdout
    assert message in check.stdout

    run = run_cli("--config", str(config))
    assert run.returncode == 2, run.stderr
    assert message in run.stderr and "not starting" in run.stderr
    # The real program makes its data folder (for its log) before the window; it never got that far.
    assert not data.exists() and "starting als-kiosk" not in run.stderr
    assert config.read_bytes() == kept


# -- bad input: the data folder and the statistics database -------------------------------------


def make_real_database(db: Path) -> None:
    stats = UsageStats.open(db)
    stats.session_started("fr")
    stats.topic_viewed("symptoms", "fr")
    stats.close()


def truncate_database(data: Path) -> None:
    db = data / "usage.sqlite3"
    data.mkdir()
    make_real_database(db)
    db.write_bytes(db.read_bytes()[:100])


def counted(db: Path, metric: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COALESCE(SUM(count), 0) FROM totals WHERE metric = ?", (metric,)).fetchone()[0]
    finally:
        conn.close()


def visit(kiosk: Kiosk) -> None:
    start(kiosk, "de")
    open_from_home(kiosk, "symptoms")
    tap(current_screen(kiosk).home_button)
    kiosk.ahead.finish()  # the counts are written after each tap's frame, with the work ahead


def file_in_place_of_folder(data: Path) -> None:
    data.write_bytes(b"not a folder\n")


def visit_while_locked(kiosk: Kiosk, data: Path) -> None:
    other = sqlite3.connect(data / "usage.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        start(kiosk, "de")
        kiosk.ahead.finish()  # its counts, written after the tap's frame, wait 0.2 s for the lock, then are dropped
    finally:
        other.execute("ROLLBACK")
        other.close()
    open_from_home(kiosk, "symptoms")  # counted again
    kiosk.ahead.finish()


@dataclass(frozen=True)
class BadData:
    id: str
    prepare: Callable[[Path], None]
    message: str  # {db} is data/usage.sqlite3
    visit: Callable[[Kiosk, Path], None]
    kept: Callable[[Kiosk, Path, bytes, str], None]  # the user's files are still there, and what else holds


def kept_file(kiosk: Kiosk, data: Path, before: bytes, log: str) -> None:
    assert data.read_bytes() == before
    assert msgstr(kiosk.i18n.current, "Usage statistics are off.") in kiosk.status_lines()  # staff see it too


def kept_truncated(kiosk: Kiosk, data: Path, before: bytes, log: str) -> None:
    aside = sorted(data.glob("usage.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == before, "the damaged database was not kept"
    assert counted(data / "usage.sqlite3", "sessions") == 1  # the new one counts this visit


def kept_locked(kiosk: Kiosk, data: Path, before: bytes, log: str) -> None:
    assert counted(data / "usage.sqlite3", "sessions") == 0  # dropped while locked ...
    assert counted(data / "usage.sqlite3", "topic_views") == 1  # ... and counted again after
    assert "recording again; 2 count(s) were dropped" in log  # the language tap and the session


BAD_DATA = [
    BadData(
        "data-folder-is-a-file",
        file_in_place_of_folder,
        "Usage statistics are off: cannot use {db} ([Errno 17] File exists",
        lambda k, d: visit(k),
        kept_file,
    ),
    BadData(
        "statistics-truncated",
        truncate_database,
        "Usage statistics {db} is damaged (database disk image is malformed); moved it to usage.sqlite3.corrupt-",
        lambda k, d: visit(k),
        kept_truncated,
    ),
    BadData(
        "statistics-locked",
        lambda data: None,
        "Usage statistics {db}: could not record a count (database is locked)",
        visit_while_locked,
        kept_locked,
    ),
]


@pytest.mark.parametrize("case", BAD_DATA, ids=[case.id for case in BAD_DATA])
def test_a_bad_data_folder_or_database(case: BadData, make_kiosk, tmp_path, caplog) -> None:
    data = tmp_path / "data"
    case.prepare(data)
    before = data.read_bytes() if data.is_file() else (data / "usage.sqlite3").read_bytes() if data.is_dir() else b""
    caplog.set_level(logging.WARNING)
    kiosk = make_kiosk(kiosk_mode=True, data_dir=data)
    case.visit(kiosk, data)
    assert case.message.format(db=data / "usage.sqlite3") in caplog.text
    assert kiosk.navigator.current == HOME or isinstance(current_screen(kiosk), TopicScreen)
    case.kept(kiosk, data, before, caplog.text)
