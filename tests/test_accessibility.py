"""What the kiosk tells assistive technology, read through Qt's own accessibility interfaces.

The same interfaces feed AT-SPI (test_atspi.py reads them over D-Bus from the real program); here
they are read in-process, in every language, fast.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.navigation import ATTRACT, HOME, topic_key
from kiosk.widgets.options import TEXT_SIZE_LABELS
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.tiles import TopicTile

from conftest import LANGUAGES, LIBRARY, PIN, msgstr, settle, start, tap

Role = QAccessible.Role


def iface(widget: QWidget) -> QAccessibleInterface:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None and found.isValid()
    return found


def tree(root: QAccessibleInterface) -> list[QAccessibleInterface]:
    """Every node under `root` that is shown, as a screen reader walks it."""
    nodes, stack = [], [root]
    while stack:
        node = stack.pop()
        if node.state().invisible:
            continue
        nodes.append(node)
        stack.extend(node.child(i) for i in reversed(range(node.childCount())))
    return nodes


def name(node: QAccessibleInterface) -> str:
    return node.text(QAccessible.Text.Name)


def locale_of(node: QAccessibleInterface) -> str:
    attributes = node.attributesInterface()
    assert attributes is not None, f"{node.role()} {name(node)!r} says nothing about its language"
    return attributes.attributeValue(QAccessible.Attribute.Locale).name()


def actions(node: QAccessibleInterface) -> list[str]:
    action = node.actionInterface()
    return list(action.actionNames()) if action is not None else []


class TitleChanges(QObject):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self.titles: list[str] = []
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.WindowTitleChange:
            self.titles.append(watched.windowTitle())
        return False


def test_window_is_named_after_the_screen_once_its_frame_is_painted(kiosk):
    window = iface(kiosk.window)
    assert window.role() == Role.Window
    assert name(window) == "Learn about ALS: Touch your language to begin"
    changes = TitleChanges(kiosk.window)
    start(kiosk, "de")
    title = msgstr("de", "Learn about ALS")
    assert name(window) == f"{msgstr('de', 'Home')}: {title}"
    assert changes.titles == [name(window)]  # once: not the attract screen's in German on the way
    kiosk.open_topic("symptoms")
    assert name(window) == f"{msgstr('de', 'Home')}: {title}"  # the frame first
    settle()
    assert name(window) == f"{msgstr('de', 'Symptoms')}: {title}"
    tap(kiosk.header.languages.buttons["fr"])
    settle()
    assert name(window) == f"{msgstr('fr', 'Symptoms')}: {msgstr('fr', 'Learn about ALS')}"
    changes.titles.clear()
    kiosk.reset()
    settle()
    assert name(window) == "Learn about ALS: Touch your language to begin"
    assert changes.titles == [name(window)]  # once, though both the screen and the language changed


def test_home_tiles_are_buttons_with_a_press_action_that_opens_the_topic(kiosk):
    home = start(kiosk, "fr")
    tiles = [node for node in tree(iface(home)) if node.role() == Role.Button]
    assert [name(t) for t in tiles] == [msgstr("fr", t.title) for t in LIBRARY.top_level]
    first = tiles[0]
    assert first.state().focusable and first.childCount() == 0  # one button, not an icon and two labels
    assert first.text(QAccessible.Text.Description) == home.grid.tiles[0].summary.text()
    assert QAccessibleActionInterface.pressAction() in actions(first)
    first.actionInterface().doAction(QAccessibleActionInterface.pressAction())  # operable through the tree alone
    assert kiosk.navigator.current == topic_key(home.grid.tiles[0].topic_id)


def test_languages_and_text_sizes_are_exclusive_choices_named_as_shown(qtbot, kiosk):
    start(kiosk, "fr")
    header = kiosk.header
    languages = iface(header.languages)
    assert languages.role() == Role.Grouping and name(languages) == msgstr("fr", "Language")
    radios = [languages.child(i) for i in range(languages.childCount())]
    assert [r.role() for r in radios] == [Role.RadioButton] * len(LANGUAGES)
    assert [name(r) for r in radios] == [b.text() for b in header.languages.buttons.values()]
    assert [r.state().checked for r in radios] == [code == "fr" for code in header.languages.buttons]
    # Each in its own voice.
    assert [locale_of(r)[:2] for r in radios] == [code[:2] for code in header.languages.buttons]
    sizes = iface(header.text_size)
    assert sizes.role() == Role.Grouping and name(sizes) == msgstr("fr", "Text size")
    size_radios = [node for node in tree(sizes) if node.role() == Role.RadioButton]
    for node, (size, shown) in zip(size_radios, TEXT_SIZE_LABELS.items(), strict=True):
        assert name(node).startswith(shown + " ")  # the name contains the visible label
        assert node.state().checked == (size is kiosk.appearance.text_size)
    contrast = iface(header.contrast_button)
    assert name(contrast) == header.contrast_button.text() and contrast.state().checkable
    contrast.actionInterface().doAction(QAccessibleActionInterface.pressAction())  # Qt animates the click
    qtbot.waitUntil(lambda: iface(header.contrast_button).state().checked, timeout=2000)
    assert kiosk.appearance.theme.name == "high-contrast"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_speaks_the_visitors_language(kiosk, language):
    start(kiosk, language)
    kiosk.open_topic("care-at-rush")
    QApplication.processEvents()
    expected = {"en": "en_US", "fr": "fr_FR", "de": "de_DE", "it": "it_IT", "pt_BR": "pt_BR", "ru": "ru_RU"}[language]
    screen = kiosk.window.stack.currentWidget()
    texts = [n for n in tree(iface(screen)) if n.role() in (Role.StaticText, Role.Heading, Role.ListItem, Role.Button)]
    assert len(texts) > 10
    wrong = [(name(n), locale_of(n)) for n in texts if locale_of(n) != expected]
    assert wrong == []


def test_topic_has_headings_with_levels_and_lists_of_items(kiosk):
    start(kiosk)
    kiosk.open_topic("symptoms")
    screen = kiosk.window.stack.currentWidget()
    nodes = tree(iface(screen))
    headings = [n for n in nodes if n.role() == Role.Heading]
    assert name(headings[0]) == "Symptoms"
    levels = [n.attributesInterface().attributeValue(QAccessible.Attribute.Level) for n in headings]
    assert levels[0] == 1 and set(levels[1:]) == {2}
    lists = [n for n in nodes if n.role() == Role.List]
    assert lists, "the bullets are a list"
    items = [lists[0].child(i) for i in range(lists[0].childCount())]
    assert items and all(i.role() == Role.ListItem and name(i) for i in items)
    assert not any(name(n) in ("•", "–") for n in nodes)  # bullet marks are not read out
    assert [name(n) for n in nodes if n.role() == Role.Graphic] == ["QR code: Read this at home"]  # not the icon


def test_more_below_hint_is_in_the_tree(kiosk):
    start(kiosk)
    kiosk.open_topic("symptoms")
    QApplication.processEvents()
    screen = kiosk.window.stack.currentWidget()
    assert screen.scroll.more_below.isVisible()
    names = [name(n) for n in tree(iface(screen))]
    # Read as words (not "downwards arrow"), right after the text: before Back, Home and Next.
    assert "More below" in names and names.index("More below") < names.index("Back")


def test_idle_warning_is_a_modal_alert_with_the_focus(make_kiosk, time_machine):
    kiosk = make_kiosk()
    start(kiosk)
    time_machine.advance(kiosk.settings.idle_timeout_s)
    card = iface(kiosk.idle_overlay.card)
    assert card.role() == Role.AlertMessage and card.state().modal
    assert name(card) == "Still there?"
    assert "30" in card.text(QAccessible.Text.Description)
    focus = iface(QApplication.focusWidget())
    assert name(focus) == "Keep reading" and focus.state().focused
    assert iface(kiosk.window.stack.currentWidget()).state().disabled  # what lies behind is out of reach


def test_attract_screen_offers_text_size_contrast_and_switch_access(kiosk):
    screen = kiosk.navigator.built[ATTRACT]
    nodes = tree(iface(screen))
    names = {name(n) for n in nodes if n.state().focusable}
    assert {"A+ Large text", "High contrast", "Switch access"} <= names
    prompt = iface(screen.prompt)
    screen.show_prompt_in("ru")
    assert name(prompt) == screen.prompt.text() and locale_of(prompt) == "ru_RU"  # follows the rotation


def test_tiles_are_one_tap_targets_that_are_buttons(kiosk):
    home = start(kiosk)
    assert all(isinstance(t, TopicTile) and t.focusPolicy() for t in home.grid.tiles)


def press(qtbot, widget: QWidget) -> None:
    """What a screen reader's "activate" does: the node's press action (Qt animates a plain button's click)."""
    node = iface(widget)
    assert QAccessibleActionInterface.pressAction() in actions(node), f"{name(node)!r} offers no press"
    clicked = []
    widget.clicked.connect(lambda: clicked.append(True))
    node.actionInterface().doAction(QAccessibleActionInterface.pressAction())
    qtbot.waitUntil(lambda: bool(clicked), timeout=2000)


def controls(root: QWidget) -> list[QAccessibleInterface]:
    """The nodes a screen reader user can focus under `root`, as shown now."""
    return [n for n in tree(iface(root))[1:] if n.state().focusable and not n.state().disabled]


def unusable(root: QWidget) -> list[str]:
    """Controls without a name, or (but the text to read, which scrolls) without a press action."""
    found = []
    for node in controls(root):
        readable = isinstance(node.object(), TouchScrollArea)
        if not name(node) or not (readable or QAccessibleActionInterface.pressAction() in actions(node)):
            found.append(f"{node.role()} {name(node)!r} {actions(node)}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_works_through_the_tree_alone(qtbot, make_kiosk, time_machine, language):
    """Every control named and pressable in the tree; a visit done by press actions alone, in every language."""
    kiosk = make_kiosk()
    window = kiosk.window
    screen = kiosk.navigator.built[ATTRACT]
    assert unusable(window) == [] and len(controls(window)) == len(LANGUAGES) + 5  # and A, A+, A++, contrast, switch
    press(qtbot, screen.options.contrast)
    assert kiosk.appearance.theme.name == "high-contrast"
    press(qtbot, screen.languages.buttons[language])
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == language
    home = kiosk.window.stack.currentWidget()
    assert unusable(window) == []
    press(qtbot, next(t for t in home.grid.tiles if t.topic_id == "care-at-rush"))
    topic = kiosk.window.stack.currentWidget()
    assert kiosk.navigator.current == topic_key("care-at-rush") and unusable(window) == []
    assert {n.object() for n in controls(window)} >= {*topic.cards.tiles, topic.scroll, topic.back_button}
    press(qtbot, topic.cards.tiles[0])
    card = kiosk.window.stack.currentWidget()
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[0].topic_id) and unusable(window) == []
    press(qtbot, card.next_button)
    assert kiosk.navigator.current == topic_key(topic.cards.tiles[1].topic_id)
    press(qtbot, kiosk.window.stack.currentWidget().back_button)
    press(qtbot, card.home_button)
    assert kiosk.navigator.current == HOME
    for topic in kiosk.services.library.reading_order:  # every kind of topic: text, lists, cards, headings
        kiosk.open_topic(topic.id)
        QApplication.processEvents()
        nodes = tree(iface(kiosk.window.stack.currentWidget()))
        headings = [n for n in nodes if n.role() == Role.Heading]
        assert name(headings[0]) == msgstr(language, topic.title) and unusable(window) == [], topic.id
        assert not [n for n in nodes if n.role() == Role.StaticText and name(n) in ("•", "–", "")], topic.id
    kiosk.navigator.home()

    time_machine.advance(kiosk.settings.idle_timeout_s)
    overlay = kiosk.idle_overlay
    assert [name(n) for n in controls(window)] == [
        msgstr(language, "Start over"),
        msgstr(language, "Keep reading"),
    ]  # nothing behind the alert
    press(qtbot, overlay.keep_button)
    assert not overlay.isVisible() and kiosk.navigator.current == HOME


def test_staff_overlays_are_dialogs_with_headings_and_named_keys(qtbot, make_kiosk):
    kiosk = make_kiosk()
    start(kiosk)
    kiosk.open_staff_access()
    pad = kiosk.pin_pad
    card = iface(pad.card)
    assert card.role() == Role.Dialog and card.state().modal and name(card) == "Staff PIN"
    assert [n.role() for n in tree(card) if name(n) == "Staff PIN"] == [Role.Dialog, Role.Heading]
    assert unusable(kiosk.window) == [] and len(controls(kiosk.window)) == 13  # ten digits, Clear, OK, Cancel
    for digit in PIN:
        press(qtbot, pad.keys[digit])
    press(qtbot, pad.ok_button)
    panel = iface(kiosk.staff_panel.card)
    assert name(panel) == "Staff panel" and Role.Heading in [n.role() for n in tree(panel)]
    assert unusable(kiosk.window) == [] and len(controls(kiosk.window)) == 4  # the status to read, 3 buttons


def test_qr_code_is_a_named_picture(kiosk):
    start(kiosk)
    kiosk.open_topic("symptoms")
    qr = iface(kiosk.window.stack.currentWidget().qr)
    assert qr.role() == Role.Graphic and name(qr) == "QR code: Read this at home"
