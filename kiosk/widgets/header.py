"""The bar on top of home and topic screens: languages, text size and contrast, one tap each."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.appearance import Appearance
from kiosk.i18n import I18n, _
from kiosk.theme import STAFF_CORNER_PX, TextSize, space
from kiosk.widgets.buttons import TouchButton
from kiosk.widgets.flow import FlowWidget
from kiosk.widgets.options import ContrastToggle, TextSizeChoice
from kiosk.widgets.restyle import set_style_property


class LanguageButtons(FlowWidget):
    """One button per enabled language, named in its own language; the current one is marked."""

    language_requested = Signal(str)
    language_pressed = Signal(str)  # a finger (or a key) is down on a language: it may be chosen next
    let_go = Signal()  # and it is no longer: lifted (a tap, chosen) or slid off the button

    def __init__(
        self,
        i18n: I18n,
        role: str = "",
        centered: bool = False,
        leading: QWidget | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(spacing=space(3) if centered else space(2), centered=centered, parent=parent)
        accessibility.set_role(self, Role.GROUP)
        self.i18n = i18n
        self.role = role
        self.buttons: dict[str, TouchButton] = {}
        if leading is not None:  # stays first: rebuild() replaces only the buttons
            self.add(leading)
        self.rebuild()
        self.follow_language(i18n, self.mark_current)

    def rebuild(self) -> None:
        """Make the buttons again for the enabled languages (after a catalog reload)."""
        for button in self.buttons.values():
            self.remove(button)
            button.deleteLater()
        self.buttons = {}
        for language in self.i18n.enabled:
            name = self.i18n.native_name(language)
            button = TouchButton(name, role=self.role, kind=Role.RADIO)
            button.setObjectName(f"language-{language}")
            button.set_label(name)
            button.setCheckable(True)
            button.setProperty("current", language == self.i18n.current)  # before it is first styled
            # Named in its own language: a screen reader says "Deutsch" with a German voice.
            accessibility.set_language(button, language)
            button.clicked.connect(lambda _=False, code=language: self._choose(code))
            button.pressed.connect(lambda code=language: self.language_pressed.emit(code))
            button.released.connect(self.let_go)
            self.add(button)
            self.buttons[language] = button
        self.mark_current()

    def _choose(self, language: str) -> None:
        # Not a QButtonGroup: an exclusive one takes all but the checked button out of the Tab order. Qt toggled
        # the button: undone, so that the buttons stay marked for the language they follow (a tap on the current
        # one leaves it checked); the switch marks them again, at once in sight, else before they are next shown.
        button = self.buttons[language]
        button.setChecked(not button.isChecked())
        self.language_requested.emit(language)

    def mark_current(self) -> None:
        # TRANSLATORS: name of the group of language buttons, for screen readers.
        self.setAccessibleName(_("Language"))
        for language, button in self.buttons.items():
            current = language == self.i18n.current
            button.setChecked(current)
            button.setAccessibleDescription(_("Current language") if current else _("Change the language"))
            set_style_property(button, "current", current)  # re-styled only when it changes: two buttons a switch
        # The current language is bold, so wider: make room.
        self.relayout()


class StaffCorner(QWidget):
    """Nothing, where the staff gesture's corner is: the first item of the bar's first row, so that row's
    buttons start right of the corner (8 px clear of it) and the next row starts below it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staff-corner")
        accessibility.hide(self)  # not one of the language choices
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
        self.text_size = TextSizeChoice(appearance)
        self.text_size.requested.connect(self.text_size_requested)
        self.contrast_button = ContrastToggle(appearance)
        self.contrast_button.requested.connect(self.high_contrast_requested)

        # Three pieces that wrap separately on narrow screens and with large text.
        self.setContentsMargins(space(4), space(2), space(4), space(2))
        self.add(self.languages)
        self.add(self.text_size)
        self.add(self.contrast_button)

        self.follow_language(i18n, self.retranslate)
        # Checked buttons are bold, so wider: make room.
        appearance.changed.connect(self.relayout)

    @property
    def size_buttons(self) -> dict[TextSize, TouchButton]:
        return self.text_size.buttons

    def retranslate(self) -> None:
        self.text_size.retranslate()
        self.contrast_button.retranslate()
        self.relayout()

    def sync_language(self) -> bool:
        """The language row, then the bar around it."""
        row = self.languages.sync_language()
        return super().sync_language() or row
