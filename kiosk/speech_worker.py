"""The read-aloud engine, in a child process the kiosk can kill: `python -m kiosk.speech_worker`.

speech-dispatcher can block for ever inside QTextToSpeech (spd_open waits for a service that
accepted the connection but never answers) while holding the interpreter lock, so no thread of
the kiosk's own process is safe. Here only this child hangs; the kiosk notices and kills it.

The protocol is one JSON object per line. From the kiosk on stdin:
    {"id": 1, "say": "text", "language": "pt_BR", "voice": ""}    voice: the config's override, or ""
    {"id": 2, "stop": true}
To the kiosk on stdout:
    {"voices": ["en_US", "fr_FR"]}     once the engine is up ([] and "off": reason when there is none)
    {"done": 1}                        a command was carried out (the kiosk times these)
    {"speaking": true, "id": 1}        the engine's state, for the utterance with that id
Log lines go to stderr, which the kiosk copies into its own log.

PySide6-Addons (the `speech` extra) provides QtTextToSpeech; it is imported only in qt_engine().
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, Protocol

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QSocketNotifier, QTimer

log = logging.getLogger("kiosk.speech_worker")


class Voice(Protocol):
    def name(self) -> str: ...
    def locale(self) -> QLocale: ...


class Engine(Protocol):
    """What the worker uses of QTextToSpeech."""

    stateChanged: Any  # noqa: N815 - Qt's name

    def say(self, text: str) -> None: ...
    def stop(self) -> None: ...
    def setLocale(self, locale: QLocale) -> None: ...  # noqa: N802
    def availableLocales(self) -> list[QLocale]: ...  # noqa: N802
    def availableVoices(self) -> list[Any]: ...  # noqa: N802
    def setVoice(self, voice: Any) -> None: ...  # noqa: N802


class NoEngine(Exception):
    """Read-aloud is not installed here: not a fault, so no traceback."""


def qt_engine() -> Engine:
    """The platform's QTextToSpeech engine; NoEngine says what is missing."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        raise NoEngine("QtTextToSpeech is not installed (the 'speech' extra)") from None
    if not QTextToSpeech.availableEngines():
        raise NoEngine("no text-to-speech engine on this system")
    return QTextToSpeech()


def is_speaking_state(state: object) -> bool:
    return getattr(state, "name", str(state)).endswith("Speaking")


def default_locale(language: str) -> str:
    """The locale a language's voice should speak: Qt's likely region, so en is en_US and pt_BR stays pt_BR."""
    return QLocale(language).name()


# How voice names (espeak-ng's "English (America)") name a region, where Qt's English name differs.
REGION_ALIASES = {"US": ("america",), "GB": ("great britain", "britain")}
_QUALIFIER = re.compile(r"\(([^)]*)\)")


def names_region(voice_name: str, locale: str) -> bool | None:
    """Whether the voice's name names the region of `locale`: None when it names no region at all."""
    qualifiers = [q.casefold() for q in _QUALIFIER.findall(voice_name)]
    if not qualifiers:
        return None
    region = QLocale(locale)
    code = QLocale.territoryToCode(region.territory())
    words = {QLocale.territoryToString(region.territory()).casefold(), code.casefold(), *REGION_ALIASES.get(code, ())}
    return any(word in qualifier for qualifier in qualifiers for word in words)


def choose_voice(voices: Sequence[tuple[str, str]], language: str, preferred: str = "") -> int | None:
    """Index of the best (voice name, locale name) for `language`, or None when none speaks it.

    `preferred` (from the config) names a voice or a locale such as en_GB and wins when it speaks the
    language. Then the language's likely region: a voice whose name says so ("English (America)" for en,
    "Portuguese (Brazil)" for pt_BR), then one of that locale that names no other region. The locale alone
    is not enough: Qt reads speech-dispatcher's "en-029" (Caribbean) as en_US and "pt" (Portugal) as pt_BR.
    """
    target = default_locale(language)
    base = target.split("_")[0]
    wanted = preferred.casefold()

    def rank(voice: tuple[str, str]) -> tuple[int, ...] | None:
        name, locale = voice
        if locale.split("_")[0] != base:
            return None
        if wanted and wanted in (name.casefold(), locale.casefold()):
            return (0,)
        region = names_region(name, target)
        # espeak-ng also lists each voice again with a variant ("English (America)+Klatt"): those after.
        return (1, region is not True, region is False, locale != target, "+" in name)

    ranked = [(r, index) for index, voice in enumerate(voices) if (r := rank(voice)) is not None]
    return min(ranked)[1] if ranked else None


