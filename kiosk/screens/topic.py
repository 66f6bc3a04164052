"""A topic: title, the content blocks, cards for sub-topics, where the text comes from, a QR code."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.content.model import BulletList, Heading, ListItem, Topic
from kiosk.i18n import _
from kiosk.screens.base import Screen, Services
from kiosk.screens.home import make_tiles, style_tiles, translate_tiles
from kiosk.theme import QWIDGETSIZE_MAX, space
from kiosk.widgets.buttons import TouchButton
from kiosk.widgets.qr import QrCode
from kiosk.widgets.restyle import set_style_property
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.text import label
from kiosk.widgets.tiles import TileGrid

TAKE_HOME_WIDTH_PX = 400  # beside the text (landscape), at the normal text size
CARD_MIN_WIDTH = 420
TITLE_ICON_PX = 72
QR_MODULE_PX = 5


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


class TakeHomePanel(LaidOutOnResize):
    """ "Read this at home": the QR code, how to use it, where the text comes from and when it was reviewed.

    Two arrangements of the same widgets: a narrow column beside the text, or a card across the
    screen's width (code on the left, words on the right) at the end of the text.
    """

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("TakeHome")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.qr = QrCode(module_px=QR_MODULE_PX, matrix_of=services.qr_matrix)
        self.heading = accessibility.set_role(label(role="heading"), Role.HEADING, level=2)
        self.hint = label(role="note")
        self.source = label(role="note")
        self.reviewed = label(role="note")
        self.supplemental = label(role="note")
        self.texts = [self.heading, self.hint, self.source, self.reviewed, self.supplemental]
        self.grid = QGridLayout(self)
        self.grid.setHorizontalSpacing(space(5))
        self.grid.setVerticalSpacing(space(2))
        self.as_card: bool | None = None
        self.arrange(as_card=False)

    def arrange(self, as_card: bool) -> None:
        if as_card == self.as_card:
            return
        self.as_card = as_card
        set_style_property(self, "card", as_card)
        for widget in (self.qr, *self.texts):
            self.grid.removeWidget(widget)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        for column in range(self.grid.columnCount()):
            self.grid.setColumnStretch(column, 0)
        if as_card:
            self.grid.setContentsMargins(space(5), space(5), space(5), space(5))
            self.grid.addWidget(self.qr, 0, 0, len(self.texts), 1, Qt.AlignmentFlag.AlignTop)
            for row, widget in enumerate(self.texts):
                self.grid.addWidget(widget, row, 1)
            self.grid.setColumnStretch(1, 1)
            self.grid.setRowStretch(len(self.texts) - 1, 1)
        else:
            self.grid.setContentsMargins(0, 0, 0, space(3))
            self.grid.addWidget(self.heading, 0, 0)
            self.grid.addWidget(self.qr, 1, 0, Qt.AlignmentFlag.AlignLeft)
            for row, widget in enumerate(self.texts[1:], start=2):
                self.grid.addWidget(widget, row, 0)
            self.grid.setRowStretch(len(self.texts), 1)
            self.grid.setColumnStretch(0, 1)
        self.grid.invalidate()

    def height_at(self, width: int) -> int:
        """The height the panel needs at `width`, laid out as it is now."""
        self.grid.invalidate()
        needed = self.grid.totalHeightForWidth(width) if self.grid.hasHeightForWidth() else -1
        return needed if needed > 0 else self.grid.totalSizeHint().height()


class TopicScreen(Screen):
    """One scroll area: the text, the sub-topic cards, then (portrait, or where it would not fit
    beside the text) the take-home panel. In landscape the panel stands beside the text, whole."""

    back_requested = Signal()
    home_requested = Signal()
    topic_requested = Signal(str)
    # A finger is on Back, Home, a card or Next: that screen may show next.
    back_pressed = Signal()
    home_pressed = Signal()
    topic_pressed = Signal(str)
    let_go = Signal()  # and it is no longer: lifted (a tap) or slid off

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
        self.icon.setFixedSize(TITLE_ICON_PX, TITLE_ICON_PX)
        self.title = self.translated(label(role="screen-title"), topic.title)
        title_row = QHBoxLayout(self.title_row)
        title_row.setContentsMargins(0, 0, 0, 0)
        title_row.setSpacing(space(4))
        title_row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self.title, 1)

        content = LaidOutOnResize()
        self._items: list[tuple[QWidget, str]] = []  # list items are named by their text
        self.blocks = QVBoxLayout(content)
        self.blocks.setContentsMargins(0, 0, space(4), space(4))
        self.blocks.setSpacing(space(4))
        yield from self._add_blocks()
        self.cards = TileGrid(CARD_MIN_WIDTH)
        tiles = []
        for child in services.library.children(topic.id):
            tiles += make_tiles([child], self)
            yield
        self.cards.set_tiles(tiles)
        if not self.cards.tiles:  # hide() only: setVisible(True) on a parentless widget opens it as a window
            self.cards.hide()
        self.blocks.addWidget(self.cards)
        # Below the text: a short topic pushes the panel to the bottom; a long one has it follow the text.
        self.blocks.addStretch(1)
        yield
        self.scroll = TouchScrollArea()
        yield
        self.scroll.set_content(content)
        yield
        self.panel = self._make_take_home()
        yield
        self.nav_bar = self._make_nav_bar()
        yield
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(space(5), space(4), space(5), 0)
        self._column.setSpacing(space(3))
        self._column.addWidget(self.title_row)
        self.body = QHBoxLayout()
        self.body.setSpacing(space(7))
        self._column.addLayout(self.body, 1)
        yield
        # Each part is moved into the screen, where the window's style sheet reaches it, in a slice of its own; in
        # reading order, which is their order for Tab, a switch and assistive technology.
        self.body.addWidget(self.scroll, 1)
        yield
        self.panel_beside = True
        self.body.addWidget(self.panel, 0)
        self._column.addWidget(self.nav_bar)
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
        column.setContentsMargins(space(7) if nested else 0, 0, 0, 0)
        column.setSpacing(space(3) if nested else space(4))
        for item in items:
            column.addWidget(self._bullet(item, nested))
        return box

    def _bullet(self, item: ListItem, nested: bool) -> QWidget:
        row = accessibility.set_role(QWidget(), Role.LIST_ITEM)
        grid = QVBoxLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(space(3))
        line = QHBoxLayout()
        line.setSpacing(space(3))
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

    def _make_take_home(self) -> TakeHomePanel:
        panel = TakeHomePanel(self.services)
        panel.qr.set_url(self._qr_url())
        if not self.topic.supplemental_sources:  # not setVisible(True): the label has no parent yet
            panel.supplemental.hide()
        # Short names the rest of the screen (and its tests) use.
        self.qr, self.qr_label, self.qr_hint = panel.qr, panel.heading, panel.hint
        self.source, self.reviewed, self.supplemental = panel.source, panel.reviewed, panel.supplemental
        return panel

    def _make_nav_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("NavBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, space(3), 0, space(3))
        row.setSpacing(space(3))
        self.back_button = TouchButton()
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.back_requested)
        self.back_button.pressed.connect(self.back_pressed)
        self.back_button.released.connect(self.let_go)
        self.home_button = TouchButton()
        self.home_button.setObjectName("home")
        self.home_button.clicked.connect(self.home_requested)
        self.home_button.pressed.connect(self.home_pressed)
        self.home_button.released.connect(self.let_go)
        self.next_button = TouchButton(role="primary")
        self.next_button.setObjectName("next")
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # arrow after the word
        if self.next_topic is None:  # not setVisible(True): with no parent yet it would open as a window
            self.next_button.hide()
        if self.next_topic is not None:
            self.next_button.clicked.connect(lambda: self.topic_requested.emit(self.next_topic.id))
            self.next_button.pressed.connect(lambda: self.topic_pressed.emit(self.next_topic.id))
            self.next_button.released.connect(self.let_go)
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
        self.scroll.set_hint_text(_("More below"))
        self.qr_label.setText(_("Read this at home"))
        self.qr_hint.setText(_("Point your phone camera at the code."))
        self.qr.setAccessibleName(_("QR code: Read this at home"))
        self.qr.setAccessibleDescription(self._qr_url())
        self.source.setText(_("Source: {source}").format(source=_(self.topic.source)))
        self.reviewed.setText(self.review_state())
        if self.topic.supplemental_sources:
            sources = "; ".join(_(source) for source in self.topic.supplemental_sources)
            self.supplemental.setText(_("Some lists were added from: {sources}").format(sources=sources))
        translate_tiles(self.services, self.cards)
        self._update_listen()
        self._place_panel()

    def review_state(self) -> str:
        """Never "Reviewed on" while a clinician has still to sign the topic off."""
        if self.topic.awaiting_review:
            # TRANSLATORS: shown instead of "Reviewed on <date>" while a clinician has not yet approved the text.
            return _("Awaiting clinical review")
        return _("Reviewed on {date}").format(date=self.services.i18n.format_date(self.topic.reviewed))

    def restyle(self) -> None:
        appearance = self.services.appearance
        self.icon.setPixmap(appearance.icon(self.topic.icon, "accent").pixmap(QSize(TITLE_ICON_PX, TITLE_ICON_PX)))
        self.back_button.setIcon(appearance.icon("mdi6.arrow-left"))
        self.home_button.setIcon(appearance.icon("mdi6.home"))
        self.next_button.setIcon(appearance.icon("mdi6.arrow-right", "on-accent"))
        style_tiles(self.services, self.cards)
        self._update_listen()
        self._place_panel()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_panel()

    def _place_panel(self) -> None:
        """Beside the text when the screen is landscape and the panel fits there whole; else after the text."""
        if self.width() <= 0 or self.height() <= 0 or getattr(self, "nav_bar", None) is None:
            return  # not sized yet, or still being built in parts
        width = round(TAKE_HOME_WIDTH_PX * self.services.appearance.scale)
        self.panel.ensurePolished()  # its fonts, from the style sheet, decide its height
        beside = False
        if self.width() >= self.height() * 1.1:  # landscape
            self.panel.arrange(as_card=False)
            beside = self.panel.height_at(width) <= self._body_height()
        self.panel.arrange(as_card=not beside)
        if beside:
            self.panel.setFixedWidth(width)
        else:
            self.panel.setMinimumWidth(0)
            self.panel.setMaximumWidth(QWIDGETSIZE_MAX)
        if beside != self.panel_beside:
            self.panel_beside = beside
            (self.blocks if beside else self.body).removeWidget(self.panel)
            (self.body if beside else self.blocks).addWidget(self.panel, 0)
            self.panel.show()

    def _body_height(self) -> int:
        """The height between the title and the navigation bar."""
        margins = self._column.contentsMargins()
        title_width = self.width() - margins.left() - margins.right() - TITLE_ICON_PX - space(4)
        title = max(self.title.heightForWidth(title_width), TITLE_ICON_PX)
        used = margins.top() + margins.bottom() + title + self.nav_bar.sizeHint().height() + 2 * self._column.spacing()
        return self.height() - used

    def reset_view(self) -> None:
        self.scroll.scroll_to_top()
