"""One application-wide event filter that hands input to the kiosk's small filters.

Qt offers every event it delivers (paint, layout and polish included) to each application
filter, and each Python filter costs a crossing into Python. Sharing one filter that lets
only the event types the handlers care about through keeps taps and switches fast.

Each filter declares the event types it looks at, once, in its EVENT_TYPES (and ignores every
other type, so it also works installed on its own); the router lets through their union and
offers an event only to the filters that declared its type.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt


class InputFilter(Protocol):
    EVENT_TYPES: ClassVar[frozenset[QEvent.Type]]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool: ...  # noqa: N802 - Qt's name


class EventRouter(QObject):
    """Calls each filter that declared the event's type, in order; the first that swallows it stops it."""

    def __init__(self, filters: Sequence[InputFilter], parent: QObject | None = None):
        super().__init__(parent)
        self.filters = list(filters)
        self.routed: frozenset[QEvent.Type] = frozenset().union(*(f.EVENT_TYPES for f in self.filters))
        # Per type, the filters to call: one dictionary lookup per event, however many filters there are.
        self._by_type = {kind: [f for f in self.filters if kind in f.EVENT_TYPES] for kind in self.routed}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        handlers = self._by_type.get(event.type())
        return handlers is not None and any(handler.eventFilter(watched, event) for handler in handlers)


_AFTER_PAINT = QEvent.Type(QEvent.registerEventType())
_BELOW_PAINTS = Qt.EventPriority.LowEventPriority.value - 1


class AfterPaint(QObject):
    """Runs work from the event loop after the frame that the tap being handled queued.

    Qt posts the UpdateRequest that paints changed widgets at its low event priority; work posted at a lower
    one still runs after that paint, whether it was queued before the first widget changed or after. A 0 ms
    timer is a posted call of normal priority: it would run first and hold the tap's frame up.
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._work: deque[Callable[[], object]] = deque()

    def call(self, work: Callable[[], object]) -> None:
        self._work.append(work)
        QCoreApplication.postEvent(self, QEvent(_AFTER_PAINT), _BELOW_PAINTS)

    def finish(self) -> None:
        """Do what is still queued now (on the way out: the event loop may not run again)."""
        while self._work:
            self._work.popleft()()

    def event(self, event: QEvent) -> bool:
        if event.type() == _AFTER_PAINT:
            if self._work:  # else done by finish()
                self._work.popleft()()
            return True
        return super().event(event)
