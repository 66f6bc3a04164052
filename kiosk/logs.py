"""Logging to stderr (journald keeps it) and to a rotating file in the kiosk's log folder.

The kiosk opens its log file just after the first frame: logging.handlers and what it imports (socket,
pickle, queue) cost milliseconds the attract screen does not need. Until then the file's records are held,
then written in order, so the file still begins with the start.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
LOG_FILE_NAME = "kiosk.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5

_installed: list[logging.Handler] = []  # ours, so a second call replaces them instead of adding more


class _Held(logging.Handler):
    """Keeps the log file's records until open_held_log_file()."""

    def __init__(self, log_dir: Path):
        super().__init__()
        self.log_dir = log_dir
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def setup_logging(level: str, log_dir: Path | None, hold_file: bool = False) -> Path | None:
    """Log at `level` to stderr, and to log_dir/kiosk.log when that folder is writable.

    Returns the log file, or None when logging to stderr only. With `hold_file` the file opens at
    open_held_log_file() (None then only without a folder). Safe to call again (after the settings
    are read, for one): it replaces the handlers it added before.
    """
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    root.setLevel(level)
    formatter = logging.Formatter(LOG_FORMAT, DATE_FORMAT)
    if sys.stderr is not None:  # pythonw.exe on Windows has no stderr
        _install(root, logging.StreamHandler(sys.stderr), formatter)
        _enable_faulthandler()
    if log_dir is None:
        return None
    if hold_file:
        _install(root, _Held(log_dir), formatter)
        return log_dir / LOG_FILE_NAME
    return _open_log_file(root, log_dir, formatter)


def open_held_log_file() -> Path | None:
    """Open the log file setup_logging(hold_file=True) put off and write what it held; the file, or None."""
    root = logging.getLogger()
    held = next((h for h in _installed if isinstance(h, _Held)), None)
    if held is None:
        return None
    root.removeHandler(held)
    _installed.remove(held)
    log_file = _open_log_file(root, held.log_dir, held.formatter)
    if log_file is not None:
        for record in held.records:
            _installed[-1].handle(record)
    return log_file


def _open_log_file(root: logging.Logger, log_dir: Path, formatter: logging.Formatter) -> Path | None:
    from logging.handlers import RotatingFileHandler

    log_file = log_dir / LOG_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write logs to %s (%s); logging to stderr only", log_file, exc.strerror or exc)
        return None
    _install(root, handler, formatter)
    return log_file


def _install(root: logging.Logger, handler: logging.Handler, formatter: logging.Formatter) -> None:
    handler.setFormatter(formatter)
    root.addHandler(handler)
    _installed.append(handler)


def _enable_faulthandler() -> None:
    """Dump the Python stack on a hard crash (segfault in Qt, for one) to stderr."""
    try:
        faulthandler.enable(file=sys.stderr)
    except (OSError, ValueError, AttributeError) as exc:
        # A stderr without a file descriptor (a test capture, an embedding host) cannot take it.
        log.debug("faulthandler not enabled: %s", exc)
