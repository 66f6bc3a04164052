"""A topic: title, the content blocks, cards for sub-topics, where the text comes from, a QR code."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.content.model import BulletList, Heading, ListItem, Topic
from kiosk.i18n import _
from kiosk.screens.base import Screen, Services
from kiosk.screens.home import make_tiles, update_tiles
from kiosk.widgets.qr import QrCode
from kiosk.widgets.touch import TileGrid, TouchButton, TouchScrollArea, label

SIDE_PANEL_PX = 320
QWIDGETSIZE_MAX = (1 << 24) - 1
CARD_MIN_WIDTH = 420


def topic_url(base_url: str, topic_id: str) -> str:
    """Where the QR code of a topic leads: the same topic on the web."""
    return f"{base_url}#{topic_id}"


class LaidOutOnResize(QWidget):
    """Scroll-area content that lays itself out on every resize.

    QScrollArea resizes a height-for-width widget while its layout is still pending, and
    QLayout skips resizes until it is activated: the children kept their old, smaller height.
    """

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.layout() is not None:
            self.layout().setGeometry(self.rect())


class TopicScreen(Screen):
    back_requested = Signal()
    home_requested = Signal()
    topic_requested = Signal(str)

    def __init__(self, services: Services, topic: Topic, parent: QWidget | None = None, build_now: bool = True):
        super().__init__(services, parent)
        self.topic = topic
        self.setObjectName(f"TopicScreen-{topic.id}")
        self.next_topic = services.library.next_after(topic.id)
        self.build_in_parts(self._parts(), build_now)

    def _parts(self) -> Iterator[None]:
        topic, services = self.topic, self.services
        # One heading for assistive technology: the title; the icon beside it is decoration.
        self.title_row = accessibility.set_role(QWidget(), Role.HEADING, level=1)
        self.icon = QLabel()
        self.icon.setFixedSize(64, 64)
        self.title = self.translated(label(role="screen-title"), topic.title)
        title_row = QHBoxLayout(self.title_row)
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.setSpacing(20)
        title_row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.title, 1)

        content = QWidget()
        self._items: list[tuple[QWidget, str]] = []  # list items are named by their text
        self.blocks = QVBoxLayout(content)
        self.blocks.setContentsMargins(0, 0, 24, 48)
        self.blocks.setSpacing(20)
        yield from self._add_blocks()
        self.cards = TileGrid(CARD_MIN_WIDTH)
        tiles = []
        for child in services.library.children(topic.id):
            tiles += make_tiles([child], self.topic_requested)
            yield
        self.cards.set_tiles(tiles)
        if not self.cards.tiles:  # hide() only: setVisible(True) on a parentless widget opens it as a window
            self.cards.hide()
        self.blocks.addWidget(self.cards)
        self.blocks.addStretch(1)
        self.scroll = TouchScrollArea(content)
        yield

        self.panel = self._make_side_panel()
        yield
        # The panel scrolls too: at the largest text on a small screen it may not fit.
        self.panel_scroll = TouchScrollArea(self.panel)
        self.panel_scroll.setObjectName("SidePanelScroll")
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(32)
        self.body.addWidget(self.scroll, 1)
        self.body.addWidget(self.panel_scroll, 0)

        column = QVBoxLayout(self)
        column.setContentsMargins(32, 20, 32, 0)
        column.setSpacing(16)
        column.addWidget(self.title_row)
        column.addLayout(self.body, 1)
        column.addWidget(self._make_nav_bar())
        yield
        self.retranslate()
        self.restyle()

    def _add_blocks(self) -> Iterator[None]:
        for block in self.topic.blocks:
            if isinstance(block, BulletList):
                self.blocks.addWidget(self._list(block.items, nested=False))
                yield
            elif isinstance(block, Heading):
                heading = accessibility.set_role(label(role="heading"), Role.HEADING, level=2)
                self.blocks.addWidget(self.translated(heading, block.text))
            else:
                self.blocks.addWidget(self.translated(label(role="body"), block.text))
                yield

    def _list(self, items: tuple[ListItem, ...] | list[ListItem], nested: bool) -> QWidget:
        """A list as assistive technology knows one: a list of items, each read as its text."""
        box = accessibility.set_role(QWidget(), Role.LIST)
        column = QVBoxLayout(box)
        column.setContentsMargins(48 if nested else 0, 0, 0, 0)
        column.setSpacing(12 if nested else 20)
        for item in items:
            column.addWidget(self._bullet(item, nested))
        return box

    def _bullet(self, item: ListItem, nested: bool) -> QWidget:
        row = accessibility.set_role(QWidget(), Role.LIST_ITEM)
        grid = QVBoxLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(12)
        line = QHBoxLayout()
        line.setSpacing(16)
        mark = label("–" if nested else "•", role="bullet-mark", wrap=False)
        mark.setAlignment(Qt.AlignmentFlag.AlignTop)
        line.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        text = self.translated(label(role="bullet"), item.text)
        line.addWidget(text, 1)
        grid.addLayout(line)
        self._items.append((row, item.text))
        if item.children:
            grid.addWidget(self._list(item.children, nested=True))
        return row

    def _make_side_panel(self) -> QWidget:
        panel = LaidOutOnResize()
        panel.setObjectName("SidePanel")
        self.qr = QrCode(module_px=5)
        self.qr.set_url(self._qr_url())
        self.qr_label = accessibility.set_role(label(role="heading"), Role.HEADING, level=2)
        self.qr_hint = label(role="note")
        self.source = label(role="note")
        self.reviewed = label(role="note")
        self.supplemental = label(role="note")
        if not self.topic.supplemental_sources:  # not setVisible(True): the label has no parent yet
            self.supplemental.hide()
        take_home = QVBoxLayout()
        take_home.setSpacing(12)
        take_home.addWidget(self.qr_label)
        take_home.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignLeft)
        take_home.addWidget(self.qr_hint)
        about = QVBoxLayout()
        about.setSpacing(8)
        for widget in (self.source, self.reviewed, self.supplemental):
            about.addWidget(widget)
        about.addStretch(1)
        self.panel_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, panel)
        self.panel_layout.setContentsMargins(0, 0, 0, 16)
        self.panel_layout.setSpacing(24)
        self.panel_layout.addLayout(take_home)
        self.panel_layout.addLayout(about, 1)
        return panel

    def _make_nav_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("NavBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 16, 0, 16)
        row.setSpacing(16)
        self.back_button = TouchButton()
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back_requested)
        self.home_button = TouchButton()
        self.home_button.setObjectName("home")
        self.home_button.clicked.connect(self.home_requested)
        self.next_button = TouchButton(role="primary")
        self.next_button.setObjectName("next")
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # arrow after the word
        if self.next_topic is None:  # not setVisible(True): with no parent yet it would open as a window
            self.next_button.hide()
        if self.next_topic is not None:
            self.next_button.clicked.connect(lambda: self.topic_requested.emit(self.next_topic.id))
        self.listen_button = TouchButton()
        self.listen_button.setObjectName("listen")
        self.listen_button.clicked.connect(self.toggle_reading)
        speech = self.services.speech
        speech.availability_changed.connect(self._update_listen)
        speech.speaking_changed.connect(self._update_listen)
        row.addWidget(self.back_button)
        row.addWidget(self.home_button)
        row.addStretch(1)
        row.addWidget(self.listen_button)
        row.addWidget(self.next_button)
        return bar

    def spoken_text(self) -> str:
        """The screen's text in the current language, in reading order, for read-aloud."""
        return "\n".join(_(text) for _line, text in self.topic.texts() if text != self.topic.summary)

    def toggle_reading(self) -> None:
        speech = self.services.speech
        if speech.speaking:
            speech.stop()
        else:
            speech.say(self.spoken_text(), self.services.i18n.current)

    def _update_listen(self) -> None:
        speech = self.services.speech
        self.listen_button.setVisible(speech.available(self.services.i18n.current))
        if speech.speaking:
            # TRANSLATORS: button that stops reading the screen aloud.
            self.listen_button.set_label(_("Stop"), _("Stop reading aloud"))
            self.listen_button.setIcon(self.services.appearance.icon("mdi6.stop"))
        else:
            self.listen_button.set_label(_("Listen"), _("Read this screen aloud"))
            self.listen_button.setIcon(self.services.appearance.icon("mdi6.volume-high"))

    def _qr_url(self) -> str:
        return topic_url(self.services.qr_base_url, self.topic.id)

    def retranslate(self) -> None:
        super().retranslate()
        self.title_row.setAccessibleName(_(self.topic.title))
        for row, text in self._items:
            row.setAccessibleName(_(text))
        self.scroll.make_readable(_(self.topic.title))
        self.back_button.set_label(_("Back"), _("Go to the previous screen"))
        # TRANSLATORS: button that goes back to the screen with all topics.
        self.home_button.set_label(_("Home"), _("Show all topics"))
        if self.next_topic is not None:
            self.next_button.set_label(_("Next"), _("Next topic: {title}").format(title=_(self.next_topic.title)))
        # TRANSLATORS: a small sign at the bottom of the text: there is more text further down.
        self.scroll.set_hint_text(_("More below") + "  ↓")
        self.panel_scroll.set_hint_text(_("More below") + "  ↓")
        self.qr_label.setText(_("Read this at home"))
        self.qr_hint.setText(_("Point your phone camera at the code."))
        self.qr.setAccessibleName(_("QR code: Read this at home"))
        self.qr.setAccessibleDescription(self._qr_url())
        self.source.setText(_("Source: {source}").format(source=_(self.topic.source)))
        self.reviewed.setText(self.review_state())
        if self.topic.supplemental_sources:
            sources = "; ".join(_(source) for source in self.topic.supplemental_sources)
            self.supplemental.setText(_("Some lists were added from: {sources}").format(sources=sources))
        update_tiles(self.services, self.cards.tiles)
        self._update_listen()

    def review_state(self) -> str:
        """Never "Reviewed on" while a clinician has still to sign the topic off."""
        if self.topic.awaiting_review:
            # TRANSLATORS: shown instead of "Reviewed on <date>" while a clinician has not yet approved the text.
            return _("Awaiting clinical review")
        return _("Reviewed on {date}").format(date=self.services.i18n.format_date(self.topic.reviewed))

    def restyle(self) -> None:
        appearance = self.services.appearance
        self.icon.setPixmap(appearance.icon(self.topic.icon, "accent").pixmap(QSize(64, 64)))
        self.back_button.setIcon(appearance.icon("mdi6.arrow-left"))
        self.home_button.setIcon(appearance.icon("mdi6.home"))
        self.next_button.setIcon(appearance.icon("mdi6.arrow-right", "on-accent"))
        self._fit_panel(self.body.direction() == QBoxLayout.Direction.TopToBottom)
        self.cards.min_tile_width = round(CARD_MIN_WIDTH * appearance.scale)
        self.cards.reflow()
        update_tiles(self.services, self.cards.tiles)
        self._update_listen()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        # Landscape: the panel sits beside the text; portrait: below it, so the text keeps its width.
        portrait = event.size().width() < event.size().height() * 1.1
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.body.setDirection(down if portrait else across)
        self.panel_layout.setDirection(across if portrait else down)
        self._fit_panel(portrait)

    def _fit_panel(self, portrait: bool) -> None:
        # Beside the source lines (portrait), the QR column is no wider than the code needs.
        column = self.qr.side_px() + round(120 * self.services.appearance.scale) if portrait else QWIDGETSIZE_MAX
        for widget in (self.qr_label, self.qr_hint):
            widget.setMaximumWidth(column)
        if portrait:
            width = self.width() - 64
            self.panel_scroll.setMinimumWidth(0)
            self.panel_scroll.setMaximumWidth(QWIDGETSIZE_MAX)
            needed = self.panel.heightForWidth(width)
            needed = needed if needed > 0 else self.panel.sizeHint().height()
            self.panel_scroll.setFixedHeight(min(needed + 24, round(self.height() * 0.4)))
        else:
            self.panel_scroll.setFixedWidth(round(SIDE_PANEL_PX * self.services.appearance.scale))
            self.panel_scroll.setMinimumHeight(0)
            self.panel_scroll.setMaximumHeight(QWIDGETSIZE_MAX)

    def reset_view(self) -> None:
        self.scroll.scroll_to_top()
        self.panel_scroll.scroll_to_top()
