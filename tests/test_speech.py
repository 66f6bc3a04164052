"""Read-aloud against a real worker process whose engine hangs, stays silent or speaks.

The worker is tests/fake_speech_worker.py: the real kiosk.speech_worker in a child process with a fake
engine. Only the limits are shortened (start, answer, deadline) so a test waits a second, not a minute.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from pathlib import Path

import pytest

from kiosk.app import Kiosk
from kiosk.navigation import ATTRACT, HOME
from kiosk.speech import DEADLINE_MARGIN_S, SLOW_CHARS_PER_S, WORKER_COMMAND, Speech, utterance_deadline_s

from conftest import msgstr, tap

FAKE_WORKER = Path(__file__).with_name("fake_speech_worker.py")
LIMIT_MS = 600  # start, answer and deadline limits in these tests


class SpeechKiosk:
    """A kiosk with a fake speech worker, its record of what was said, and its log."""

    def __init__(self, kiosk: Kiosk, record: Path, caplog):
        self.kiosk = kiosk
        self.record = record
        self.caplog = caplog

    @property
    def speech(self):
        return self.kiosk.speech

    def record_entries(self) -> list[dict]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text(encoding="utf-8").splitlines()]

    def said(self) -> list[dict]:
        """What the engine was asked to read, in order."""
        return [entry for entry in self.record_entries() if "text" in entry]

    def stops(self) -> int:
        """How often the engine was told to stop."""
        return sum(1 for entry in self.record_entries() if entry.get("stop"))

    def topic(self, language: str = "en"):
        self.kiosk.start_session(language)
        self.kiosk.open_topic("symptoms")
        return self.kiosk.navigator.screen("topic:symptoms")

    def voices_reading_in(self, qtbot, languages: list[str]) -> list[str]:
        """Listen tapped on the symptoms screen in each language in turn, each reading to its end: the voices."""
        screen = self.topic(languages[0])
        qtbot.waitUntil(screen.listen_button.isVisible)
        for language in languages:
            if language != self.kiosk.i18n.current:
                self.kiosk.choose_language(language)
            tap(screen.listen_button)
            qtbot.waitUntil(lambda: not self.speech.speaking)
        assert len(self.said()) == len(languages)
        return [entry["voice"] for entry in self.said()]

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def speech_kiosk(make_kiosk, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.INFO)

    def make(behaviour: str, deadline_s: float | None = LIMIT_MS / 1000, **settings) -> SpeechKiosk:
        record = tmp_path / "said.jsonl"
        monkeypatch.setattr(Speech, "start_timeout_ms", LIMIT_MS)
        monkeypatch.setattr(Speech, "answer_timeout_ms", LIMIT_MS)
        if deadline_s is not None:
            monkeypatch.setattr(Speech, "deadline_s", staticmethod(lambda text: deadline_s))
        kiosk = make_kiosk(speech_worker=[sys.executable, str(FAKE_WORKER), behaviour, str(record)], **settings)
        return SpeechKiosk(kiosk, record, caplog)

    return make


def worker_pid(kiosk: Kiosk) -> int:
    process = kiosk.speech._process
    assert process is not None
    return process.processId()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_listen_reads_the_screen_and_pauses_the_idle_timer(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("speaks", deadline_s=None)
    screen = s.topic()
    qtbot.waitUntil(screen.listen_button.isVisible)
    assert screen.listen_button.text() == "Listen"

    tap(screen.listen_button)
    assert s.speech.speaking and screen.listen_button.text() == "Stop"
    assert s.kiosk.policy.state == "paused"
    qtbot.waitUntil(lambda: len(s.said()) == 1)
    assert s.said()[0]["text"].startswith("Symptoms\nALS symptoms include the following:")
    assert "Muscle cramps" in s.said()[0]["text"]
    # The engine reads for 0.3 s, then says it is ready: the button and the idle timer follow.
    qtbot.waitUntil(lambda: not s.speech.speaking)
    assert screen.listen_button.text() == "Listen"
    assert s.kiosk.policy.state == "active"
    assert s.speech.status == "ready"


def test_each_language_gets_its_own_regions_voice(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("speaks", deadline_s=None)
    # The engine's own pick for en_US and pt_BR would be the first listed: Caribbean and European.
    assert s.voices_reading_in(qtbot, ["en", "pt_BR"]) == ["English (America)", "Portuguese (Brazil)"]


def test_the_config_chooses_another_voice(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("speaks", deadline_s=None, read_aloud_voices=(("en", "en_GB"), ("pt_BR", "Nobody (Atlantis)")))
    assert s.voices_reading_in(qtbot, ["en", "pt_BR"]) == ["English (Great Britain)", "Portuguese (Brazil)"]
    qtbot.waitUntil(lambda: any("no voice 'Nobody (Atlantis)' for pt_BR" in w for w in s.warnings()))


@pytest.mark.parametrize("switch", ["language", "screen"])
def test_switching_language_or_screen_stops_speech(qtbot, speech_kiosk, switch) -> None:
    s = speech_kiosk("silent", deadline_s=60)  # reads until it is told to stop
    screen = s.topic("en")
    qtbot.waitUntil(screen.listen_button.isVisible)
    tap(screen.listen_button)
    qtbot.waitUntil(lambda: len(s.said()) == 1)
    assert s.speech.speaking and s.kiosk.policy.state == "paused"
    if switch == "language":
        tap(s.kiosk.header.languages.buttons["fr"])
        assert s.kiosk.i18n.current == "fr" and s.kiosk.navigator.current == "topic:symptoms"
        assert screen.listen_button.text() == msgstr("fr", "Listen")
    else:
        tap(screen.home_button)
        assert s.kiosk.i18n.current == "en" and s.kiosk.navigator.current == HOME
    assert not s.speech.speaking and s.kiosk.policy.state == "active"
    qtbot.waitUntil(lambda: s.stops() == 1)  # the engine itself was told to stop
    assert len(s.said()) == 1  # and not asked to read again, in the new language or on the new screen


def test_stop_works_even_when_the_engine_ignores_it(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("silent", deadline_s=60)
    screen = s.topic()
    qtbot.waitUntil(screen.listen_button.isVisible)
    tap(screen.listen_button)
    qtbot.waitUntil(lambda: len(s.said()) == 1)
    tap(screen.listen_button)  # Stop
    assert not s.speech.speaking and screen.listen_button.text() == "Listen"
    assert s.kiosk.policy.state == "active"
    qtbot.wait(LIMIT_MS * 2)  # the worker answered the stop command: read-aloud stays on
    assert s.speech.status == "ready" and screen.listen_button.isVisible()


def test_a_silent_service_is_abandoned_at_the_deadline_and_the_kiosk_still_resets(
    qtbot, speech_kiosk, time_machine
) -> None:
    s = speech_kiosk("silent")
    screen = s.topic()
    qtbot.waitUntil(screen.listen_button.isVisible)
    pid = worker_pid(s.kiosk)
    tap(screen.listen_button)
    assert s.kiosk.policy.state == "paused"

    qtbot.waitUntil(lambda: not s.speech.speaking)
    assert s.speech.status == "stuck"
    assert not screen.listen_button.isVisible()
    assert s.kiosk.policy.state == "active"
    assert any("read-aloud is off: reading never finished" in w for w in s.warnings())
    qtbot.waitUntil(lambda: gone(pid))

    # The visitor has gone: the idle warning, then the countdown, then the attract screen.
    time_machine.advance(s.kiosk.settings.idle_timeout_s)
    assert s.kiosk.policy.state == "warning"
    time_machine.advance(s.kiosk.settings.idle_warning_s)
    assert s.kiosk.navigator.current == ATTRACT


def test_a_service_that_never_answers_leaves_listen_hidden_and_the_ui_free(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("hangs-at-start")
    screen = s.topic()
    pid = worker_pid(s.kiosk)
    tap(screen.next_button)  # the kiosk answers while the engine hangs
    assert s.kiosk.navigator.current == "topic:what-to-know"
    assert not s.kiosk.navigator.screen("topic:what-to-know").listen_button.isVisible()
    qtbot.waitUntil(lambda: s.speech.status == "hung")
    assert any("read-aloud is off: the speech service did not answer within 0.6 s" in w for w in s.warnings())
    qtbot.waitUntil(lambda: gone(pid))


def test_a_service_that_hangs_while_reading_hides_listen(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("hangs-on-say", deadline_s=60)
    screen = s.topic()
    qtbot.waitUntil(screen.listen_button.isVisible)
    tap(screen.listen_button)
    qtbot.waitUntil(lambda: not screen.listen_button.isVisible())
    assert s.speech.status == "hung" and not s.speech.speaking
    assert s.kiosk.policy.state == "active"
    assert any("the speech service stopped answering" in w for w in s.warnings())


def test_a_worker_that_dies_turns_read_aloud_off(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("speaks")
    screen = s.topic()
    qtbot.waitUntil(screen.listen_button.isVisible)
    os.kill(worker_pid(s.kiosk), signal.SIGKILL)
    qtbot.waitUntil(lambda: not screen.listen_button.isVisible())
    assert s.speech.status == "crashed"
    assert any("the speech worker exited" in w for w in s.warnings())


def test_no_engine_means_no_listen_button(qtbot, speech_kiosk) -> None:
    s = speech_kiosk("no-engine")
    screen = s.topic()
    qtbot.waitUntil(lambda: s.speech.status == "off")
    assert not screen.listen_button.isVisible()
    assert screen.back_button.isVisible() and screen.next_button.isVisible()
    assert s.warnings() == []  # no engine is a choice, not a fault


def test_the_metrics_file_says_why_read_aloud_is_off(qtbot, speech_kiosk, tmp_path) -> None:
    s = speech_kiosk("hangs-at-start", metrics_file=tmp_path / "kiosk.prom")
    qtbot.waitUntil(lambda: s.speech.status == "hung")
    text = (tmp_path / "kiosk.prom").read_text(encoding="utf-8")
    assert 'als_kiosk_read_aloud_status{status="hung"} 1\n' in text
    assert 'als_kiosk_read_aloud_status{status="ready"} 0\n' in text


def test_the_real_worker_starts_without_the_speech_addon(qtbot, tmp_path) -> None:
    """kiosk.speech_worker imports QtTextToSpeech only inside qt_engine(): without PySide6-Addons it says so."""
    try:
        import PySide6.QtTextToSpeech  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("PySide6-Addons is installed here")
    from kiosk.speech import Speech

    speech = Speech(WORKER_COMMAND)
    speech.start()
    try:
        qtbot.waitUntil(lambda: speech.status == "off", timeout=30000)
        assert speech.reason == "QtTextToSpeech is not installed (the 'speech' extra)"
    finally:
        speech.shutdown()


def test_the_deadline_grows_with_the_text() -> None:
    assert utterance_deadline_s("") == DEADLINE_MARGIN_S
    assert utterance_deadline_s("x" * 800) == 800 / SLOW_CHARS_PER_S + DEADLINE_MARGIN_S
