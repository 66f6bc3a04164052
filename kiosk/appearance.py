"""The visitor's display choices (theme, text size), applied to the whole application."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from kiosk import icons
from kiosk.theme import HIGH_CONTRAST, NORMAL, TextSize, Theme, stylesheet


class Appearance(QObject):
    """Emits `changed` after the theme or text size changed and the style sheet was applied."""

    changed = Signal()

    def __init__(self, app: QApplication, parent: QObject | None = None):
        super().__init__(parent)
        self._app = app
        self.theme: Theme = NORMAL
        self.text_size = TextSize.NORMAL
        self._applied: tuple[Theme, TextSize] | None = None
        # Icons wait until the first frame is painted: the attract screen has none, and their fonts load then.
        self.icons_enabled = False
        self.apply()

    @property
    def scale(self) -> float:
        return self.text_size.value

    @property
    def is_default(self) -> bool:
        return self.theme is NORMAL and self.text_size is TextSize.NORMAL

    def set_high_contrast(self, on: bool) -> None:
        self.theme = HIGH_CONTRAST if on else NORMAL
        self.apply()

    def set_text_size(self, size: TextSize) -> None:
        self.text_size = size
        self.apply()

    def reset(self) -> None:
        self.theme, self.text_size = NORMAL, TextSize.NORMAL
        self.apply()

    def apply(self) -> None:
        if self._applied == (self.theme, self.text_size):
            return
        self._applied = (self.theme, self.text_size)
        # The theme's background is the palette's Window: the window fills from it, and so does a scroll area's
        # content while a flick moves it (TouchScrollArea), which a style sheet rule on the window would not reach.
        # Not the disabled group's: Qt greys the icons of controls under an overlay (disabled) toward it.
        palette = self._app.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Window, QColor(self.theme.background))
        self._app.setPalette(palette)
        self._app.setStyleSheet(stylesheet(self.theme, self.text_size))
        self.changed.emit()

    def enable_icons(self) -> None:
        if not self.icons_enabled:
            self.icons_enabled = True
            self.changed.emit()

    def icon(self, name: str, role: str = "text") -> QIcon:
        """`role`: "text" (plain), "accent" (accent colour on the background), "on-accent" (on accent buttons).

        A button's icon keeps its contrast on the focus fill too: drawn in the focused text's colour then."""
        if not self.icons_enabled:
            return QIcon()
        theme = self.theme
        if role == "accent":  # beside a title or on a tile: a picture, never a button's own icon
            return icons.get(name, theme.accent_text_on_bg)
        if role == "on-accent":
            return icons.get_button(name, theme.accent_text, theme.focus_checked_text)
        return icons.get_button(name, theme.text, theme.focus_text)

    def toggle_icon(self, name: str) -> QIcon:
        """For a checkable button: text-coloured when off, on-accent when on (the checked fill); in the
        focused text's colours while it has the focus (the checked one's fill differs from the accent)."""
        if not self.icons_enabled:
            return QIcon()
        theme = self.theme
        return icons.get_button(name, theme.text, theme.focus_text, theme.accent_text, theme.focus_checked_text)
