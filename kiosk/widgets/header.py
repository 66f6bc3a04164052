"""The bar on top of home and topic screens: languages, text size and contrast, one tap each."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QWidget

from kiosk.appearance import Appearance
from kiosk.i18n import I18n, _
from kiosk.theme import HIGH_CONTRAST, STAFF_CORNER_PX, TextSize, space
from kiosk.widgets.touch import FlowWidget, TouchButton, label

TEXT_SIZE_LABELS = {TextSize.NORMAL: "A", TextSize.LARGE: "A+", TextSize.LARGEST: "A++"}


class LanguageButtons(FlowWidget):
    """One button per enabled language, named in its own language; the current one is marked."""

    language_requested = Signal(str)

    def __init__(self, i18n: I18n, role: str = "", centered: bool = False, leading: QWidget | None = None,
                 parent: QWidget | None = None):
        super().__init__(spacing=space(3) if centered else space(2), centered=centered, parent=parent)
        self.i18n = i18n
        self.role = role
        self.buttons: dict[str, TouchButton] = {}
        if leading is not None:  # stays first: rebuild() replaces only the buttons
            self.add(leading)
        self.rebuild()
        i18n.language_changed.connect(self.mark_current)

    def rebuild(self) -> None:
        """Make the buttons again for the enabled languages (after a catalog reload)."""
        for button in self.buttons.values():
            self.remove(button)
            button.deleteLater()
        self.buttons = {}
        for language in self.i18n.enabled:
            name = self.i18n.native_name(language)
            button = TouchButton(name, role=self.role)
            button.setObjectName(f"language-{language}")
            button.set_label(name)
            button.clicked.connect(lambda _=False, code=language: self.language_requested.emit(code))
            self.add(button)
            self.buttons[language] = button
        self.mark_current()

    def mark_current(self) -> None:
        for language, button in self.buttons.items():
            current = language == self.i18n.current
            button.setAccessibleDescription(_("Current language") if current else _("Change the language"))
            if button.property("current") != current:  # re-styled only when it changes: two buttons a switch
                button.setProperty("current", current)
                button.style().unpolish(button)
                button.style().polish(button)
        # The current language is bold, so wider: make room.
        self.relayout()


class StaffCorner(QWidget):
    """Nothing, where the staff gesture's corner is: the first item of the bar's first row, so that row's
    buttons start right of the corner (8 px clear of it) and the next row starts below it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staff-corner")
        self.setFixedSize(self.sizeHint())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        # The bar's margins (24 left, 12 top) and the languages' spacing (12) are part of the way already.
        return QSize(STAFF_CORNER_PX + 8 - 24 - 12, STAFF_CORNER_PX + 8 - 12)


class SettingsBar(FlowWidget):
    """Languages on the left; text size and high contrast on the right. Wraps on narrow screens."""

    language_requested = Signal(str)
    text_size_requested = Signal(object)
    high_contrast_requested = Signal(bool)

    def __init__(self, i18n: I18n, appearance: Appearance, parent: QWidget | None = None):
        super().__init__(spacing=space(3), parent=parent)
        self.setObjectName("Header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.i18n = i18n
        self.appearance = appearance
        self.languages = LanguageButtons(i18n, leading=StaffCorner())
        self.languages.language_requested.connect(self.language_requested)

        self.text_size_label = label(role="group-label", wrap=False)
        self.size_buttons: dict[TextSize, TouchButton] = {}
        group = QButtonGroup(self)
        sizes = QHBoxLayout()
        sizes.setSpacing(space(2))
        sizes.addWidget(self.text_size_label)
        for size, text in TEXT_SIZE_LABELS.items():
            button = TouchButton(text)
            button.setObjectName(f"text-size-{size.name.lower()}")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, s=size: self.text_size_requested.emit(s))
            group.addButton(button)
            sizes.addWidget(button)
            self.size_buttons[size] = button
        self.contrast_button = TouchButton()
        self.contrast_button.setObjectName("high-contrast")
        self.contrast_button.setCheckable(True)
        self.contrast_button.clicked.connect(lambda checked: self.high_contrast_requested.emit(checked))
        text_sizes = QWidget()
        text_sizes.setLayout(sizes)
        sizes.setContentsMargins(0, 0, 0, 0)

        # Three pieces that wrap separately on narrow screens and with large text.
        self.setContentsMargins(space(4), space(2), space(4), space(2))
        self.add(self.languages)
        self.add(text_sizes)
        self.add(self.contrast_button)

        i18n.language_changed.connect(self.retranslate)
        appearance.changed.connect(self.sync)
        self.retranslate()
        self.sync()

    def retranslate(self) -> None:
        # TRANSLATORS: label before the three buttons A, A+, A++.
        self.text_size_label.setText(_("Text size"))
        names = {
            TextSize.NORMAL: _("Normal text"),
            TextSize.LARGE: _("Large text"),
            TextSize.LARGEST: _("Largest text"),
        }
        for size, button in self.size_buttons.items():
            button.setAccessibleName(f"{_('Text size')}: {names[size]}")
        self.contrast_button.set_label(_("High contrast"), _("Switch between normal colours and high contrast"))

    def sync(self) -> None:
        """Mark the current text size and contrast, and update icons for the theme."""
        self.size_buttons[self.appearance.text_size].setChecked(True)
        self.contrast_button.setChecked(self.appearance.theme is HIGH_CONTRAST)
        self.contrast_button.setIcon(self.appearance.icon("mdi6.contrast-circle"))
        # Checked buttons are bold, so wider: make room.
        self.relayout()
