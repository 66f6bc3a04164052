"""The kiosk's composition root: builds its parts and hands them to each other; `Kiosk` is the one handle
the program (and the tests, the benchmark, `render`) hold.

Where each concern lives: the services in kiosk.backend, every signal connection in kiosk.wiring,
a visitor's session in kiosk.visit, staff access in kiosk.staff_access, the work after the first frame
in kiosk.warmup, systemd and the metrics in kiosk.monitoring.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import accessibility, wiring
from kiosk.access import DwellClicker, SwitchScanner, focus_targets
from kiosk.ahead import AheadOfTime
from kiosk.backend import Backend
from kiosk.config import Settings
from kiosk.events import AfterPaint, EventRouter
from kiosk.i18n import _
from kiosk.lockdown import LockdownFilter, StaffGesture
from kiosk.navigation import ATTRACT, HOME, Navigator, topic_of
from kiosk.screens.attract import PROMPT as ATTRACT_PROMPT
from kiosk.screens.attract import AttractScreen
from kiosk.session import ActivityFilter, IdlePolicy, Timer
from kiosk.speech import WORKER_COMMAND
from kiosk.staff_access import StaffAccess
from kiosk.visit import Visit
from kiosk.warmup import AfterFirstFrame, WarmUp
from kiosk.widgets.header import SettingsBar
from kiosk.widgets.options import AccessOptions
from kiosk.window import KioskWindow

# The attract screen needs none of these: they are imported after the first frame, where they are used.
if TYPE_CHECKING:
    from kiosk.monitoring import Monitoring
    from kiosk.problems import FileProblem
    from kiosk.screens.overlay import IdleOverlay, Overlay
    from kiosk.screens.staff import PinPad, StaffPanel
    from kiosk.stats import UsageStats

log = logging.getLogger(__name__)


class Kiosk(QObject):
    """Builds the back end, the window and its input handling, and the parts that run the kiosk."""

    first_frame_painted = Signal()  # the attract screen is on the display: what it did not need may start

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
        # An empty mapping is a real answer ("no systemd, no runtime folder"), not "use os.environ".
        self.environ = environ if environ is not None else os.environ

        self.backend = Backend(app, settings, data_dir, self.environ, speech_worker)
        self.i18n = self.backend.i18n
        self.appearance = self.backend.appearance
        self.speech = self.backend.speech
        self.services = self.backend.services
        self.notifier = self.backend.notifier

        accessibility.install()
        self._header: SettingsBar | None = None  # built after the first frame: the attract screen covers it
        self.window = KioskWindow(kiosk_mode)
        self.navigator = Navigator(self.window, self._make_screen)

        # Input. While scanning every key is the switch, so the scanner goes first (a press counts as
        # activity). Then lockdown: a swallowed shortcut is neither activity nor part of the staff gesture.
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
        self.staff_gesture = StaffGesture(self.window, clock, timer_factory)
        self.ahead = AheadOfTime()
        self.after_paint = AfterPaint(self)  # what no frame waits for: the window's name, log lines
        self._naming_queued = False
        filters = (self.scanner, self.lockdown, self.staff_gesture, self.activity, self.ahead, self.dwell)
        self.events = EventRouter([f for f in filters if f is not None])  # installed with the first frame

        self.visit = Visit(self)
        self.staff_access = StaffAccess(self)
        self.warm_up_work = WarmUp(self)
        self._monitoring: Monitoring | None = None  # started after the first frame
        self._shut_down = False
        wiring.wire(self)
        self.speak_the_visitors_language()
        self.scanner.set_enabled(settings.switch_scanning)
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

    # -- the widgets, each built when first needed ------------------------------------------

    @property
    def header(self) -> SettingsBar:
        if self._header is None:
            self._header = SettingsBar(self.i18n, self.appearance)
            self.window.set_header(self._header)
            self._header.show()
            wiring.wire_header(self, self._header)
        return self._header

    @property
    def header_built(self) -> SettingsBar | None:
        return self._header

    @property
    def idle_overlay(self) -> IdleOverlay:
        return self.visit.idle_overlay

    @property
    def staff_panel(self) -> StaffPanel:
        return self.staff_access.staff_panel

    @property
    def pin_pad(self) -> PinPad | None:
        return self.staff_access.pin_pad

    def overlays(self) -> list[Overlay]:
        """The dialogs built so far."""
        built = (self.visit.idle_overlay_built, self.staff_access.staff_panel_built, self.pin_pad)
        return [o for o in built if o is not None]

    def _make_screen(self, key: str, build_now: bool = True) -> QWidget | None:
        if key == ATTRACT:
            options = AccessOptions(self.i18n, self.appearance, self.scanner)
            screen = AttractScreen(self.services, reduced_motion=self.settings.reduced_motion, options=options)
            wiring.wire_attract_screen(self, screen, options)
            return screen
        self.backend.ensure_content()
        if key == HOME:
            from kiosk.screens.home import HomeScreen

            screen = HomeScreen(self.services, build_now=build_now)
            wiring.wire_home_screen(self, screen)
            return screen
        topic = self.services.library.get(topic_of(key) or "")
        if topic is None:
            return None
        from kiosk.screens.topic import TopicScreen

        screen = TopicScreen(self.services, topic, build_now=build_now)
        wiring.wire_topic_screen(self, screen)
        return screen

    # -- the window -------------------------------------------------------------------------

    def uncover_header(self, key: str) -> None:
        """Before a screen other than the attract screen shows: the settings bar, kept under the attract
        screen between visitors, catches up with the language chosen meanwhile."""
        if key != ATTRACT and self._header is not None:
            self._header.sync_language()

    def speak_the_visitors_language(self) -> None:
        """Every text without a language of its own reports the visitor's (a locale change event
        reaches every widget, so this runs on a language switch, not on every move)."""
        accessibility.set_language(self.window, self.i18n.current)
        QLocale.setDefault(QLocale(self.i18n.current))  # the application's own, as AT-SPI reports it

    def name_window(self) -> None:
        """Name the window after the screen on show, once the tap's frame is painted: a tap that changes both
        the screen and the language (choosing one) names it once, and its frame waits for neither name."""
        if not self._naming_queued:
            self._naming_queued = True
            self.after_paint.call(self._name_window_now)

    def _name_window_now(self) -> None:
        self._naming_queued = False
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

    def focus_scope(self) -> QWidget:
        """Where Tab, a switch and dwell may go now: an open dialog, else the attract screen or the whole window."""
        for overlay in (self.pin_pad, self.staff_access.staff_panel_built, self.visit.idle_overlay_built):
            if overlay is not None and overlay.isVisible():
                return overlay
        return self.window.cover if self.window.covered else self.window

    def scan_targets(self) -> list[QWidget]:
        """What a switch scans: an open dialog's buttons; else the screen's, then the bar's above it
        (a switch user reaches the topics first, not after ten language and display buttons)."""
        scope = self.focus_scope()
        if scope is not self.window:
            return focus_targets(scope)
        content = focus_targets(self.window.stack)
        return content + [widget for widget in focus_targets(self.window) if widget not in content]

    # -- start and stop ---------------------------------------------------------------------

    def show(self, geometry: QRect | None = None) -> None:
        self.window.show_on(geometry or self.app.primaryScreen().geometry())
        # Work the first frame does not need, done after it is painted, a slice at a time.
        self._first_frame = AfterFirstFrame(self.window, self.after_first_frame)

    def after_first_frame(self) -> None:
        self.first_frame_painted.emit()
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
        self.policy.stop()  # no idle warning or reset from a kiosk on its way out (or a finished render)
        self.ahead.cancel()
        self.warm_up_work.remove_event_filter()
        if self._monitoring is not None:
            self._monitoring.stop()
        self.notifier.stopping()
        self.speech.shutdown()
        self.visit.end_session()
        self.after_paint.finish()  # its log line
        if self.settings.metrics_file:
            self.write_metrics()
        if self.stats:
            self.stats.close()

    # -- what the program, `render`, the tests and the benchmark call ---------------------------

    @property
    def session_started_at(self) -> float | None:
        return self.visit.started_at

    def start_session(self, language: str) -> None:
        self.visit.start_session(language)

    def choose_language(self, language: str) -> None:
        self.visit.choose_language(language)

    def open_topic(self, topic_id: str) -> None:
        self.visit.open_topic(topic_id)

    def is_pristine(self) -> bool:
        return self.visit.is_pristine()

    def reset(self) -> None:
        self.visit.reset()

    def recover(self) -> None:
        self.visit.recover()

    def open_staff_access(self) -> None:
        self.staff_access.open()

    def status_lines(self) -> list[str]:
        return self.staff_access.status_lines()

    def write_metrics(self) -> None:
        self.monitoring.write_metrics()
