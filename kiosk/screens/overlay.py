"""Overlays cover the whole window: a dimmed background and a card in the middle."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.access import focus_targets, move_focus
from kiosk.accessibility import Role
from kiosk.i18n import _, ngettext
from kiosk.screens.base import Screen, Services
from kiosk.widgets.buttons import TouchButton
from kiosk.widgets.text import label


class Overlay(Screen):
    """Follows its window's size; a tap on the dimmed background emits `background_tapped`."""

    background_tapped = Signal()

    def __init__(self, services: Services, window: QWidget, card_width: int = 900, card_role: Role = Role.DIALOG):
        super().__init__(services, window)
        self.setObjectName("Overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.card = accessibility.set_role(QFrame(), card_role)  # at once: Qt keeps the first interface
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
        self._covered: list[QWidget] = []
        self._focus_before: QWidget | None = None
        self._keep_covered = False  # while hidden under the attract screen (hide_under_cover)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self._fit()
        return False

    def _fit(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        # Wider than planned where its words need it (long labels, large text), never wider than the window.
        needed = self.card_layout.totalMinimumSize().width()
        self.card.setFixedWidth(min(max(self.card_width, needed), self.width() - 48))

    def open(self) -> None:
        self.sync_language()  # before it is sized: its words in the visitor's language decide its width
        self._fit()
        if not self.isVisible():
            self._cover()
        heading = getattr(self, "heading", None)
        if isinstance(heading, QLabel):  # the dialog is named by its heading
            self.card.setAccessibleName(heading.text())
        self.show()
        self.raise_()
        first = self.first_focus()
        if first is not None:
            first.setFocus(Qt.FocusReason.PopupFocusReason)

    def _cover(self) -> None:
        """What lies under the scrim is out of reach until this closes: for Tab, a switch and a screen reader."""
        self.give_back()  # what it covered when last hidden under the attract screen, if not given back yet
        # Only what is on show: disabling a stack would restyle every screen built behind it.
        shown = [
            w.currentWidget() if isinstance(w, QStackedWidget) else w
            for w in self.parentWidget().findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if not isinstance(w, Overlay)
        ]
        self._covered = [w for w in shown if w is not None and w.isVisible() and w.isEnabled()]
        self._focus_before = QApplication.focusWidget()
        for widget in self._covered:
            widget.setEnabled(False)

    def first_focus(self) -> QWidget | None:
        """The control that takes the focus when this opens: the card's first."""
        targets = focus_targets(self.card)
        return targets[0] if targets else None

    def hide_under_cover(self) -> None:
        """Closed as the attract screen covers the window (Start over): what it covered stays out of reach, unseen,
        until give_back(), after the frame (enabling a screen and the bar again restyles every widget in them),
        and the focus stays where the reset puts it."""
        self._focus_before = None
        self._keep_covered = True
        self.hide()
        self._keep_covered = False

    def give_back(self) -> None:
        for widget in self._covered:
            if shiboken6.isValid(widget):  # a reload may have dropped the screen meanwhile
                widget.setEnabled(True)
        self._covered = []

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if self._keep_covered:
            return
        self.give_back()
        if self._focus_before is not None and shiboken6.isValid(self._focus_before) and self._focus_before.isVisible():
            self._focus_before.setFocus(Qt.FocusReason.PopupFocusReason)
        self._focus_before = None

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        """Tab goes round the card's controls only, until it closes."""
        move_focus(self, forward)
        return True

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.card.geometry().contains(event.position().toPoint()):
            self.background_tapped.emit()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()


class IdleOverlay(Overlay):
    """ "Still there?" with a large countdown, "Keep reading" and "Start over"."""

    keep_requested = Signal()
    start_over_requested = Signal()

    def __init__(self, services: Services, window: QWidget):
        super().__init__(services, window, card_width=1100, card_role=Role.ALERT_DIALOG)  # announced at once
        self.remaining = 0
        self.heading = accessibility.set_role(label(role="screen-title"), Role.HEADING, level=2)
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

    def first_focus(self) -> QWidget | None:
        return self.keep_button

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
        self.card.setAccessibleName(self.heading.text())
        self.card.setAccessibleDescription(self.explanation.text())
        self.keep_button.set_label(_("Keep reading"), _("Close this message and stay on this screen"))
        self.start_over_button.set_label(_("Start over"), _("Go back to the start screen now"))
