"""Read-aloud with QtTextToSpeech, kept off the UI thread.

speech-dispatcher can block for tens of seconds when audio is broken, so the engine is
created and driven in a worker thread. Until it answers, no language counts as having a
voice and the "Listen" button stays hidden; a hung engine hangs only its own thread.
PySide6-Addons (the `speech` extra) provides QtTextToSpeech; without it nothing changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QLocale, QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class Engine(Protocol):
    stateChanged: object  # noqa: N815 - Qt's name

    def say(self, text: str) -> None: ...
    def stop(self) -> None: ...
    def setLocale(self, locale: QLocale) -> None: ...  # noqa: N802
    def availableLocales(self) -> list[QLocale]: ...  # noqa: N802


def qt_engine() -> Engine | None:
    """The platform's QTextToSpeech engine, or None when the module or an engine is missing."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        log.info("read-aloud is off: QtTextToSpeech is not installed (the 'speech' extra)")
        return None
    if not QTextToSpeech.availableEngines():
        log.info("read-aloud is off: no text-to-speech engine on this system")
        return None
    return QTextToSpeech()


def is_speaking_state(state: object) -> bool:
    return getattr(state, "name", str(state)).endswith("Speaking")


class _Worker(QObject):
    voices_found = Signal(list)
    speaking_changed = Signal(bool)

    def __init__(self, factory: Callable[[], Engine | None]):
        super().__init__()
        self._factory = factory
        self._engine: Engine | None = None

    @Slot()
    def create(self) -> None:
        try:
            self._engine = self._factory()
        except Exception:  # a broken speech stack must not take the kiosk down
            log.exception("read-aloud is off: the speech engine failed to start")
            self._engine = None
        if self._engine is None:
            self.voices_found.emit([])
            return
        self._engine.stateChanged.connect(lambda state: self.speaking_changed.emit(is_speaking_state(state)))
        languages = sorted({locale.name() for locale in self._engine.availableLocales()})
        log.info("read-aloud voices: %s", ", ".join(languages) or "none")
        self.voices_found.emit(languages)

    @Slot(str, str)
    def say(self, text: str, language: str) -> None:
        if self._engine is not None:
            self._engine.setLocale(QLocale(language))
            self._engine.say(text)

    @Slot()
    def stop(self) -> None:
        if self._engine is not None:
            self._engine.stop()


class Speech(QObject):
    """`say` / `stop` from the UI thread; `speaking_changed` and `availability_changed` back."""

    availability_changed = Signal()
    speaking_changed = Signal(bool)
    _create = Signal()
    _say = Signal(str, str)
    _stop = Signal()

    def __init__(self, engine_factory: Callable[[], Engine | None] = qt_engine, parent: QObject | None = None):
        super().__init__(parent)
        self._factory = engine_factory
        self._voices: list[str] = []  # QLocale names such as "fr_FR"
        self.speaking = False
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    def start(self) -> None:
        """Create the engine in its own thread; call after the first frame."""
        if self._thread is not None:
            return
        self._thread = QThread()
        self._thread.setObjectName("speech")
        self._worker = _Worker(self._factory)
        self._worker.moveToThread(self._thread)
        self._create.connect(self._worker.create)
        self._say.connect(self._worker.say)
        self._stop.connect(self._worker.stop)
        self._worker.voices_found.connect(self._on_voices)
        self._worker.speaking_changed.connect(self._on_speaking)
        self._thread.start()
        self._create.emit()

    def available(self, language: str) -> bool:
        base = language.split("_")[0]
        return any(voice == language or voice.split("_")[0] == base for voice in self._voices)

    def say(self, text: str, language: str) -> None:
        if self.available(language):
            self._say.emit(text, language)

    def stop(self) -> None:
        if self.speaking:
            self._stop.emit()

    def shutdown(self) -> None:
        if self._thread is not None:
            self._stop.emit()
            self._thread.quit()
            # A hung engine must not hold up the exit either.
            self._thread.wait(2000)

    def _on_voices(self, voices: list[str]) -> None:
        self._voices = voices
        self.availability_changed.emit()

    def _on_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            self.speaking_changed.emit(speaking)
