"""The whole window: everything fits at kiosk screen sizes, targets are large, language switches in place."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QLabel, QPushButton, QScrollArea, QWidget

from kiosk.i18n import _
from kiosk.navigation import ATTRACT, HOME, topic_key
from kiosk.widgets.touch import MIN_TARGET_PX, TopicTile
from kiosk_fixtures import (  # noqa: F401 - make_kiosk is a fixture
    SIZES,
    current_screen,
    make_kiosk,
    open_tile,
    start,
    tap,
)

# Content strings that may read the same in a translation (proper names).
SAME_IN_TRANSLATION = {"Rush Rehabilitation"}
CONTENT_ROLES = ("screen-title", "heading", "body", "bullet", "tile-title", "tile-summary")


def reference_for(widget: QWidget, window: QWidget) -> QWidget | None:
    """What a widget must fit in: the content of the scroll area it scrolls in, else the window.

    None for a scroll area's content itself: it is taller than its viewport by design.
    """
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            if parent.widget() is widget:
                return None
            if parent.widget().isAncestorOf(widget):
                return parent.widget()
        parent = parent.parentWidget()
    return window


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QPushButton)) else ""
    return f"{type(widget).__name__}({widget.objectName() or widget.property('role') or ''}) {text[:40]!r}"


def outside(window: QWidget) -> list[str]:
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        reference = reference_for(widget, window)
        if reference is None:
            continue
        rect = QRect(widget.mapTo(reference, QPoint(0, 0)), widget.size())
        if not reference.rect().contains(rect):
            found.append(f"{describe(widget)} at {rect.getRect()} outside {reference.rect().getRect()}")
    return found


def too_small(window: QWidget) -> list[str]:
    return [
        f"{describe(widget)} is {widget.width()}x{widget.height()}"
        for widget in window.findChildren(QWidget)
        if isinstance(widget, (QPushButton, TopicTile))
        and widget.isVisible()
        and (widget.width() < MIN_TARGET_PX or widget.height() < MIN_TARGET_PX)
    ]


def overlapping(window: QWidget) -> list[str]:
    """Visible sibling widgets that cover each other (the floating "More below" hint aside)."""
    found = []
    for parent in [window, *window.findChildren(QWidget)]:
        if not parent.isVisible() or isinstance(parent, QAbstractScrollArea):
            continue  # a scroll area's viewport and scroll bar are its business
        children = [
            child
            for child in parent.children()
            if isinstance(child, QWidget)
            and child.isVisible()
            and not child.isWindow()
            and child.property("role") != "more-below"
        ]
        for index, first in enumerate(children):
            for second in children[index + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    where = f"{first.geometry().getRect()} and {second.geometry().getRect()}"
                    found.append(f"{describe(first)} and {describe(second)} overlap at {where}")
    return found


FIT_CASES = [
    ("landscape", "en"),
    ("portrait", "en"),
    ("small", "en"),
    ("small", "de"),  # long words
    ("small", "ru"),  # Cyrillic, long words
    ("portrait", "fr"),
]


@pytest.mark.parametrize(("size_name", "language"), FIT_CASES)
def test_every_screen_fits_the_window_with_large_targets(qtbot, make_kiosk, size_name, language):
    size = SIZES[size_name]
    kiosk = make_kiosk(size)
    window = kiosk.window
    assert window.size().toTuple() == size
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        QApplication.processEvents()
        found = outside(window) + too_small(window) + overlapping(window)
        if window.size().toTuple() != size:  # a screen too wide for the window would stretch it
            found.append(f"the window grew to {window.width()}x{window.height()}")
        if found:
            problems[name] = found

    check("attract")
    assert kiosk.navigator.current == ATTRACT
    start(qtbot, kiosk, language)
    check("home")
    for topic in kiosk.services.library.reading_order:
        kiosk.open_topic(topic.id)  # tapping every one is test_navigation's job
        assert kiosk.navigator.current == topic_key(topic.id)
        check(topic.id)
    assert problems == {}


def content_labels(screen: QWidget) -> list[QLabel]:
    return [w for w in screen.findChildren(QLabel) if w.isVisible() and w.text() and w.property("role") in CONTENT_ROLES]


def assert_all_changed(before: dict[QLabel, str], language: str) -> None:
    unchanged = [text for label, text in before.items() if label.text() == text and text not in SAME_IN_TRANSLATION]
    assert unchanged == [], f"not translated to {language}"


@pytest.mark.parametrize("language", ["it", "ru"])
def test_language_switch_on_home_keeps_the_screen_and_translates_it(qtbot, make_kiosk, language):
    kiosk = make_kiosk()
    home = start(qtbot, kiosk)
    before = {label: label.text() for label in content_labels(home)}
    assert len(before) >= 14  # seven tiles: title and summary each

    tap(qtbot, kiosk.header.languages.buttons[language])
    QApplication.processEvents()
    assert kiosk.i18n.current == language
    assert kiosk.navigator.current == HOME and current_screen(kiosk) is home
    assert kiosk.navigator.history == []
    assert_all_changed(before, language)
    assert home.heading.text() == _("Learn about ALS")
    assert kiosk.header.text_size_label.text() == _("Text size")
    assert kiosk.header.contrast_button.text() == _("High contrast")


@pytest.mark.parametrize("language", ["fr", "de", "pt_BR"])
def test_language_switch_on_a_scrolled_topic_keeps_place_and_history(qtbot, make_kiosk, language):
    kiosk = make_kiosk()
    home = start(qtbot, kiosk)
    care = open_tile(qtbot, kiosk, home.grid.tiles, "care-at-rush")
    tap(qtbot, care.home_button)
    screen = open_tile(qtbot, kiosk, home.grid.tiles, "why-rush")
    history = list(kiosk.navigator.history)
    assert history == [HOME]
    bar = screen.scroll.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # the visitor has read half of it
    QApplication.processEvents()
    position = bar.value()
    assert position > 100
    before = {label: label.text() for label in content_labels(screen)}
    assert len(before) >= 15

    tap(qtbot, kiosk.header.languages.buttons[language])
    QApplication.processEvents()
    assert kiosk.i18n.current == language
    assert kiosk.navigator.current == topic_key("why-rush") and current_screen(kiosk) is screen
    assert kiosk.navigator.history == history
    assert abs(bar.value() - position) <= 4
    assert_all_changed(before, language)
    # UI strings: whatever the catalog says for them now (they are being translated).
    assert screen.back_button.text() == _("Back")
    assert screen.home_button.text() == _("Home")
    assert screen.next_button.text() == _("Next")
    assert screen.qr_label.text() == _("Read this at home")
    assert screen.qr_hint.text() == _("Point your phone camera at the code.")
    assert screen.topic.review_notes and screen.reviewed.text() == _("Awaiting clinical review")
    assert screen.source.text() == _("Source: {source}").format(source=_(screen.topic.source))
    assert screen.scroll.more_below.text().startswith(_("More below"))

    # Back still goes where it went before the switch.
    tap(qtbot, screen.back_button)
    assert current_screen(kiosk) is home
