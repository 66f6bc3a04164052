"""What every screen shares: the services it reads, and re-translation in place."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.appearance import Appearance
from kiosk.content.model import Library
from kiosk.i18n import I18n, _
from kiosk.speech import Speech


@dataclass
class Services:
    """Shared by the screens; owned and wired by the main window."""

    i18n: I18n
    appearance: Appearance
    library: Library
    qr_base_url: str
    speech: Speech


class Screen(QWidget):
    """A screen re-translates its own labels after a language switch; it is never rebuilt for it.

    Only a screen on show re-translates at once; one out of sight does when it is next shown, or
    earlier when the kiosk is idle (`sync_language`), so a switch costs what is on screen only.
    """

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._texts: list[tuple[QLabel, str]] = []
        self._generation = services.i18n.generation  # subclasses translate at the end of __init__
        services.i18n.language_changed.connect(self._on_language_changed)
        services.appearance.changed.connect(self.restyle)

    def _on_language_changed(self) -> None:
        if self.isVisible():
            self.sync_language()

    @property
    def language_stale(self) -> bool:
        return self._generation != self.services.i18n.generation

    def sync_language(self) -> bool:
        """Re-translate if the language changed since this screen was translated; True if it did."""
        if not self.language_stale:
            return False
        self._generation = self.services.i18n.generation
        self.retranslate()
        return True

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt calls it for show() and hide() too
        if visible:
            self.sync_language()  # while still hidden: laid out with its new texts when it is shown
        super().setVisible(visible)

    def translated(self, widget: QLabel, message: str) -> QLabel:
        """Show `message` in `widget` in the current language, now and after every switch."""
        self._texts.append((widget, message))
        widget.setText(_(message))
        return widget

    def retranslate(self) -> None:
        for widget, message in self._texts:
            widget.setText(_(message))

    def restyle(self) -> None:
        """Icons are drawn in the theme's colours: fetch them again."""

    def reset_view(self) -> None:
        """Forget what the last visitor did here (scroll position and the like)."""
