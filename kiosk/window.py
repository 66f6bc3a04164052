"""The kiosk window: the settings bar over a stack of screens, and room for overlays."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.access import move_focus
from kiosk.accessibility import Role
from kiosk.widgets.header import SettingsBar


class KioskWindow(QWidget):
    """In kiosk mode: frameless, on top, the size of the screen, and it refuses to close."""

    def __init__(self, kiosk_mode: bool):
        super().__init__()
        self.setObjectName("KioskWindow")
        accessibility.set_role(self, Role.WINDOW)
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self.header: SettingsBar | None = None  # set_header: the attract screen has none
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # The window holds the focus until a key, a switch or dwell moves it to a control: Qt would
        # otherwise focus the first button, and a touch visitor would see a focus ring for nothing.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        if kiosk_mode:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)

    def set_header(self, header: SettingsBar) -> None:
        """The settings bar over the screens (built after the first frame: the attract screen hides it)."""
        self.header = header
        self.layout().insertWidget(0, header)
        header.stackUnder(self.stack)  # first among the children too: Tab and scanning go in their order

    def show_on(self, geometry: QRect) -> None:
        """Show covering `geometry`; set explicitly, since a bare X server leaves 640 x 480."""
        self.setGeometry(geometry)
        if self.kiosk_mode:
            self.showFullScreen()
            self.setGeometry(geometry)
        else:
            self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        return move_focus(self, forward)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.allow_close:
            event.accept()
        else:
            event.ignore()
