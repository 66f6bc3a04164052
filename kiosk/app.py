"""The kiosk: builds the services and screens and wires their signals, all in this one place."""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import __version__, accessibility
from kiosk.access import DwellClicker, SwitchScanner, focus_targets
from kiosk.ahead import AheadOfTime
from kiosk.backend import Backend
from kiosk.config import Settings
from kiosk.events import EventRouter
from kiosk.i18n import _, ngettext
from kiosk.lockdown import LockdownFilter, StaffGesture
from kiosk.navigation import ATTRACT, HOME, Navigator, topic_key, topic_of
from kiosk.runtime import runtime_dir
from kiosk.screens.attract import PROMPT as ATTRACT_PROMPT
from kiosk.screens.attract import AttractScreen
from kiosk.session import ActivityFilter, IdlePolicy, Timer
from kiosk.speech import WORKER_COMMAND
from kiosk.warmup import AfterFirstFrame, WarmUp
from kiosk.widgets.header import SettingsBar
from kiosk.widgets.options import AccessOptions
from kiosk.window import KioskWindow

# The attract screen needs none of these: they are imported after the first frame, where they are used.
if TYPE_CHECKING:
    from kiosk.monitoring import Monitoring
    from kiosk.problems import FileProblem
    from kiosk.screens.overlay import IdleOverlay
    from kiosk.screens.staff import PinPad, StaffPanel
    from kiosk.stats import UsageStats

log = logging.getLogger(__name__)

EXIT_STAFF = 3  # "Exit to desktop": the service unit does not restart on this code
STAFF_EXIT_MARKER = "staff-exit"  # in $RUNTIME_DIRECTORY; the unit's ExecCondition checks it
PIN_LOCKOUT_FILE = "pin-lockout.json"  # in the data folder, else the runtime folder


