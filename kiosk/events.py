"""One application-wide event filter that hands input to the kiosk's small filters.

Qt offers every event it delivers (paint, layout and polish included) to each application
filter, and each Python filter costs a crossing into Python. Sharing one filter that lets
only the event types the handlers care about through keeps taps and switches fast.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from kiosk.session import INPUT_EVENTS

ROUTED_EVENTS = frozenset(
    INPUT_EVENTS
    | {
        QEvent.Type.MouseMove,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.TouchEnd,
        QEvent.Type.TouchCancel,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.ContextMenu,
        QEvent.Type.DragEnter,
        QEvent.Type.Drop,
        QEvent.Type.WindowStateChange,
    }
)


class EventRouter(QObject):
    """Calls each filter in order; the first that swallows an event stops it."""

    def __init__(self, filters: list[QObject], parent: QObject | None = None):
        super().__init__(parent)
        self.filters = filters

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() not in ROUTED_EVENTS:
            return False
        return any(handler.eventFilter(watched, event) for handler in self.filters)
