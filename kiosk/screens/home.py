"""Home: a tile for each top-level topic."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.content.model import Topic
from kiosk.i18n import _
from kiosk.screens.base import Screen, Services
from kiosk.widgets.touch import TileGrid, TopicTile, TouchScrollArea, label

TILE_MIN_WIDTH = 440


def make_tiles(topics: list[Topic], on_activated) -> list[TopicTile]:
    tiles = []
    for topic in topics:
        tile = TopicTile(topic.id)
        tile.activated.connect(on_activated)
        tiles.append(tile)
    return tiles


def update_tiles(services: Services, tiles: list[TopicTile]) -> None:
    """Texts in the current language and icons in the current theme."""
    for tile in tiles:
        topic = services.library.get(tile.topic_id)
        if topic is not None:
            tile.set_texts(_(topic.title), _(topic.summary))
            tile.set_icon(services.appearance.icon(topic.icon, "accent"))


class HomeScreen(Screen):
    topic_requested = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None, build_now: bool = True):
        super().__init__(services, parent)
        self.setObjectName("HomeScreen")
        self.build_in_parts(self._parts(), build_now)

    def _parts(self) -> Iterator[None]:
        self.heading = accessibility.set_role(label(role="screen-title"), Role.HEADING, level=1)
        self.grid = TileGrid(TILE_MIN_WIDTH)
        tiles = []
        for topic in self.services.library.top_level:
            tiles += make_tiles([topic], self.topic_requested)
            yield
        self.grid.set_tiles(tiles)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(32, 16, 32, 32)
        column.setSpacing(24)
        column.addWidget(self.heading)
        column.addWidget(self.grid)
        column.addStretch(1)
        yield
        self.scroll = TouchScrollArea(body)
        yield
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self.retranslate()
        self.restyle()

    def retranslate(self) -> None:
        self.heading.setText(_("Learn about ALS"))
        self.scroll.set_hint_text(_("More below") + "  ↓")
        update_tiles(self.services, self.grid.tiles)

    def restyle(self) -> None:
        self.grid.min_tile_width = round(TILE_MIN_WIDTH * self.services.appearance.scale)
        self.grid.reflow()
        update_tiles(self.services, self.grid.tiles)

    def reset_view(self) -> None:
        self.scroll.scroll_to_top()
