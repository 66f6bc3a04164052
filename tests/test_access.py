"""Using the kiosk without touching it: keyboard alone, a single switch (scanning), and dwell.

Real key and pointer events go to the real window (in kiosk mode, lockdown included); time is
the time machine's, so a scan that takes a visitor a minute takes the test milliseconds.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.access import focus_targets
from kiosk.navigation import ATTRACT, HOME, topic_key
from kiosk.theme import HIGH_CONTRAST, NORMAL, TextSize, contrast_ratio
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.tiles import TopicTile

from conftest import PIN, attract, current_screen, home_screen, start, tap


@pytest.fixture
def make_kiosk(make_kiosk, time_machine):
    """The harness's kiosk in kiosk mode (lockdown included), with the time machine at hand."""

    def build(**settings):
        kiosk = make_kiosk(**{"kiosk_mode": True, **settings})
        kiosk.machine = time_machine
        return kiosk

    return build


def key(kiosk, which: Qt.Key, times: int = 1) -> None:
    """Key presses as the keyboard sends them: to the window, which hands them to the focus."""
    for _ in range(times):
        QTest.keyClick(kiosk.window.windowHandle(), which)
        QApplication.processEvents()


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab_to(kiosk, widget: QWidget, limit: int = 40) -> int:
    """Tab until `widget` has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        key(kiosk, Qt.Key.Key_Tab)
        if focused() is widget:
            return presses
    raise AssertionError(f"Tab never reached {widget.accessibleName()!r}; it stops at {focused()}")


def name(widget: QWidget | None) -> str:
    return widget.accessibleName() if widget is not None else "nothing"


# -- keyboard ----------------------------------------------------------------------------------


def test_a_touch_visitor_sees_no_focus_ring(qtbot, make_kiosk):
    kiosk = make_kiosk()
    assert focused() is kiosk.window  # the window holds the focus: no control is marked
    start(kiosk)
    assert not isinstance(focused(), QAbstractButton)


def test_keyboard_alone_chooses_a_language_reads_a_topic_and_comes_back(qtbot, make_kiosk):
    kiosk = make_kiosk()
    languages = attract(kiosk).languages.buttons
    assert tab_to(kiosk, languages["en"]) == 1  # the first Tab lands on the first language
    key(kiosk, Qt.Key.Key_Tab, 2)
    assert focused() is languages["de"]
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == "de"

    home = home_screen(kiosk)
    symptoms = next(t for t in home.grid.tiles if t.topic_id == "symptoms")
    tab_to(kiosk, symptoms)
    key(kiosk, Qt.Key.Key_Space)
    assert kiosk.navigator.current == topic_key("symptoms")

    topic = current_screen(kiosk)
    text = topic.scroll
    width = text.viewport().width()
    tab_to(kiosk, text)  # the text itself is a stop: arrows and Page Down scroll it
    ring = text.focus_ring.geometry()
    assert text.focus_ring.isVisible() and ring.contains(text.geometry()) and ring != text.geometry()
    assert text.viewport().width() == width  # the ring is drawn over the text, which keeps its lines
    bar = text.verticalScrollBar()
    if bar.maximum() > 0:
        key(kiosk, Qt.Key.Key_PageDown)
        assert bar.value() > 0
    tab_to(kiosk, topic.back_button)
    key(kiosk, Qt.Key.Key_Enter)
    assert kiosk.navigator.current == HOME


def test_tab_follows_reading_order_on_home(qtbot, make_kiosk):
    kiosk = make_kiosk()
    home = start(kiosk)
    order = []
    for _ in range(30):
        key(kiosk, Qt.Key.Key_Tab)
        if focused() in order:
            break
        order.append(focused())
    header = kiosk.header
    expected = (
        list(header.languages.buttons.values())
        + list(header.size_buttons.values())
        + [header.contrast_button]
        + home.grid.tiles
    )
    assert [name(w) for w in order] == [name(w) for w in expected]


def test_focus_ring_is_drawn_in_the_themes_focus_colours(qtbot, make_kiosk):
    """Looked at, not assumed: the focused button's pixels carry the ring and the focus fill."""
    kiosk = make_kiosk()
    for theme in (NORMAL, HIGH_CONTRAST):
        kiosk.appearance.set_high_contrast(theme is HIGH_CONTRAST)
        button = attract(kiosk).languages.buttons["fr"]
        before = button.grab().toImage()
        button.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        after = button.grab().toImage()
        assert share(after, theme.focus_ring) > 0.08, theme.name  # a 6 px ring round a ~150 x 96 button
        assert share(after, theme.focus_fill) > 0.3, theme.name
        assert share(before, theme.focus_ring) < 0.01 or theme.focus_ring == theme.border
        kiosk.window.setFocus()


