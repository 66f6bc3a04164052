"""A visit: a finger on a language of the attract screen, home and the bar translated under it, the release; a finger
on a way to another screen (a tile, Back), that screen made ready out of sight before the release."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.access import in_sight
from kiosk.navigation import ATTRACT, HOME, topic_key
from kiosk.theme import QWIDGETSIZE_MAX

from conftest import (
    LIBRARY,
    attract,
    current_screen,
    home_screen,
    msgstr,
    open_tile,
    press,
    release,
    scroll_area_of,
    settle,
    start,
    tap,
    tile,
    window_point,
)


class Calls:
    """Counts the calls of a widget's method (the method still runs)."""

    def __init__(self, monkeypatch, widget, name: str):
        self.count = 0
        method = getattr(widget, name)

        def counted(*args, **kwargs):
            self.count += 1
            return method(*args, **kwargs)

        monkeypatch.setattr(widget, name, counted)


def tile_titles(kiosk) -> list[str]:
    return [tile.title.text() for tile in home_screen(kiosk).grid.tiles]


def test_a_finger_on_a_language_translates_home_and_the_bar_under_the_attract_screen_and_the_release_uncovers(
    kiosk, monkeypatch
):
    screen = attract(kiosk)
    title, checked = screen.title.text(), [b.isChecked() for b in screen.languages.buttons.values()]
    told: list[str] = []
    kiosk.i18n.language_changed.connect(told.append)
    point = window_point(screen.languages.buttons["fr"])
    press(kiosk.window, point)
    settle()
    # The attract screen is as it was: the switch is quiet until the release.
    assert kiosk.navigator.current == ATTRACT and kiosk.window.covered
    assert (screen.title.text(), [b.isChecked() for b in screen.languages.buttons.values()]) == (title, checked)
    assert (told, kiosk.i18n.announced) == ([], "en")
    # Under it, home and the bar are in French already.
    assert tile_titles(kiosk) == [msgstr("fr", topic.title) for topic in LIBRARY.top_level]
    assert kiosk.header.contrast_button.text() == msgstr("fr", "High contrast")
    assert not in_sight(home_screen(kiosk))
    home_translations = Calls(monkeypatch, home_screen(kiosk), "retranslate")
    bar_translations = Calls(monkeypatch, kiosk.header, "retranslate")
    release(kiosk.window, point)
    settle()
    assert kiosk.navigator.current == HOME and in_sight(home_screen(kiosk))
    assert (told, kiosk.i18n.current) == (["fr"], "fr")
    assert (home_translations.count, bar_translations.count) == (0, 0)  # the release only uncovered them
    assert kiosk.header.languages.buttons["fr"].isChecked()


def test_a_finger_that_slides_off_the_language_takes_the_switch_back(kiosk):
    screen = attract(kiosk)
    told: list[str] = []
    kiosk.i18n.language_changed.connect(told.append)
    point = window_point(screen.languages.buttons["de"])
    press(kiosk.window, point)
    settle()
    assert kiosk.i18n.current == "de"
    off = window_point(screen.title)
    release(kiosk.window, off)  # Qt moves the pointer there first: the button is let go as the finger leaves it
    settle()
    assert (kiosk.navigator.current, kiosk.i18n.current, told) == (ATTRACT, "en", [])
    assert kiosk.is_pristine()
    # Home and the bar, translated meanwhile, catch up with the next choice.
    tap_point = window_point(screen.languages.buttons["it"])
    press(kiosk.window, tap_point)
    release(kiosk.window, tap_point)
    settle()
    assert (kiosk.navigator.current, told) == (HOME, ["it"])
    assert tile_titles(kiosk) == [msgstr("it", topic.title) for topic in LIBRARY.top_level]
    assert kiosk.header.contrast_button.text() == msgstr("it", "High contrast")


def test_a_key_that_chooses_a_language_at_once_needs_no_finger_down(kiosk):
    screen = attract(kiosk)
    button = screen.languages.buttons["ru"]
    button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(kiosk.window.windowHandle(), Qt.Key.Key_Return)  # a click at once: no press to prepare in
    settle()
    assert (kiosk.navigator.current, kiosk.i18n.current, kiosk.i18n.announced) == (HOME, "ru", "ru")
    assert tile_titles(kiosk) == [msgstr("ru", topic.title) for topic in LIBRARY.top_level]
    assert kiosk.header.contrast_button.text() == msgstr("ru", "High contrast")


