"""A widget that lays its children out in rows and wraps them when the width runs out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QSize
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.access import in_sight

if TYPE_CHECKING:
    from kiosk.i18n import I18n


class FlowWidget(QWidget):
    """Holds widgets in rows and wraps them to the next row when the width runs out.

    A widget rather than a QLayout subclass: PySide's QLayout.itemAt override, which must
    return None past the last item, leaks a reference to None on every layout pass.
    """

    def __init__(self, spacing: int = 12, centered: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._widgets: list[QWidget] = []
        self._spacing = spacing
        self._centered = centered
        self._follow: Callable[[], None] | None = None  # see follow_language
        self._i18n: I18n | None = None
        self._edition: tuple[str, int] | None = None  # the language edition the texts are in (I18n.edition)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, widget: QWidget) -> None:
        widget.setParent(self)
        self._widgets.append(widget)
        self.relayout()

    def remove(self, widget: QWidget) -> None:
        self._widgets.remove(widget)
        widget.setParent(None)
        self.relayout()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(width, move=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        """Everything on one row: what the flow would like when there is room."""
        visible = self._visible()
        margins = self.contentsMargins()
        width = sum(w.sizeHint().width() for w in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((w.sizeHint().height() for w in visible), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        size = QSize()
        for widget in self._visible():
            size = size.expandedTo(widget.minimumSizeHint())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def event(self, event: QEvent) -> bool:
        # A child's size hint changed (new text after a language switch): reflow.
        if event.type() == QEvent.Type.LayoutRequest:
            self.relayout()
            return True
        return super().event(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange(self.width(), move=True)

    def follow_language(self, i18n: I18n, update: Callable[[], None]) -> None:
        """Call `update` after each language switch: at once while in sight, else when next shown or
        uncovered (`sync_language`: the settings bar under the attract screen waits for the next visitor's
        choice). `update` ends by relaying out: new texts change the children's sizes."""
        self._follow, self._i18n, self._edition = update, i18n, i18n.edition
        i18n.language_changed.connect(self._language_changed)

    def _language_changed(self) -> None:
        if in_sight(self):
            self.sync_language()

    @property
    def language_stale(self) -> bool:
        return self._i18n is not None and self._edition != self._i18n.edition

    def sync_language(self) -> bool:
        """Catch up with a language switch made while out of sight (or quietly); True if there was one."""
        if not self.language_stale:
            return False
        self._edition = self._i18n.edition
        self._follow()  # which relays out
        return True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.sync_language():
            # Children restyled while this was hidden (text size, bold current language) sent no request.
            self.relayout()

    def relayout(self) -> None:
        self.updateGeometry()
        if self.isVisible():  # else when shown (showEvent): a hidden flow's children are not seen
            self._arrange(self.width(), move=True)

    def _visible(self) -> list[QWidget]:
        return [w for w in self._widgets if not w.isHidden()]

    @staticmethod
    def _size_within(widget: QWidget, width: int) -> QSize:
        """The widget's size when it may be at most `width` wide; nested flows grow taller."""
        hint = widget.sizeHint()
        item_width = min(hint.width(), width)
        height = widget.heightForWidth(item_width) if widget.hasHeightForWidth() else hint.height()
        return QSize(
            item_width,
            max(height, hint.height() if not widget.hasHeightForWidth() else 0, widget.minimumSizeHint().height()),
        )

    def _arrange(self, total_width: int, move: bool) -> int:
        margins = self.contentsMargins()
        width = max(1, total_width - margins.left() - margins.right())
        rows: list[list[tuple[QWidget, QSize]]] = [[]]
        used = 0
        for widget in self._visible():
            size = self._size_within(widget, width)
            if rows[-1] and used + self._spacing + size.width() > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + size.width()
            rows[-1].append((widget, size))
        y = margins.top()
        for row in rows:
            if not row:
                continue
            row_height = max(size.height() for _, size in row)
            row_width = sum(size.width() for _, size in row) + self._spacing * (len(row) - 1)
            x = margins.left() + ((width - row_width) // 2 if self._centered else 0)
            for widget, size in row:
                if move:
                    widget.setGeometry(QRect(QPoint(x, y + (row_height - size.height()) // 2), size))
                x += size.width() + self._spacing
            y += row_height + self._spacing
        return y - (self._spacing if any(rows) else 0) + margins.bottom()