def share(image: QImage, colour: str) -> float:
    target = QColor(colour).rgb()
    pixels = [image.pixel(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)]
    return sum(1 for p in pixels if p == target) / len(pixels)


def icon_colour(button: QAbstractButton) -> str:
    """The colour the button draws its icon in now: the commonest of the pixels the icon changes
    (compared with a blank icon of the same size, so the text stays where it is)."""
    with_icon = button.grab().toImage()
    icon = button.icon()
    blank = QPixmap(button.iconSize())
    blank.fill(Qt.GlobalColor.transparent)
    button.setIcon(QIcon(blank))
    without = button.grab().toImage()
    button.setIcon(icon)
    changed: dict[int, int] = {}
    for y in range(with_icon.height()):
        for x in range(with_icon.width()):
            if with_icon.pixel(x, y) != without.pixel(x, y):
                changed[with_icon.pixel(x, y)] = changed.get(with_icon.pixel(x, y), 0) + 1
    assert changed, f"{button.objectName()} draws no icon"
    return QColor(max(changed, key=changed.get)).name()


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=lambda t: t.name)
def test_icons_keep_their_contrast_on_the_focus_fill(qtbot, make_kiosk, theme):
    """Icons keep their contrast on every fill: checked or not, focused or not (a focused checked toggle and
    a focused primary button have a fill of their own)."""
    kiosk = make_kiosk()
    kiosk.appearance.set_high_contrast(theme is HIGH_CONTRAST)
    options = attract(kiosk).options
    kiosk.scanner.set_enabled(True)  # its pace is the time machine's: the focus stays where it is put
    buttons = [options.scanning, options.contrast]
    for button in buttons:
        kiosk.window.setFocus()
        QApplication.processEvents()
        fill = theme.accent if button.isChecked() else theme.surface
        colour = icon_colour(button)
        assert contrast_ratio(colour, fill) >= theme.min_control_contrast, f"{button.objectName()}: {colour} on {fill}"
        button.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        fill = theme.focus_checked_fill if button.isChecked() else theme.focus_fill
        colour = icon_colour(button)
        assert contrast_ratio(colour, fill) >= theme.min_control_contrast, f"{button.objectName()}: {colour} on {fill}"
    kiosk.scanner.set_enabled(False)
    start(kiosk)
    kiosk.open_topic("symptoms")
    button = current_screen(kiosk).next_button  # primary
    button.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert contrast_ratio(icon_colour(button), theme.focus_checked_fill) >= theme.min_control_contrast


def test_idle_warning_takes_the_focus_traps_it_and_gives_it_back(qtbot, make_kiosk):
    kiosk = make_kiosk()
    home = start(kiosk)
    tab_to(kiosk, home.grid.tiles[0])
    kiosk.machine.advance(kiosk.settings.idle_timeout_s)
    QApplication.processEvents()
    overlay = kiosk.idle_overlay
    assert overlay.isVisible() and focused() is overlay.keep_button
    assert not kiosk.header.isEnabled() and not home.isEnabled()  # out of reach behind it
    seen = set()
    for _ in range(6):
        key(kiosk, Qt.Key.Key_Tab)
        seen.add(name(focused()))
    assert seen == {overlay.keep_button.accessibleName(), overlay.start_over_button.accessibleName()}
    key(kiosk, Qt.Key.Key_Backtab)
    assert focused() in (overlay.keep_button, overlay.start_over_button)
    overlay.keep_button.setFocus()
    key(kiosk, Qt.Key.Key_Return)
    assert not overlay.isVisible()
    assert kiosk.header.isEnabled() and home.isEnabled()
    assert focused() is home.grid.tiles[0]  # back where the visitor was


@pytest.mark.parametrize("language", ["en", "fr", "de", "it", "pt_BR", "ru"])
def test_keyboard_alone_works_every_screen_in_every_language(qtbot, make_kiosk, language):
    """The display choices on the attract screen, a language, home, a topic, a care card, Next, Back,
    the bar's choices and the idle warning, by Tab, Enter and Space alone."""
    kiosk = make_kiosk()
    options = attract(kiosk).options
    tab_to(kiosk, options.contrast)
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.appearance.theme is HIGH_CONTRAST
    tab_to(kiosk, options.text_size.buttons[TextSize.LARGEST])
    key(kiosk, Qt.Key.Key_Space)
    assert kiosk.appearance.text_size is TextSize.LARGEST
    tab_to(kiosk, attract(kiosk).languages.buttons[language])
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == language

    tiles = {t.topic_id: t for t in home_screen(kiosk).grid.tiles}
    tab_to(kiosk, tiles["care-at-rush"])
    key(kiosk, Qt.Key.Key_Space)
    topic = current_screen(kiosk)
    assert kiosk.navigator.current == topic_key("care-at-rush")
    tab_to(kiosk, topic.cards.tiles[0])
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[0].topic_id)
    tab_to(kiosk, current_screen(kiosk).next_button)
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[1].topic_id)
    tab_to(kiosk, current_screen(kiosk).back_button)
    key(kiosk, Qt.Key.Key_Space)
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[0].topic_id)
    tab_to(kiosk, current_screen(kiosk).home_button)
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.navigator.current == HOME
    tab_to(kiosk, kiosk.header.size_buttons[TextSize.NORMAL])
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.appearance.text_size is TextSize.NORMAL

    kiosk.machine.advance(kiosk.settings.idle_timeout_s)
    QApplication.processEvents()
    overlay = kiosk.idle_overlay
    assert overlay.isVisible() and focused() is overlay.keep_button
    tab_to(kiosk, overlay.start_over_button, limit=2)
    key(kiosk, Qt.Key.Key_Return)
    assert kiosk.navigator.current == ATTRACT and not overlay.isVisible()


def test_staff_pin_pad_and_panel_by_keyboard_alone(qtbot, make_kiosk):
    """Staff who cannot tap either: the PIN by Tab and Enter, the panel in reach, what lies behind out of it."""
    kiosk = make_kiosk()
    home = start(kiosk)
    kiosk.open_staff_access()
    pad = kiosk.pin_pad
    assert pad.isVisible() and focused() is pad.keys["1"] and not home.isEnabled()
    for digit in PIN:
        tab_to(kiosk, pad.keys[digit], limit=len(focus_targets(pad.card)))
        key(kiosk, Qt.Key.Key_Return)
    tab_to(kiosk, pad.ok_button, limit=len(focus_targets(pad.card)))
    key(kiosk, Qt.Key.Key_Space)
    panel = kiosk.staff_panel
    assert panel.isVisible() and not pad.isVisible()
    assert focused() is panel.status_area  # the status first, not "Exit to desktop"
    reached = set()
    for _ in range(6):
        key(kiosk, Qt.Key.Key_Tab)
        reached.add(focused())
    assert reached == {panel.status_area, panel.exit_button, panel.reload_button, panel.close_button}
    tab_to(kiosk, panel.close_button)
    key(kiosk, Qt.Key.Key_Return)
    assert not panel.isVisible() and home.isEnabled()


# -- a single switch ---------------------------------------------------------------------------


def tick(kiosk, times: int = 1) -> None:
    """Let the scan move on by `times` steps, at its own pace."""
    kiosk.machine.advance(times * kiosk.settings.scan_interval_ms / 1000)
    QApplication.processEvents()


def scan_to(kiosk, widget: QWidget, limit: int = 60) -> int:
    """Let the scan run until `widget` is lit; how many steps it took."""
    for steps in range(limit):
        if focused() is widget:
            return steps
        tick(kiosk)
    raise AssertionError(f"scanning never lit {name(widget)!r}")


def switch(kiosk) -> None:
    """The switch: a USB switch sends a key; any key will do."""
    key(kiosk, Qt.Key.Key_1)


def test_a_visitor_turns_on_switch_access_on_the_first_screen(qtbot, make_kiosk):
    kiosk = make_kiosk()
    options = attract(kiosk).options
    assert options.isVisible() and not kiosk.scanner.enabled
    tap(options.scanning)
    assert kiosk.scanner.enabled and options.scanning.isChecked()
    assert focused() is attract(kiosk).languages.buttons["en"]  # scanning starts at the top at once


