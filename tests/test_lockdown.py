"""Kiosk mode: a visitor cannot leave the app (offscreen, real key, mouse, context-menu and close events).

Each test carries its own proof that the event would have done something: shortcuts bound on the
window (as a careless app would bind Ctrl+Q or F11), an event filter on the widget itself, a button
that asks for custom context menus. In windowed mode (kiosk_mode=False) the same probes fire.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.lockdown import StaffGesture
from kiosk.navigation import ATTRACT
from kiosk.widgets.tiles import TopicTile

from conftest import key, tap

Mod = Qt.KeyboardModifier
ESCAPES = {
    "Alt+F4": (Qt.Key.Key_F4, Mod.AltModifier),
    "Ctrl+Q": (Qt.Key.Key_Q, Mod.ControlModifier),
    "Ctrl+W": (Qt.Key.Key_W, Mod.ControlModifier),
    "Esc": (Qt.Key.Key_Escape, Mod.NoModifier),
    "F11": (Qt.Key.Key_F11, Mod.NoModifier),
}


class Received(QObject):
    """An event filter on one widget: what actually reached it (after the application's filters)."""

    def __init__(self, widget: QWidget, kinds: set[QEvent.Type]) -> None:
        super().__init__(widget)
        self.kinds = kinds
        self.events: list[QEvent.Type] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in self.kinds:
            self.events.append(event.type())
        return False


class ShortcutProbes:
    """Each escape key bound on the window, doing what such a binding usually does."""

    def __init__(self, window: QWidget) -> None:
        self.fired: list[str] = []
        self.shortcuts = []
        for name in ESCAPES:
            sequence = QKeySequence(ESCAPES[name][0].value | ESCAPES[name][1].value)
            shortcut = QShortcut(sequence, window)
            shortcut.activated.connect(lambda n=name: self.fired.append(n))
            shortcut.activated.connect(window.showNormal if name in ("Esc", "F11") else window.close)
            self.shortcuts.append(shortcut)


def send_key_to_window(window: QWidget, code, modifiers) -> None:
    key(window, code, modifiers)  # through the QWindow, as the platform delivers it


def send_key_to_widget(window: QWidget, code, modifiers) -> None:
    QTest.keyClick(window, code, modifiers)


DELIVERY = pytest.mark.parametrize("send", [send_key_to_window, send_key_to_widget], ids=["qwindow", "widget"])


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk(kiosk_mode=True)


@pytest.fixture
def windowed(make_kiosk):
    return make_kiosk(kiosk_mode=False)


def english_button(kiosk):
    return kiosk.navigator.screen(ATTRACT).languages.buttons["en"]


@DELIVERY
@pytest.mark.parametrize("name", list(ESCAPES))
def test_escape_keys_are_filtered(kiosk, send, name):
    window = kiosk.window
    probes = ShortcutProbes(window)
    received = Received(window, {QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Close})
    blocked = kiosk.lockdown.blocked
    send(window, *ESCAPES[name])
    QApplication.processEvents()
    assert probes.fired == []
    assert received.events == []
    assert kiosk.lockdown.blocked > blocked
    assert window.isVisible()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert kiosk.navigator.current == ATTRACT


@DELIVERY
@pytest.mark.parametrize("name", list(ESCAPES))
def test_in_windowed_mode_the_escape_keys_reach_the_window(windowed, send, name):
    probes = ShortcutProbes(windowed.window)
    send(windowed.window, *ESCAPES[name])
    assert probes.fired == [name]


def test_a_close_event_is_ignored_in_kiosk_mode(kiosk):
    event = QCloseEvent()
    QApplication.sendEvent(kiosk.window, event)
    assert not event.isAccepted()
    assert not kiosk.window.close()
    assert kiosk.window.isVisible()


def test_a_close_event_is_accepted_in_windowed_mode(windowed):
    event = QCloseEvent()
    QApplication.sendEvent(windowed.window, event)
    assert event.isAccepted()
    assert windowed.window.close()
    assert not windowed.window.isVisible()


def context_menu_probe(widget: QWidget) -> list[QPoint]:
    asked: list[QPoint] = []
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    widget.customContextMenuRequested.connect(asked.append)
    return asked


def send_context_menu(widget: QWidget) -> None:
    centre = widget.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, widget.mapToGlobal(centre))
    QApplication.sendEvent(widget, event)


def test_a_context_menu_event_is_swallowed(kiosk):
    button = english_button(kiosk)
    asked = context_menu_probe(button)
    send_context_menu(button)
    send_context_menu(kiosk.window)
    assert asked == []
    assert kiosk.lockdown.blocked == 2


