"""Start the real program: Qt application, logging, crash handling, the kiosk itself."""

from __future__ import annotations

import gc
import logging
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

from kiosk import APP_NAME, EXIT_CONFIG
from kiosk.config import LoadedSettings, Settings

log = logging.getLogger(__name__)

MISSING_PIN = "no staff_pin_hash: kiosk mode needs a staff PIN (make one with 'als-kiosk hash-pin')"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def data_dir(settings: Settings) -> Path:
    """Where statistics, logs and the PIN lockout live: the config's, else the platform's.

    The platform's is the application's own data folder (~/.local/share/als-kiosk on Linux,
    %APPDATA%/als-kiosk on Windows): named by the application alone, not nested under an
    organisation of the same name.
    """
    if settings.data_dir is not None:
        return settings.data_dir
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName("")
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def runtime_dir(environ: Mapping[str, str]) -> Path:
    """The service's runtime folder: /run/als-kiosk under systemd ($RUNTIME_DIRECTORY, which the units keep
    across restarts), else the session's ($XDG_RUNTIME_DIR/als-kiosk), else the temporary folder's. For
    state that must outlive a restart when the data folder cannot be written."""
    if environ.get("RUNTIME_DIRECTORY"):
        return Path(environ["RUNTIME_DIRECTORY"].split(":")[0])
    return Path(environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()) / APP_NAME


def install_excepthook(recover) -> None:
    """An exception in a Qt slot is logged and the visitor sees home again, never a traceback."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        log.error("unhandled exception:\n%s", "".join(traceback.format_exception(kind, error, tb)).rstrip())
        try:
            recover()
        except Exception:  # recovery must never raise into Qt
            log.exception("recovery after the exception failed")

    sys.excepthook = hook


def stop_on_signals(stop: Callable[[int], None], signals: tuple[int, ...] = STOP_SIGNALS):
    """Call `stop(signal number)` from the Qt event loop when one of `signals` arrives.

    Python runs a signal handler only between bytecodes, and the Qt event loop runs none, so a handler
    alone would wait for the next input event. Python writes the signal's number to the wakeup socket
    as it arrives; a QSocketNotifier on the other end wakes the event loop at once. Returns the notifier.
    """
    import socket

    from PySide6.QtCore import QSocketNotifier

    receiver, sender = socket.socketpair()
    for end in (receiver, sender):
        end.setblocking(False)
    signal.set_wakeup_fd(sender.fileno())
    for number in signals:
        signal.signal(number, lambda *_: None)  # a Python handler, so the wakeup socket is written

    def wake() -> None:
        try:
            numbers = receiver.recv(64)
        except BlockingIOError:
            return
        for number in numbers:
            stop(number)

    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(wake)
    notifier.sockets = (receiver, sender)  # type: ignore[attr-defined] - kept open as long as the notifier
    return notifier


def collect_from_now_on() -> None:
    """Start-up makes some 37,000 objects the collector tracks (modules, classes, the attract screen), nearly
    all living as long as the kiosk. Collecting while they were made, 50 times over, cost about 8 ms of the
    first frame (kiosk.cli turns it off until then); they are set aside as permanent (gc.freeze), so no
    later collection scans them again, and collecting resumes with what comes after."""
    gc.freeze()
    gc.enable()


def run_kiosk(loaded: LoadedSettings, windowed: bool = False, size: tuple[int, int] | None = None) -> int:
    # Modules without Qt first: once PySide6 is loaded, its import hook makes every later import slower.
    from kiosk.logs import open_held_log_file, setup_logging

    from PySide6.QtCore import QRect, Qt  # isort: skip
    from PySide6.QtWidgets import QApplication  # isort: skip

    from kiosk.app import Kiosk  # isort: skip

    settings = loaded.settings
    kiosk_mode = settings.fullscreen and not windowed
    if kiosk_mode and not settings.staff_pin_hash:
        # Without a PIN nobody could exit or service a locked-down kiosk.
        print(f"{APP_NAME}: {MISSING_PIN} ({loaded.path or 'built-in defaults'}); not starting", file=sys.stderr)
        return EXIT_CONFIG
    folder = data_dir(settings)
    setup_logging(settings.log_level, folder / "logs", hold_file=True)
    log.info("starting %s with %s", APP_NAME, loaded.path or "built-in defaults")
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_SynthesizeMouseForUnhandledTouchEvents, True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)  # what assistive technology calls the program, not "__main__.py"
    kiosk = Kiosk(app, settings, kiosk_mode=kiosk_mode, data_dir=folder, config_path=loaded.path)
    install_excepthook(kiosk.recover)
    signals = []  # the notifier lives as long as the event loop

    def after_first_frame() -> None:
        collect_from_now_on()
        open_held_log_file()
        # systemctl stop or restart (SIGTERM), Ctrl+C (SIGINT): the same shutdown as the staff's exit.
        # (Before the first frame there is no visit to end; the default action stops the process.)
        signals.append(stop_on_signals(kiosk.stop_on_signal))

    kiosk.first_frame_painted.connect(after_first_frame)
    geometry = QRect(0, 0, *size) if size else None
    kiosk.show(geometry)
    code = app.exec()
    open_held_log_file()  # if no frame was ever painted
    kiosk.shutdown()
    log.info("stopped with exit code %s", code)
    return code