def test_a_single_switch_picks_a_language_opens_a_topic_and_pages_through_it(qtbot, make_kiosk):
    kiosk = make_kiosk(switch_scanning=True, scan_interval_ms=900)
    assert kiosk.scanner.enabled
    languages = attract(kiosk).languages.buttons
    tick(kiosk)
    assert focused() is languages["en"]
    kiosk.machine.advance(0.899)
    assert focused() is languages["en"]  # each button stays lit for the configured time
    kiosk.machine.advance(0.001)
    assert focused() is languages["fr"]
    switch(kiosk)
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == "fr"

    tiles = home_screen(kiosk).grid.tiles
    tick(kiosk)
    assert focused() is tiles[0]  # after a press that opens a screen, the scan starts at its first topic
    assert scan_to(kiosk, tiles[2]) == 2
    switch(kiosk)
    topic = current_screen(kiosk)
    assert kiosk.navigator.current == topic_key(tiles[2].topic_id)

    tick(kiosk)
    assert focused() is topic.scroll  # the text first: a press reads on
    bar = topic.scroll.verticalScrollBar()
    if bar.maximum() > 0:
        switch(kiosk)
        assert bar.value() > 0 and kiosk.navigator.current == topic_key(tiles[2].topic_id)
    scan_to(kiosk, topic.home_button)
    switch(kiosk)
    assert kiosk.navigator.current == HOME


@pytest.mark.parametrize("language", ["en", "fr", "de", "it", "pt_BR", "ru"])
def test_a_single_switch_works_every_screen_in_every_language(qtbot, make_kiosk, language):
    """Attract, home, a topic, a care card, Back, Next and the display choices, by switch alone."""
    kiosk = make_kiosk(switch_scanning=True)
    scan_to(kiosk, attract(kiosk).languages.buttons[language])
    switch(kiosk)
    assert kiosk.i18n.current == language
    tiles = {t.topic_id: t for t in home_screen(kiosk).grid.tiles}
    scan_to(kiosk, tiles["care-at-rush"])
    switch(kiosk)
    topic = current_screen(kiosk)
    scan_to(kiosk, topic.cards.tiles[0])
    switch(kiosk)
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[0].topic_id)
    scan_to(kiosk, current_screen(kiosk).next_button)
    switch(kiosk)
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[1].topic_id)
    scan_to(kiosk, current_screen(kiosk).back_button)
    switch(kiosk)
    scan_to(kiosk, kiosk.header.contrast_button)
    switch(kiosk)
    assert kiosk.appearance.theme is HIGH_CONTRAST


def test_a_single_switch_enters_the_staff_pin_and_closes_the_panel(qtbot, make_kiosk):
    kiosk = make_kiosk(switch_scanning=True)
    home = start(kiosk)
    kiosk.open_staff_access()
    pad = kiosk.pin_pad
    lit = set()
    for _ in range(len(focus_targets(pad.card)) + 2):
        tick(kiosk)
        lit.add(focused())
    assert lit == set(focus_targets(pad.card))  # the pad's keys only, round and round
    for digit in PIN:
        scan_to(kiosk, pad.keys[digit])
        switch(kiosk)
    scan_to(kiosk, pad.ok_button)
    switch(kiosk)
    panel = kiosk.staff_panel
    assert panel.isVisible()
    scan_to(kiosk, panel.close_button)
    switch(kiosk)
    assert not panel.isVisible() and home.isEnabled()


def test_switch_key_is_swallowed_and_counts_as_activity(qtbot, make_kiosk):
    kiosk = make_kiosk(switch_scanning=True)
    start(kiosk)
    before = kiosk.policy.last_activity
    tick(kiosk)
    tile = focused()
    assert isinstance(tile, TopicTile)
    QTest.keyClick(kiosk.window.windowHandle(), Qt.Key.Key_Tab)  # not a Tab: the switch
    assert focused() is not tile or kiosk.navigator.current != HOME
    assert kiosk.policy.last_activity > before


