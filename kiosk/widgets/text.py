"""Text on screen: a plain label, styled by its role."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel

# What changes the height of wrapped text besides the text itself.
_RESHAPING_EVENTS = frozenset({QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.ContentsRectChange})
MAX_HEIGHTS = 256  # a few widths in each language; a bound for texts that keep changing (a countdown)


class Label(QLabel):
    """Remembers its height for each text and width until its font, style or minimum size changes: a layout
    asks a label the same question five times a pass on average (up to 140 times while a screen is first laid
    out), Qt lays the text out anew for each answer, and a language switch brings back texts seen before."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self._heights: dict[tuple[str, int], int] = {}
        self._minimum = QSize()  # Qt's answer is never less than the minimum size

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        minimum = self.minimumSize()
        if minimum != self._minimum:
            self._minimum = minimum
            self._heights.clear()
        key = (self.text(), width)
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) >= MAX_HEIGHTS:
                self._heights.clear()
            height = self._heights[key] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() in _RESHAPING_EVENTS:
            self._heights.clear()
        super().changeEvent(event)


def label(text: str = "", role: str = "body", wrap: bool = True) -> Label:
    """A plain-text label: no selection, no links, styled by its role."""
    widget = Label(text)
    widget.setProperty("role", role)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget
