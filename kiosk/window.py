"""The kiosk window: the settings bar over a stack of screens, the attract screen covering both between
visitors, and room for overlays."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

import shiboken6
from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.access import focus_on, focus_targets, move_focus
from kiosk.accessibility import HIDDEN_PROPERTY, Role
from kiosk.theme import QWIDGETSIZE_MAX
from kiosk.widgets.header import SettingsBar

log = logging.getLogger(__name__)

GUARD_INTERVAL_MS = 500  # another X client's move, resize, lower or unmap is undone within this


@cache
def _xcb_flush() -> Callable[[], object] | None:
    try:
        import ctypes

        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_flush.argtypes = [ctypes.c_void_p]
    connection = QGuiApplication.instance().nativeInterface().connection()
    return lambda: xcb.xcb_flush(connection)


def flush_x_requests() -> None:
    """Send the X requests Qt has queued, without waiting for the server: QGuiApplication.sync() waits
    for it to finish the last frame too, and a tap arriving meanwhile would wait as long."""
    flush = _xcb_flush()
    if flush is not None:
        flush()
    else:
        QGuiApplication.sync()


class ScreenStack(QStackedWidget):
    """The screens, one on show, filling what the settings bar leaves of the window.

    It starts with an empty page on show: Qt would show the first screen added at once, and home is
    built ahead of need a part at a time, under the attract screen, before it is shown there.

    Qt's stacked layout answers a size question by asking every screen it holds (some 30, each through its
    own layout), and the window's layout asks it at each move. The screens out of sight have no say in the
    window's layout: the stack answers for the one on show.

    A screen may be staged while a finger is on a way to it (`stage`): shown under the one on show, out of sight,
    so that the release only raises it.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.addWidget(QWidget())
        self.staged: QWidget | None = None

    def stage(self, screen: QWidget) -> None:
        """Show `screen` under the one on show, unpainted and out of the Tab order and the accessibility tree:
        Qt's show of its widgets and their layout at its size are done now, not when it is shown for real."""
        current = self.currentWidget()
        if screen is current or screen is self.staged:
            return
        self.unstage()
        self.staged = screen
        screen.setProperty(HIDDEN_PROPERTY, True)
        screen.stackUnder(current)
        screen.show_unseen()

    def unstage(self) -> None:
        """Hide the staged screen again, unless it is the one on show by now."""
        staged, self.staged = self.staged, None
        if staged is not None and shiboken6.isValid(staged):
            staged.setProperty(HIDDEN_PROPERTY, False)
            if staged is not self.currentWidget():
                staged.hide()

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt API
        super().setCurrentWidget(widget)  # raises it; shows it, or only turns its updates on if it was staged
        self.unstage()

    def removeWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt API
        if widget is self.staged:
            self.staged = None
        super().removeWidget(widget)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        current = self.currentWidget()
        return current.sizeHint() if current is not None else QSize(0, 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        current = self.currentWidget()
        return current.minimumSizeHint() if current is not None else QSize(0, 0)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        current = self.currentWidget()
        return current.heightForWidth(width) if current is not None else -1


class KioskWindow(QWidget):
    """In kiosk mode: frameless, on top, the size of the screen, and it refuses to close.

    The attract screen is a cover over the whole window, not a screen in the stack: between visitors the
    settings bar and home stay shown under it, so choosing a language only uncovers them (showing them
    was half of that tap). What lies under the cover is out of sight: out of the Tab order, the switch's
    scan and the accessibility tree, and it is not painted (its updates are off).
    """

    def __init__(self, kiosk_mode: bool):
        super().__init__()
        self.setObjectName("KioskWindow")
        accessibility.set_role(self, Role.WINDOW)
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self.header: SettingsBar | None = None  # set_header, after the first frame
        self.cover: QWidget | None = None  # set_cover: the attract screen
        self._covered = False  # set as the cover is about to show, so what it will cover is out of sight already
        self.stack = ScreenStack()
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
        self.placed: QRect | None = None  # where the window belongs, once shown in kiosk mode
        self._guard = QTimer(self)
        self._guard.setInterval(GUARD_INTERVAL_MS)
        self._guard.timeout.connect(self.keep_in_place)

    def set_header(self, header: SettingsBar) -> None:
        """The settings bar over the screens (built after the first frame: the attract screen covers it)."""
        self.header = header
        self.layout().insertWidget(0, header)
        header.stackUnder(self.stack)  # first among the children too: Tab and scanning go in their order
        self._keep_covered_out_of_sight()

    def set_cover(self, cover: QWidget) -> None:
        """`cover` (hidden) fills the window over the bar and the stack, under any dialog open."""
        self.cover, self._covered = cover, False
        cover.hide()
        cover.setParent(self)
        cover.setGeometry(self.rect())
        dialogs = [c for c in self.children() if c.isWidgetType() and c not in (self.header, self.stack, cover)]
        if dialogs:
            cover.stackUnder(dialogs[0])

    @property
    def covered(self) -> bool:
        return self.cover is not None and self._covered

    def show_cover(self, shown: bool, meanwhile: Callable[[], object] | None = None) -> None:
        """Show or hide the cover. `meanwhile` runs once what it is to cover is out of sight, before it shows:
        what changes then (the language, the look) reaches neither that nor the cover twice."""
        changing = self.cover is not None and self.covered != shown
        if changing:
            self._covered = shown
        if meanwhile is not None:
            meanwhile()
        if not changing:
            return
        focus = QApplication.focusWidget()
        if not shown and focus is not None and self.cover.isAncestorOf(focus):
            # A key, a switch or dwell chose: the focus goes on with the visitor, to the screen's first control
            # (Qt would pick the settings bar's first, above it).
            targets = focus_targets(self.stack)
            if targets:
                focus_on(targets[0], Qt.FocusReason.TabFocusReason)
        self.cover.setVisible(shown)
        self._keep_covered_out_of_sight()

    def _keep_covered_out_of_sight(self) -> None:
        """The bar and the stack under the cover: left out of the accessibility tree, and not painted."""
        covered = self.covered
        for widget in (self.header, self.stack):
            if widget is not None:
                widget.setProperty(HIDDEN_PROPERTY, covered)
                # Nor painted meanwhile: what changes under the cover (the language caught up, a screen shown
                # once to lay it out) would repaint the attract screen over it for nothing. Uncovered, it paints.
                widget.setUpdatesEnabled(not covered)
        if QAccessible.isActive():  # the window's children as assistive technology sees them changed
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.ObjectReorder))

    def hold_still(self, held: bool) -> None:
        """While held, the bar and the screen on show change unseen: they are not painted, and the bar keeps its
        height, so nothing is uncovered for the window to fill; let go, what changed is painted in one frame.
        (The window's own updates turned off and on again would paint it twice.)"""
        if self.header is None:
            return
        if held:
            self.header.setFixedHeight(self.header.height())
        for part in (self.header, self.stack):
            part.setUpdatesEnabled(not held)
        if not held:
            self.header.setMinimumHeight(0)
            self.header.setMaximumHeight(QWIDGETSIZE_MAX)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.cover is not None:
            self.cover.setGeometry(self.rect())

    def show_on(self, geometry: QRect) -> None:
        """Show covering `geometry`; set explicitly, since a bare X server leaves 640 x 480.

        The size is fixed: Qt would otherwise grow a window whose wrapped text is taller at the
        layout's minimum width than the screen is high.
        """
        self.setFixedSize(geometry.size())
        self.setGeometry(geometry)
        if self.kiosk_mode:
            self.showFullScreen()
            self.setGeometry(geometry)
            self.placed = None  # known once the platform has settled it (some insist on the screen's size)
            self._guard.start()
        else:
            self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt API
        return move_focus(self.cover if self.covered else self, forward)

    def keep_in_place(self) -> None:
        """Kiosk mode: undo what another X client did. No window manager stops one from moving, resizing,
        lowering or unmapping the window, and nothing would put it back: a stuck kiosk in the lobby."""
        if not self.isVisible():
            return
        if self.placed is None:
            self.placed = self.geometry()
            self.setFixedSize(self.placed.size())  # the platform's full-screen size, not the one asked for
        handle = self.windowHandle()
        if handle is not None and not handle.isExposed():
            log.warning("the kiosk window was unmapped by another program; showing it again")
            placed = self.placed
            self.hide()
            self.show_on(placed)
            self.placed = placed
            return
        if self.geometry() != self.placed:
            log.warning(
                "the kiosk window was moved or resized to %s by another program; putting it back",
                self.geometry().getRect(),
            )
            self.setGeometry(self.placed)
        if QGuiApplication.platformName() == "xcb":
            # Lowered, or covered by another window: X tells the window nothing, so raise it every time,
            # and send the request now (Qt would send it with the next repaint). Under Wayland (cage) no
            # other client can restack the window.
            self.raise_()
            flush_x_requests()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.allow_close:
            event.accept()
        else:
            event.ignore()
