"""A large touch button, and Enter and Return pressing any button as Space does."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QPushButton, QSizePolicy, QWidget

from kiosk import accessibility

MIN_TARGET_PX = 64
ICON_PX = 40


class TouchButton(QPushButton):
    """A large button with an icon beside its text label; fires on release, never on hold."""

    def __init__(
        self,
        text: str = "",
        icon: QIcon | None = None,
        role: str = "",
        parent: QWidget | None = None,
        kind: accessibility.Role | None = None,
    ):
        super().__init__(parent)
        if kind is not None:  # before any text: Qt keeps the first interface it makes for a widget
            accessibility.set_role(self, kind)
        self.setText(text)
        if role:
            self.setProperty("role", role)
        self.setIconSize(QSize(ICON_PX, ICON_PX))
        if icon is not None:
            self.setIcon(icon)
        self.setAutoRepeat(False)
        # Keyboard and switch users reach it with Tab; a tap does not leave a focus ring behind.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setMinimumSize(MIN_TARGET_PX, MIN_TARGET_PX)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_label(self, text: str, description: str = "") -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not activate_on_enter(self, event):
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        release_unpainted(self, partial(super().mouseReleaseEvent, event))

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        release_unpainted(self, partial(super().keyReleaseEvent, event))


def activate_on_enter(button: QAbstractButton, event: QKeyEvent) -> bool:
    """Enter and Return press a button, as Space does (Qt's buttons take only Space)."""
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
        button.click()
        return True
    return False


def release_unpainted(button: QAbstractButton, release: Callable[[], None]) -> None:
    """Qt's handling of a release, without the repaint it does first: before it emits clicked, Qt paints
    the released button at once and sends it to the screen (1 ms under X), a frame the tap's own frame,
    painted next, makes obsolete. The button is painted released in that frame."""
    button.setUpdatesEnabled(False)
    try:
        release()
    finally:
        button.setUpdatesEnabled(True)
