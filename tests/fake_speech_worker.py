"""A speech worker process with a fake engine: `python tests/fake_speech_worker.py BEHAVIOUR RECORD`.

It is the real kiosk.speech_worker (protocol, voice choice, event loop) in a real child process; only
the engine is a stand-in, with espeak-ng's voices in the order speech-dispatcher lists them (Caribbean
English and European Portuguese first, under the locales Qt gives them). What it is asked to say is
appended to RECORD as JSON lines, and so is each stop. BEHAVIOUR is what the speech service does:
  speaks           reads each text for READ_MS, then is ready again
  silent           no sound server: "Speaking" for ever, and stop() changes nothing
  hangs-at-start   accepts the connection and never answers: engine creation blocks for ever
  hangs-on-say     answers at first, then blocks for ever in say()
  no-engine        no speech engine installed
"""

from __future__ import annotations

import json
import sys
import time
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from kiosk.speech_worker import NoEngine, serve

READ_MS = 300
VOICES = [
    ("English (Caribbean)", "en_US"),  # speech-dispatcher's en-029, as QLocale reads it
    ("English (Great Britain)", "en_GB"),
    ("English (America)", "en_US"),
    ("Portuguese (Portugal)", "pt_BR"),  # "pt", which QLocale reads as Brazil
    ("Portuguese (Brazil)", "pt_BR"),
    ("French (France)", "fr_FR"),
]


class State(Enum):
    Ready = 0
    Speaking = 1


class FakeVoice:
    def __init__(self, name: str, locale: str):
        self._name, self._locale = name, locale

    def name(self) -> str:
        return self._name

    def locale(self) -> QLocale:
        return QLocale(self._locale)


class FakeEngine(QObject):
    stateChanged = Signal(object)  # noqa: N815 - QTextToSpeech's name

    def __init__(self, behaviour: str, record: Path):
        super().__init__()
        self.behaviour = behaviour
        self.record = record
        self.voices = [FakeVoice(*voice) for voice in VOICES]
        self.locale = QLocale("en_US")
        self.voice = self.voices[0]

    def availableLocales(self) -> list[QLocale]:  # noqa: N802
        return [QLocale(name) for name in sorted({voice.locale().name() for voice in self.voices})]

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802
        self.locale = locale
        self.voice = next(v for v in self.voices if v.locale() == locale)  # the engine's pick: the first

    def availableVoices(self) -> list[FakeVoice]:  # noqa: N802
        return [voice for voice in self.voices if voice.locale() == self.locale]

    def setVoice(self, voice: FakeVoice) -> None:  # noqa: N802
        self.voice = voice

    def _write(self, entry: dict) -> None:
        with self.record.open("a", encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")

    def say(self, text: str) -> None:
        self._write({"voice": self.voice.name(), "text": text})
        if self.behaviour == "hangs-on-say":
            time.sleep(3600)
        self.stateChanged.emit(State.Speaking)
        if self.behaviour == "speaks":
            QTimer.singleShot(READ_MS, lambda: self.stateChanged.emit(State.Ready))

    def stop(self) -> None:
        self._write({"stop": True})
        if self.behaviour != "silent":
            self.stateChanged.emit(State.Ready)


def main(behaviour: str, record: str) -> int:
    def factory() -> FakeEngine:
        if behaviour == "hangs-at-start":
            time.sleep(3600)
        if behaviour == "no-engine":
            raise NoEngine("no text-to-speech engine on this system")
        return FakeEngine(behaviour, Path(record))

    return serve(factory)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
