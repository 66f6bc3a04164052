"""The whole window: language switches in place, keeping screen, scroll position and history.

That every screen fits every window size, in every language and text size, is tests/test_fit.py's job."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.access import in_sight
from kiosk.navigation import HOME, topic_key

from conftest import (
    TOP_LEVEL,
    attract,
    current_screen,
    home_screen,
    msgstr,
    open_tile,
    settle,
    start,
    tap,
    visible_labels,
)

# Content strings that may read the same in a translation (proper names).
SAME_IN_TRANSLATION = {"Rush Rehabilitation"}
CONTENT_ROLES = ("screen-title", "heading", "body", "bullet", "tile-title", "tile-summary")


def content_labels(screen: QWidget) -> list[QLabel]:
    return visible_labels(screen, *CONTENT_ROLES)


def assert_all_changed(before: dict[QLabel, str], language: str) -> None:
    unchanged = [text for label, text in before.items() if label.text() == text and text not in SAME_IN_TRANSLATION]
    assert unchanged == [], f"not translated to {language}"


@pytest.mark.parametrize("language", ["it", "ru"])
def test_language_switch_on_home_keeps_the_screen_and_translates_it(qtbot, kiosk, language):
    home = start(kiosk)
    before = {label: label.text() for label in content_labels(home)}
    assert len(before) >= 2 * len(TOP_LEVEL)  # every tile: title and summary

    tap(kiosk.header.languages.buttons[language])
    QApplication.processEvents()
    assert kiosk.i18n.current == language
    assert kiosk.navigator.current == HOME and current_screen(kiosk) is home
    assert kiosk.navigator.history == []
    assert_all_changed(before, language)
    assert home.heading.text() == msgstr(language, "Learn about ALS")
    assert kiosk.header.text_size.caption.text() == msgstr(language, "Text size")
    assert kiosk.header.contrast_button.text() == msgstr(language, "High contrast")


@pytest.mark.parametrize("language", ["fr", "de", "pt_BR"])
def test_language_switch_on_a_scrolled_topic_keeps_place_and_history(qtbot, kiosk, language):
    home = start(kiosk)
    care = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    tap(care.home_button)
    screen = open_tile(kiosk, home.grid.tiles, "why-rush")
    history = list(kiosk.navigator.history)
    assert history == [HOME]
    bar = screen.scroll.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # the visitor has read half of it
    QApplication.processEvents()
    position = bar.value()
    assert position > 100
    before = {label: label.text() for label in content_labels(screen)}
    assert len(before) >= 15

    tap(kiosk.header.languages.buttons[language])
    QApplication.processEvents()
    assert kiosk.i18n.current == language
    assert kiosk.navigator.current == topic_key("why-rush") and current_screen(kiosk) is screen
    assert kiosk.navigator.history == history
    assert abs(bar.value() - position) <= 4
    assert_all_changed(before, language)
    # UI strings: whatever the catalog says for them now (they are being translated).
    assert screen.back_button.text() == msgstr(language, "Back")
    assert screen.home_button.text() == msgstr(language, "Home")
    assert screen.next_button.text() == msgstr(language, "Next")
    assert screen.qr_label.text() == msgstr(language, "Read this at home")
    assert screen.qr_hint.text() == msgstr(language, "Point your phone camera at the code.")
    assert screen.topic.review_notes and screen.reviewed.text() == msgstr(language, "Awaiting clinical review")
    source = msgstr(language, screen.topic.source)
    assert screen.source.text() == msgstr(language, "Source: {source}").format(source=source)
    assert screen.scroll.more_below.text().startswith(msgstr(language, "More below"))

    # Back still goes where it went before the switch.
    tap(screen.back_button)
    assert current_screen(kiosk) is home


class ShownSizes(QObject):
    """Records each size `widget` takes while it is shown."""

    def __init__(self, widget: QWidget):
        super().__init__()
        self.widget, self.sizes = widget, []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Show or (event.type() == QEvent.Type.Resize and watched.isVisible()):
            self.sizes.append(watched.size().toTuple())
        return False


def test_each_screen_keeps_its_final_size_as_the_attract_screen_comes_and_goes(qtbot, kiosk):
    """Home waits under the attract screen with the bar above it, at its final size: uncovered, it is not laid
    out again at another height (its tiles would re-flow, its More below sign blink), and the attract screen
    covers the whole window each time."""
    home_widget = home_screen(kiosk)
    window, bar = kiosk.window.size(), kiosk.header.height()
    assert home_widget.isVisible() and not in_sight(home_widget)
    assert home_widget.size().toTuple() == (window.width(), window.height() - bar)
    home, welcome = ShownSizes(home_widget), ShownSizes(attract(kiosk))
    start(kiosk, "fr")
    settle()
    assert in_sight(home_widget)
    assert home.sizes == []  # neither shown again nor resized
    kiosk.visit.reset()
    settle()
    assert welcome.sizes == [window.toTuple()]
