"""Logging to stderr (journald keeps it) and to a rotating file in the kiosk's log folder."""

from __future__ import annotations

import faulthandler
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
LOG_FILE_NAME = "kiosk.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5

_installed: list[logging.Handler] = []  # ours, so a second call replaces them instead of adding more


def setup_logging(level: str, log_dir: Path | None) -> Path | None:
    """Log at `level` to stderr, and to log_dir/kiosk.log when that folder is writable.

    Returns the log file, or None when logging to stderr only. Safe to call again (after the
    settings are read, for one): it replaces the handlers it added before.
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
