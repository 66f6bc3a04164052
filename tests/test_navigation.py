"""Moving around by taps: attract -> home -> topics and care items, Back, Home, Next."""

from __future__ import annotations

from kiosk.access import in_sight
from kiosk.navigation import ATTRACT, HOME, topic_key
from kiosk.screens.topic import TopicScreen

from conftest import CARE_ITEMS, TOP_LEVEL, current_screen, msgstr, open_tile, start, tap

READING_ORDER = TOP_LEVEL[:5] + CARE_ITEMS + TOP_LEVEL[5:]


def test_kiosk_starts_on_the_attract_screen_without_the_header(kiosk):
    assert kiosk.navigator.current == ATTRACT
    assert not in_sight(kiosk.header)


def test_language_button_on_attract_opens_home_in_that_language(qtbot, kiosk):
    home = start(kiosk, "fr")
    assert current_screen(kiosk) is home
    assert kiosk.i18n.current == "fr"
    assert in_sight(kiosk.header)
    titles = [t.title.text() for t in home.grid.tiles]
    assert titles[0] == "Qu’est-ce que la SLA\u00a0?"
    assert "Symptômes" in titles
    assert home.heading.text() == msgstr("fr", "Learn about ALS")


def test_every_top_level_tile_opens_its_topic_and_home_returns(qtbot, kiosk):
    home = start(kiosk)
    assert [t.topic_id for t in home.grid.tiles] == TOP_LEVEL
    for topic_id in TOP_LEVEL:
        screen = open_tile(kiosk, home.grid.tiles, topic_id)
        assert screen.title.text() == kiosk.services.library.get(topic_id).title
        assert screen.title.isVisible()
        tap(screen.home_button)
        assert kiosk.navigator.current == HOME and current_screen(kiosk) is home
        assert kiosk.navigator.history == []


def test_care_cards_open_the_seven_care_items(qtbot, kiosk):
    home = start(kiosk)
    care = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    assert [t.topic_id for t in care.cards.tiles] == CARE_ITEMS
    assert care.cards.isVisible()
    for topic_id in CARE_ITEMS:
        item = open_tile(kiosk, care.cards.tiles, topic_id)
        assert item.title.text() == kiosk.services.library.get(topic_id).title
        assert not item.cards.isVisible()  # care items have no sub-topics of their own
        tap(item.back_button)
        assert current_screen(kiosk) is care


def test_every_screen_is_at_most_two_taps_from_home(qtbot, kiosk):
    home = start(kiosk)
    taps_to: dict[str, int] = {}
    for topic_id in [t.topic_id for t in home.grid.tiles]:
        screen = open_tile(kiosk, home.grid.tiles, topic_id)
        taps_to[topic_id] = 1
        for card_id in [t.topic_id for t in screen.cards.tiles]:
            open_tile(kiosk, screen.cards.tiles, card_id)
            taps_to.setdefault(card_id, 2)
            tap(current_screen(kiosk).back_button)
        tap(screen.home_button)
    assert set(taps_to) == {t.id for t in kiosk.services.library.topics}
    assert max(taps_to.values()) <= 2


def test_back_retraces_the_path_and_home_clears_it(qtbot, kiosk):
    home = start(kiosk)
    care = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    medical = open_tile(kiosk, care.cards.tiles, "care-medical")
    tap(medical.next_button)
    rehab = current_screen(kiosk)
    assert isinstance(rehab, TopicScreen) and rehab.topic.id == "care-rehab"
    assert kiosk.navigator.history == [HOME, topic_key("care-at-rush"), topic_key("care-medical")]

    tap(rehab.back_button)
    assert current_screen(kiosk) is medical
    tap(medical.back_button)
    assert current_screen(kiosk) is care
    tap(care.back_button)
    assert current_screen(kiosk) is home

    open_tile(kiosk, home.grid.tiles, "symptoms")
    tap(current_screen(kiosk).next_button)
    tap(current_screen(kiosk).next_button)
    assert kiosk.navigator.current == topic_key("getting-help")
    tap(current_screen(kiosk).home_button)
    assert current_screen(kiosk) is home
    assert kiosk.navigator.history == []


def test_next_walks_the_reading_order_and_is_hidden_on_the_last_topic(qtbot, kiosk):
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, READING_ORDER[0])
    walked = [screen.topic.id]
    while screen.next_button.isVisible():
        upcoming = kiosk.services.library.get(READING_ORDER[len(walked)]) if len(walked) < len(READING_ORDER) else None
        assert upcoming is not None, f"Next is shown on {screen.topic.id}, after the last topic"
        assert screen.next_button.accessibleDescription() == f"Next topic: {upcoming.title}"
        tap(screen.next_button)
        screen = current_screen(kiosk)
        walked.append(screen.topic.id)
    assert walked == READING_ORDER
    assert screen.topic.id == "care-team"
    assert not screen.next_button.isVisible()
    assert screen.back_button.isVisible() and screen.home_button.isVisible()
    # Back walks the same way home again.
    for expected in reversed(READING_ORDER[:-1]):
        tap(current_screen(kiosk).back_button)
        assert kiosk.navigator.current == topic_key(expected)
    tap(current_screen(kiosk).back_button)
    assert current_screen(kiosk) is home


def test_a_reset_with_the_pin_pad_open_over_the_attract_screen_leaves_the_attract_screen_in_sight(kiosk):
    """The PIN pad closes and the attract screen stays (it once hid itself there, leaving an empty window)."""
    kiosk.open_staff_access()
    assert kiosk.pin_pad.isVisible()
    kiosk.visit.reset()
    welcome = kiosk.navigator.built[ATTRACT]
    assert not kiosk.pin_pad.isVisible()
    assert kiosk.navigator.on_show() is welcome and in_sight(welcome)
    assert not in_sight(kiosk.header)
