"""`python -m bench.speech_faults`: what a broken speech service costs the kiosk, measured on the real kiosk.

The speech worker is tests/fake_speech_worker.py (the real kiosk.speech_worker in a child process, with
an engine that hangs or never finishes); everything else is the kiosk with its default settings, offscreen,
except the idle timeout and warning, set to their smallest allowed values (10 s and 20 s) so the silent
case takes a minute; the default (90 s and 30 s) adds 90 s to its idle reset. Prints:

- UI-thread blocking: the longest gap between the ticks of a 1 ms timer while the worker starts, reads,
  hangs, is killed and read-aloud turns off (a frame is 16.7 ms);
- hung service (answers at first, then hangs while reading): from the Listen tap until the button hides;
- hung service (never answers at all): from start-up until read-aloud is off (Listen never shows);
- silent service (no sound server: "Speaking" for ever): from the Listen tap until speech is abandoned,
  and until the idle reset shows the attract screen.
Informational only, like the rest of the bench.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QRect, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk
from kiosk.config import Settings
from kiosk.navigation import ATTRACT

FAKE_WORKER = Path(__file__).resolve().parent.parent / "tests" / "fake_speech_worker.py"
FRAME_MS = 1000 / 60


class StallMeter:
    """The longest time the UI thread went without running a 1 ms timer."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()
        QApplication.processEvents()

    def _tick(self) -> None:
        self.longest_ms = max(self.longest_ms, self._clock.nsecsElapsed() / 1e6)
        self._clock.restart()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest_ms


def wait_for(app: QApplication, condition, timeout_s: float) -> float:
    """Run the event loop until `condition()`; the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            raise TimeoutError("gave up waiting")
        app.processEvents()
        time.sleep(0.001)
    return time.monotonic() - started


def kiosk_with(app: QApplication, behaviour: str, folder: Path) -> Kiosk:
    kiosk = Kiosk(
        app,
        Settings(idle_timeout_s=10, idle_warning_s=20),
        kiosk_mode=False,
        data_dir=folder,
        environ={},
        speech_worker=[sys.executable, str(FAKE_WORKER), behaviour, str(folder / "said.jsonl")],
    )
    kiosk.show(QRect(0, 0, 1920, 1080))
    kiosk.warm_up()
    return kiosk


def symptoms(app: QApplication, kiosk: Kiosk):
    kiosk.start_session("en")
    kiosk.open_topic("symptoms")
    screen = kiosk.navigator.screen("topic:symptoms")
    wait_for(app, screen.listen_button.isVisible, 30)
    return screen


def timed_ms(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    app = QApplication(sys.argv[:1])
    rows = []
    calls: dict[str, float] = {}
    meter = StallMeter()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.monotonic()
        kiosk = kiosk_with(app, "hangs-at-start", Path(scratch) / "b")
        meter.start()  # from here on the UI thread does nothing but wait for the worker
        wait_for(app, lambda: kiosk.speech.status == "hung", 60)
        rows.append(
            ("never answers: start-up to read-aloud off", f"{time.monotonic() - started:.2f} s", kiosk.speech.reason)
        )
        meter.stop()
        kiosk.shutdown()

        kiosk = kiosk_with(app, "hangs-on-say", Path(scratch) / "a")
        screen = symptoms(app, kiosk)
        meter.start()
        tapped = time.monotonic()
        calls["say (Listen tap)"] = timed_ms(lambda: QTest.mouseClick(screen.listen_button, Qt.MouseButton.LeftButton))
        wait_for(app, lambda: not screen.listen_button.isVisible(), 60)
        rows.append(
            (
                "hung while reading: Listen tap to Listen hidden",
                f"{time.monotonic() - tapped:.2f} s",
                kiosk.speech.reason,
            )
        )
        meter.stop()
        kiosk.shutdown()

        kiosk = kiosk_with(app, "silent", Path(scratch) / "c")
        screen = symptoms(app, kiosk)
        meter.start()
        tapped = time.monotonic()
        QTest.mouseClick(screen.listen_button, Qt.MouseButton.LeftButton)
        wait_for(app, lambda: not kiosk.speech.speaking, 600)
        abandoned = time.monotonic() - tapped
        meter.stop()  # the idle reset that follows redraws the screen: UI work, not waiting
        wait_for(app, lambda: kiosk.navigator.current == ATTRACT, 600)
        reset = time.monotonic() - tapped
        text = screen.spoken_text()
        rows.append(
            (
                "silent: Listen tap to speech abandoned",
                f"{abandoned:.2f} s",
                f"deadline for {len(text)} characters: {kiosk.speech.deadline_s(text):.1f} s",
            )
        )
        rows.append(
            (
                "silent: Listen tap to idle reset (idle 10 s + 20 s)",
                f"{reset:.2f} s",
                f"with the default 90 s + 30 s: {reset + 90:.0f} s",
            )
        )
        kiosk.shutdown()

        # The calls the kiosk makes on the UI thread, one by one.
        speech = kiosk.speech.__class__([sys.executable, str(FAKE_WORKER), "speaks", str(Path(scratch) / "d.jsonl")])
        calls["start the worker"] = timed_ms(speech.start)
        wait_for(app, lambda: speech.status == "ready", 30)
        calls["stop"] = timed_ms(lambda: (speech.say("Hello", "en"), speech.stop()))
        calls["kill the worker (shutdown)"] = timed_ms(speech.shutdown)
    rows.insert(
        0,
        (
            "UI thread: longest stall while waiting on a broken service",
            f"{meter.longest_ms:.1f} ms",
            f"a frame is {FRAME_MS:.1f} ms",
        ),
    )
    for name, ms in calls.items():
        rows.insert(1, (f"UI thread: {name}", f"{ms:.1f} ms", ""))
    width = max(len(name) for name, _, _ in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>9}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
