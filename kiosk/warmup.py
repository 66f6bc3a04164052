"""The work the first frame does not need, done after it in slices of idle time (see kiosk.ahead):
the warm-up (input, statistics, content, icons, the header, home, systemd and metrics), every other
screen and dialog built ahead of need, and screens out of sight caught up after a language switch."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.access import in_sight
from kiosk.icon_names import load_icon_names
from kiosk.icons import load_icon_font
from kiosk.navigation import ATTRACT, HOME, topic_key

if TYPE_CHECKING:
    from kiosk.app import Kiosk

# Imported a module per slice after the first frame, dependencies first, so that no single import holds up a
# tap for long: markdown-it and segno (which pulls in urllib.request) only when a cache lacks what they make.
CONTENT_MODULES = ("hashlib", "kiosk.content.model", "kiosk.content.cache", "kiosk.content.loader")
MARKDOWN_MODULES = ("mdurl", "markdown_it")
HOME_MODULES = ("kiosk.widgets.scroll", "kiosk.widgets.tiles", "kiosk.screens.home")
QR_MODULES = ("email.parser", "ssl", "http.client", "urllib.request", "xml.sax.saxutils", "segno")
TOPIC_MODULES = ("kiosk.screens.topic", "kiosk.screens.overlay", "kiosk.screens.staff")


def import_in_slices(names: tuple[str, ...]) -> Iterator[None]:
    for name in names:
        import_module(name)
        yield


def load_qt_classes(slice_s: float = 0.003) -> Iterator[None]:
    """PySide6 makes a class's Python type when it is first used, and the first time Qt hands it an object
    of a class it does not wrap (a scroll area's viewport), every widget and event class it has not made
    yet: 15-20 ms in one call. Made a few at a time here first, the slices stay short."""
    from PySide6 import QtCore, QtGui, QtWidgets

    names = [(module, name) for module in (QtCore, QtGui) for name in dir(module) if name.endswith("Event")]
    names += [(QtWidgets, name) for name in dir(QtWidgets) if name.startswith("Q")]
    started = time.perf_counter()
    for module, name in names:
        getattr(module, name)
        if time.perf_counter() - started > slice_s:
            yield
            started = time.perf_counter()


class AfterFirstFrame(QObject):
    """Calls `slot` once, from the event loop, right after `window` is first painted.

    A 0 ms timer started after show() fires before the window system's first expose arrives, so
    work queued that way runs before the first frame and holds it back. The first paint happens
    while Qt handles that expose; a 0 ms timer started there fires just after it. If no expose comes
    (a platform that never exposes the window), the slot runs after `fallback_ms`.
    """

    def __init__(self, window: QWidget, slot: Callable[[], None], fallback_ms: int = 1000):
        super().__init__(window)
        self._slot: Callable[[], None] | None = slot
        self._handle = window.windowHandle()
        if self._handle is not None:
            self._handle.installEventFilter(self)
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start(fallback_ms if self._handle is not None else 0)
        if self._handle is not None and self._handle.isExposed():  # exposed (and painted) during show() already
            QTimer.singleShot(0, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Expose and watched is self._handle and self._handle.isExposed():
            self._handle.removeEventFilter(self)
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        slot, self._slot = self._slot, None
        self._fallback.stop()
        if slot is not None:
            slot()


class WarmUp:
    """Queues the kiosk's work ahead of need on `kiosk.ahead`, each job a generator of short slices."""

    def __init__(self, kiosk: Kiosk):
        self.kiosk = kiosk
        self.started = False
        self._filtering = False  # the app-wide event filter, installed with the first frame
        self._building_ahead = False
        self._built_ahead = False  # once: a later build is a rebuild, after screens were dropped
        self._catching_up = False

    def after_first_frame(self) -> None:
        if not self.started:
            self.started = True
            self.kiosk.ahead.add(self._warm_up_steps())
        self.build_ahead()

    def now(self) -> None:
        """The warm-up, done now rather than in slices (tests, rendering): home, icons, content, services."""
        if not self.started:
            self.started = True
            for _ in self._warm_up_steps():
                pass
        else:
            self.kiosk.ahead.finish()

    def install_event_filter(self) -> None:
        """The app-wide filter, once the attract screen is painted: before that there is nothing to tap.

        Handing the first event of an object of a class PySide6 does not wrap (xcb's input context)
        to a Python filter makes PySide6 load every class it loads lazily, a one-time 15 ms.
        """
        if not self._filtering:
            self._filtering = True
            self.kiosk.app.installEventFilter(self.kiosk.events)

    def remove_event_filter(self) -> None:
        self.kiosk.app.removeEventFilter(self.kiosk.events)
        self._filtering = False

    def _warm_up_steps(self) -> Iterator[None]:
        """What the next tap needs first; each `yield` ends a slice of a few milliseconds."""
        kiosk = self.kiosk
        backend = kiosk.backend
        self.install_event_filter()
        yield
        if backend.stats_wanted:
            import_module("kiosk.stats")
            yield
            backend.open_stats(later=kiosk.ahead.call)  # counts are written after the tap's frame
            yield
        if not backend.content_loaded:
            yield from import_in_slices(CONTENT_MODULES)
            if not backend.content_cached():  # a first start, or edited topics: markdown-it, a module a slice
                yield from import_in_slices(MARKDOWN_MODULES)
            yield
            backend.ensure_content()
            yield
        # Each icon font and its names in a slice of their own (the controls' set and the topics'), before the
        # icons appear.
        for prefix in sorted({"mdi6", *(t.icon.partition(".")[0] for t in kiosk.services.library.topics)}):
            load_icon_font(prefix)
            yield
            load_icon_names(prefix)
            yield
        kiosk.appearance.enable_icons()
        yield
        kiosk.header  # noqa: B018 - built here, under the attract screen until a visitor leaves it
        yield
        yield from load_qt_classes()
        yield from import_in_slices(HOME_MODULES)
        yield from self._build_screen(HOME)
        home = kiosk.navigator.built.get(HOME)
        if home is not None:  # its tiles, measured before its first layout needs them
            yield from home.measure_in_parts(kiosk.i18n.current)
        self._show_once_unseen(HOME)
        yield
        kiosk.speech.start()
        kiosk.monitoring.start()

    def build_ahead(self) -> None:
        """Queue building every screen not built yet, so no tap waits for one."""
        if not self._building_ahead:
            self._building_ahead = True
            self.kiosk.ahead.add(self._build_ahead_steps())

    def rebuild_dropped(self) -> None:
        """Screens were dropped (a restyle or reload): build them again, once the warm-up has begun."""
        if self.started:
            self.build_ahead()

    def _build_ahead_steps(self) -> Iterator[None]:
        kiosk = self.kiosk
        if HOME not in kiosk.navigator.built:  # dropped by a reload
            yield from self._build_screen(HOME)
            self._show_once_unseen(HOME)
            yield
        yield from import_in_slices(TOPIC_MODULES)
        if kiosk.visit.idle_overlay_built is None:
            kiosk.visit.idle_overlay  # noqa: B018 - built here, ahead of its first warning
            yield
        from kiosk.screens.topic import topic_url

        topics = kiosk.services.library.reading_order
        urls = {topic.id: topic_url(kiosk.services.qr_base_url, topic.id) for topic in topics}
        if not all(map(kiosk.backend.content_cache.holds_qr, urls.values())):  # QR codes to make: segno
            yield from import_in_slices(QR_MODULES)
        for topic in topics:
            key = topic_key(topic.id)
            if key not in kiosk.navigator.built:
                kiosk.services.qr_matrix(urls[topic.id])
                yield
                yield from self._build_screen(key)
                self._show_once_unseen(key)
                yield
        if kiosk.staff_access.staff_panel_built is None:
            kiosk.staff_access.staff_panel  # noqa: B018
            yield
        # What a language switch reads (its catalog, parsed) and formats (dates, numbers), so that the press on a
        # language parses nothing and needs no Babel; the formatted texts are usually cached already.
        for language in kiosk.i18n.enabled:
            kiosk.i18n.catalog(language)
            for topic in kiosk.services.library.topics:
                kiosk.i18n.format_date(topic.reviewed, language)
            for count in range(kiosk.settings.idle_warning_s + 1):
                kiosk.i18n.format_number(count, language)
            yield
        # What choosing a language first measures: home's tiles in each language.
        home = kiosk.navigator.built.get(HOME)
        for language in kiosk.i18n.enabled:
            if home is not None and language != kiosk.i18n.current:
                yield from home.measure_in_parts(language)
        kiosk.i18n.cache.save()
        kiosk.backend.content_cache.save()
        yield
        # What is built now lives as long as the kiosk: out of the garbage collector's way, so that a full
        # collection (7 to 11 ms over some 47,000 objects) never lands on a tap. After a rebuild, the screens
        # dropped (a restyle, a reload) are collected first. (The real program set aside what its start made
        # at the first frame, kiosk.runtime: the first build adds to that, and collects nothing.)
        if self._built_ahead:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        self._built_ahead = True
        self._building_ahead = False

    def catch_up_language(self) -> None:
        """After a switch, bring the screens out of sight up to date while idle (see Screen.sync_language)."""
        if self.started and not self._catching_up:
            self._catching_up = True
            self.kiosk.ahead.add(self._catch_up_steps())

    def _catch_up_steps(self) -> Iterator[None]:
        kiosk = self.kiosk
        try:
            while True:  # until none is left: the language may change again meanwhile
                # Not the attract screen: it shows only after a reset, in the first language again.
                screens = [screen for key, screen in kiosk.navigator.built.items() if key != ATTRACT]
                parts = [*screens, *kiosk.overlays(), *filter(None, [kiosk.header_built])]
                stale = next((w for w in parts if w.language_stale and not in_sight(w)), None)
                if stale is None:
                    return
                stale.sync_language()
                yield
                if shiboken6.isValid(stale) and stale.layout() is not None:  # not dropped meanwhile
                    stale.layout().activate()
                    yield
        finally:
            self._catching_up = False

    def _show_once_unseen(self, key: str) -> None:
        """Show the screen for `key` once under the attract screen, then home again: a first show lays out and
        measures everything at its size, which the tap that first opens it would otherwise wait for. Only
        while the attract screen shows; home stays under it (choosing a language then only uncovers it)."""
        kiosk = self.kiosk
        navigator, stack = kiosk.navigator, kiosk.window.stack
        screen = navigator.built.get(key)
        if screen is None or navigator.current != ATTRACT or not kiosk.window.isVisible():
            return
        stack.setCurrentWidget(screen)
        kiosk.window.layout().activate()  # the screen's showEvent then settles its own layouts
        navigator.put_under_cover(HOME)

    def _build_screen(self, key: str) -> Iterator[None]:
        """Build the screen for `key` a part per slice, then style and lay it out as shown (a slice each)."""
        navigator = self.kiosk.navigator
        screen = navigator.screen(key, build_now=False)
        while screen is not None:
            yield
            if navigator.built.get(key) is not screen:  # a restyle or reload dropped it meanwhile
                return
            if not screen.build_next_part():
                break
        for prepare in (QWidget.ensurePolished, lambda w: w.layout() and w.layout().activate()):
            if screen is None or navigator.built.get(key) is not screen:
                return
            prepare(screen)
            yield
