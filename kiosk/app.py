"""The kiosk: builds the services and screens and wires their signals, all in this one place."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.appearance import Appearance
from kiosk.config import Settings
from kiosk.content.loader import ContentProblem, load_library
from kiosk.content.model import Library
from kiosk.i18n import I18n
from kiosk.icon_names import icon_exists
from kiosk.navigation import ATTRACT, HOME, Navigator, topic_key, topic_of
from kiosk.paths import CONTENT_DIR, FONTS_DIR, TRANSLATIONS_DIR
from kiosk.screens.attract import AttractScreen
from kiosk.screens.base import Services
from kiosk.screens.home import HomeScreen
from kiosk.screens.topic import TopicScreen
from kiosk.widgets.header import SettingsBar
from kiosk.window import KioskWindow

log = logging.getLogger(__name__)


def register_fonts() -> None:
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("could not load font %s", path)


def load_content(folder: Path) -> tuple[Library, tuple[ContentProblem, ...]]:
    result = load_library(folder, icon_exists)
    for problem in result.problems:
        log.error("content file left out: %s", problem)
    return result.library, result.problems


class Kiosk(QObject):
    """Owns the services, the window and the navigator; connects them."""

    def __init__(self, app: QApplication, settings: Settings, kiosk_mode: bool = True):
        super().__init__()
        self.app = app
        self.settings = settings
        self.kiosk_mode = kiosk_mode
        self.content_dir = settings.content_dir or CONTENT_DIR
        self.translations_dir = settings.translations_dir or TRANSLATIONS_DIR
        register_fonts()
        self.i18n = I18n(self.translations_dir, list(settings.languages))
        self.default_language = (
            settings.default_language if settings.default_language in self.i18n.enabled else self.i18n.enabled[0]
        )
        self.i18n.set_language(self.default_language)
        self.appearance = Appearance(app)
        self.services = Services(self.i18n, self.appearance, Library(()), settings.qr_base_url)
        self.content_problems: tuple[ContentProblem, ...] = ()
        self._content_loaded = False

        self.header = SettingsBar(self.i18n, self.appearance)
        self.window = KioskWindow(self.header, kiosk_mode)
        self.navigator = Navigator(self.window.stack, self._make_screen)
        self._wire()
        self.navigator.reset()

    # -- building ---------------------------------------------------------------------------

    def ensure_content(self) -> None:
        """Content is read after the first frame: the attract screen does not need it."""
        if not self._content_loaded:
            self._content_loaded = True
            self.services.library, self.content_problems = load_content(self.content_dir)

    def _make_screen(self, key: str) -> QWidget | None:
        if key == ATTRACT:
            screen = AttractScreen(self.services)
            screen.language_chosen.connect(self.start_session)
            return screen
        self.ensure_content()
        if key == HOME:
            screen = HomeScreen(self.services)
            screen.topic_requested.connect(self.open_topic)
            return screen
        topic = self.services.library.get(topic_of(key) or "")
        if topic is None:
            return None
        screen = TopicScreen(self.services, topic)
        screen.topic_requested.connect(self.open_topic)
        screen.back_requested.connect(self.navigator.back)
        screen.home_requested.connect(self.navigator.home)
        return screen

    def _wire(self) -> None:
        self.header.language_requested.connect(self.i18n.set_language)
        self.header.text_size_requested.connect(self.appearance.set_text_size)
        self.header.high_contrast_requested.connect(self.appearance.set_high_contrast)
        self.navigator.current_changed.connect(self._on_screen_changed)

    # -- behaviour --------------------------------------------------------------------------

    def show(self, geometry: QRect | None = None) -> None:
        screen = self.app.primaryScreen()
        self.window.show_on(geometry or screen.geometry())
        # Work the first frame does not need, done right after it is painted.
        QTimer.singleShot(0, self.warm_up)

    def warm_up(self) -> None:
        self.ensure_content()
        self.appearance.enable_icons()
        self.navigator.screen(HOME)

    def start_session(self, language: str) -> None:
        self.i18n.set_language(language)
        self.navigator.home()

    def open_topic(self, topic_id: str) -> None:
        self.navigator.open(topic_key(topic_id))

    def reset(self) -> None:
        """A new visitor: attract screen, default language, text size and theme, no history."""
        for screen in self.navigator.built.values():
            screen.reset_view()
        self.i18n.set_language(self.default_language)
        self.appearance.reset()
        self.navigator.reset()

    def _on_screen_changed(self, key: str) -> None:
        self.header.setVisible(key != ATTRACT)
