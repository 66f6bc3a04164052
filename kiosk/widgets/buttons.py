"""A large touch button, and what every button of the kiosk does with a press and a release (Tappable)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from kiosk import accessibility

MIN_TARGET_PX = 64
ICON_PX = 40


class Tappable:
    """What every button of the kiosk does with a press and a release, mixed in before its Qt class: Enter
    and Return press it as Space does (Qt's buttons take only Space), and a release acts before anything is
    painted (Qt paints the released button at once and sends it to the screen before it emits clicked, about
    1 ms under X, a frame the tap's own frame makes obsolete; the button is painted released in that one)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
        else:
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._release_unpainted(partial(super().mouseReleaseEvent, event))

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        self._release_unpainted(partial(super().keyReleaseEvent, event))

    def _release_unpainted(self, release: Callable[[], None]) -> None:
        self.setUpdatesEnabled(False)
        try:
            release()
        finally:
            self.setUpdatesEnabled(True)


class TouchButton(Tappable, QPushButton):
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
