"""Home: a tile for each top-level topic."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.access import in_sight
from kiosk.accessibility import Role
from kiosk.content.model import Topic
from kiosk.i18n import _
from kiosk.screens.base import Screen, Services
from kiosk.theme import space
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.text import label
from kiosk.widgets.tiles import TileGrid, TopicTile

if TYPE_CHECKING:
    from kiosk.screens.topic import TopicScreen

TILE_MIN_WIDTH = 440


def make_tiles(topics: list[Topic], screen: HomeScreen | TopicScreen) -> list[TopicTile]:
    """A tile per topic, whose taps and touches `screen` passes on (its topic_requested, topic_pressed, let_go)."""
    tiles = []
    for topic in topics:
        tile = TopicTile(topic.id)
        tile.activated.connect(screen.topic_requested)
        tile.touched.connect(screen.topic_pressed)
        tile.released.connect(screen.let_go)
        tiles.append(tile)
    return tiles


def _with_topics(services: Services, grid: TileGrid) -> Iterator[tuple[TopicTile, Topic]]:
    for tile in grid.tiles:
        topic = services.library.get(tile.topic_id)
        if topic is not None:
            yield tile, topic


def translate_tiles(services: Services, grid: TileGrid) -> None:
    """Texts in the current language; then the columns that suit them."""
    for tile, topic in _with_topics(services, grid):
        tile.set_texts(_(topic.title), _(topic.summary))
    grid.reflow()


def style_tiles(services: Services, grid: TileGrid) -> None:
    """Icons in the current theme and the columns for the text size (a language switch changes neither)."""
    for tile, topic in _with_topics(services, grid):
        tile.set_icon(services.appearance.icon(topic.icon, "accent"))
    grid.min_tile_width = round(grid.base_min_width * services.appearance.scale)
    grid.reflow()


class HomeScreen(Screen):
    """The topics as tiles that share the screen: as many columns as keep summaries to two lines."""

    topic_requested = Signal(str)
    topic_pressed = Signal(str)  # a finger is on a tile: that topic may open next
    let_go = Signal()  # and it is no longer: lifted (a tap) or slid off

    def __init__(self, services: Services, parent: QWidget | None = None, build_now: bool = True):
        super().__init__(services, parent)
        self.setObjectName("HomeScreen")
        self.build_in_parts(self._parts(), build_now)

    def _parts(self) -> Iterator[None]:
        self.heading = accessibility.set_role(label(role="screen-title"), Role.HEADING, level=1)
        self.grid = TileGrid(TILE_MIN_WIDTH)
        tiles = []
        for topic in self.services.library.top_level:
            tiles += make_tiles([topic], self)
            yield
        self.grid.set_tiles(tiles)
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(space(5), space(4), space(5), space(5))
        self.column.setSpacing(space(4))
        self.column.addWidget(self.heading)
        self.column.addWidget(self.grid)
        self.column.addStretch(1)
        yield
        self.scroll = TouchScrollArea()
        yield
        self.scroll.set_content(body)
        yield
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        yield
        style_tiles(self.services, self.grid)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Learn about ALS"))
        self.scroll.set_hint_text(_("More below"))
        translate_tiles(self.services, self.grid)
        self._fill()

    def restyle(self) -> None:
        style_tiles(self.services, self.grid)
        self._fill()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fill()

    def _fill(self) -> None:
        """The tiles share the height under the heading."""
        if getattr(self, "column", None) is None:  # still being built in parts
            return
        margins = self.column.contentsMargins()
        width = self.width() - margins.left() - margins.right()
        self.heading.ensurePolished()
        heading = self.heading.heightForWidth(width) if width > 0 else 0
        self.grid.set_fill_height(self.height() - margins.top() - margins.bottom() - heading - self.column.spacing())

    def measure_in_parts(self, language: str) -> Iterator[None]:
        """measure_in, a width per part (the work ahead runs each in a slice of its own)."""
        for beside_scroll_bar in (False, True):
            self.measure_in(language, (beside_scroll_bar,))
            yield

    def measure_in(self, language: str, beside_scroll_bar: tuple[bool, ...] = (False, True)) -> None:
        """Out of sight, measure the tiles in `language` and put the texts back: a first switch to it then finds
        its measures cached, at the grid's width with and without the scroll bar beside it."""
        if in_sight(self) or getattr(self, "scroll", None) is None:
            return
        translate_in = self.services.i18n.translate_in
        shown = [(tile.title.text(), tile.summary.text(), tile.stacked) for tile in self.grid.tiles]
        for tile in self.grid.tiles:
            topic = self.services.library.get(tile.topic_id)
            if topic is not None:
                tile.set_texts(translate_in(language, topic.title), translate_in(language, topic.summary))
        # The grid's width once shown: a screen waiting in the stack keeps the size it was built with.
        stack = self.parentWidget() or self
        margins = self.column.contentsMargins()
        width = stack.width() - margins.left() - margins.right()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        for beside in beside_scroll_bar:
            self.grid.choose_columns(width - bar if beside else width)
        # Texts and shape back as they were: measuring lays a tile out for each width it tries, and home may be
        # shown (under the attract screen) at its final size, which no later resize would arrange again.
        for tile, (title, summary, stacked) in zip(self.grid.tiles, shown, strict=True):
            tile.set_texts(title, summary)
            tile.set_stacked(stacked)

    def reset_view(self) -> None:
        self.scroll.scroll_to_top()
