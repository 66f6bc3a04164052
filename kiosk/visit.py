"""A visitor's visit: from the language chosen on the attract screen, through the display choices
and the "Still there?" warning, to the reset that leaves the kiosk as the next visitor should find it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from kiosk import wiring
from kiosk.navigation import ATTRACT, HOME, topic_key, topic_of
from kiosk.theme import TextSize

if TYPE_CHECKING:
    from kiosk.app import Kiosk
    from kiosk.screens.overlay import IdleOverlay

log = logging.getLogger(__name__)


class Visit(QObject):
    """Starts, follows and ends visitor sessions; owns the "Still there?" dialog."""

    # Screens out of sight were dropped (a restyle): they are to be built again, in idle time.
    screens_dropped = Signal()

    def __init__(self, kiosk: Kiosk):
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.started_at: float | None = None  # by the kiosk's monotonic clock; None between visitors
        self.last_input_at: float | None = None  # by the wall clock, for the metrics
        self._idle_overlay: IdleOverlay | None = None  # built ahead of need after the first frame
        self._tidying_under_cover = False  # queued after a reset, not yet done
        # The language a finger is on, on the attract screen (prepare_session) or the settings bar (prepare_switch).
        self._pressed_language: str | None = None
        self._frozen = False  # the window is held still while a switch is prepared under the finger

    @property
    def idle_overlay(self) -> IdleOverlay:
        if self._idle_overlay is None:
            from kiosk.screens.overlay import IdleOverlay

            self._idle_overlay = IdleOverlay(self.kiosk.services, self.kiosk.window)
            wiring.wire_idle_overlay(self.kiosk, self._idle_overlay)
        return self._idle_overlay

    @property
    def idle_overlay_built(self) -> IdleOverlay | None:
        return self._idle_overlay

    def prepare_session(self, language: str) -> None:
        """A finger is down on `language` on the attract screen: once its pressed look is painted, translate
        home and the settings bar under the attract screen, so that the release only uncovers them. The
        switch is quiet (the attract screen stays as it is) until the release starts the session."""
        self._pressed_language = language
        self.kiosk.after_paint.call(lambda: self._prepare(language))

    def let_go(self) -> None:
        """The finger came up: a tap started the session meanwhile, or it slid off and the switch goes back."""
        self._pressed_language = None
        self.kiosk.after_paint.call(self._unprepare)

    def _prepare(self, language: str) -> None:
        kiosk = self.kiosk
        if self._pressed_language != language or self.started_at is not None or not kiosk.window.covered:
            return  # already released (a quick tap, a key), or no longer between visitors
        if kiosk.i18n.set_language(language, announce=False):
            # Out of sight: their layouts run in the next pass, still before the release.
            self._translate(kiosk.header_built, kiosk.navigator.built.get(HOME))

    def _unprepare(self) -> None:
        if self.started_at is None:
            self.kiosk.i18n.withdraw()

    def start_session(self, language: str) -> None:
        # Home and the settings bar are uncovered first, then the language changes (or, translated in it while the
        # finger was down, is announced): the attract screen, out of sight by then, is not re-translated and
        # re-arranged on its way out (it is when it next shows).
        self._tidy_under_cover()  # if the last reset left it to do
        self.kiosk.navigator.home()
        self.choose_language(language)
        self.started_at = self.kiosk.clock()
        # Log lines are written once the tap's frame is painted (never held up behind the work ahead of need,
        # which stands aside while taps keep coming).
        self.kiosk.after_paint.call(lambda: log.info("session started in %s", language))
        if self.kiosk.stats:
            self.kiosk.stats.session_started(language)
        self.kiosk.policy.start()

    def prepare_switch(self, language: str) -> None:
        """A finger is down on `language` on the settings bar: once its pressed look is painted, the bar and the
        screen on show are held still (KioskWindow.hold_still) and translated in it (a quiet switch), their layouts
        following while the finger is down; the release announces the switch and lets them go, so its frame only
        paints. A finger that slides off takes the switch back (they are painted as they were)."""
        self._pressed_language = language
        self.kiosk.after_paint.call(lambda: self._prepare_switch(language))

    def let_go_of_switch(self) -> None:
        self._pressed_language = None
        self.kiosk.after_paint.call(self._unprepare_switch)

    def _prepare_switch(self, language: str) -> None:
        kiosk = self.kiosk
        if self._pressed_language != language or language == kiosk.i18n.current or kiosk.window.covered:
            return  # already released (a quick tap, a key), or nothing to switch
        kiosk.window.hold_still(True)
        self._frozen = True
        kiosk.i18n.set_language(language, announce=False)
        self._translate(kiosk.header_built, kiosk.navigator.on_show())

    def _unprepare_switch(self) -> None:
        if self._frozen:  # not chosen: slid off
            self.kiosk.i18n.withdraw()
            self._translate(self.kiosk.header_built, self.kiosk.navigator.on_show())
            self._thaw()

    @staticmethod
    def _translate(*parts) -> None:
        """Bring the bars and screens given (None: not built) up to the current language."""
        for part in parts:
            if part is not None:
                part.sync_language()

    def _thaw(self) -> None:
        if self._frozen:
            self._frozen = False
            self.kiosk.window.hold_still(False)

    def choose_language(self, language: str) -> None:
        chosen = self.kiosk.i18n.set_language(language)  # what is on show may be translated in it already
        self._thaw()
        if chosen:
            if self.kiosk.stats:
                self.kiosk.stats.language_selected(language)
            if self.started_at is not None:
                self.kiosk.after_paint.call(lambda: log.info("language changed to %s", language))

    def open_topic(self, topic_id: str) -> None:
        self.kiosk.navigator.open(topic_key(topic_id))

    def prepare_topic(self, topic_id: str) -> None:
        self.prepare_screen(topic_key(topic_id))

    def prepare_back(self) -> None:
        self.prepare_screen(self.kiosk.navigator.back_target)

    def prepare_home(self) -> None:
        self.prepare_screen(HOME)

    def prepare_screen(self, key: str) -> None:
        """A finger is down on a way to `key` (a tile, a card, Next, Back, Home): once its pressed look is painted,
        that screen is made ready and shown under the one on show, out of sight (Navigator.stage), so that the
        release only raises it. A finger that slides off hides it again; it stays ready."""
        self.kiosk.after_paint.call(lambda: self.kiosk.navigator.stage(key))

    def let_go_of_screen(self) -> None:
        """The finger came up from a way to another screen: after a tap that screen is on show; else it goes."""
        self.kiosk.after_paint.call(self.kiosk.navigator.unstage)

    def screen_shown(self, key: str) -> None:
        topic_id = topic_of(key)
        if topic_id and self.kiosk.stats:
            self.kiosk.stats.topic_viewed(topic_id, self.kiosk.i18n.current)

    def set_text_size(self, size: TextSize) -> None:
        self._restyle(self.kiosk.appearance.set_text_size, size)

    def set_high_contrast(self, on: bool) -> None:
        self._restyle(self.kiosk.appearance.set_high_contrast, on)

    def _restyle(self, change: Callable[[object], None], value: object) -> None:
        """A style sheet change re-polishes every widget alive: screens not on show go first
        (they are built again, in the new style, when visited)."""
        self._drop_hidden_screens()
        change(value)

    def _drop_hidden_screens(self) -> None:
        navigator = self.kiosk.navigator
        shown = navigator.stack.currentWidget()  # the screen on show, or under the attract screen
        keep = [key for key, screen in navigator.built.items() if key == ATTRACT or screen is shown]
        navigator.drop([key for key in navigator.built if key not in keep])
        self.screens_dropped.emit()

    # -- activity and the idle warning ------------------------------------------------------

    def activity(self) -> None:
        self.last_input_at = self.kiosk.wall_clock()
        self.kiosk.policy.activity()

    def switch_pressed(self) -> None:
        # In "Still there?" the press chooses Keep reading or Start over; it is not activity by itself.
        if self._idle_overlay is None or not self._idle_overlay.isVisible():
            self.activity()

    def show_idle_warning(self, seconds: int) -> None:
        self.idle_overlay.show_countdown(seconds)
        self.idle_overlay.open()

    def show_countdown(self, seconds: int) -> None:
        self.idle_overlay.show_countdown(seconds)

    def hide_idle_warning(self) -> None:
        if self._idle_overlay is not None:
            self._idle_overlay.hide()

    # -- the end of a visit -----------------------------------------------------------------

    def end_session(self) -> None:
        if self.started_at is not None:
            duration = self.kiosk.clock() - self.started_at
            self.kiosk.after_paint.call(lambda: log.info("session reset after %.0f s", duration))
            if self.kiosk.stats:
                self.kiosk.stats.session_ended(duration)
            self.started_at = None

    def is_pristine(self) -> bool:
        """Already what a new visitor should find: nothing to reset."""
        kiosk = self.kiosk
        return (
            kiosk.navigator.current == ATTRACT
            and not any(o.isVisible() for o in kiosk.overlays())
            and kiosk.i18n.current == kiosk.default_language
            and kiosk.appearance.is_default
            and kiosk.scanner.enabled == kiosk.settings.switch_scanning
        )

    def reset(self) -> None:
        """A new visitor: attract screen, default language, text size and theme, no history.

        Everything changes inside this one call, so no frame shows a half-reset screen.
        """
        kiosk = self.kiosk
        kiosk.policy.stop()
        kiosk.speech.stop()
        self.end_session()
        if self.is_pristine():
            return
        for overlay in kiosk.overlays():
            overlay.hide_under_cover()
        if not kiosk.appearance.is_default:
            self._drop_hidden_screens()
        attract = kiosk.navigator.built.get(ATTRACT)
        if attract is not None:
            attract.reset_view()  # shown in this frame: its greeting starts over in the first language
        # The language and look go back to the defaults once the screen left is out of sight (under the attract
        # screen about to cover it: it catches up in idle time, or as the next visitor uncovers it), and before
        # the attract screen shows, which is then translated and arranged once.
        kiosk.navigator.reset(meanwhile=self._default_language_and_look)
        kiosk.scanner.set_enabled(kiosk.settings.switch_scanning)
        kiosk.window.setFocus(Qt.FocusReason.OtherFocusReason)  # no focus ring left for the next visitor
        # The rest under the attract screen once this frame is painted, before any other work. Queued once,
        # however many resets come before it runs.
        if not self._tidying_under_cover:
            self._tidying_under_cover = True
            kiosk.ahead.call(self._tidy_under_cover, first=True)

    def _tidy_under_cover(self) -> None:
        """After a reset, out of sight: every screen back at its top, what a dialog covered in reach again, and
        home under the attract screen, where the next visitor uncovers it."""
        if not self._tidying_under_cover:
            return  # done already: a visitor came first
        self._tidying_under_cover = False
        kiosk = self.kiosk
        for overlay in kiosk.overlays():
            overlay.give_back()
        for key, screen in kiosk.navigator.built.items():
            if key != ATTRACT and screen.built:  # one still being built ahead has no view to reset yet
                screen.reset_view()
        kiosk.navigator.put_under_cover(HOME)

    def _default_language_and_look(self) -> None:
        self.kiosk.i18n.set_language(self.kiosk.default_language)
        self.kiosk.appearance.reset()

    def recover(self) -> None:
        """After an unexpected error: show home (or the attract screen between visitors)."""
        self.hide_idle_warning()
        if self.started_at is None:
            self.kiosk.navigator.reset()
        else:
            self.kiosk.navigator.home()
