"""The display and access choices: exclusive text sizes, toggles whose icon stays visible when on."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon

from kiosk.appearance import Appearance
from kiosk.i18n import I18n
from kiosk.paths import TRANSLATIONS_DIR
from kiosk.theme import HIGH_CONTRAST, NORMAL, TextSize, contrast_ratio
from kiosk.widgets.options import AccessOptions, ContrastToggle, TextSizeChoice


class Scanning(QObject):
    """The scanner's state as the toggle sees it."""

    enabled_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.enabled = False


@pytest.fixture
def appearance(qapp):
    made = Appearance(qapp)
    made.enable_icons()
    yield made
    qapp.setStyleSheet("")  # the next test starts unstyled


def test_text_sizes_are_exclusive_and_a_tap_on_the_current_one_keeps_it(qtbot, appearance):
    choice = TextSizeChoice(appearance)
    qtbot.addWidget(choice)
    choice.requested.connect(appearance.set_text_size)
    buttons = choice.buttons
    qtbot.mouseClick(buttons[TextSize.LARGEST], Qt.MouseButton.LeftButton)
    assert [b.isChecked() for b in buttons.values()] == [False, False, True]
    qtbot.mouseClick(buttons[TextSize.LARGEST], Qt.MouseButton.LeftButton)  # again: still the one chosen
    assert [b.isChecked() for b in buttons.values()] == [False, False, True]
    assert all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in buttons.values())  # each one a Tab stop


def dominant_colour(icon: QIcon, state: QIcon.State) -> str:
    image = icon.pixmap(48, 48, QIcon.Mode.Normal, state).toImage()
    colours = Counter(
        QColor(image.pixel(x, y)).name().upper()
        for y in range(image.height())
        for x in range(image.width())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    )
    return colours.most_common(1)[0][0]


@pytest.mark.parametrize("theme", [NORMAL, HIGH_CONTRAST], ids=lambda t: t.name)
def test_checked_toggle_draws_its_icon_in_the_colour_for_the_accent_fill(qtbot, appearance, theme):
    appearance.set_high_contrast(theme is HIGH_CONTRAST)
    toggle = ContrastToggle(appearance)
    qtbot.addWidget(toggle)
    on = dominant_colour(toggle.icon(), QIcon.State.On)
    off = dominant_colour(toggle.icon(), QIcon.State.Off)
    assert on == theme.accent_text.upper() and off == theme.text.upper()
    assert contrast_ratio(on, theme.accent) >= theme.min_control_contrast  # was 1.3:1 in high contrast


def test_access_options_offer_each_choice_once(qtbot, appearance):
    scanning = Scanning()
    options = AccessOptions(I18n(TRANSLATIONS_DIR, ["en"]), appearance, scanning)
    qtbot.addWidget(options)
    asked = []
    options.scanning_requested.connect(asked.append)
    qtbot.mouseClick(options.scanning, Qt.MouseButton.LeftButton)
    assert asked == [True]
    scanning.enabled = True
    scanning.enabled_changed.emit(True)
    assert options.scanning.isChecked()
    names = [options.text_size.accessibleName(), options.contrast.accessibleName(), options.scanning.accessibleName()]
    assert names == ["Text size", "High contrast", "Switch access"]
