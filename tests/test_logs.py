"""Logging set-up: format, log file, rotation, fallback to stderr, and repeated calls."""

import faulthandler
import logging
import re
import sys

import pytest

from kiosk.logs import open_held_log_file, setup_logging

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO kiosk\.session: visitor left$")


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    faulthandler.enable(file=sys.__stderr__)  # not the test's captured stderr, which is closed later


def test_file_and_stderr_get_the_same_line(tmp_path, capsys):
    log_file = setup_logging("INFO", tmp_path / "logs")
    logging.getLogger("kiosk.session").info("visitor left")
    assert log_file == tmp_path / "logs" / "kiosk.log"
    assert LINE.match(log_file.read_text(encoding="utf-8").rstrip("\n"))
    assert LINE.match(capsys.readouterr().err.rstrip("\n"))


def test_level_filters_messages(tmp_path):
    log_file = setup_logging("WARNING", tmp_path)
    logging.getLogger("kiosk.session").info("quiet")
    logging.getLogger("kiosk.session").warning("loud")
    assert log_file.read_text(encoding="utf-8").endswith("WARNING kiosk.session: loud\n")
    assert "quiet" not in log_file.read_text(encoding="utf-8")


def test_no_log_dir_means_stderr_only(capsys):
    assert setup_logging("INFO", None) is None
    logging.getLogger("kiosk.session").info("visitor left")
    assert LINE.match(capsys.readouterr().err.rstrip("\n"))


def test_calling_twice_does_not_duplicate_lines(tmp_path, capsys):
    setup_logging("INFO", tmp_path)
    log_file = setup_logging("INFO", tmp_path)
    logging.getLogger("kiosk.session").info("visitor left")
    assert len(log_file.read_text(encoding="utf-8").splitlines()) == 1
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_second_call_can_change_level_and_folder(tmp_path):
    first = setup_logging("INFO", tmp_path / "a")
    second = setup_logging("ERROR", tmp_path / "b")
    logging.getLogger("kiosk").error("boom")
    logging.getLogger("kiosk").warning("hush")
    assert first.read_text(encoding="utf-8") == ""
    assert second.read_text(encoding="utf-8").splitlines()[-1].endswith("ERROR kiosk: boom")


def test_unwritable_log_dir_falls_back_to_stderr_with_one_warning(tmp_path, capsys):
    # A folder under a regular file cannot be created even by root.
    (tmp_path / "file").write_text("")
    assert setup_logging("INFO", tmp_path / "file" / "logs") is None
    logging.getLogger("kiosk.session").info("visitor left")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    log_file = tmp_path / "file" / "logs" / "kiosk.log"
    warning = f"WARNING kiosk.logs: cannot write logs to {log_file} (Not a directory); logging to stderr only"
    assert lines[0].endswith(warning)
    assert LINE.match(lines[1])


def test_log_file_rotates_at_one_mebibyte_keeping_five(tmp_path):
    log_file = setup_logging("INFO", tmp_path)
    message = "x" * 1000
    for _ in range(7 * 1100):
        logging.getLogger("kiosk.session").info(message)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["kiosk.log", "kiosk.log.1", "kiosk.log.2", "kiosk.log.3", "kiosk.log.4", "kiosk.log.5"]
    assert max(path.stat().st_size for path in tmp_path.iterdir()) <= 1024 * 1024
    assert log_file.stat().st_size > 0


def test_faulthandler_is_enabled():
    faulthandler.disable()
    setup_logging("INFO", None)
    assert faulthandler.is_enabled()


def test_a_held_log_file_opens_later_with_every_record_in_order(tmp_path, capsys):
    """The kiosk opens its file after the first frame; the start is still the first thing in it."""
    log_file = setup_logging("INFO", tmp_path / "logs", hold_file=True)
    logging.getLogger("kiosk.session").info("visitor left")
    logging.getLogger("kiosk.session").debug("below the level")
    assert log_file == tmp_path / "logs" / "kiosk.log" and not log_file.exists()
    assert LINE.match(capsys.readouterr().err.rstrip("\n")), "stderr is not held"
    assert open_held_log_file() == log_file
    logging.getLogger("kiosk").warning("after")
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and LINE.match(lines[0]) and lines[1].endswith("WARNING kiosk: after")
    assert open_held_log_file() is None, "opened once"
    assert len(log_file.read_text(encoding="utf-8").splitlines()) == 2


def test_a_held_log_file_that_cannot_open_leaves_stderr_only(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert setup_logging("INFO", tmp_path / "file" / "logs", hold_file=True) is not None
    logging.getLogger("kiosk.session").info("visitor left")
    assert open_held_log_file() is None
    logging.getLogger("kiosk.session").info("visitor left")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and "cannot write logs to" in lines[1]
    assert LINE.match(lines[0]) and LINE.match(lines[2])
