"""Staff access: a touch PIN pad, then a panel to exit, reload and see status."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.i18n import _, ngettext
from kiosk.pin import PinLockout, verify_pin
from kiosk.screens.base import Services
from kiosk.screens.overlay import Overlay
from kiosk.screens.topic import LaidOutOnResize
from kiosk.theme import space
from kiosk.widgets.buttons import TouchButton
from kiosk.widgets.flow import FlowWidget
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.text import label

MAX_PIN_DIGITS = 12
PIN_CARD_WIDTH = 620
PIN_CARD_WIDTH_BESIDE = 1400  # the keys beside the display: as wide as the window lets it be


class PinPad(Overlay):
    """Large keys; the PIN is checked against the salted hash; five wrong tries lock the pad."""

    accepted = Signal()

    def __init__(self, services: Services, window: QWidget, pin_hash: str, lockout: PinLockout):
        super().__init__(services, window, card_width=PIN_CARD_WIDTH)
        self.pin_hash = pin_hash
        self.lockout = lockout
        self.entered = ""
        self.heading = accessibility.set_role(label(role="heading"), Role.HEADING, level=2)
        self.display = label(role="screen-title", wrap=False)
        self.display.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message = label(role="note")
        self.key_grid = keys = QGridLayout()
        keys.setSpacing(space(3))
        self.keys: dict[str, TouchButton] = {}
        for index, digit in enumerate("123456789"):
            keys.addWidget(self._key(digit), index // 3, index % 3)
        self.clear_button = TouchButton(role="pin-word")
        self.clear_button.setObjectName("pin-clear")
        self.clear_button.clicked.connect(self.clear)
        keys.addWidget(self.clear_button, 3, 0)
        keys.addWidget(self._key("0"), 3, 1)
        self.ok_button = TouchButton(role="pin-word")
        self.ok_button.setProperty("current", True)
        self.ok_button.setObjectName("pin-ok")
        self.ok_button.clicked.connect(self.submit)
        keys.addWidget(self.ok_button, 3, 2)
        self.cancel_button = TouchButton()
        self.cancel_button.setObjectName("pin-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        info = QVBoxLayout()
        info.setSpacing(space(4))
        for widget in (self.heading, self.display, self.message):
            info.addWidget(widget)
        info.addStretch(1)
        # The keys under the display; beside it where the window is too short (1280 x 800, largest text).
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(space(4))
        self.body.addLayout(info, 1)
        self.body.addLayout(keys)
        self.card_layout.addLayout(self.body)
        self.card_layout.addWidget(self.cancel_button)
        self.retranslate()

    def _fit(self) -> None:
        self._size_keys()
        for direction, width in (
            (QBoxLayout.Direction.TopToBottom, PIN_CARD_WIDTH),
            (QBoxLayout.Direction.LeftToRight, PIN_CARD_WIDTH_BESIDE),
        ):
            self.body.setDirection(direction)
            self.card_width = width
            for layout in (self.key_grid, self.body, self.card_layout):  # inner to outer: the sizes they cache
                layout.invalidate()
            super()._fit()
            if self.card_layout.totalHeightForWidth(self.card.width()) <= self.height() - 48:
                return

    def _key(self, digit: str) -> TouchButton:
        button = TouchButton(digit, role="pin-key")
        button.setObjectName(f"pin-{digit}")
        button.setAccessibleName(digit)
        button.clicked.connect(lambda: self.press(digit))
        self.keys[digit] = button
        return button

    def open(self) -> None:
        self.clear()
        self.message.setText("")  # no stale "Wrong PIN" or lockout message from the last time
        self._show_lock_state()
        super().open()

    def press(self, digit: str) -> None:
        if len(self.entered) < MAX_PIN_DIGITS and not self.lockout.is_locked():
            self.entered += digit
            self._update_display()

    def clear(self) -> None:
        self.entered = ""
        self._update_display()

    def cancel(self) -> None:
        self.clear()
        self.hide()

    def submit(self) -> None:
        if self.lockout.is_locked():
            self._show_lock_state()
            return
        if verify_pin(self.entered, self.pin_hash):
            self.lockout.record_success()
            self.clear()
            self.hide()
            self.accepted.emit()
            return
        self.lockout.record_failure()
        self.clear()
        self.message.setText(_("Wrong PIN. Please try again."))
        self._show_lock_state()

    def _show_lock_state(self) -> None:
        locked = self.lockout.is_locked()
        for button in (*self.keys.values(), self.ok_button, self.clear_button):
            button.setEnabled(not locked)
        if locked:
            minutes = max(1, -(-self.lockout.remaining_s() // 60))
            self.message.setText(
                ngettext(
                    "Too many wrong PINs. Try again in {count} minute.",
                    "Too many wrong PINs. Try again in {count} minutes.",
                    minutes,
                ).format(count=minutes)
            )

    def _update_display(self) -> None:
        self.display.setText("●" * len(self.entered) if self.entered else "–")

    def retranslate(self) -> None:
        self.heading.setText(_("Staff PIN"))
        # TRANSLATORS: on the PIN pad: erase the digits typed so far.
        self.clear_button.set_label(_("Clear"))
        self.ok_button.set_label(_("OK"))
        self.cancel_button.set_label(_("Cancel"))
        self.message.setText("")
        self._update_display()

    def _size_keys(self) -> None:
        """Keys of one width, the widest label's ("Löschen", large text): the card grows to hold them."""
        keys = [*self.keys.values(), self.clear_button, self.ok_button]
        for key in keys:
            key.ensurePolished()
        widest = max(key.sizeHint().width() for key in keys)
        for column in range(3):
            self.key_grid.setColumnMinimumWidth(column, widest)