def test_a_right_click_neither_reaches_a_button_nor_opens_a_menu(kiosk):
    button = english_button(kiosk)
    received = Received(button, {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease})
    asked = context_menu_probe(button)
    clicked: list[int] = []
    button.clicked.connect(lambda *_args: clicked.append(1))
    tap(button, button=Qt.MouseButton.RightButton)
    assert received.events == []
    assert clicked == [] and asked == []
    assert kiosk.navigator.current == ATTRACT
    tap(button)  # the left button still works
    assert clicked == [1]


def test_in_windowed_mode_right_clicks_and_context_menus_get_through(windowed):
    button = english_button(windowed)
    received = Received(button, {QEvent.Type.MouseButtonPress})
    asked = context_menu_probe(button)
    tap(button, button=Qt.MouseButton.RightButton)
    assert received.events == [QEvent.Type.MouseButtonPress]
    assert len(asked) == 1  # the platform turns the right click into a context-menu request
    send_context_menu(button)
    assert len(asked) == 2


def test_leaving_full_screen_is_undone(kiosk):
    kiosk.window.showNormal()
    QApplication.processEvents()  # the lockdown asks again for full screen, on the next turn of the loop
    assert kiosk.window.windowState() & Qt.WindowState.WindowFullScreen


def test_the_cursor_is_hidden_in_kiosk_mode(kiosk):
    cursor = QApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor


def test_the_cursor_shows_when_hide_cursor_is_off(make_kiosk):
    make_kiosk(kiosk_mode=True, hide_cursor=False)
    assert QApplication.overrideCursor() is None


def test_windowed_mode_installs_none_of_the_lockdown(make_kiosk):
    windowed = make_kiosk(kiosk_mode=False, hide_cursor=True)
    assert windowed.lockdown is None
    assert QApplication.overrideCursor() is None
    assert not windowed.window.windowState() & Qt.WindowState.WindowFullScreen
    probes = ShortcutProbes(windowed.window)
    key(windowed.window, Qt.Key.Key_F11)
    assert probes.fired == ["F11"]


# -- the staff corner ----------------------------------------------------------------------------

CORNER_SIZES = {
    "landscape": (1920, 1080),
    "portrait": (1080, 1920),
    "small": (1280, 800),
    "small portrait": (800, 1280),
}


def controls_in_the_corner(kiosk) -> list[str]:
    """Every control (button or tile) any part of which shows inside the staff gesture's corner."""
    corner = QRect(0, 0, StaffGesture.CORNER_PX, StaffGesture.CORNER_PX)
    found = []
    for widget in kiosk.window.findChildren(QWidget):
        if isinstance(widget, (QAbstractButton, TopicTile)) and widget.isVisible():
            shown = widget.visibleRegion().translated(widget.mapTo(kiosk.window, QPoint(0, 0)))
            if shown.intersects(corner):
                found.append(widget.objectName() or type(widget).__name__)
    return found


@pytest.mark.parametrize("size", list(CORNER_SIZES))
def test_the_staff_corner_holds_no_control_in_any_layout(make_kiosk, size):
    """Attract, home and topic screens, each orientation, each text size, in the longest languages."""
    kiosk = make_kiosk(size=CORNER_SIZES[size])
    QApplication.processEvents()
    assert controls_in_the_corner(kiosk) == [], "attract screen"
    tap(kiosk.navigator.screen(ATTRACT).languages.buttons["de"])
    for language in ("de", "ru"):
        tap(kiosk.header.languages.buttons[language])
        for text_size in kiosk.header.size_buttons.values():
            tap(text_size)
            kiosk.navigator.home()
            QApplication.processEvents()
            assert controls_in_the_corner(kiosk) == [], f"home, {language}, {text_size.objectName()}"
            kiosk.open_topic("care-at-rush")  # a topic with care-item tiles
            QApplication.processEvents()
            assert controls_in_the_corner(kiosk) == [], f"topic, {language}, {text_size.objectName()}"


# -- the window stays where the kiosk put it -----------------------------------------------------


def test_a_moved_window_is_put_back(kiosk):
    """Offscreen, a move; resizes, unmapping and restacking are tested on a real X server (test_real_window)."""
    window = kiosk.window
    assert window._guard.isActive()
    window.keep_in_place()  # the guard's first run (after half a second) notes where the platform put it
    placed = window.geometry()
    assert window.placed == placed
    window.move(200, 100)  # as another X client's configure request lands
    QApplication.processEvents()
    assert window.pos() != placed.topLeft()
    window.keep_in_place()  # what the guard timer runs every half second
    QApplication.processEvents()
    # The position only: the offscreen screen (800 x 800) is narrower than the kiosk's smallest layout.
    assert window.pos() == placed.topLeft()
    assert window.isVisible()


def test_a_windowed_kiosk_may_be_moved(windowed):
    assert not windowed.window._guard.isActive()
