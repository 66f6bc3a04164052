"""The topic screen: its text, where it comes from, touch scrolling and the "More below" hint."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel

from kiosk.navigation import topic_key

from conftest import (
    CARE_ITEMS,
    SIZES,
    TOP_LEVEL,
    TOPIC_COUNT,
    copy_content,
    current_screen,
    drag,
    edit,
    msgstr,
    normalise,
    open_tile,
    seed_sentences,
    start,
    tap,
    tile,
    visible_labels,
    visible_text,
    wait_until_still,
)

SOURCE = "Rush University Medical Center: Amyotrophic Lateral Sclerosis (ALS)"


def visit_all(qtbot, kiosk):
    """Open every topic by tapping, as a visitor would; yields each topic screen while it is shown."""
    home = start(kiosk)
    for topic_id in TOP_LEVEL:
        screen = open_tile(kiosk, home.grid.tiles, topic_id)
        yield screen
        for card_id in [t.topic_id for t in screen.cards.tiles]:
            yield open_tile(kiosk, screen.cards.tiles, card_id)
            tap(current_screen(kiosk).back_button)
        tap(screen.home_button)


def test_each_screen_shows_its_seed_sentences_and_all_are_shown(qtbot, kiosk):
    sentences = seed_sentences()
    shown_anywhere: set[str] = set()
    screens = 0
    for screen in visit_all(qtbot, kiosk):
        screens += 1
        topic_texts = [normalise(text) for _, text in screen.topic.texts()]
        own = [s for s in sentences if any(s in text for text in topic_texts)]
        label_texts = [normalise(label.text()) for label in visible_labels(screen)]
        missing = [s for s in own if not any(s in text for text in label_texts)]
        assert missing == [], screen.topic.id
        shown_anywhere.update(own)
    assert screens == TOPIC_COUNT
    assert set(sentences) - shown_anywhere == set()


def test_topic_screen_shows_title_paragraphs_and_bullets_in_order(qtbot, kiosk):
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "symptoms")
    assert screen.title.text() == "Symptoms"
    assert visible_text(screen.scroll.widget(), "body", "bullet") == [
        "ALS symptoms include the following:",
        "Muscle twitching (known as fasciculation)",
        "Muscle cramps",
        "Difficulty swallowing (dysphagia) or difficulty breathing (dyspnea)",
        "Muscle weakness, usually affecting one arm or leg first",
        "Speech problems, such as slurred or abnormal speech patterns",
    ]


def test_nested_bullets_are_shown_under_their_item(qtbot, kiosk):
    home = start(kiosk)
    care = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    screen = open_tile(kiosk, care.cards.tiles, "care-medical")
    content = screen.scroll.widget()
    assert visible_text(content, "bullet") == [
        "ALS symptoms, such as muscle cramps",
        "Other conditions that may develop as ALS progresses, like sleep problems, depression or anxiety",
    ]
    assert visible_text(content, "bullet-mark") == ["•", "•"]


AWAITING_REVIEW = {"what-is-als", "symptoms", "what-to-know", "care-medical", "why-rush", "care-team"}
SOURCE_IN = {
    "en": SOURCE,
    "fr": "Rush University Medical Center\u00a0: sclérose latérale amyotrophique (SLA)",
    "ru": "Rush University Medical Center: боковой амиотрофический склероз (БАС)",
}


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_each_topic_shows_its_source_and_a_truthful_review_state(qtbot, kiosk, language):
    start(kiosk, language)
    dates = {"en": "November 23, 2026", "fr": "23 novembre 2026", "ru": "23 ноября 2026\u202fг."}
    awaiting = {
        "en": "Awaiting clinical review",
        "fr": "En attente de révision médicale",
        "ru": "Ожидает проверки врачом",
    }
    seen = set()
    for topic in kiosk.services.library.reading_order:
        kiosk.open_topic(topic.id)  # reaching each by taps is test_navigation's job
        screen = current_screen(kiosk)
        assert screen.reviewed.isVisible() and screen.source.isVisible()
        # The source line is in the visitor's language, the page title included.
        assert SOURCE_IN[language] in screen.source.text()
        if topic.id in AWAITING_REVIEW:
            # A topic with an open review note or a pending status never claims a review.
            assert screen.reviewed.text() == awaiting[language], topic.id
            assert dates[language] not in screen.reviewed.text()
            seen.add(topic.id)
        else:
            assert not topic.review_notes and topic.status == "approved"
            assert dates[language] in screen.reviewed.text()
    assert seen == AWAITING_REVIEW


def test_a_review_note_alone_takes_the_reviewed_date_away(qtbot, make_kiosk, tmp_path):
    content = copy_content(tmp_path / "content")
    edit(content / "care-speech.md", "review_notes = []", 'review_notes = ["Check the wording."]')
    kiosk = make_kiosk(content_dir=content)
    start(kiosk)
    kiosk.open_topic("care-speech")
    assert current_screen(kiosk).reviewed.text() == "Awaiting clinical review"
    kiosk.open_topic("care-rehab")
    assert current_screen(kiosk).reviewed.text() == "Reviewed on November 23, 2026"


def test_supplemental_sources_are_translated(qtbot, make_kiosk):
    kiosk = make_kiosk()
    start(kiosk, "de")
    kiosk.open_topic("getting-help")
    text = current_screen(kiosk).supplemental.text()
    assert text.startswith(msgstr("de", "Some lists were added from: {sources}").split("{")[0])
    assert "ALS-Seite von Rush; Seite des EMG-Labors von Rush" in text


def test_supplemental_sources_are_named_only_where_there_are_some(qtbot, kiosk):
    home = start(kiosk)
    why = open_tile(kiosk, home.grid.tiles, "why-rush")
    assert why.supplemental.isVisible()
    assert "Advanced neuromuscular care at Rush" in why.supplemental.text()
    tap(why.home_button)
    what = open_tile(kiosk, home.grid.tiles, "what-is-als")
    assert not what.supplemental.isVisible()


def test_qr_code_leads_to_the_topic_on_the_web(qtbot, kiosk):
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "symptoms")
    assert screen.qr.isVisible()
    assert screen.qr.url == f"{kiosk.settings.qr_base_url}#symptoms"
    assert screen.qr_label.text() == "Read this at home"


def test_drag_scrolls_a_long_topic(qtbot, kiosk):
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "why-rush")
    bar = screen.scroll.verticalScrollBar()
    assert bar.maximum() > 100 and bar.value() == 0
    viewport = screen.scroll.viewport()
    drag(viewport, QPoint(viewport.width() // 2, viewport.height() - 80), -300)
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)
    assert kiosk.navigator.current == topic_key("why-rush")
    assert current_screen(kiosk) is screen


def test_drag_starting_on_a_card_scrolls_without_opening_it_or_selecting_text(qtbot, kiosk):
    home = start(kiosk)
    care = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    bar = care.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    card = tile(care.cards.tiles, "care-medical")
    # The finger lands on the card (the events go to the card, as Qt would send them) and slides up.
    room = card.mapTo(care.scroll.viewport(), card.rect().center()).y() - 10
    drag(card, card.rect().center(), -min(300, room))
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=3000)
    wait_until_still(qtbot, care.scroll)
    assert kiosk.navigator.current == topic_key("care-at-rush")
    assert current_screen(kiosk) is care
    labels = care.findChildren(QLabel)
    assert [label.selectedText() for label in labels if label.hasSelectedText()] == []


def test_more_below_hint_shows_at_the_top_and_hides_at_the_bottom(qtbot, kiosk):
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "why-rush")
    hint = screen.scroll.more_below
    bar = screen.scroll.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    assert hint.isVisible()
    assert hint.text().startswith("More below")
    viewport = screen.scroll.viewport()
    for _attempt in range(10):
        if bar.value() >= bar.maximum():
            break
        drag(viewport, QPoint(viewport.width() // 2, viewport.height() - 60), -(viewport.height() - 120))
        wait_until_still(qtbot, screen.scroll)
    assert bar.value() == bar.maximum()
    assert not hint.isVisible()


def test_short_topic_has_no_more_below_hint(qtbot, make_kiosk):
    # Short at 1920 x 1080, with the take-home panel beside the text (at 1280 x 800 it follows the text).
    kiosk = make_kiosk(size=SIZES["landscape"])
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "what-is-als")
    assert screen.scroll.verticalScrollBar().maximum() == 0
    assert not screen.scroll.more_below.isVisible()


def test_a_new_visitor_finds_topics_scrolled_to_the_top(qtbot, kiosk):
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "why-rush")
    viewport = screen.scroll.viewport()
    drag(viewport, QPoint(viewport.width() // 2, viewport.height() - 80), -300)
    qtbot.waitUntil(lambda: screen.scroll.verticalScrollBar().value() > 0, timeout=3000)
    wait_until_still(qtbot, screen.scroll)
    kiosk.reset()  # what the idle timeout does
    home = start(kiosk)
    assert open_tile(kiosk, home.grid.tiles, "why-rush") is screen
    assert screen.scroll.verticalScrollBar().value() == 0


def test_care_items_sit_after_their_parent_in_next_order(qtbot, kiosk):
    home = start(kiosk)
    care = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    tap(care.next_button)
    assert kiosk.navigator.current == topic_key(CARE_ITEMS[0])


def test_landscape_keeps_the_take_home_panel_beside_the_text_whole(make_kiosk):
    kiosk = make_kiosk(size=(1920, 1080))
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "why-rush")
    assert screen.panel_beside and not screen.scroll.widget().isAncestorOf(screen.panel)
    assert screen.panel.geometry().left() > screen.scroll.geometry().right()
    assert screen.panel.height_at(screen.panel.width()) <= screen.panel.height()  # nothing of it cut
    assert not screen.panel.property("card")


def test_portrait_puts_the_take_home_panel_after_the_text_in_the_one_scroll_area(make_kiosk):
    kiosk = make_kiosk(size=(1080, 1920))
    home = start(kiosk)
    long = open_tile(kiosk, home.grid.tiles, "why-rush")
    content = long.scroll.widget()
    assert not long.panel_beside and content.isAncestorOf(long.panel) and long.panel.property("card")
    texts = [label for label in content.findChildren(QLabel) if not long.panel.isAncestorOf(label)]
    last_text = max(label.geometry().bottom() for label in texts)
    assert long.panel.geometry().top() > last_text
    assert long.scroll.verticalScrollBar().maximum() > 0 and long.scroll.more_below.isVisible()
    tap(long.home_button)
    short = open_tile(kiosk, home.grid.tiles, "what-is-als")
    # A short topic: no scrolling, no sign, and the panel rests at the bottom of the screen.
    assert short.scroll.verticalScrollBar().maximum() == 0
    assert not short.scroll.more_below.isVisible() and short.scroll.hint_strip().height() == 0
    viewport = short.scroll.viewport()
    assert viewport.height() - short.panel.mapTo(viewport, QPoint(0, short.panel.height())).y() < 64


def test_a_panel_too_tall_to_stand_beside_the_text_follows_it(make_kiosk):
    from kiosk.theme import TextSize

    kiosk = make_kiosk(size=(1920, 1080))
    home = start(kiosk)
    open_tile(kiosk, home.grid.tiles, "care-at-rush")
    tap(kiosk.header.size_buttons[TextSize.LARGEST])
    screen = current_screen(kiosk)
    assert not screen.panel_beside and screen.scroll.widget().isAncestorOf(screen.panel)
    tap(kiosk.header.size_buttons[TextSize.NORMAL])
    screen = current_screen(kiosk)
    assert screen.panel_beside


def test_the_more_below_sign_has_a_strip_of_its_own_under_the_text(make_kiosk):
    kiosk = make_kiosk(size=(1080, 1920))
    home = start(kiosk)
    screen = open_tile(kiosk, home.grid.tiles, "care-at-rush")
    scroll = screen.scroll
    hint = scroll.more_below
    assert hint.isVisible() and hint.parentWidget() is scroll.parentWidget()  # a sibling: in the accessibility tree
    where = hint.geometry().translated(-scroll.pos())  # in the scroll area's coordinates
    assert not where.intersects(scroll.viewport().geometry())
    assert scroll.hint_strip().contains(where)


def test_care_cards_take_no_more_columns_than_their_longest_word_allows(make_kiosk):
    """ "Ernährungsberatung" is one word: two columns in portrait would cut it."""
    kiosk = make_kiosk(size=(1080, 1920))
    start(kiosk, "de")
    tap(kiosk.header.contrast_button)  # bold and wide: the widest case
    care = open_tile(kiosk, current_screen(kiosk).grid.tiles, "care-at-rush")
    for card in care.cards.tiles:
        for part in (card.title, card.summary):
            widest = max(part.fontMetrics().horizontalAdvance(word) for word in part.text().split())
            assert widest <= part.contentsRect().width(), f"{part.text()!r} in {care.cards.columns} columns"
