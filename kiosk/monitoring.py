"""What IT monitors while the kiosk runs: systemd's readiness and watchdog, and the metrics file.

Imported after the first frame, when the kiosk says it is ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from kiosk import __version__

if TYPE_CHECKING:
    from kiosk.app import Kiosk

log = logging.getLogger(__name__)


class Monitoring(QObject):
    """Tells systemd the kiosk is ready and alive, and keeps the metrics file up to date."""

    def __init__(self, kiosk: Kiosk):
        super().__init__(kiosk)
        self.kiosk = kiosk
        self.timers: list[QTimer] = []
        self._metrics_problem: str | None = None  # why the metrics file could not be written last time

    def start(self) -> None:
        kiosk = self.kiosk
        kiosk.notifier.ready()
        interval = kiosk.notifier.watchdog_interval_ms()
        if interval:
            # Pinged from the UI thread: a frozen UI stops the pings and systemd restarts the kiosk.
            self._every(interval, kiosk.notifier.watchdog)
        if kiosk.settings.metrics_file:
            self.write_metrics()
            self._every(kiosk.settings.metrics_interval_s * 1000, self.write_metrics)
            kiosk.speech.availability_changed.connect(self.write_metrics)  # read-aloud turned off says why at once

    def stop(self) -> None:
        for timer in self.timers:
            timer.stop()

    def _every(self, msec: int, slot: Callable[[], None]) -> None:
        timer = QTimer(self)
        timer.setInterval(msec)
        timer.timeout.connect(slot)
        timer.start()
        self.timers.append(timer)

    def write_metrics(self) -> None:
        from kiosk.metrics import MetricsSnapshot, render_metrics, write_metrics_file

        kiosk = self.kiosk
        kiosk.backend.ensure_content()
        stats = kiosk.backend.stats
        totals = stats.totals() if stats and stats.enabled else None
        snapshot = MetricsSnapshot(
            version=__version__,
            content_version=kiosk.services.library.version,
            started_at=kiosk.started_at,
            last_input_at=kiosk.visit.last_input_at,
            sessions_total=totals.sessions if totals else 0,
            session_active=kiosk.visit.started_at is not None,
            topic_views=totals.topic_views if totals else {},
            catalog_completeness={lang: r.completeness for lang, r in kiosk.i18n.reports.items()} | {"en": 1.0},
            languages_enabled=kiosk.i18n.enabled,
            read_aloud=kiosk.speech.status,
        )
        path = kiosk.settings.metrics_file
        try:
            write_metrics_file(path, render_metrics(snapshot))
        except OSError as error:
            problem = error.strerror or str(error)
            # Once, then again only when the reason changes: not 1,440 lines a day.
            if problem != self._metrics_problem:
                log.warning(
                    "cannot write metrics file %s: %s; retrying every %d s",
                    path,
                    problem,
                    kiosk.settings.metrics_interval_s,
                )
            self._metrics_problem = problem
            return
        if self._metrics_problem is not None:
            log.info("metrics file %s written again", path)
            self._metrics_problem = None