def set_parent_death_signal() -> None:
    """Linux: die with the kiosk even while hung in the engine (a killed kiosk never reads our EOF)."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


class Worker(QObject):
    """Reads commands from `source` (a file descriptor), drives the engine, writes events to `out`."""

    def __init__(self, factory: Callable[[], Engine], source: int, out: BinaryIO):
        super().__init__()
        self._factory = factory
        self._source = source
        self._out = out
        self._buffer = b""
        self._engine: Engine | None = None
        self._voices: dict[str, Any] = {}  # language -> chosen voice
        self._utterance = 0
        self._notifier: QSocketNotifier | None = None

    def start(self) -> None:
        try:
            self._engine = self._factory()
        except NoEngine as missing:
            self._stop_serving(str(missing))
            return
        except Exception as error:
            log.exception("the speech engine failed to start")
            self._stop_serving(f"the speech engine failed to start: {error}")
            return
        self._engine.stateChanged.connect(self._on_state)
        locales = sorted({locale.name() for locale in self._engine.availableLocales()})
        log.info("read-aloud voices: %s", ", ".join(locales) or "none")
        self._send({"voices": locales})
        # Commands are read only now: while the engine starts, they wait in the pipe.
        self._notifier = QSocketNotifier(self._source, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def _stop_serving(self, reason: str) -> None:
        self._send({"voices": [], "off": reason})
        QCoreApplication.quit()

    def _read(self) -> None:
        chunk = os.read(self._source, 65536)
        if not chunk:  # the kiosk closed the pipe or exited
            QCoreApplication.quit()
            return
        *lines, self._buffer = (self._buffer + chunk).split(b"\n")
        for line in lines:
            if line.strip():
                self._run(json.loads(line))

    def _run(self, command: dict[str, Any]) -> None:
        assert self._engine is not None  # commands are read once the engine is up
        if "say" in command:
            self._utterance = command["id"]
            self._use_voice(command["language"], command.get("voice", ""))
            self._engine.say(command["say"])
        elif "stop" in command:
            self._engine.stop()
        self._send({"done": command["id"]})

    def _use_voice(self, language: str, preferred: str) -> None:
        assert self._engine is not None
        if language not in self._voices:
            self._voices[language] = self._find_voice(language, preferred)
        chosen = self._voices[language]
        if chosen is None:
            self._engine.setLocale(QLocale(language))
            return
        voice, locale = chosen
        self._engine.setLocale(QLocale(locale))
        self._engine.setVoice(voice)

    def _find_voice(self, language: str, preferred: str) -> tuple[Any, str] | None:
        assert self._engine is not None
        voices = []  # (voice, the name of its locale)
        for locale in self._engine.availableLocales():
            if locale.name().split("_")[0] == language.split("_")[0]:
                self._engine.setLocale(locale)
                voices += [(voice, voice.locale().name()) for voice in self._engine.availableVoices()]
        names = [(voice.name(), locale) for voice, locale in voices]
        index = choose_voice(names, language, preferred)
        if index is None:
            return None
        if preferred and preferred.casefold() not in (names[index][0].casefold(), names[index][1].casefold()):
            log.warning("read-aloud: no voice %r for %s; using the default", preferred, language)
        log.info("read-aloud voice for %s: %s (%s)", language, *names[index])
        return voices[index]

    def _on_state(self, state: object) -> None:
        self._send({"speaking": is_speaking_state(state), "id": self._utterance})

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self._out.write(json.dumps(message).encode() + b"\n")
            self._out.flush()
        except OSError:  # the kiosk is gone (a broken pipe): so is this worker's purpose
            os._exit(0)


def serve(factory: Callable[[], Engine]) -> int:
    """Run the worker over stdin and stdout until the kiosk closes stdin."""
    set_parent_death_signal()
    if os.getppid() == 1:  # the kiosk died before the line above could tie this process to it
        return 0
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    app = QCoreApplication(sys.argv[:1])
    worker = Worker(factory, sys.stdin.fileno(), sys.stdout.buffer)
    QTimer.singleShot(0, worker.start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(serve(qt_engine))
