"""Touch widgets shared by the screens: buttons, a wrapping layout, kinetic scrolling, tiles."""

from __future__ import annotations

import math

from PySide6.QtCore import QEasingCurve, QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QBoxLayout,
    QFrame,
    QGridLayout,
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
from kiosk.theme import space

MIN_TARGET_PX = 64
FOCUS_GAP_PX = 12  # the focus ring round a text sits this far outside it
ICON_PX = 40
STRIP_PADDING_PX = 8  # above and below the "More below" hint
TILE_ICON_PX = 72
GRID_GAP_PX = 24
WRAP_SLACK_PX = 8
STACK_BELOW_PX = 560  # tiles narrower than this put the icon above the words
CARD_ASPECT = 1.8  # width to height of a tile that looks like a card, not a strip or a tower


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
    """Scrolls by finger drag with kinetic motion; shows a hint while there is more below.

    The hint has a strip of its own under the viewport, kept while the content is taller than
    the area, so it never covers text; content that fits shows neither strip nor hint.
    """

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
        # The hint lives beside the area, in its parent (see event()), drawn over the strip under the viewport.
        self.more_below.setParent(self)
        self.more_below.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.more_below.hide()
        self._strip = 0  # height reserved under the viewport for the hint
        self._updating = False
        self._again = False
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

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._update_hint()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        self.more_below.hide()

    def moveEvent(self, event) -> None:  # noqa: N802
        super().moveEvent(event)
        self._update_hint()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ParentChange:
            # A sibling, not a child: Qt's accessibility lists only a scroll area's viewport and bars, and
            # a child of the viewport cannot draw in the strip below it. So the hint moves to our parent,
            # where a screen reader finds it after the text.
            self.more_below.setParent(self.parentWidget() or self)
            self._update_hint()
        return super().event(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        result = super().eventFilter(watched, event)
        # The content grew or shrank (new text, a panel moved in or out): the range follows, and so must the strip.
        if watched is self.widget() and event.type() == QEvent.Type.Resize:
            self._update_hint()
        return result

    def hint_strip(self) -> QRect:
        """Where the hint shows, under the viewport; empty when the content fits."""
        return QRect(0, self.height() - self._strip, self.width(), self._strip)

    def _update_hint(self) -> None:
        if self._updating:  # the range changed while the strip was being reserved: look again after
            self._again = True
            return
        self._updating = True
        try:
            for _attempt in range(4):  # reserving the strip changes the range: settle, at most a few passes
                self._again = False
                self._reserve_strip()
                if not self._again:
                    break
            bar = self.verticalScrollBar()
            more = self._strip > 0 and not self.isHidden() and bar.value() < bar.maximum() - 4
            self.more_below.setVisible(more)
            if more:
                self.more_below.adjustSize()
                hint = self.more_below.size()
                strip = self.hint_strip()
                x, y = (self.width() - hint.width()) // 2, strip.top() + (strip.height() - hint.height()) // 2
                self.more_below.move(self.mapTo(self.more_below.parentWidget(), QPoint(x, y)))
                self.more_below.raise_()
        finally:
            self._updating = False

    def _reserve_strip(self) -> None:
        """A strip while the content is taller than the whole area (strip included): no flicker at the edge."""
        bar = self.verticalScrollBar()
        overflow = bar.maximum() - self._strip  # how much taller than the whole area the content is
        self.more_below.ensurePolished()
        needed = self.more_below.text() and overflow > 0
        wanted = self.more_below.sizeHint().height() + 2 * STRIP_PADDING_PX if needed else 0
        if wanted != self._strip:
            self._strip = wanted
            self.setViewportMargins(0, 0, 0, wanted)
            self._again = True


class TopicTile(QAbstractButton):
    """A button that opens a topic: icon, title and a summary of at most two lines. One tap on release.

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
        self.icon_label.setFixedSize(TILE_ICON_PX, TILE_ICON_PX)
        self.title = label(role="tile-title")
        self.summary = label(role="tile-summary")
        for child in (self.icon_label, self.title, self.summary):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        text = QVBoxLayout()
        text.setSpacing(space(2))
        text.addWidget(self.title)
        text.addWidget(self.summary)
        # The icon beside the words on a wide tile, above them on a narrow one; centred top to bottom.
        self.content = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.content.setSpacing(space(4))
        self.content.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        self.content.addLayout(text, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(space(4), space(3), space(4), space(3))
        outer.setSpacing(0)
        outer.addStretch(1)
        outer.addLayout(self.content)
        outer.addStretch(1)
        self.stacked = False
        self._measured: dict[tuple, tuple[bool, int]] = {}
        self.clicked.connect(lambda: self.activated.emit(self.topic_id))

    def set_stacked(self, stacked: bool) -> None:
        """The icon above the words (a narrow tile) or beside them."""
        if stacked == self.stacked:
            return
        self.stacked = stacked
        self.content.setDirection(QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight)
        self.content.setSpacing(space(3) if stacked else space(4))
        alignment = Qt.AlignmentFlag.AlignLeft if stacked else Qt.AlignmentFlag.AlignVCenter
        self.content.setAlignment(self.icon_label, alignment)
        self.content.invalidate()

    def set_texts(self, title: str, summary: str) -> None:
        self.title.setText(title)
        self.summary.setText(summary)
        self.setText(title)
        self.setAccessibleName(title)
        self.setAccessibleDescription(summary)

    def set_icon(self, icon: QIcon) -> None:
        self.icon_label.setPixmap(icon.pixmap(QSize(TILE_ICON_PX, TILE_ICON_PX)))

    def text_width_at(self, tile_width: int) -> int:
        """How wide the title and summary are when the tile is `tile_width` wide."""
        margins = self.layout().contentsMargins()
        width = tile_width - margins.left() - margins.right()
        return width if stacked_at(tile_width) else width - TILE_ICON_PX - space(4)

    def lines_at(self, widget: QLabel, tile_width: int) -> int:
        """Lines `widget` (the title or the summary) wraps into when the tile is `tile_width` wide."""
        widget.ensurePolished()
        metrics = widget.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        # A few pixels short of the column: QLabel wraps a little earlier than the bare metrics.
        width = max(1, self.text_width_at(tile_width) - WRAP_SLACK_PX)
        height = metrics.boundingRect(QRect(0, 0, width, 100000), flags, widget.text()).height()
        return max(1, round(height / metrics.lineSpacing()))

    def measure(self, tile_width: int) -> tuple[bool, int]:
        """(whether the words fit as `fits_at` asks, the height needed) at `tile_width`; remembered,
        since a grid weighs every column count on each language switch."""
        key = (tile_width, self.title.text(), self.summary.text(), self.title.font().key(), self.summary.font().key())
        if key not in self._measured:
            self.set_stacked(stacked_at(tile_width))
            self._measured[key] = (self.fits_at(tile_width), self.heightForWidth(tile_width))
        return self._measured[key]

    def fits_at(self, tile_width: int) -> bool:
        """Title and summary in two lines each, and no word wider than the text column."""
        width = self.text_width_at(tile_width)
        for widget in (self.title, self.summary):
            widget.ensurePolished()
            if self.lines_at(widget, tile_width) > 2:
                return False
            if max((widget.fontMetrics().horizontalAdvance(word) for word in widget.text().split()), default=0) > width:
                return False
        return True

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


def stacked_at(tile_width: int) -> bool:
    """A tile this narrow puts its icon above its words, to give them the whole width."""
    return tile_width < STACK_BELOW_PX


class TileGrid(QWidget):
    """Tiles in equal columns, as many as suit the width, the height and the number of tiles.

    The columns are chosen so that every summary fits in two lines and every title in two; then so
    that all the tiles fit `fill_height` (when it is set), each as near a pleasant card shape as
    can be. With `fill_height`, the rows grow to share it, so a short list fills the screen.
    """

    def __init__(self, min_tile_width: int = 520, parent: QWidget | None = None):
        super().__init__(parent)
        self.base_min_width = min_tile_width  # at the normal text size
        self.min_tile_width = min_tile_width
        self.fill_height = 0
        self.tiles: list[TopicTile] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(GRID_GAP_PX)
        self._shape: tuple[int, int, int] = (0, 0, 0)  # width, fill height, columns

    @property
    def columns(self) -> int:
        return self._shape[2]

    def set_tiles(self, tiles: list[TopicTile]) -> None:
        for tile in self.tiles:
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = tiles
        self.reflow()

    def set_fill_height(self, height: int) -> None:
        if height != self.fill_height:
            self.fill_height = height
            self.reflow()

    def reflow(self) -> None:
        """Choose the columns again (new texts, text size or space)."""
        self._shape = (0, 0, 0)
        self._reflow(self.width())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._reflow(event.size().width())

    def tile_width(self, width: int, columns: int) -> int:
        return (width - GRID_GAP_PX * (columns - 1)) // columns

    def choose_columns(self, width: int) -> int:
        if not self.tiles or width <= 0:
            return 1
        best: tuple | None = None
        for columns in range(1, len(self.tiles) + 1):
            tile_width = self.tile_width(width, columns)
            if columns > 1 and tile_width < self.min_tile_width:
                break
            rows = -(-len(self.tiles) // columns)
            measured = [tile.measure(tile_width) for tile in self.tiles]
            tile_height = max(height for _fits, height in measured)
            total = rows * tile_height + GRID_GAP_PX * (rows - 1)
            long_text = not all(fits for fits, _height in measured)
            fits = self.fill_height <= 0 or total <= self.fill_height
            shared = (self.fill_height - GRID_GAP_PX * (rows - 1)) / rows
            row_height = shared if self.fill_height > 0 and fits else tile_height
            shape = abs(math.log(tile_width / max(1.0, row_height) / CARD_ASPECT))
            score = (long_text, not fits, total if not fits else 0, shape)
            if best is None or score < best[0]:
                best = (score, columns)
        return best[1]

    def _reflow(self, width: int) -> None:
        if (width, self.fill_height) == self._shape[:2] or not self.tiles:
            return
        columns = self.choose_columns(width)
        rows = -(-len(self.tiles) // columns) if self.tiles else 0
        for tile in self.tiles:
            tile.set_stacked(stacked_at(self.tile_width(width, columns)))
        self._shape = (width, self.fill_height, columns)
        for tile in self.tiles:
            self._grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles):
            self._grid.addWidget(tile, index // columns, index % columns)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        # Rows share the height to fill, up to a card shape no taller than wide.
        row_height = 0
        if self.fill_height > 0 and rows:
            row_height = min((self.fill_height - GRID_GAP_PX * (rows - 1)) // rows, self.tile_width(width, columns))
        for tile in self.tiles:
            tile.setMinimumHeight(max(MIN_TARGET_PX * 2, row_height))
        self.updateGeometry()
