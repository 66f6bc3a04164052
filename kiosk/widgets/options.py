"""The visitor's display and access choices, one tap each: text size, high contrast, switch access.

The same controls sit in the bar over home and topics and, as `AccessOptions`, on the attract
screen, the one screen every visitor sees first.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.appearance import Appearance
from kiosk.i18n import N_, I18n, _
from kiosk.theme import HIGH_CONTRAST, TextSize, space
from kiosk.widgets.buttons import TouchButton
from kiosk.widgets.flow import FlowWidget
from kiosk.widgets.text import label

TEXT_SIZE_LABELS = {TextSize.NORMAL: "A", TextSize.LARGE: "A+", TextSize.LARGEST: "A++"}
TEXT_SIZE_NAMES = {
    TextSize.NORMAL: N_("Normal text"),
    TextSize.LARGE: N_("Large text"),
    TextSize.LARGEST: N_("Largest text"),
}


class TextSizeChoice(QWidget):
    """The "Text size" caption and the choices A, A+, A++: one exclusive group, the current one checked."""

    requested = Signal(object)

    def __init__(self, appearance: Appearance, parent: QWidget | None = None):
        super().__init__(parent)
        accessibility.set_role(self, Role.GROUP)
        self.appearance = appearance
        self.caption = label(role="group-label", wrap=False)
        self.buttons: dict[TextSize, TouchButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(space(2))
        row.addWidget(self.caption)
        for size, text in TEXT_SIZE_LABELS.items():
            button = TouchButton(text, kind=Role.RADIO)
            button.setObjectName(f"text-size-{size.name.lower()}")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, s=size: self._choose(s))
            row.addWidget(button)
            self.buttons[size] = button
        appearance.changed.connect(self.sync)
        self.retranslate()
        self.sync()

    def retranslate(self) -> None:
        # TRANSLATORS: label before the three buttons A, A+, A++.
        self.caption.setText(_("Text size"))
        self.setAccessibleName(_("Text size"))
        for size, button in self.buttons.items():
            # The name starts with what the button shows, so "A plus" by voice finds it too.
            button.setAccessibleName(f"{TEXT_SIZE_LABELS[size]} {_(TEXT_SIZE_NAMES[size])}")

    def _choose(self, size: TextSize) -> None:
        # Exclusive by hand: a QButtonGroup would take all but the checked button out of the Tab order.
        for each, button in self.buttons.items():
            button.setChecked(each is size)
        self.requested.emit(size)

    def sync(self) -> None:
        for size, button in self.buttons.items():
            button.setChecked(size is self.appearance.text_size)


class ContrastToggle(TouchButton):
    """High contrast on or off; its icon keeps its contrast on the checked (accent) fill."""

    requested = Signal(bool)

    def __init__(self, appearance: Appearance, parent: QWidget | None = None):
        super().__init__(parent=parent)
        self.setObjectName("high-contrast")
        self.setCheckable(True)
        self.appearance = appearance
        self.clicked.connect(self.requested)
        appearance.changed.connect(self.sync)
        self.retranslate()
        self.sync()

    def retranslate(self) -> None:
        self.set_label(_("High contrast"), _("Switch between normal colours and high contrast"))

    def sync(self) -> None:
        self.setChecked(self.appearance.theme is HIGH_CONTRAST)
        self.setIcon(self.appearance.toggle_icon("mdi6.contrast-circle"))


class ScanningToggle(TouchButton):
    """Switch access on or off for this visitor."""

    requested = Signal(bool)

    def __init__(self, scanning: QObject, appearance: Appearance, parent: QWidget | None = None):
        super().__init__(parent=parent)
        self.setObjectName("switch-access")
        self.setCheckable(True)
        self.scanning = scanning
        self.appearance = appearance
        self.clicked.connect(self.requested)
        scanning.enabled_changed.connect(self.sync)
        appearance.changed.connect(self.sync)
        self.retranslate()
        self.sync()

    def retranslate(self) -> None:
        # TRANSLATORS: a visitor turns on scanning: buttons light up one by one; any key or switch chooses one.
        description = _("Lights up each button in turn. Press any key or your switch to choose it.")
        self.set_label(_("Switch access"), description)

    def sync(self) -> None:
        self.setChecked(self.scanning.enabled)
        self.setIcon(self.appearance.toggle_icon("mdi6.gesture-tap-button"))


class AccessOptions(FlowWidget):
    """The attract screen's row of choices: text size, high contrast, switch access."""

    text_size_requested = Signal(object)
    high_contrast_requested = Signal(bool)
    scanning_requested = Signal(bool)

    def __init__(self, i18n: I18n, appearance: Appearance, scanning: QObject, parent: QWidget | None = None):
        super().__init__(spacing=space(4), centered=True, parent=parent)
        self.setObjectName("AccessOptions")
        self.text_size = TextSizeChoice(appearance)
        self.contrast = ContrastToggle(appearance)
        self.scanning = ScanningToggle(scanning, appearance)
        self.text_size.requested.connect(self.text_size_requested)
        self.contrast.requested.connect(self.high_contrast_requested)
        self.scanning.requested.connect(self.scanning_requested)
        for widget in (self.text_size, self.contrast, self.scanning):
            self.add(widget)
        self.follow_language(i18n, self.retranslate)

    def retranslate(self) -> None:
        for widget in (self.text_size, self.contrast, self.scanning):
            widget.retranslate()
        self.relayout()
