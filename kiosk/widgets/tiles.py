"""Topic tiles, and the grid that chooses their columns."""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOption,
    QVBoxLayout,
    QWidget,
)

from kiosk import accessibility
from kiosk.theme import space
from kiosk.widgets.buttons import MIN_TARGET_PX, Tappable
from kiosk.widgets.text import label

TILE_ICON_PX = 72
GRID_GAP_PX = 24
WRAP_SLACK_PX = 8
STACK_BELOW_PX = 560  # tiles narrower than this put the icon above the words
CARD_ASPECT = 1.8  # width to height of a tile that looks like a card, not a strip or a tower


class TopicTile(Tappable, QAbstractButton):
    """A button that opens a topic: icon, title and a summary of at most two lines. One tap on release.

    A real button (focus, Enter and Space, a press action for assistive technology) that reads
    as one thing: its title is its name, its summary its description, its icon is decoration.
    """

    activated = Signal(str)
    touched = Signal(str)  # a finger (or a key) is down on it: its topic may open next

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
        self.pressed.connect(lambda: self.touched.emit(self.topic_id))

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
