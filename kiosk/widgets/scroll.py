"""A scroll area moved by finger drag, with a "More below" hint while there is more to read."""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QScrollArea, QScroller, QScrollerProperties, QWidget

from kiosk.widgets.text import label

FOCUS_GAP_PX = 12  # the focus ring round a text sits this far outside it
STRIP_PADDING_PX = 8  # above and below the "More below" hint


class TouchScrollArea(QScrollArea):
    """Scrolls by finger drag with kinetic motion; shows a hint while there is more below.

    The hint has a strip of its own under the viewport, kept while the content is taller than
    the area, so it never covers text; content that fits shows neither strip nor hint.
    """

    def __init__(self, content: QWidget | None = None, parent: QWidget | None = None):
        """`content` now, or later with set_content (a screen built in parts: each is a few milliseconds)."""
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Neither viewport nor content fills its own background (QScrollArea turns both on): the window's shows
        # through. Qt paints an opaque widget marked for painting on its own, then every other marked widget
        # with the window, in the same frame: a screen shown again has all of them marked, and the content
        # of an opaque scroll area was painted twice in each such frame (3 ms of going back to home). While
        # a finger or a flick moves it, the content is opaque (see _scrolling).
        self.viewport().setAutoFillBackground(False)
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
        scroller.stateChanged.connect(self._scrolling)
        # Not focusable unless it holds text to read (make_readable); the tiles in it are.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.focus_ring: QFrame | None = None
        self.more_below = label("", role="more-below", wrap=False)
        # The hint lives beside the area, in its parent (see event()), drawn over the strip under the viewport.
        self.more_below.setParent(self)
        self.more_below.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.more_below.hide()
        self.more_below.installEventFilter(self)  # its own restyle (text size) resizes it: see eventFilter
        self._strip = 0  # height reserved under the viewport for the hint
        self._updating = False
        self._again = False
        self.verticalScrollBar().valueChanged.connect(self._update_hint)
        self.verticalScrollBar().rangeChanged.connect(self._update_hint)
        if content is not None:
            self.set_content(content)

    def set_content(self, content: QWidget) -> None:
        self.setWidget(content)
        content.setAutoFillBackground(False)
        content.setBackgroundRole(QPalette.ColorRole.Window)  # the window's background (Appearance.apply)

    def _scrolling(self, state: QScroller.State) -> None:
        """Qt moves opaque content by copying what is painted and painting only the strip that comes into
        view (1.3 ms a frame of a flick on a long topic at 1920 x 1080, instead of 3.3 to paint it all)."""
        content = self.widget()
        if content is not None:
            content.setAutoFillBackground(state != QScroller.State.Inactive)

    def set_hint_text(self, text: str) -> None:
        """`text` ("More below", translated) shows with an arrow after it; a screen reader reads the words only."""
        self.more_below.setText(f"{text}  ↓")
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
        # And the hint's own font changed (a text size chosen while this stayed shown, under the attract screen):
        # its size and the strip follow.
        if (watched is self.widget() and event.type() == QEvent.Type.Resize) or (
            event.type() == QEvent.Type.FontChange and watched is getattr(self, "more_below", None)
        ):
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
