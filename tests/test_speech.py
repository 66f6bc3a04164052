"""Read-aloud with a fake engine: start, stop, idle pause, hidden when unavailable, never blocking."""

from __future__ import annotations

import threading
from enum import Enum

import pytest
from PySide6.QtCore import QLocale, QObject, Signal

from conftest import tap


class State(Enum):
    Ready = 0
    Speaking = 1


class FakeEngine(QObject):
    """Stands in for QTextToSpeech: same calls, same stateChanged signal, voices for en and fr."""

    stateChanged = Signal(object)  # noqa: N815

    def __init__(self, languages=("en_US", "fr_FR")):
        super().__init__()
        self.languages = languages
        self.spoken: list[tuple[str, str]] = []
        self.locale = QLocale()

    def availableLocales(self):  # noqa: N802
        return [QLocale(name) for name in self.languages]

    def setLocale(self, locale):  # noqa: N802
        self.locale = locale

    def say(self, text):
        self.spoken.append((self.locale.name(), text))
        self.stateChanged.emit(State.Speaking)

    def stop(self):
        self.stateChanged.emit(State.Ready)


def open_symptoms(kiosk, language="en"):
    kiosk.start_session(language)
    kiosk.open_topic("symptoms")
    return kiosk.navigator.screen("topic:symptoms")


def test_listen_reads_the_screen_and_pauses_the_idle_timer(qtbot, make_kiosk) -> None:
    engine = FakeEngine()
    kiosk = make_kiosk(speech_engine=lambda: engine)
    screen = open_symptoms(kiosk)
    qtbot.waitUntil(lambda: screen.listen_button.isVisible())
    assert screen.listen_button.text() == "Listen"

    tap(screen.listen_button)
    qtbot.waitUntil(lambda: kiosk.speech.speaking)
    assert engine.spoken[0][0].startswith("en")
    assert engine.spoken[0][1].startswith("Symptoms\nALS symptoms include the following:")
    assert "Muscle cramps" in engine.spoken[0][1]
    assert screen.listen_button.text() == "Stop"
    assert kiosk.policy.state == "paused"

    tap(screen.listen_button)
    qtbot.waitUntil(lambda: not kiosk.speech.speaking)
    assert screen.listen_button.text() == "Listen"
    assert kiosk.policy.state == "active"


def test_button_follows_the_voices_of_the_current_language(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk(speech_engine=FakeEngine)
    screen = open_symptoms(kiosk, "fr")
    qtbot.waitUntil(lambda: screen.listen_button.isVisible())
    kiosk.choose_language("de")  # no German voice in the fake engine
    assert not screen.listen_button.isVisible()
    kiosk.choose_language("fr")
    assert screen.listen_button.isVisible()


@pytest.mark.parametrize("switch", ["language", "screen"])
def test_switching_language_or_screen_stops_speech(qtbot, make_kiosk, switch) -> None:
    engine = FakeEngine()
    kiosk = make_kiosk(speech_engine=lambda: engine)
    screen = open_symptoms(kiosk)
    qtbot.waitUntil(lambda: screen.listen_button.isVisible())
    tap(screen.listen_button)
    qtbot.waitUntil(lambda: kiosk.speech.speaking)
    if switch == "language":
        tap(kiosk.header.languages.buttons["fr"])
        assert kiosk.i18n.current == "fr" and kiosk.navigator.current == "topic:symptoms"
    else:
        tap(screen.home_button)
        assert kiosk.i18n.current == "en" and kiosk.navigator.current == "home"
    qtbot.waitUntil(lambda: not kiosk.speech.speaking)
    assert len(engine.spoken) == 1  # stopped, not started again in the new language or on the new screen


def test_button_hidden_without_an_engine(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk(speech_engine=lambda: None)
    screen = open_symptoms(kiosk)
    qtbot.wait(50)
    assert not screen.listen_button.isVisible()
    assert screen.back_button.isVisible() and screen.next_button.isVisible()


def test_a_hung_engine_never_blocks_the_kiosk(qtbot, make_kiosk) -> None:
    release = threading.Event()

    def hanging_engine():
        release.wait(10)  # speech-dispatcher with broken audio can block like this
        return None

    kiosk = make_kiosk(speech_engine=hanging_engine)
    try:
        screen = open_symptoms(kiosk)
        tap(screen.next_button)
        assert kiosk.navigator.current == "topic:what-to-know"
        assert not kiosk.navigator.screen("topic:what-to-know").listen_button.isVisible()
    finally:
        release.set()