class StaffPanel(Overlay):
    """Exit to the desktop, reload content and catalogs, and the kiosk's status."""

    exit_requested = Signal()
    reload_requested = Signal()

    def __init__(self, services: Services, window: QWidget):
        super().__init__(services, window, card_width=1100)
        self.heading = accessibility.set_role(label(role="screen-title"), Role.HEADING, level=2)
        self.status = label(role="note")
        self.result = label(role="body")
        self.exit_button = TouchButton()
        self.exit_button.setObjectName("staff-exit")
        self.reload_button = TouchButton()
        self.reload_button.setObjectName("staff-reload")
        self.close_button = TouchButton(role="primary")
        self.close_button.setObjectName("staff-close")
        self.exit_button.clicked.connect(self.exit_requested)
        self.reload_button.clicked.connect(self.reload_requested)
        self.close_button.clicked.connect(self.close_panel)
        self.buttons = FlowWidget(spacing=space(3))  # a row that wraps: long labels and large text
        for button in (self.exit_button, self.reload_button, self.close_button):
            self.buttons.add(button)
        # The status scrolls where the window is too short for it (1280 x 800 with the largest text).
        status = LaidOutOnResize()  # follows the viewport when the scroll bar comes and goes
        QVBoxLayout(status).addWidget(self.status)
        status.layout().setContentsMargins(0, 0, 0, 0)
        self.status_area = TouchScrollArea(status)
        for widget in (self.heading, self.status_area, self.result, self.buttons):
            self.card_layout.addWidget(widget)
        self.retranslate()

    def show_status(self, lines: list[str]) -> None:
        self.status.setText("\n".join(lines))
        self.status_area.set_hint_text(_("More below"))

    def show_result(self, text: str) -> None:
        self.result.setText(text)

    def close_panel(self) -> None:
        self.hide()

    def retranslate(self) -> None:
        self.heading.setText(_("Staff panel"))
        # A stop for Tab and a switch (arrows and a press scroll it), and the first: not "Exit to desktop".
        self.status_area.make_readable(_("Staff panel"))
        self.exit_button.set_label(_("Exit to desktop"))
        self.reload_button.set_label(_("Reload content"), _("Read content and translations from disk again"))
        self.close_button.set_label(_("Close"))
        self.buttons.relayout()