def press_in_view(kiosk, widget) -> None:
    """A finger down on `widget`, scrolled into view first as a visitor would; its pressed look is painted."""
    scroll = scroll_area_of(widget)
    if scroll is not None:
        scroll.ensureWidgetVisible(widget, 0, 0)
        settle()
    press(kiosk.window, window_point(widget))
    settle()


def test_a_finger_on_a_tile_translates_its_topic_out_of_sight_and_the_release_only_shows_it(kiosk, monkeypatch):
    home = start(kiosk, "en")
    topic = LIBRARY.get("why-rush")
    screen = kiosk.navigator.screen(topic_key(topic.id))
    tap(kiosk.header.languages.buttons["de"])
    target = tile(home.grid.tiles, topic.id)
    press_in_view(kiosk, target)
    assert kiosk.navigator.current == HOME and not in_sight(screen)  # nothing shows before the release
    assert not screen.language_stale and screen.title.text() == msgstr("de", topic.title)
    translations = Calls(monkeypatch, screen, "retranslate")
    release(kiosk.window, window_point(target))
    settle()
    assert current_screen(kiosk) is screen and in_sight(screen)
    assert translations.count == 0  # the release only showed it


def test_a_finger_on_back_makes_the_screen_behind_ready_and_one_that_slides_off_shows_nothing(kiosk, monkeypatch):
    home = start(kiosk, "en")
    screen = open_tile(kiosk, home.grid.tiles, "symptoms")
    tap(kiosk.header.languages.buttons["ru"])
    assert home.language_stale  # out of sight
    press_in_view(kiosk, screen.back_button)
    assert current_screen(kiosk) is screen and not home.language_stale
    assert home.heading.text() == msgstr("ru", "Learn about ALS")
    release(kiosk.window, window_point(screen.title))  # slid off: not a tap
    settle()
    assert current_screen(kiosk) is screen
    translations = Calls(monkeypatch, home, "retranslate")
    tap(screen.back_button)
    assert current_screen(kiosk) is home and translations.count == 0


def test_after_a_visit_that_chose_while_the_finger_was_down_the_attract_screen_marks_the_first_language_again(kiosk):
    # The release came after the quiet switch: the attract screen's buttons must still follow the language it
    # shows, so that the next visitor finds English marked, not the last visitor's choice.
    screen = attract(kiosk)
    point = window_point(screen.languages.buttons["fr"])
    press(kiosk.window, point)
    settle()
    assert kiosk.i18n.current == "fr"  # switched quietly while the finger is down
    release(kiosk.window, point)
    settle()
    assert kiosk.navigator.current == HOME
    kiosk.reset()
    settle()
    assert [language for language, button in screen.languages.buttons.items() if button.isChecked()] == ["en"]


def test_a_finger_on_a_language_of_the_bar_translates_the_screen_unpainted_and_the_release_only_paints(
    kiosk, monkeypatch
):
    home = start(kiosk, "en")
    told: list[str] = []
    kiosk.i18n.language_changed.connect(told.append)
    point = window_point(kiosk.header.languages.buttons["de"])
    press(kiosk.window, point)
    settle()
    # Translated under the finger, not yet painted: the window paints nothing until the release.
    assert home.heading.text() == msgstr("de", "Learn about ALS") and not kiosk.window.stack.updatesEnabled()
    assert kiosk.header.maximumHeight() == kiosk.header.height()  # nothing uncovered for the window to fill
    assert (told, kiosk.i18n.announced) == ([], "en")
    translations = Calls(monkeypatch, home, "retranslate")
    release(kiosk.window, point)
    settle()
    assert (told, kiosk.i18n.current) == (["de"], "de") and kiosk.window.stack.updatesEnabled()
    assert translations.count == 0 and kiosk.header.languages.buttons["de"].isChecked()
    assert kiosk.header.maximumHeight() == QWIDGETSIZE_MAX


def test_a_finger_that_slides_off_a_language_of_the_bar_leaves_the_screen_as_it_was(kiosk):
    home = start(kiosk, "en")
    told: list[str] = []
    kiosk.i18n.language_changed.connect(told.append)
    press(kiosk.window, window_point(kiosk.header.languages.buttons["ru"]))
    settle()
    assert kiosk.i18n.current == "ru"
    release(kiosk.window, window_point(home.heading))  # slid off: not a tap
    settle()
    assert (kiosk.i18n.current, told) == ("en", []) and kiosk.window.stack.updatesEnabled()
    assert home.heading.text() == "Learn about ALS"
    assert [language for language, b in kiosk.header.languages.buttons.items() if b.isChecked()] == ["en"]
