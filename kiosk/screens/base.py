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
    """A screen re-translates its own labels on `language_changed`; it is never rebuilt for it."""

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._texts: list[tuple[QLabel, str]] = []
        services.i18n.language_changed.connect(self.retranslate)
        services.appearance.changed.connect(self.restyle)

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
