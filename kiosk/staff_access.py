"""Staff access: the hidden gesture opens a PIN pad, the PIN the staff panel, which reports the
kiosk's state, reloads content and catalogs, and exits to the desktop."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk import __version__, wiring
from kiosk.i18n import _, ngettext
from kiosk.runtime import runtime_dir

if TYPE_CHECKING:
    from kiosk.app import Kiosk
    from kiosk.screens.staff import PinPad, StaffPanel

log = logging.getLogger(__name__)

EXIT_STAFF = 3  # "Exit to desktop": the service unit does not restart on this code
STAFF_EXIT_MARKER = "staff-exit"  # in $RUNTIME_DIRECTORY; the unit's ExecCondition checks it
PIN_LOCKOUT_FILE = "pin-lockout.json"  # in the data folder, else the runtime folder


class StaffAccess(QObject):
    """The staff's way in and what they can do there; owns the PIN pad and the staff panel."""

    exit_requested = Signal(int)  # the exit code: the staff chose to leave the kiosk
    reloaded = Signal()  # new content and catalogs are in: the screens built from the old go

    def __init__(self, kiosk: Kiosk):
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.pin_pad: PinPad | None = None  # built when the gesture is first made
        self._staff_panel: StaffPanel | None = None  # built ahead of need after the first frame

    @property
    def staff_panel(self) -> StaffPanel:
        if self._staff_panel is None:
            from kiosk.screens.staff import StaffPanel

            self._staff_panel = StaffPanel(self.kiosk.services, self.kiosk.window)
            wiring.wire_staff_panel(self.kiosk, self._staff_panel)
        return self._staff_panel

    @property
    def staff_panel_built(self) -> StaffPanel | None:
        return self._staff_panel

    def open(self) -> None:
        """The staff gesture: the PIN pad, or without a PIN outside kiosk mode, the panel itself."""
        kiosk = self.kiosk
        if not kiosk.settings.staff_pin_hash:
            if kiosk.kiosk_mode:
                log.info("staff gesture seen, but no staff PIN is configured")
                return
            self.open_panel()
            return
        if self.pin_pad is None:
            from kiosk.pin import PinLockout
            from kiosk.screens.staff import PinPad

            lockout = PinLockout(
                kiosk.backend.state_dir() / PIN_LOCKOUT_FILE,
                clock=kiosk.wall_clock,
                fallback_path=runtime_dir(kiosk.environ) / PIN_LOCKOUT_FILE,
            )
            self.pin_pad = PinPad(kiosk.services, kiosk.window, kiosk.settings.staff_pin_hash, lockout)
            wiring.wire_pin_pad(kiosk, self.pin_pad)
        self.pin_pad.open()
        if not kiosk.policy.running:
            kiosk.policy.start()

    def open_panel(self) -> None:
        log.info("staff panel opened")
        self.staff_panel.show_result("")
        self.staff_panel.show_status(self.status_lines())
        self.staff_panel.open()
        if not self.kiosk.policy.running:
            self.kiosk.policy.start()

    def status_lines(self) -> list[str]:
        backend = self.kiosk.backend
        backend.ensure_content()
        library = backend.services.library
        i18n = backend.i18n
        lines = [
            _("Version: {version}").format(version=__version__),
            _("Config file: {path}").format(path=self.kiosk.config_path or _("none (built-in defaults)")),
            _("Content: {count} topics, version {version}").format(count=len(library.topics), version=library.version),
        ]
        for problem in backend.content_problems:
            lines.append(f"  ! {problem}")
        for language in i18n.configured:
            report = i18n.reports.get(language)
            if language in i18n.errors:
                lines.append(f"{language}: {i18n.errors[language]}")
            elif report is not None:
                lines.append(f"{language}: {report.completeness:.0%}")
        if backend.stats and backend.stats.enabled:
            today = backend.stats.today()
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
        self.exit_requested.emit(EXIT_STAFF)

    def _mark_staff_exit(self) -> None:
        """Under systemd, leave a mark that stops the restart: cage 0.1 and xinit hide exit code 3."""
        runtime = self.kiosk.environ.get("RUNTIME_DIRECTORY")
        if not runtime:
            return
        marker = Path(runtime.split(":")[0]) / STAFF_EXIT_MARKER
        try:
            marker.write_text("staff chose Exit to desktop\n", encoding="utf-8")
        except OSError as error:
            log.warning("cannot write %s: %s; the service may restart the kiosk", marker, error.strerror)

    def reload(self) -> None:
        """Read content and catalogs again; a broken reload keeps what is running and says why."""
        reasons = self.kiosk.backend.reload()
        if reasons:
            self.staff_panel.show_result(
                _("Reload failed; the kiosk keeps its current content.") + "\n" + "\n".join(reasons)
            )
            log.error("reload refused: %s", "; ".join(reasons))
            return
        self.reloaded.emit()
        self.staff_panel.show_status(self.status_lines())
        self.staff_panel.show_result(_("Content and translations reloaded."))
        log.info("content and catalogs reloaded (content version %s)", self.kiosk.services.library.version)
