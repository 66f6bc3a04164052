"""The navigator owns the screen stack and an explicit history; screens are built on first use.

The attract screen is not in the stack: it covers the window (KioskWindow.set_cover), and the screen
under it stays shown, home between visitors, so that leaving it only uncovers."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.window import KioskWindow

ATTRACT = "attract"
HOME = "home"


def topic_key(topic_id: str) -> str:
    return f"topic:{topic_id}"


def topic_of(key: str) -> str | None:
    return key.removeprefix("topic:") if key.startswith("topic:") else None


class Navigator(QObject):
    """`open`, `back`, `home`, `reset`; emits `about_to_show(key)` before each move (the settings bar, kept
    under the attract screen between visitors, catches up with the language) and `current_changed(key)` after."""

    about_to_show = Signal(str)
    current_changed = Signal(str)

    def __init__(
        self, window: KioskWindow, factory: Callable[[str, bool], QWidget | None], parent: QObject | None = None
    ):
        super().__init__(parent)
        self.window = window
        self.stack = window.stack
        self._factory = factory
        self._screens: dict[str, QWidget] = {}
        self.history: list[str] = []
        self.current = ""

    def screen(self, key: str, build_now: bool = True) -> QWidget | None:
        """The screen for `key`, built now if needed; None if there is no such screen.

        With `build_now` False the factory may return a screen still to be built in parts (ahead of need).
        """
        if key not in self._screens:
            widget = self._factory(key, build_now)
            if widget is None:
                return None
            self._screens[key] = widget
            if key == ATTRACT:
                self.window.set_cover(widget)
            else:
                self.stack.addWidget(widget)
        return self._screens[key]

    @property
    def built(self) -> dict[str, QWidget]:
        return dict(self._screens)

    def open(self, key: str) -> bool:
        if key == self.current:
            return True
        if self.screen(key) is None:
            return False
        if self.current:
            self.history.append(self.current)
        self._show(key)
        return True

    @property
    def back_target(self) -> str:
        """Where `back` goes: the last screen in the history, else home."""
        return self.history[-1] if self.history else HOME

    def back(self) -> None:
        while self.history:
            key = self.history.pop()
            if self.screen(key) is not None:  # a screen dropped by a reload may be gone for good
                self._show(key)
                return
        self._show(HOME)

    def home(self) -> None:
        self.history.clear()
        self._show(HOME)

    def reset(self, meanwhile: Callable[[], object] | None = None) -> None:
        """Back to the attract screen with no history (a new visitor). `meanwhile` runs once the screen left
        is out of sight, before the attract screen shows (see KioskWindow.show_cover)."""
        self.history.clear()
        self._show(ATTRACT, meanwhile)

    def on_show(self) -> QWidget | None:
        """The screen a visitor sees: the attract screen, or the stack's."""
        if self.current == ATTRACT:
            return self._screens.get(ATTRACT)
        return self.stack.currentWidget() if self.current else None

    def stage(self, key: str) -> None:
        """A finger is on a way to `key`: its screen, ready, is shown under the one on show (ScreenStack.stage)."""
        widget = self.screen(key)
        if widget is not None and self.current not in (ATTRACT, "", key):
            self.stack.stage(widget)

    def unstage(self) -> None:
        self.stack.unstage()

    def put_under_cover(self, key: str) -> None:
        """Between visitors: make the screen for `key` the one under the attract screen (shown, out of sight)."""
        widget = self.screen(key)
        if widget is not None and self.current == ATTRACT:
            self.stack.setCurrentWidget(widget)

    def drop(self, keys: list[str]) -> None:
        """Forget built screens now; they are built again when next shown (the current one at once)."""
        for key in keys:
            widget = self._screens.pop(key, None)
            if widget is not None:
                self.stack.removeWidget(widget)
                # Deleted now, not later: a style sheet applied next would still polish it.
                shiboken6.delete(widget)
        if self.current in keys:
            current, self.current = self.current, ""
            self._show(current if self.screen(current) is not None else HOME)

    def _show(self, key: str, meanwhile: Callable[[], object] | None = None) -> None:
        widget = self.screen(key)
        if widget is None:
            return
        if key != self.current:
            self.about_to_show.emit(key)
        if key == ATTRACT:
            self.window.show_cover(True, meanwhile)
        else:
            if self.stack.currentWidget() is widget:
                widget.sync_language()  # shown under the cover meanwhile: in the visitor's language before it shows
            else:
                self.stack.setCurrentWidget(widget)
            self.window.show_cover(False)
        if key != self.current:
            self.current = key
            self.current_changed.emit(key)
