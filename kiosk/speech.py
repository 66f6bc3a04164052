"""Read-aloud, with the speech engine in a child process (kiosk/speech_worker.py) the kiosk can kill.

Nothing here waits for the engine: commands go down a pipe and answers come back as Qt signals, so
the UI thread never blocks, whatever speech-dispatcher does. Every wait has a limit:
- the engine must list its voices within `start_timeout_ms` (speech-dispatcher that accepts the
  connection but never answers hangs there);
- each command must be carried out within `answer_timeout_ms`;
- an utterance must end before its deadline: its length read at a slow rate, plus a margin (without
  a sound server the engine says "Speaking" for ever).
A limit passed kills the worker and turns read-aloud off: the Listen button hides, and `status`
(a metric) and a log line say why. Until the worker lists its voices, Listen stays hidden.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:  # imported when the worker starts, after the first frame: QProcess's enums cost it 0.7 ms
    from PySide6.QtCore import QProcess

log = logging.getLogger(__name__)
worker_log = logging.getLogger("kiosk.speech_worker")

WORKER_COMMAND = (sys.executable, "-m", "kiosk.speech_worker")
SLOW_CHARS_PER_S = 8.0  # about 80 words a minute: slower than any voice reads
DEADLINE_MARGIN_S = 10.0  # engine start-up and pauses between paragraphs

STARTING, READY, OFF, HUNG, STUCK, CRASHED = "starting", "ready", "off", "hung", "stuck", "crashed"
STATUSES = (STARTING, READY, OFF, HUNG, STUCK, CRASHED)  # the metric's label values


def utterance_deadline_s(text: str) -> float:
    """How long reading `text` may take before it counts as stuck."""
    return len(text) / SLOW_CHARS_PER_S + DEADLINE_MARGIN_S


class Speech(QObject):
    """`say` / `stop` from the UI thread; `speaking_changed` and `availability_changed` back."""

    availability_changed = Signal()
    speaking_changed = Signal(bool)

    # The limits (tests shorten them).
    start_timeout_ms = 15000
    answer_timeout_ms = 3000
    deadline_s = staticmethod(utterance_deadline_s)

    def __init__(
        self,
        worker: Sequence[str] | None = WORKER_COMMAND,
        voices: Mapping[str, str] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._command = tuple(worker) if worker else ()
        self._preferred = dict(voices or {})  # language -> voice name or locale, from the config
        self._voices: list[str] = []  # QLocale names such as "fr_FR"
        self.speaking = False
        self.status = OFF if not worker else STARTING
        self.reason = "read-aloud is turned off" if not worker else ""
        self._process: QProcess | None = None
        self._dying: list[QProcess] = []  # killed, not yet reaped
        self._output = b""
        self._next_id = 0
        self._utterance: int | None = None  # the id of the text being read
        self._unanswered: set[int] = set()
        self._start_timer = self._single_shot(self._start_timed_out)
        self._answer_timer = self._single_shot(self._answer_timed_out)
        self._deadline = self._single_shot(self._deadline_passed)

    def _single_shot(self, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # -- the kiosk's side ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker; call after the first frame. Returns at once."""
        if self._process is not None or not self._command:
            return
        from PySide6.QtCore import QProcess

        self._process = QProcess(self)
        self._process.readyReadStandardOutput.connect(self._read_output)
        self._process.readyReadStandardError.connect(self._read_log)
        self._process.finished.connect(self._finished)
        self._process.errorOccurred.connect(self._process_error)
        self._start_timer.start(self.start_timeout_ms)
        self._process.start(self._command[0], list(self._command[1:]))

    def available(self, language: str) -> bool:
        base = language.split("_")[0]
        return any(voice == language or voice.split("_")[0] == base for voice in self._voices)

    def say(self, text: str, language: str) -> None:
        if not self.available(language):
            return
        self._utterance = self._send(say=text, language=language, voice=self._voice_for(language))
        self._deadline.start(round(self.deadline_s(text) * 1000))
        self._set_speaking(True)

    def stop(self) -> None:
        """Stop reading; the kiosk counts it as stopped at once, whatever the engine does."""
        if self._utterance is None:
            return
        self._utterance = None
        self._deadline.stop()
        self._send(stop=True)
        self._set_speaking(False)

    def shutdown(self) -> None:
        for timer in (self._start_timer, self._answer_timer, self._deadline):
            timer.stop()
        self._kill(wait=True)

    # -- the worker's side --------------------------------------------------------------------

    def _voice_for(self, language: str) -> str:
        return self._preferred.get(language) or self._preferred.get(language.split("_")[0], "")

    def _send(self, **command: object) -> int:
        self._next_id += 1
        if self._process is not None:
            self._process.write(json.dumps({"id": self._next_id, **command}).encode() + b"\n")
            self._unanswered.add(self._next_id)
            if not self._answer_timer.isActive():
                self._answer_timer.start(self.answer_timeout_ms)
        return self._next_id

    def _read_output(self) -> None:
        if self._process is None:
            return
        *lines, self._output = (self._output + bytes(self._process.readAllStandardOutput().data())).split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                self._fail(CRASHED, f"the speech worker wrote {line[:80]!r}")
                return
            self._handle(message)

    def _handle(self, message: dict) -> None:
        if "voices" in message:
            self._start_timer.stop()
            self._voices = list(message["voices"])
            if self._voices:
                self.status, self.reason = READY, ""
            else:
                self.status, self.reason = OFF, message.get("off", "no voices")
                log.info("read-aloud is off: %s", self.reason)
                self._kill()
            self.availability_changed.emit()
        elif "done" in message:
            self._unanswered.discard(message["done"])
            self._answer_timer.stop()
            if self._unanswered:
                self._answer_timer.start(self.answer_timeout_ms)
        elif "speaking" in message and message.get("id") == self._utterance and not message["speaking"]:
            self._utterance = None  # read to the end
            self._deadline.stop()
            self._set_speaking(False)

    def _read_log(self) -> None:
        if self._process is None:
            return
        text = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        for line in text.splitlines():
            level, _, rest = line.partition(" ")
            if level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
                worker_log.log(logging.getLevelName(level), "%s", rest)
            elif line.strip():
                worker_log.warning("%s", line)

    def _start_timed_out(self) -> None:
        self._fail(HUNG, f"the speech service did not answer within {self.start_timeout_ms / 1000:g} s")

    def _answer_timed_out(self) -> None:
        self._fail(HUNG, f"the speech service stopped answering for {self.answer_timeout_ms / 1000:g} s")

    def _deadline_passed(self) -> None:
        self._fail(STUCK, "reading never finished (is a sound server running?)")

    def _finished(self, code: int, _status: object) -> None:
        if self.status in (STARTING, READY):
            self._fail(CRASHED, f"the speech worker exited with code {code}")

    def _process_error(self, error: QProcess.ProcessError) -> None:
        from PySide6.QtCore import QProcess

        if error == QProcess.ProcessError.FailedToStart:
            self._fail(CRASHED, f"the speech worker could not start ({' '.join(self._command)})")

    def _fail(self, status: str, reason: str) -> None:
        """Give up on read-aloud until the kiosk restarts: the Listen button hides."""
        if self.status not in (STARTING, READY):
            return
        self.status, self.reason = status, reason
        log.warning("read-aloud is off: %s", reason)
        for timer in (self._start_timer, self._answer_timer, self._deadline):
            timer.stop()
        self._kill()
        self._voices = []
        self._utterance = None
        self._set_speaking(False)
        self.availability_changed.emit()

    def _kill(self, wait: bool = False) -> None:
        from PySide6.QtCore import QProcess

        process, self._process = self._process, None
        if process is not None:
            process.finished.disconnect(self._finished)
            if process.state() != QProcess.ProcessState.NotRunning:
                process.kill()  # SIGKILL: a worker hung in the engine answers nothing else
            self._dying.append(process)
        for dying in self._dying:
            # Reaping a killed child takes well under a millisecond; only shutdown waits for it.
            if wait and dying.state() != QProcess.ProcessState.NotRunning:
                dying.waitForFinished(1000)
            if dying.state() == QProcess.ProcessState.NotRunning:
                dying.deleteLater()
        self._dying = [dying for dying in self._dying if dying.state() != QProcess.ProcessState.NotRunning]

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self.speaking:
            self.speaking = speaking
            self.speaking_changed.emit(speaking)
