"""Touch widgets shared by the screens: buttons, a wrapping layout, kinetic scrolling, tiles."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QVBoxLayout,
    QWidget,
)

from kiosk import accessibility

MIN_TARGET_PX = 64
FOCUS_GAP_PX = 12  # the focus ring round a text sits this far outside it
ICON_PX = 40


def label(text: str = "", role: str = "body", wrap: bool = True) -> QLabel:
    """A plain-text label: no selection, no links, styled by its role."""
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class TouchButton(QPushButton):
    """A large button with an icon beside its text label; fires on release, never on hold."""

    def __init__(
        self,
        text: str = "",
        icon: QIcon | None = None,
        role: str = "",
        parent: QWidget | None = None,
        kind: accessibility.Role | None = None,
    ):
        super().__init__(parent)
        if kind is not None:  # before any text: Qt keeps the first interface it makes for a widget
            accessibility.set_role(self, kind)
        self.setText(text)
        if role:
            self.setProperty("role", role)
        self.setIconSize(QSize(ICON_PX, ICON_PX))
        if icon is not None:
            self.setIcon(icon)
        self.setAutoRepeat(False)
        # Keyboard and switch users reach it with Tab; a tap does not leave a focus ring behind.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumSize(MIN_TARGET_PX, MIN_TARGET_PX)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_label(self, text: str, description: str = "") -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not activate_on_enter(self, event):
            super().keyPressEvent(event)


def activate_on_enter(button: QAbstractButton, event: QKeyEvent) -> bool:
    """Enter and Return press a button, as Space does (Qt's buttons take only Space)."""
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
        button.click()
        return True
    return False


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

    def showEvent(self, event) -> None:  # noqa: N802
        # Children restyled while this was hidden (text size, bold current language) sent no request.
        super().showEvent(event)
        self.relayout()

    def relayout(self) -> None:
        self.updateGeometry()
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


class TouchScrollArea(QScrollArea):
    """Scrolls by finger drag with kinetic motion; shows a hint while there is more below."""

    def __init__(self, content: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
        # The scroll bar only shows where the reader is; dragging the text is how one scrolls.
        self.verticalScrollBar().setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        properties = scroller.scrollerProperties()
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.OvershootDragResistanceFactor, 0.3)
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.OvershootScrollDistanceFactor, 0.1)
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
            QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
        )
        properties.setScrollMetric(
            QScrollerProperties.ScrollMetric.ScrollingCurve, QEasingCurve(QEasingCurve.Type.OutCubic)
        )
        # A tap reaches the tile or button under the finger at once; a drag still scrolls.
        properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
        scroller.setScrollerProperties(properties)
        # Not focusable unless it holds text to read (make_readable); the tiles in it are.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.focus_ring: QFrame | None = None
        self.more_below = label("", role="more-below", wrap=False)
        self.more_below.setParent(self.viewport())  # a child of the viewport is in the accessibility tree
        self.more_below.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.more_below.hide()
        self.verticalScrollBar().valueChanged.connect(self._update_hint)
        self.verticalScrollBar().rangeChanged.connect(self._update_hint)

    def set_hint_text(self, text: str) -> None:
        self.more_below.setText(text)
        self.more_below.setAccessibleName(text)
        self._update_hint()

    def make_readable(self, name: str) -> None:
        """Text to read: Tab stops here, arrows and Page Down scroll it, a switch pages through it."""
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName(name)
        if self.focus_ring is None:
            self.focus_ring = QFrame()  # goes into the parent when shown, round the text, not over it
            self.focus_ring.setObjectName("FocusRing")
            self.focus_ring.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.focus_ring.hide()

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        if self.focus_ring is not None and self.parentWidget() is not None:
            if self.focus_ring.parentWidget() is not self.parentWidget():
                self.focus_ring.setParent(self.parentWidget())
            self._place_ring()
            self.focus_ring.show()
            self.focus_ring.raise_()

    def _place_ring(self) -> None:
        self.focus_ring.setGeometry(self.geometry().adjusted(-FOCUS_GAP_PX, -FOCUS_GAP_PX, FOCUS_GAP_PX, FOCUS_GAP_PX))

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self.focus_ring is not None:
            self.focus_ring.hide()

    def page_down(self) -> None:
        """One screenful further; back to the top after the end (the switch's way to read on)."""
        bar = self.verticalScrollBar()
        bar.setValue(0 if bar.value() >= bar.maximum() else bar.value() + bar.pageStep())

    def scroll_to_top(self) -> None:
        QScroller.scroller(self.viewport()).stop()
        self.verticalScrollBar().setValue(0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.focus_ring is not None and self.focus_ring.isVisible():
            self._place_ring()
        self._update_hint()

    def _update_hint(self) -> None:
        bar = self.verticalScrollBar()
        more = bool(self.more_below.text()) and bar.maximum() > 0 and bar.value() < bar.maximum() - 4
        self.more_below.setVisible(more)
        if more:
            self.more_below.adjustSize()
            hint = self.more_below.size()
            area = self.viewport()
            self.more_below.move((area.width() - hint.width()) // 2, area.height() - hint.height() - 12)
            self.more_below.raise_()


class TopicTile(QAbstractButton):
    """A button that opens a topic: icon, title and one-line summary. One tap on release.

    A real button (focus, Enter and Space, a press action for assistive technology) that reads
    as one thing: its title is its name, its summary its description, its icon is decoration.
    """

    activated = Signal(str)

    def __init__(self, topic_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.topic_id = topic_id
        self.setObjectName(f"tile-{topic_id}")
        accessibility.set_role(self, accessibility.Role.BUTTON)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(MIN_TARGET_PX * 3, MIN_TARGET_PX * 2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.icon_label = QLabel()
        self.icon_label.setFixedSize(56, 56)
        self.title = label(role="tile-title")
        self.summary = label(role="tile-summary")
        for child in (self.icon_label, self.title, self.summary):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        text = QVBoxLayout()
        text.setSpacing(6)
        text.addWidget(self.title)
        text.addWidget(self.summary)
        text.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 20, 24, 20)
        row.setSpacing(20)
        row.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        self.clicked.connect(lambda: self.activated.emit(self.topic_id))

    def set_texts(self, title: str, summary: str) -> None:
        self.title.setText(title)
        self.summary.setText(summary)
        self.setText(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(summary)

    def set_icon(self, icon: QIcon) -> None:
        self.icon_label.setPixmap(icon.pixmap(QSize(56, 56)))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.layout().minimumSize().expandedTo(self.minimumSize())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not activate_on_enter(self, event):
            super().keyPressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        # The frame, fill and focus ring come from the style sheet (TopicTile, :pressed, :focus).
        option = QStyleOption()
        option.initFrom(self)
        if self.isDown():
            option.state |= QStyle.StateFlag.State_Sunken
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)


class TileGrid(QWidget):
    """Tiles in as many equal columns as fit the width, reflowed on resize."""

    def __init__(self, min_tile_width: int = 520, parent: QWidget | None = None):
        super().__init__(parent)
        self.min_tile_width = min_tile_width
        self.tiles: list[TopicTile] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(20)
        self._columns = 0

    def set_tiles(self, tiles: list[TopicTile]) -> None:
        for tile in self.tiles:
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = tiles
        self.reflow()

    def reflow(self) -> None:
        self._columns = 0
        self._reflow(self.width())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._reflow(event.size().width())

    def _reflow(self, width: int) -> None:
        columns = max(1, min(len(self.tiles) or 1, (width + 20) // (self.min_tile_width + 20)))
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles:
            self._grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles):
            self._grid.addWidget(tile, index // columns, index % columns)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
