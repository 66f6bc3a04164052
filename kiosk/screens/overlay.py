"""Overlays cover the whole window: a dimmed background and a card in the middle."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.i18n import _, ngettext
from kiosk.screens.base import Screen, Services
from kiosk.widgets.touch import TouchButton, label


class Overlay(Screen):
    """Follows its window's size; a tap on the dimmed background emits `background_tapped`."""

    background_tapped = Signal()

    def __init__(self, services: Services, window: QWidget, card_width: int = 900):
        super().__init__(services, window)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = QFrame()
        self.card.setObjectName("OverlayCard")
        self.card_width = card_width
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(48, 40, 48, 40)
        self.card_layout.setSpacing(24)
        # Stretches rather than an alignment flag: an aligned item gets its size hint, not the
        # height its wrapped text needs at the card's width.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self._fit()
        return False

    def _fit(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.card.setFixedWidth(min(self.card_width, self.width() - 48))

    def open(self) -> None:
        self._fit()
        self.show()
        self.raise_()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.card.geometry().contains(event.position().toPoint()):
            self.background_tapped.emit()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()


class IdleOverlay(Overlay):
    """"Still there?" with a large countdown, "Keep reading" and "Start over"."""

    keep_requested = Signal()
    start_over_requested = Signal()

    def __init__(self, services: Services, window: QWidget):
        super().__init__(services, window, card_width=1100)
        self.remaining = 0
        self.heading = label(role="screen-title")
        self.count = label(role="countdown", wrap=False)
        self.explanation = label(role="body")
        for widget in (self.heading, self.count, self.explanation):
            widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.keep_button = TouchButton(role="primary")
        self.keep_button.setObjectName("keep-reading")
        self.start_over_button = TouchButton()
        self.start_over_button.setObjectName("start-over")
        self.keep_button.clicked.connect(self.keep_requested)
        self.start_over_button.clicked.connect(self.start_over_requested)
        self.background_tapped.connect(self.keep_requested)
        for widget in (self.heading, self.count, self.explanation):
            self.card_layout.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.start_over_button)
        buttons.addWidget(self.keep_button)
        self.card_layout.addLayout(buttons)
        self.retranslate()

    def show_countdown(self, seconds: int) -> None:
        self.remaining = seconds
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Still there?"))
        self.count.setText(self.services.i18n.format_number(self.remaining))
        # The countdown's font comes from the style sheet and changes with the text size.
        self.count.ensurePolished()
        self.count.setMinimumHeight(self.count.fontMetrics().height())
        self.explanation.setText(
            ngettext(
                "The screen will start over in {count} second.",
                "The screen will start over in {count} seconds.",
                self.remaining,
            ).format(count=self.services.i18n.format_number(self.remaining))
        )
        self.count.setAccessibleName(self.explanation.text())
        self.keep_button.set_label(_("Keep reading"), _("Close this message and stay on this screen"))
        self.start_over_button.set_label(_("Start over"), _("Go back to the start screen now"))
