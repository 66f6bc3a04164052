"""The kiosk's back end: the services it runs, none of them a widget, built once from the settings.

Catalogs and the visitor's language, display choices, read-aloud, the content (read after the
first frame), usage statistics (opened after it) and systemd's notifier.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.appearance import Appearance
from kiosk.config import Settings
from kiosk.i18n import I18n, _
from kiosk.paths import CONTENT_DIR, FONTS_DIR, TRANSLATIONS_DIR
from kiosk.problems import FileProblem
from kiosk.runtime import data_dir
from kiosk.screens.base import Services
from kiosk.speech import Speech
from kiosk.systemd import SystemdNotifier

# The attract screen needs none of these: they are imported after the first frame, where they are used.
if TYPE_CHECKING:
    from kiosk.content.cache import ContentCache
    from kiosk.content.model import Library
    from kiosk.stats import UsageStats
    from kiosk.widgets.qr import Matrix

log = logging.getLogger(__name__)


@cache
def register_fonts() -> None:
    """Once per process: the bundled Noto Sans, so every kiosk image renders the same."""
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("could not load font %s", path)


def load_content(folder: Path, cache: ContentCache) -> tuple[Library, tuple[FileProblem, ...]]:
    from kiosk.content.loader import load_library
    from kiosk.icon_names import icon_exists

    result = load_library(folder, icon_exists, cache)
    cache.save()
    for problem in result.problems:
        log.error("content file left out: %s", problem)
    return result.library, result.problems


class Backend:
    """The services; `services` is the part every screen is given."""

    def __init__(
        self,
        app: QApplication,
        settings: Settings,
        data_dir: Path | None,
        environ: Mapping[str, str],
        speech_worker: Sequence[str] | None,
    ):
        self.settings = settings
        self.data_dir = data_dir
        self.environ = environ
        self.content_dir = settings.content_dir or CONTENT_DIR
        self.translations_dir = settings.translations_dir or TRANSLATIONS_DIR
        register_fonts()
        self.i18n = I18n(self.translations_dir, list(settings.languages), cache_dir=data_dir)
        self.default_language = (
            settings.default_language if settings.default_language in self.i18n.enabled else self.i18n.enabled[0]
        )
        self.i18n.set_language(self.default_language)
        self.appearance = Appearance(app)
        self.speech = Speech(speech_worker, dict(settings.read_aloud_voices))
        self.services = Services(
            self.i18n, self.appearance, None, settings.qr_base_url, self.speech, qr_matrix=self.qr_matrix
        )
        self.content_problems: tuple[FileProblem, ...] = ()
        self.content_loaded = False
        self._content_cache: ContentCache | None = None  # read after the first frame, with the content
        self.stats: UsageStats | None = None  # opened after the first frame: its integrity check grows with the file
        self.notifier = SystemdNotifier.from_environ(environ)

    @property
    def content_cache(self) -> ContentCache:
        if self._content_cache is None:
            from kiosk.content.cache import ContentCache

            self._content_cache = ContentCache(self.data_dir)
        return self._content_cache

    def qr_matrix(self, url: str) -> Matrix:
        """A QR code, from the content cache when an earlier start made it (see kiosk.content.cache)."""
        return self.content_cache.qr_matrix(url)

    def content_cached(self) -> bool:
        """The topic files are in the content cache as they are now (see kiosk.content.cache)."""
        return self.content_cache.holds(self.content_dir)

    def ensure_content(self) -> None:
        """Content is read after the first frame: the attract screen does not need it."""
        if not self.content_loaded:
            self.content_loaded = True
            self.services.library, self.content_problems = load_content(self.content_dir, self.content_cache)

    def reload(self) -> list[str]:
        """Read content and catalogs again; if either is broken, keep what is running and return why."""
        library, problems = load_content(self.content_dir, self.content_cache)
        reasons = [str(p) for p in problems] or ([] if library.topics else [_("No topics found.")])
        if not reasons:
            reasons = [str(p) for p in self.i18n.reload()]
        if not reasons:
            self.services.library, self.content_problems = library, problems
        return reasons

    @property
    def stats_wanted(self) -> bool:
        """Usage statistics are on, have a folder, and are not open yet."""
        return self.data_dir is not None and self.settings.stats_enabled and self.stats is None

    def open_stats(self, later: Callable[[Callable[[], None]], None]) -> None:
        """`later` runs the writes of the counts (see UsageStats)."""
        from kiosk.stats import UsageStats

        self.stats = UsageStats.open(self.data_dir / "usage.sqlite3", later=later)

    def state_dir(self) -> Path:
        """Where the kiosk keeps what it must remember between starts."""
        return self.data_dir if self.data_dir is not None else data_dir(self.settings)