class Kiosk(QObject):
    """Owns the services, the window, the navigator and the session; connects them."""

    def __init__(
        self,
        app: QApplication,
        settings: Settings,
        kiosk_mode: bool = True,
        data_dir: Path | None = None,
        config_path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        timer_factory: Callable[[], Timer] = QTimer,
        environ: Mapping[str, str] | None = None,
        speech_worker: Sequence[str] | None = WORKER_COMMAND,
    ):
        super().__init__()
        self.app = app
        self.settings = settings
        self.kiosk_mode = kiosk_mode
        self.data_dir = data_dir
        self.config_path = config_path
        self.clock = clock
        self.wall_clock = wall_clock
        self.started_at = wall_clock()
        self.last_input_at: float | None = None
        self.session_started_at: float | None = None
        # An empty mapping is a real answer ("no systemd, no runtime folder"), not "use os.environ".
        self.environ = environ if environ is not None else os.environ

        self.backend = Backend(app, settings, data_dir, self.environ, speech_worker)
        self.i18n = self.backend.i18n
        self.appearance = self.backend.appearance
        self.speech = self.backend.speech
        self.services = self.backend.services
        self.notifier = self.backend.notifier

        accessibility.install()
        self._header: SettingsBar | None = None  # built after the first frame: the attract screen hides it
        self.window = KioskWindow(kiosk_mode)
        self.navigator = Navigator(self.window.stack, self._make_screen)
        # Overlays are built ahead of need after the first frame (or when first needed).
        self._idle_overlay: IdleOverlay | None = None
        self._staff_panel: StaffPanel | None = None
        self.policy = IdlePolicy(settings.idle_timeout_s, settings.idle_warning_s, clock, timer_factory)
        self.activity = ActivityFilter()

        self.scanner = SwitchScanner(self.scan_targets, settings.scan_interval_ms, timer_factory)
        self.dwell: DwellClicker | None = None
        if settings.dwell_click:
            self.dwell = DwellClicker(self.window, settings.dwell_ms, timer_factory)

        self.lockdown: LockdownFilter | None = None
        if kiosk_mode:
            self.lockdown = LockdownFilter(self.window)
            if settings.hide_cursor and not settings.dwell_click:  # dwell needs a pointer to rest
                app.setOverrideCursor(Qt.CursorShape.BlankCursor)
        self.pin_pad: PinPad | None = None
        self.staff_gesture = StaffGesture(self.window, clock, timer_factory)
        # While scanning every key is the switch, so the scanner goes first (a press counts as activity).
        # Then lockdown: a swallowed shortcut is neither activity nor part of the staff gesture.
        self.ahead = AheadOfTime()
        filters = (self.scanner, self.lockdown, self.staff_gesture, self.activity, self.ahead, self.dwell)
        handlers = [f for f in filters if f is not None]
        self.events = EventRouter(handlers)  # installed with the first frame

        self._monitoring: Monitoring | None = None  # started after the first frame
        self.warm_up_work = WarmUp(self)
        self._shut_down = False
        self._wire()
        self.navigator.reset()

    # -- what the parts share ---------------------------------------------------------------

    @property
    def default_language(self) -> str:
        return self.backend.default_language

    @property
    def stats(self) -> UsageStats | None:
        return self.backend.stats

    @property
    def content_problems(self) -> tuple[FileProblem, ...]:
        return self.backend.content_problems

    @property
    def monitoring(self) -> Monitoring:
        if self._monitoring is None:
            from kiosk.monitoring import Monitoring

            self._monitoring = Monitoring(self)
        return self._monitoring

    # -- building ---------------------------------------------------------------------------

    @property
    def header(self) -> SettingsBar:
        if self._header is None:
            self._header = SettingsBar(self.i18n, self.appearance)
            self.window.set_header(self._header)
            self._header.setVisible(self.navigator.current not in ("", ATTRACT))
            self._header.language_requested.connect(self.choose_language)
            self._header.text_size_requested.connect(lambda size: self._restyle(self.appearance.set_text_size, size))
            self._header.high_contrast_requested.connect(
                lambda on: self._restyle(self.appearance.set_high_contrast, on)
            )
        return self._header

    @property
    def idle_overlay(self) -> IdleOverlay:
        if self._idle_overlay is None:
            from kiosk.screens.overlay import IdleOverlay

            self._idle_overlay = IdleOverlay(self.services, self.window)
            self.activity.exempt.append(self._idle_overlay)
            self._idle_overlay.keep_requested.connect(self.policy.activity)
            self._idle_overlay.start_over_requested.connect(self.policy.expire_now)
        return self._idle_overlay

    @property
    def staff_panel(self) -> StaffPanel:
        if self._staff_panel is None:
            from kiosk.screens.staff import StaffPanel

            self._staff_panel = StaffPanel(self.services, self.window)
            self._staff_panel.exit_requested.connect(self.exit_to_desktop)
            self._staff_panel.reload_requested.connect(self.reload)
        return self._staff_panel

    def overlays(self) -> list[QWidget]:
        """The overlays built so far."""
        return [o for o in (self._idle_overlay, self._staff_panel, self.pin_pad) if o is not None]

    def _make_screen(self, key: str, build_now: bool = True) -> QWidget | None:
        if key == ATTRACT:
            options = AccessOptions(self.i18n, self.appearance, self.scanner)
            self._wire_display_choices(options)
            options.scanning_requested.connect(self.scanner.set_enabled)
            screen = AttractScreen(self.services, reduced_motion=self.settings.reduced_motion, options=options)
            screen.language_chosen.connect(self.start_session)
            return screen
        self.backend.ensure_content()
        if key == HOME:
            from kiosk.screens.home import HomeScreen

            screen = HomeScreen(self.services, build_now=build_now)
            screen.topic_requested.connect(self.open_topic)
            return screen
        topic = self.services.library.get(topic_of(key) or "")
        if topic is None:
            return None
        from kiosk.screens.topic import TopicScreen

        screen = TopicScreen(self.services, topic, build_now=build_now)
        screen.topic_requested.connect(self.open_topic)
        screen.back_requested.connect(self.navigator.back)
        screen.home_requested.connect(self.navigator.home)
        return screen

    def _wire(self) -> None:
        self.navigator.current_changed.connect(self._on_screen_changed)

        # What assistive technology hears: the screen's name, in the visitor's language and voice.
        self.i18n.language_changed.connect(self._speak_the_visitors_language)
        self.i18n.language_changed.connect(self._name_window)
        self.navigator.current_changed.connect(self._name_window)
        self._speak_the_visitors_language()
        self.scanner.pressed.connect(self._on_switch_press)
        if self.dwell is not None:
            self.dwell.dwelled.connect(self._on_activity)
        self.scanner.set_enabled(self.settings.switch_scanning)

        self.activity.activity.connect(self._on_activity)
        self.policy.warning_started.connect(self._show_idle_warning)
        self.policy.countdown_changed.connect(lambda seconds: self.idle_overlay.show_countdown(seconds))
        self.policy.warning_cancelled.connect(lambda: self._idle_overlay is not None and self._idle_overlay.hide())
        self.policy.timed_out.connect(self.reset)

        self.staff_gesture.requested.connect(self.open_staff_access)

        # The visitor is listening, not gone; and speech never outlives what it reads.
        self.speech.speaking_changed.connect(lambda speaking: self.policy.pause() if speaking else self.policy.resume())
        self.i18n.language_changed.connect(self.speech.stop)
        self.i18n.language_changed.connect(self.warm_up_work.catch_up_language)
        self.navigator.current_changed.connect(self.speech.stop)

    def _wire_display_choices(self, bar: SettingsBar | AccessOptions) -> None:
        bar.text_size_requested.connect(lambda size: self._restyle(self.appearance.set_text_size, size))
        bar.high_contrast_requested.connect(lambda on: self._restyle(self.appearance.set_high_contrast, on))

    # -- start and stop ---------------------------------------------------------------------

    def show(self, geometry: QRect | None = None) -> None:
        self.window.show_on(geometry or self.app.primaryScreen().geometry())
        # Work the first frame does not need, done after it is painted, a slice at a time.
        self._first_frame = AfterFirstFrame(self.window, self.after_first_frame)

    def after_first_frame(self) -> None:
        self.warm_up_work.after_first_frame()

    def warm_up(self) -> None:
        """The warm-up, done now rather than in slices (tests, rendering)."""
        self.warm_up_work.now()

    def stop_on_signal(self, number: int) -> None:
        """SIGTERM (systemctl stop, restart) or SIGINT (Ctrl+C): end the visit and stop, as the staff exit does."""
        log.info("stopping on %s", signal.Signals(number).name)
        self.quit(0)

    def quit(self, code: int) -> None:
        """Leave the event loop with `code`, the visit ended and recorded first (the display may go next)."""
        self.shutdown()
        self.window.allow_close = True
        self.app.exit(code)

    def shutdown(self) -> None:
        """Record the open visit, tell systemd and the metrics; safe to call again."""
        if self._shut_down:
            return
        self._shut_down = True
        self.ahead.cancel()
        self.warm_up_work.remove_event_filter()
        if self._monitoring is not None:
            self._monitoring.stop()
        self.notifier.stopping()
        self.speech.shutdown()
        self._end_session()
        if self.settings.metrics_file:
            self.write_metrics()
        if self.stats:
            self.stats.close()

    # -- visitor sessions -------------------------------------------------------------------

    def start_session(self, language: str) -> None:
        # Home first: the attract screen, left behind, is re-translated when next shown, not now.
        self.navigator.home()
        self.choose_language(language)
        self.session_started_at = self.clock()
        log.info("session started in %s", language)
        if self.stats:
            self.stats.session_started(language)
        self.policy.start()

    def choose_language(self, language: str) -> None:
        if self.i18n.set_language(language):
            if self.stats:
                self.stats.language_selected(language)
            if self.session_started_at is not None:
                log.info("language changed to %s", language)

    def open_topic(self, topic_id: str) -> None:
        self.navigator.open(topic_key(topic_id))

    def _restyle(self, change: Callable[[object], None], value: object) -> None:
        """A style sheet change re-polishes every widget alive: screens not on show go first
        (they are built again, in the new style, when visited)."""
        self._drop_hidden_screens()
        change(value)

    def _drop_hidden_screens(self) -> None:
        keep = (self.navigator.current, ATTRACT)
        self.navigator.drop([key for key in self.navigator.built if key not in keep])
        self.warm_up_work.rebuild_dropped()  # in the new style, in idle time

    def focus_scope(self) -> QWidget:
        """Where Tab, a switch and dwell may go now: an open dialog, else the whole window."""
        for overlay in (self.pin_pad, self._staff_panel, self._idle_overlay):  # only those built
            if overlay is not None and overlay.isVisible():
                return overlay
        return self.window

    def scan_targets(self) -> list[QWidget]:
        """What a switch scans: an open dialog's buttons; else the screen's, then the bar's above it
        (a switch user reaches the topics first, not after ten language and display buttons)."""
        scope = self.focus_scope()
        if scope is not self.window:
            return focus_targets(scope)
        content = focus_targets(self.window.stack)
        return content + [widget for widget in focus_targets(self.window) if widget not in content]

    def _speak_the_visitors_language(self) -> None:
        """Every text without a language of its own reports the visitor's (a locale change event
        reaches every widget, so this runs on a language switch, not on every move)."""
        accessibility.set_language(self.window, self.i18n.current)
        QLocale.setDefault(QLocale(self.i18n.current))  # the application's own, as AT-SPI reports it

    def _name_window(self) -> None:
        key = self.navigator.current
        title = _("Learn about ALS")
        if key == ATTRACT:
            name = f"{title}: {_(ATTRACT_PROMPT)}"
        elif key == HOME:
            name = f"{_('Home')}: {title}"
        else:
            topic = self.services.library.get(topic_of(key) or "")
            name = f"{_(topic.title)}: {title}" if topic is not None else title
        self.window.setAccessibleName(name)
        self.window.setWindowTitle(name)

    def _on_switch_press(self) -> None:
        # In "Still there?" the press chooses Keep reading or Start over; it is not activity by itself.
        if self._idle_overlay is None or not self._idle_overlay.isVisible():
            self._on_activity()

    def _on_activity(self) -> None:
        self.last_input_at = self.wall_clock()
        self.policy.activity()

    def _show_idle_warning(self, seconds: int) -> None:
        self.idle_overlay.show_countdown(seconds)
        self.idle_overlay.open()

    def _end_session(self) -> None:
        if self.session_started_at is not None:
            duration = self.clock() - self.session_started_at
            log.info("session reset after %.0f s", duration)
            if self.stats:
                self.stats.session_ended(duration)
            self.session_started_at = None

    def is_pristine(self) -> bool:
        """Already what a new visitor should find: nothing to reset."""
        return (
            self.navigator.current == ATTRACT
            and not any(o.isVisible() for o in self.overlays())
            and self.i18n.current == self.default_language
            and self.appearance.is_default
            and self.scanner.enabled == self.settings.switch_scanning
        )

    def reset(self) -> None:
        """A new visitor: attract screen, default language, text size and theme, no history.

        Everything changes inside this one call, so no frame shows a half-reset screen.
        """
        self.policy.stop()
        self.speech.stop()
        self._end_session()
        if self.is_pristine():
            return
        for overlay in self.overlays():
            overlay.hide()
        if not self.appearance.is_default:
            self._drop_hidden_screens()
        for screen in self.navigator.built.values():
            if screen.built:  # one still being built ahead has no view to reset yet
                screen.reset_view()
        # The attract screen first: the screen left behind is re-translated when next shown, not now.
        self.navigator.reset()
        self.i18n.set_language(self.default_language)
        self.appearance.reset()
        self.scanner.set_enabled(self.settings.switch_scanning)
        self.window.setFocus(Qt.FocusReason.OtherFocusReason)  # no focus ring left for the next visitor

    def recover(self) -> None:
        """After an unexpected error: show home (or the attract screen between visitors)."""
        if self._idle_overlay is not None:
            self._idle_overlay.hide()
        if self.session_started_at is None:
            self.navigator.reset()
        else:
            self.navigator.home()

    def _on_screen_changed(self, key: str) -> None:
        if key != ATTRACT or self._header is not None:
            self.header.setVisible(key != ATTRACT)
        topic_id = topic_of(key)
        if topic_id and self.stats:
            self.stats.topic_viewed(topic_id, self.i18n.current)

    # -- staff ------------------------------------------------------------------------------

    def open_staff_access(self) -> None:
        if not self.settings.staff_pin_hash:
            if self.kiosk_mode:
                log.info("staff gesture seen, but no staff PIN is configured")
                return
            self.open_staff_panel()
            return
        if self.pin_pad is None:
            from kiosk.pin import PinLockout
            from kiosk.screens.staff import PinPad

            lockout = PinLockout(
                self.backend.state_dir() / PIN_LOCKOUT_FILE,
                clock=self.wall_clock,
                fallback_path=runtime_dir(self.environ) / PIN_LOCKOUT_FILE,
            )
            self.pin_pad = PinPad(self.services, self.window, self.settings.staff_pin_hash, lockout)
            self.pin_pad.accepted.connect(self.open_staff_panel)
        self.pin_pad.open()
        if not self.policy.running:
            self.policy.start()

    def open_staff_panel(self) -> None:
        log.info("staff panel opened")
        self.staff_panel.show_result("")
        self.staff_panel.show_status(self.status_lines())
        self.staff_panel.open()
        if not self.policy.running:
            self.policy.start()

    def status_lines(self) -> list[str]:
        self.backend.ensure_content()
        library = self.services.library
        lines = [
            _("Version: {version}").format(version=__version__),
            _("Config file: {path}").format(path=self.config_path or _("none (built-in defaults)")),
            _("Content: {count} topics, version {version}").format(count=len(library.topics), version=library.version),
        ]
        for problem in self.content_problems:
            lines.append(f"  ! {problem}")
        for language in self.i18n.configured:
            report = self.i18n.reports.get(language)
            if language in self.i18n.errors:
                lines.append(f"{language}: {self.i18n.errors[language]}")
            elif report is not None:
                lines.append(f"{language}: {report.completeness:.0%}")
        if self.stats and self.stats.enabled:
            today = self.stats.today()
            lines.append(
                ngettext("Today: {count} visitor", "Today: {count} visitors", today.sessions).format(
                    count=today.sessions
                )
                + ", "
                + ngettext("{count} topic viewed", "{count} topics viewed", today.topic_views).format(
                    count=today.topic_views
                )
            )
        else:
            lines.append(_("Usage statistics are off."))
        return lines

    def exit_to_desktop(self) -> None:
        log.info("staff chose exit to desktop")
        self._mark_staff_exit()
        self.quit(EXIT_STAFF)

    def _mark_staff_exit(self) -> None:
        """Under systemd, leave a mark that stops the restart: cage 0.1 and xinit hide exit code 3."""
        runtime = self.environ.get("RUNTIME_DIRECTORY")
        if not runtime:
            return
        marker = Path(runtime.split(":")[0]) / STAFF_EXIT_MARKER
        try:
            marker.write_text("staff chose Exit to desktop\n", encoding="utf-8")
        except OSError as error:
            log.warning("cannot write %s: %s; the service may restart the kiosk", marker, error.strerror)

    def reload(self) -> None:
        """Read content and catalogs again; a broken reload keeps what is running and says why."""
        reasons = self.backend.reload()
        if reasons:
            self.staff_panel.show_result(
                _("Reload failed; the kiosk keeps its current content.") + "\n" + "\n".join(reasons)
            )
            log.error("reload refused: %s", "; ".join(reasons))
            return
        self.header.languages.rebuild()
        self.navigator.drop(list(self.navigator.built))
        self.warm_up_work.rebuild_dropped()
        self.staff_panel.show_status(self.status_lines())
        self.staff_panel.show_result(_("Content and translations reloaded."))
        log.info("content and catalogs reloaded (content version %s)", self.services.library.version)

    # -- monitoring -------------------------------------------------------------------------

    def write_metrics(self) -> None:
        self.monitoring.write_metrics()
