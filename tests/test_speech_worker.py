"""Voice choice, with the voices speech-dispatcher and espeak-ng list on Debian 12, as Qt names them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.speech_worker import choose_voice

# (name, QVoice.locale().name()) in the engine's order. Qt reads speechd's "en-029" as en_US and "pt" as
# pt_BR, so the engine's own pick for en_US is Caribbean English and for pt_BR European Portuguese.
ESPEAK_NG = [
    ("English (Caribbean)", "en_US"),
    ("English (Caribbean)+Klatt", "en_US"),
    ("English (America)+Klatt", "en_US"),
    ("English (America)", "en_US"),
    ("English (America, New York City)", "en_US"),
    ("English (Great Britain)", "en_GB"),
    ("English (Scotland)", "en_GB"),
    ("Portuguese (Portugal)", "pt_BR"),
    ("Portuguese (Brazil)", "pt_BR"),
    ("French (France)", "fr_FR"),
    ("French (Belgium)", "fr_BE"),
    ("French (Switzerland)", "fr_CH"),
    ("German", "de_DE"),
    ("Italian", "it_IT"),
    ("Russian (Latvia)", "ru_RU"),
    ("Russian", "ru_RU"),
]


def chosen(language: str, preferred: str = "") -> str | None:
    index = choose_voice(ESPEAK_NG, language, preferred)
    return None if index is None else ESPEAK_NG[index][0]


@pytest.mark.parametrize(
    ("language", "voice"),
    [
        ("en", "English (America)"),
        ("en_GB", "English (Great Britain)"),
        ("pt_BR", "Portuguese (Brazil)"),
        ("pt_PT", "Portuguese (Portugal)"),
        ("fr", "French (France)"),
        ("de", "German"),
        ("it", "Italian"),
        ("ru", "Russian"),
    ],
)
def test_each_language_gets_a_voice_of_its_usual_region(language, voice):
    assert chosen(language) == voice


@pytest.mark.parametrize(
    ("preferred", "voice"),
    [
        ("en_GB", "English (Great Britain)"),
        ("english (scotland)", "English (Scotland)"),
        ("English (America)+Klatt", "English (America)+Klatt"),
    ],
)
def test_the_config_picks_a_voice_by_locale_or_name(preferred, voice):
    assert chosen("en", preferred) == voice


def test_a_preferred_voice_of_another_language_or_none_at_all_falls_back_to_the_default():
    assert chosen("en", "French (France)") == "English (America)"
    assert chosen("en", "Nobody (Atlantis)") == "English (America)"


def test_no_voice_for_the_language():
    assert chosen("ja") is None


def test_a_worker_whose_kiosk_is_gone_exits():
    """The kiosk died (or stopped reading) before the worker answered: the worker must not linger."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "kiosk.speech_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    worker.stdout.close()  # its first answer meets a broken pipe
    try:
        assert worker.wait(timeout=30) == 0
    finally:
        worker.kill()
        worker.stdin.close()
