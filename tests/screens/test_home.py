"""Home: one tile per top-level topic, taps that fire on release, and what a broken file leaves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.navigation import HOME, topic_key
from kiosk.theme import TextSize
from kiosk.widgets.tiles import TILE_ICON_PX, stacked_at

from conftest import (
    CARE_ITEMS,
    LANGUAGES,
    TOP_LEVEL,
    copy_content,
    current_screen,
    edit,
    home_screen,
    line_of,
    msgstr,
    open_tile,
    settle,
    start,
    tap,
    tile,
    within_screen,
)

SUMMARIES = {
    "what-is-als": "What ALS (Lou Gehrig's disease) does to the nerves that control muscles",
    "symptoms": "Twitching, cramps, weakness and other early signs",
    "care-team": "Where ALS care happens at Rush",
}


def test_home_has_a_tile_per_top_level_topic_in_plan_order(qtbot, kiosk):
    home = start(kiosk)
    assert home.heading.text() == "Learn about ALS"
    assert [t.topic_id for t in home.grid.tiles] == TOP_LEVEL
    for topic_tile in home.grid.tiles:
        topic = kiosk.services.library.get(topic_tile.topic_id)
        assert topic_tile.isVisible()
        assert (topic_tile.title.text(), topic_tile.summary.text()) == (topic.title, topic.summary)
    for topic_id, summary in SUMMARIES.items():
        assert tile(home.grid.tiles, topic_id).summary.text() == summary
    # Care items are reached through their parent, not from home.
    assert not {t.topic_id for t in home.grid.tiles} & set(CARE_ITEMS)


def test_tiles_show_their_icon_once_icons_are_enabled(qtbot, kiosk):
    home = start(kiosk)
    for topic_tile in home.grid.tiles:
        pixmap = topic_tile.icon_label.pixmap()
        assert pixmap is not None and not pixmap.isNull(), topic_tile.topic_id


def test_tile_icons_follow_the_theme_and_stay_through_a_language_switch(qtbot, kiosk):
    home = start(kiosk)

    def icons() -> list[QImage]:
        return [t.icon_label.pixmap().toImage() for t in home.grid.tiles]

    normal = icons()
    kiosk.visit.choose_language("de")
    assert icons() == normal
    kiosk.visit.set_high_contrast(True)
    contrast = icons()
    assert all(a != b for a, b in zip(contrast, normal, strict=True))
    kiosk.visit.choose_language("fr")
    assert icons() == contrast


def test_a_tile_opens_on_release_not_on_press(qtbot, kiosk):
    home = start(kiosk)
    target = tile(home.grid.tiles, "symptoms")
    centre = target.rect().center()
    with within_screen(target, centre):
        QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        qtbot.wait(50)
        assert kiosk.navigator.current == HOME
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        qtbot.wait(10)
    assert kiosk.navigator.current == topic_key("symptoms")


def test_a_finger_that_slides_off_a_tile_cancels_the_tap(qtbot, kiosk):
    home = start(kiosk)
    target = tile(home.grid.tiles, "symptoms")
    # A short slide over the bottom edge: too short to be a scroll, and it ends off the tile.
    inside = QPoint(target.width() // 2, target.height() - 4)
    off = QPoint(target.width() // 2, target.height() + 6)
    with within_screen(target, inside):
        QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, inside)
        QTest.mouseMove(target, off)
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, off)
        qtbot.wait(20)
    assert kiosk.navigator.current == HOME
    assert current_screen(kiosk) is home
    # The same short slide that stays on the tile is a tap.
    near = QPoint(target.width() // 2, target.height() - 14)
    with within_screen(target, inside):
        QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, near)
        QTest.mouseMove(target, inside)
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, inside)
        qtbot.wait(20)
    assert kiosk.navigator.current == topic_key("symptoms")


def test_tiles_follow_the_language(qtbot, kiosk):
    home = start(kiosk, "de")
    assert tile(home.grid.tiles, "symptoms").title.text() == "Symptome"
    tap(kiosk.header.languages.buttons["en"])
    assert tile(home.grid.tiles, "symptoms").title.text() == "Symptoms"
    assert current_screen(kiosk) is home


def test_a_broken_content_file_leaves_out_its_tile_and_the_rest_shows(qtbot, make_kiosk, tmp_path):
    content = copy_content(tmp_path / "content")
    broken = content / "symptoms.md"
    edit(broken, "- Muscle cramps", "- Muscle **cramps**")
    line = line_of(broken, "- Muscle **cramps**")
    kiosk = make_kiosk(content_dir=content)
    assert [str(p) for p in kiosk.content_problems] == [
        f"{broken}:{line}: inline formatting is not supported (strong): write plain text"
    ]
    home = start(kiosk)
    assert [t.topic_id for t in home.grid.tiles] == [t for t in TOP_LEVEL if t != "symptoms"]
    # Reading order skips it too: Next from "What is ALS?" goes to the topic after it.
    screen = open_tile(kiosk, home.grid.tiles, "what-is-als")
    tap(screen.next_button)
    assert kiosk.navigator.current == topic_key("what-to-know")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_home_uncovered_is_arranged_as_a_home_laid_out_afresh(make_kiosk, size):
    """Home waits under the attract screen at its final size, measured meanwhile in every language: uncovered,
    each tile has the shape its column gives it (icon beside the words on a wide tile), as after a fresh layout."""
    kiosk = make_kiosk(size=size)
    for language in LANGUAGES[1:]:  # as the work ahead of need does
        home_screen(kiosk).measure_in(language)
    home = start(kiosk, "en")
    grid = home.grid
    expected = [stacked_at(grid.tile_width(grid.width(), grid.columns))] * len(grid.tiles)
    assert [tile.stacked for tile in grid.tiles] == expected
    grid.reflow()
    assert [tile.stacked for tile in grid.tiles] == expected


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
@pytest.mark.parametrize("language", ["en", "de", "ru"])
def test_home_tiles_share_the_screen_with_two_line_summaries(make_kiosk, size, language):
    """Every tile shows without scrolling, the tiles fill the height under the heading, the icons
    are large, and no summary takes more than two lines."""
    kiosk = make_kiosk(size=size)
    home = start(kiosk, language)
    assert home.scroll.verticalScrollBar().maximum() == 0 and not home.scroll.more_below.isVisible()
    viewport = home.scroll.viewport()
    bottoms = [t.mapTo(viewport, QPoint(0, t.height())).y() for t in home.grid.tiles]
    assert max(bottoms) <= viewport.height()
    assert viewport.height() - max(bottoms) <= 64, f"{viewport.height() - max(bottoms)} px left empty below the tiles"
    for t in home.grid.tiles:
        assert t.icon_label.width() == TILE_ICON_PX >= 72
        assert t.lines_at(t.summary, t.width()) <= 2, t.summary.text()
    if size == (1920, 1080) and language == "en":
        assert home.grid.columns == 3  # cards across a wide screen, not a list


def test_tiles_measured_ahead_in_a_language_spare_its_first_choice_the_work(kiosk):
    """Built ahead, home measures its tiles in each language out of sight; choosing one then finds the
    measures waiting, and the tiles still read as they did."""
    home = home_screen(kiosk)  # under the attract screen
    shown = [(tile.title.text(), tile.summary.text(), tile.stacked) for tile in home.grid.tiles]
    home.measure_in("ru")
    assert [(tile.title.text(), tile.summary.text(), tile.stacked) for tile in home.grid.tiles] == shown
    cached = sum(len(tile._measured) for tile in home.grid.tiles)
    start(kiosk, "ru")
    settle()
    assert home.grid.tiles[0].title.text() == msgstr("ru", "What is ALS?")
    # Without measuring ahead, the switch measures every tile at each width it weighs (three each here).
    assert sum(len(tile._measured) for tile in home.grid.tiles) - cached <= len(home.grid.tiles)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_more_below_takes_the_text_size_chosen_while_home_waited_under_the_attract_screen(make_kiosk, size):
    """Text size and contrast chosen on the attract screen restyle home under it: uncovered, its More below
    sign is as large as its words in that size, not cut to the size it had."""
    kiosk = make_kiosk(size=size)
    kiosk.visit.set_text_size(TextSize.LARGEST)
    kiosk.visit.set_high_contrast(True)
    home = start(kiosk, "en")
    settle()
    hint = home.scroll.more_below
    assert hint.isVisible()
    assert hint.size() == hint.sizeHint()
