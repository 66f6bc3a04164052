"""Work done ahead of need, in short slices while the kiosk is idle.

After the first frame the kiosk builds the screens a visitor may open next, loads what they
read and fills the caches a language switch uses. Each job is a generator that does a few
milliseconds of work per step; one step runs per pass of the event loop, so a touch that
arrives meanwhile waits at most for the step in progress, and the work then stands aside
while the visitor touches the screen (`eventFilter`): from a press to its release, which is
the tap, and until the frame that answers it is painted. `slices` keeps how long each step
took (the benchmark reports them as that wait).
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Iterator

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from kiosk.session import Timer

log = logging.getLogger(__name__)

MAX_SLICES_KEPT = 4096
# After a touch, press or key, the work waits this long: the tap's handling and its frame come first.
STAND_ASIDE_MS = 60
# While a finger (or key) is down the work waits for its release, which is the tap, but no longer than this: a
# release can be lost (a touch cancelled, a grab) and a hand resting on the screen must not stop it for good.
HELD_AT_MOST_MS = 2000


class AheadOfTime(QObject):
    """Runs queued jobs one step per event-loop pass; `idle` is emitted when the queue runs dry."""

    idle = Signal()

    # A touch, press or key: the work stands aside; from a press to its release, it waits.
    PRESSES = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress})
    EVENT_TYPES = PRESSES | {
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
        QEvent.Type.KeyRelease,
    }

    def __init__(
        self,
        timer_factory: Callable[[], Timer] = QTimer,
        clock: Callable[[], float] = time.perf_counter,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._jobs: deque[Iterator[object]] = deque()
        self._clock = clock
        self._timer = timer_factory()
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._touched_at: float | None = None  # the last touch, press or key
        self._aside_ms = STAND_ASIDE_MS  # how long the work waits after it: longer while it is held
        self.slices: deque[float] = deque(maxlen=MAX_SLICES_KEPT)  # seconds per step, newest last

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def add(self, job: Iterator[object], first: bool = False) -> None:
        """Queue `job` (a generator: each `yield` ends a slice) after the jobs already waiting, or before them."""
        if first:
            self._jobs.appendleft(job)
        else:
            self._jobs.append(job)
        if not self._timer.isActive():
            self._timer.start(self._aside_left_ms())

    def call(self, work: Callable[[], object], first: bool = False) -> None:
        """Queue `work` as a job of one slice."""
        self.add(_one_slice(work), first)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - called by the kiosk's EventRouter
        kind = event.type()
        if kind in self.EVENT_TYPES:
            self._touched_at = self._clock()
            self._aside_ms = HELD_AT_MOST_MS if kind in self.PRESSES else STAND_ASIDE_MS
            if self._jobs:
                self._timer.start(self._aside_ms)  # the next step comes that long after the last touch
        return False

    def _aside_left_ms(self) -> int:
        """How long new work still stands aside: a job queued by a tap (the screens a language switch left
        behind) waits like the rest, so its first step never comes before the tap's frame."""
        if self._touched_at is None:
            return 0
        return max(0, math.ceil(self._aside_ms - (self._clock() - self._touched_at) * 1000))

    def finish(self) -> None:
        """Do everything still queued now (tests, rendering, shutdown paths that need it done)."""
        while self._jobs:
            self._step()

    def cancel(self) -> None:
        self._jobs.clear()
        self._timer.stop()

    def _step(self) -> None:
        if not self._jobs:
            self._timer.stop()
            return
        if self._timer.interval():
            self._timer.start(0)  # after standing aside: step on at full pace
        start = self._clock()
        try:
            next(self._jobs[0])
        except StopIteration:
            self._jobs.popleft()
        except Exception:
            self._jobs.popleft()
            log.exception("work ahead of need failed; it is done when needed instead")
        finally:
            self.slices.append(self._clock() - start)
        if not self._jobs:
            self._timer.stop()
            self.idle.emit()


def _one_slice(work: Callable[[], object]) -> Iterator[object]:
    yield work()
