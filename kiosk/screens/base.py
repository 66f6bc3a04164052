"""What every screen shares: the services it reads, and re-translation in place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QWidget

from kiosk import accessibility
from kiosk.access import in_sight
from kiosk.appearance import Appearance
from kiosk.i18n import I18n, _
from kiosk.speech import Speech

if TYPE_CHECKING:
    from kiosk.content.model import Library
    from kiosk.widgets.qr import Matrix


@dataclass
class Services:
    """Shared by the screens; owned and wired by the main window."""

    i18n: I18n
    appearance: Appearance
    library: Library | None  # None until the content is read, after the first frame (Backend.ensure_content)
    qr_base_url: str
    speech: Speech
    qr_matrix: Callable[[str], Matrix]  # a topic's QR code, cached (Backend.qr_matrix)


class Screen(QWidget):
    """A screen re-translates its own labels after a language switch; it is never rebuilt for it.

    Only a screen in sight re-translates at once; one out of sight (hidden, or under the attract screen) does
    when it is next shown, or earlier when the kiosk is idle (`sync_language`), so a switch costs what is on
    screen only. The language assistive technology reads it in is the screen's own, set with its texts: the
    window's would reach every screen built, seen or not, at each switch.

    A screen may be built in parts (`build_in_parts`), a part per slice of idle time when it is
    built ahead of need; whatever is left is built before it is first shown.
    """

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self._texts: list[tuple[QLabel, str]] = []
        self._edition = services.i18n.edition  # subclasses translate at the end of __init__
        accessibility.set_language(self, services.i18n.current)
        self._unbuilt: Iterator[None] | None = None
        services.i18n.language_changed.connect(self._on_language_changed)
        services.appearance.changed.connect(self._on_appearance_changed)

    def build_in_parts(self, parts: Iterator[None], now: bool = True) -> None:
        """Build the screen by running `parts` (a generator that ends with retranslate() and restyle()),
        now or a part at a time with build_next_part()."""
        self._unbuilt = parts
        if now:
            self.finish_building()

    def build_next_part(self) -> bool:
        """Build one more part; False when the screen is complete."""
        if self._unbuilt is None:
            return False
        try:
            next(self._unbuilt)
        except StopIteration:
            self._unbuilt = None
            self._translated()  # by its last part
            return False
        return True

    def finish_building(self) -> None:
        while self.build_next_part():
            pass

    def _on_appearance_changed(self) -> None:
        if self._unbuilt is None:  # a screen still being built is styled by its last part
            self.restyle()

    def _on_language_changed(self) -> None:
        if in_sight(self):
            self.sync_language()

    @property
    def built(self) -> bool:
        """False while parts are still to be built (they are, before it is shown)."""
        return self._unbuilt is None

    @property
    def language_stale(self) -> bool:
        """Showing texts of another language, or of catalogs since reloaded (a screen still being built is translated
        by its last part)."""
        return self.built and self._edition != self.services.i18n.edition

    def sync_language(self) -> bool:
        """Re-translate if the language (or the catalogs) changed since this screen was translated; True if it did."""
        if not self.language_stale:
            return False
        self._translated()
        self.retranslate()
        return True

    def show_unseen(self) -> None:
        """Shown, ready, but not painted (ScreenStack.stage puts it under the screen on show): showing it for real
        then only turns its updates on."""
        self.finish_building()
        self.sync_language()
        super().setVisible(True)  # not self.setVisible: its updates stay off

    def _translated(self) -> None:
        self._edition = self.services.i18n.edition
        accessibility.set_language(self, self.services.i18n.current)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt calls it for show() and hide() too
        if visible:
            self.finish_building()
            self.sync_language()  # while still hidden: laid out with its new texts when it is shown
            self.setUpdatesEnabled(True)
        super().setVisible(visible)
        if not visible:
            # Out of the way of Qt's stacked layout, which turns updates off and on again for every screen
            # at each move (a walk over all their widgets, some 600, twice): a hidden screen's stay off, set
            # here, which Qt's walk does not undo, until it shows.
            self.setUpdatesEnabled(False)

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

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        # Wrapped text (and the topic's panel moved under it) settles over a few layout passes:
        # run them now, before the first frame, which would otherwise show text squeezed.
        for _pass in range(3):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def reset_view(self) -> None:
        """Forget what the last visitor did here (scroll position and the like)."""