def test_scanning_in_the_idle_warning_goes_round_its_two_buttons(qtbot, make_kiosk):
    kiosk = make_kiosk(switch_scanning=True)
    start(kiosk)
    kiosk.machine.advance(kiosk.settings.idle_timeout_s)
    QApplication.processEvents()
    overlay = kiosk.idle_overlay
    lit = set()
    for _ in range(5):
        tick(kiosk)
        lit.add(name(focused()))
    assert lit == {overlay.keep_button.accessibleName(), overlay.start_over_button.accessibleName()}
    scan_to(kiosk, overlay.keep_button)
    switch(kiosk)
    assert not overlay.isVisible() and kiosk.navigator.current == HOME


def test_each_visit_starts_with_the_configured_scanning(qtbot, make_kiosk):
    kiosk = make_kiosk(switch_scanning=True)
    start(kiosk)
    kiosk.scanner.set_enabled(False)
    assert not kiosk.is_pristine() or kiosk.navigator.current != ATTRACT
    kiosk.reset()
    assert kiosk.scanner.enabled and kiosk.navigator.current == ATTRACT
    assert attract(kiosk).options.scanning.isChecked()


# -- dwell -------------------------------------------------------------------------------------


def rest_on(kiosk, widget: QWidget, offset: QPoint | None = None) -> None:
    point = widget.mapTo(kiosk.window, widget.rect().center() + (offset or QPoint()))
    QTest.mouseMove(kiosk.window.windowHandle(), point)
    QApplication.processEvents()


def test_dwell_presses_the_button_the_pointer_rests_on(qtbot, make_kiosk):
    kiosk = make_kiosk(kiosk_mode=False, dwell_click=True, dwell_ms=800)  # offscreen, full screen means 800 x 800
    target = attract(kiosk).languages.buttons["it"]
    rest_on(kiosk, target)
    assert focused() is target  # lit at once: the visitor sees what will be pressed
    kiosk.machine.advance(0.5)
    rest_on(kiosk, target, QPoint(5, 3))  # a trembling head mouse does not restart the wait
    kiosk.machine.advance(0.299)
    assert kiosk.navigator.current == ATTRACT
    kiosk.machine.advance(0.001)
    QApplication.processEvents()
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == "it"


def test_moving_away_cancels_a_dwell(qtbot, make_kiosk):
    kiosk = make_kiosk(kiosk_mode=False, dwell_click=True)
    buttons = attract(kiosk).languages.buttons
    rest_on(kiosk, buttons["it"])
    kiosk.machine.advance(1)
    rest_on(kiosk, attract(kiosk).title)  # not a button
    kiosk.machine.advance(5)
    assert kiosk.navigator.current == ATTRACT
    rest_on(kiosk, buttons["ru"])
    kiosk.machine.advance(kiosk.settings.dwell_ms / 1000)
    QApplication.processEvents()
    assert kiosk.i18n.current == "ru"


def test_dwell_is_off_unless_configured(qtbot, make_kiosk):
    kiosk = make_kiosk()
    assert kiosk.dwell is None


def test_page_down_wraps_to_the_top_after_the_end(qtbot, make_kiosk):
    kiosk = make_kiosk()
    start(kiosk)
    kiosk.open_topic("symptoms")
    QApplication.processEvents()
    area: TouchScrollArea = current_screen(kiosk).scroll
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    for _ in range(50):
        area.page_down()
        if bar.value() == bar.maximum():
            break
    area.page_down()
    assert bar.value() == 0


def test_a_lit_control_below_the_fold_is_scrolled_into_view(qtbot, make_kiosk):
    kiosk = make_kiosk(switch_scanning=True, kiosk_mode=False)  # a window of 1280 x 800, not the 800 x 800 screen
    start(kiosk)
    kiosk.open_topic("care-at-rush")
    QApplication.processEvents()
    topic = current_screen(kiosk)
    last_card = topic.cards.tiles[-1]
    viewport = topic.scroll.viewport()

    def in_view() -> bool:
        top_left = last_card.mapTo(viewport, last_card.rect().topLeft())
        area = viewport.rect()
        return area.contains(top_left) and area.contains(top_left + last_card.rect().bottomRight())

    assert not in_view()  # at 1280 x 800 the care cards start below the fold
    scan_to(kiosk, last_card)
    assert in_view()
    kiosk.scanner.set_enabled(False)  # now the keyboard: while scanning, Tab is the switch
    topic.scroll.scroll_to_top()
    kiosk.window.setFocus()
    tab_to(kiosk, last_card)
    assert in_view()
