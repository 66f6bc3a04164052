"""Usage statistics against real SQLite files; only the clock and folders are stubbed."""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import sqlite3
import stat
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk.stats import MAX_PENDING_COUNTS, Metric, TodaySummary, Totals, UsageStats, run_stats

MORNING = datetime(2025, 3, 14, 10, 17, 42)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "usage.sqlite3"


@pytest.fixture
def clock() -> Clock:
    return Clock(MORNING)


@pytest.fixture
def stats(db_path: Path, clock: Clock):
    opened = UsageStats.open(db_path, clock)
    yield opened
    opened.close()


def rows(db_path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kiosk.stats" and r.levelno >= logging.WARNING]


def record_two_days(stats: UsageStats, clock: Clock) -> None:
    clock.now = datetime(2025, 3, 13, 16, 5)
    stats.session_started("fr")
    stats.topic_viewed("what-is-als", "fr")
    stats.session_ended(45)
    clock.now = MORNING
    stats.language_selected("en")
    stats.session_started("en")
    stats.topic_viewed("what-is-als", "en")
    stats.topic_viewed("care-team", "en")
    stats.language_selected("ru")
    stats.topic_viewed("what-is-als", "ru")
    stats.session_ended(400)
    clock.now = MORNING.replace(hour=14)
    stats.session_started("ru")
    stats.topic_viewed("what-is-als", "ru")
    stats.topic_viewed("care-team", "ru")
    stats.topic_viewed("breathing", "ru")
    stats.session_ended(10)


def test_open_creates_a_wal_database_with_a_schema_version(stats: UsageStats, db_path: Path) -> None:
    assert stats.enabled
    assert rows(db_path, "PRAGMA user_version") == [(1,)]
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_counts_after_a_scripted_sequence(stats: UsageStats, clock: Clock) -> None:
    record_two_days(stats, clock)

    assert stats.today() == TodaySummary(
        day=date(2025, 3, 14),
        sessions=2,
        topic_views=6,
        top_topics=(("what-is-als", 3), ("care-team", 2), ("breathing", 1)),
        by_language={"en": 1, "ru": 1},
    )
    assert stats.totals() == Totals(
        sessions=3,
        topic_views={
            ("fr", "what-is-als"): 1,
            ("en", "what-is-als"): 1,
            ("en", "care-team"): 1,
            ("ru", "what-is-als"): 2,
            ("ru", "care-team"): 1,
            ("ru", "breathing"): 1,
        },
    )


def test_each_event_is_committed_at_once(stats: UsageStats, db_path: Path) -> None:
    stats.session_started("de")
    stats.topic_viewed("diagnosis", "de")

    # A second connection (another process, or the next start after a power cut) sees both.
    assert rows(db_path, "SELECT metric, language, item, count FROM counts ORDER BY metric") == [
        ("sessions", "de", "", 1),
        ("topic_views", "de", "diagnosis", 1),
    ]


def test_a_count_waits_for_its_write_and_a_read_or_close_writes_what_waits(db_path: Path, clock: Clock) -> None:
    # The kiosk hands the writes to its work ahead of need, so a tap's frame never waits for the database.
    writes: list = []
    stats = UsageStats.open(db_path, clock, later=writes.append)
    stats.language_selected("de")
    stats.session_started("de")
    assert rows(db_path, "SELECT count FROM totals") == []
    [write] = writes  # one write waits, for both
    write()
    assert rows(db_path, "SELECT metric, language, count FROM totals ORDER BY metric") == [
        ("language_selected", "de", 1),
        ("sessions", "de", 1),
    ]
    clock.now = MORNING.replace(hour=23, minute=59, second=59)
    stats.topic_viewed("symptoms", "de")
    clock.now = datetime(2025, 3, 15, 0, 0, 1)  # written after midnight: counted on the day it was taken
    assert stats.totals().topic_views == {("de", "symptoms"): 1}
    assert rows(db_path, "SELECT day, hour FROM counts WHERE metric = 'topic_views'") == [("2025-03-14", 23)]
    stats.topic_viewed("care-team", "de")
    stats.close()
    assert rows(db_path, "SELECT SUM(count) FROM totals WHERE metric = 'topic_views'") == [(2,)]


def test_counts_that_keep_waiting_are_written_at_once_before_they_pile_up(db_path: Path, clock: Clock) -> None:
    # Taps without a pause keep the work ahead from running the write: memory must not grow meanwhile.
    writes: list = []
    stats = UsageStats.open(db_path, clock, later=writes.append)
    for _ in range(MAX_PENDING_COUNTS - 1):
        stats.topic_viewed("symptoms", "de")
    assert rows(db_path, "SELECT count FROM totals") == []
    stats.topic_viewed("symptoms", "de")
    assert rows(db_path, "SELECT count FROM totals") == [(MAX_PENDING_COUNTS,)]
    stats.close()


def test_only_the_day_and_the_hour_are_stored(stats: UsageStats, clock: Clock, db_path: Path) -> None:
    stats.topic_viewed("what-is-als", "en")
    clock.now = MORNING.replace(minute=48, second=3)
    stats.topic_viewed("what-is-als", "en")

    assert rows(db_path, "SELECT day, hour, count FROM counts") == [("2025-03-14", 10, 2)]
    columns = [name for _, name, *_ in rows(db_path, "PRAGMA table_info(counts)")]
    assert columns == ["day", "hour", "metric", "language", "item", "count"]
    stored = rows(db_path, "SELECT * FROM counts") + rows(db_path, "SELECT * FROM totals")
    assert not [value for row in stored for value in row if isinstance(value, str) and ":" in value]


def test_session_lengths_are_counted_into_buckets(stats: UsageStats, db_path: Path) -> None:
    for seconds in (0, 29.9, 30, 119, 120, 299, 300, 899, 900, 5000, math.inf):
        stats.session_ended(seconds)
    stats.session_ended(-1)  # a clock jump: ignored, not raised
    stats.session_ended(math.nan)

    counted = dict(rows(db_path, "SELECT item, count FROM counts WHERE metric = 'session_length'"))
    assert counted == {"<30s": 2, "30s-2m": 2, "2-5m": 2, "5-15m": 2, ">15m": 3}


def test_csv_export_has_one_row_per_day_metric_and_dimension(stats: UsageStats, clock: Clock, db_path: Path) -> None:
    record_two_days(stats, clock)
    out = io.StringIO()
    assert run_stats(db_path, csv=True, since=None, out=out) == 0

    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert table[0] == ["day", "metric", "language", "item", "count"]
    assert table[1:] == [
        ["2025-03-13", "sessions", "fr", "", "1"],
        ["2025-03-13", "session_length", "", "30s-2m", "1"],
        ["2025-03-13", "topic_views", "fr", "what-is-als", "1"],
        ["2025-03-14", "sessions", "en", "", "1"],
        ["2025-03-14", "sessions", "ru", "", "1"],
        ["2025-03-14", "session_length", "", "<30s", "1"],
        ["2025-03-14", "session_length", "", "5-15m", "1"],
        ["2025-03-14", "topic_views", "en", "care-team", "1"],
        ["2025-03-14", "topic_views", "en", "what-is-als", "1"],
        ["2025-03-14", "topic_views", "ru", "breathing", "1"],
        ["2025-03-14", "topic_views", "ru", "care-team", "1"],
        ["2025-03-14", "topic_views", "ru", "what-is-als", "2"],  # two hours summed
        ["2025-03-14", "language_selected", "en", "", "1"],
        ["2025-03-14", "language_selected", "ru", "", "1"],
    ]


def test_a_non_sqlite_file_is_moved_aside(db_path: Path, clock: Clock, caplog) -> None:
    db_path.parent.mkdir()
    db_path.write_bytes(b"this is not a database" * 100)

    with caplog.at_level(logging.WARNING):
        stats = UsageStats.open(db_path, clock)
    stats.session_started("en")
    stats.close()

    aside = db_path.with_name("usage.sqlite3.corrupt-20250314T101742")
    assert aside.read_bytes() == b"this is not a database" * 100
    assert stats.enabled is False  # closed
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["usage.sqlite3", aside.name]
    assert rows(db_path, "SELECT metric, count FROM counts") == [("sessions", 1)]
    [message] = warnings(caplog)
    assert str(db_path) in message and aside.name in message


def test_a_truncated_file_is_moved_aside(db_path: Path, clock: Clock, caplog) -> None:
    stats = UsageStats.open(db_path, clock)
    for number in range(400):
        stats.topic_viewed(f"topic-{number}", "en")
    stats.close()
    original = db_path.read_bytes()
    db_path.write_bytes(original[: len(original) // 2])

    with caplog.at_level(logging.WARNING):
        reopened = UsageStats.open(db_path, clock)
    try:
        assert reopened.enabled
        assert reopened.totals() == Totals()  # a fresh database
        reopened.session_started("en")
        assert reopened.totals().sessions == 1
    finally:
        reopened.close()
    assert db_path.with_name("usage.sqlite3.corrupt-20250314T101742").stat().st_size == len(original) // 2
    [message] = warnings(caplog)
    assert str(db_path) in message


def test_an_unwritable_folder_turns_statistics_off(tmp_path: Path, clock: Clock, caplog) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes")
        with caplog.at_level(logging.WARNING):
            stats = UsageStats.open(folder / "usage.sqlite3", clock)
            assert_all_methods_are_no_ops(stats)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert list(folder.iterdir()) == []
    [message] = warnings(caplog)
    assert str(folder / "usage.sqlite3") in message


def test_a_data_folder_that_is_a_file_turns_statistics_off(tmp_path: Path, clock: Clock, caplog) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be")

    with caplog.at_level(logging.WARNING):
        stats = UsageStats.open(not_a_folder / "usage.sqlite3", clock)
        assert_all_methods_are_no_ops(stats)

    [message] = warnings(caplog)
    assert str(not_a_folder / "usage.sqlite3") in message


def assert_all_methods_are_no_ops(stats: UsageStats) -> None:
    assert stats.enabled is False
    stats.session_started("en")
    stats.session_ended(12)
    stats.topic_viewed("what-is-als", "en")
    stats.language_selected("en")
    assert stats.today() == TodaySummary(day=date(2025, 3, 14))
    assert stats.totals() == Totals()
    stats.close()


def test_a_newer_schema_is_left_alone(db_path: Path, clock: Clock, caplog) -> None:
    db_path.parent.mkdir()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()

    with caplog.at_level(logging.WARNING):
        stats = UsageStats.open(db_path, clock)

    assert stats.enabled is False
    assert rows(db_path, "PRAGMA user_version") == [(99,)]
    assert [p.name for p in db_path.parent.iterdir()] == ["usage.sqlite3"]
    [message] = warnings(caplog)
    assert "schema version 99" in message


def test_a_locked_database_drops_the_count_without_blocking(stats: UsageStats, db_path: Path, caplog) -> None:
    stats.session_started("en")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with caplog.at_level(logging.WARNING):
            started = time.monotonic()
            stats.topic_viewed("what-is-als", "en")
            stats.topic_viewed("care-team", "en")
            elapsed = time.monotonic() - started
            assert stats.today().sessions == 1  # reading still works
    finally:
        other.execute("ROLLBACK")
        other.close()
    with caplog.at_level(logging.WARNING):
        stats.topic_viewed("breathing", "en")

    assert elapsed < 2.0  # two short busy timeouts, not a hang
    assert stats.totals() == Totals(sessions=1, topic_views={("en", "breathing"): 1})
    dropped, recovered = warnings(caplog)
    assert str(db_path) in dropped and "locked" in dropped
    assert "2 count(s) were dropped" in recovered


def test_methods_are_no_ops_after_close(stats: UsageStats, db_path: Path) -> None:
    stats.session_started("en")
    stats.close()
    stats.session_started("en")
    stats.close()

    assert stats.totals() == Totals()
    assert rows(db_path, "SELECT count FROM totals") == [(1,)]


def test_run_stats_without_a_database(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "usage.sqlite3"

    assert run_stats(missing, csv=False, since=None) == 1

    assert str(missing) in capsys.readouterr().err
    assert not missing.exists()


def test_run_stats_prints_a_table_per_day(stats: UsageStats, clock: Clock, db_path: Path) -> None:
    record_two_days(stats, clock)
    out = io.StringIO()

    assert run_stats(db_path, csv=False, since=None, out=out) == 0

    text = out.getvalue()
    first, second = text.split("\n\n")[:2]
    assert first.splitlines()[0] == "2025-03-13"
    assert second.splitlines()[0] == "2025-03-14"
    lines = [line.split() for line in second.splitlines()]
    assert ["Sessions", "2"] in lines
    assert ["Topic", "views", "6"] in lines
    assert ["ru", "what-is-als", "2"] in lines
    assert ["5-15m", "1"] in lines


def test_run_stats_heads_each_metric_in_order_and_a_newer_kiosks_by_its_name(
    stats: UsageStats, clock: Clock, db_path: Path
) -> None:
    stats.language_selected("fr")
    stats.topic_viewed("breathing", "fr")
    stats.session_ended(20)
    stats.session_started("fr")
    conn = sqlite3.connect(db_path)
    with conn:  # a count only a newer kiosk makes
        conn.execute("INSERT INTO counts VALUES (?, 10, 'qr_scans', 'fr', '', 3)", (MORNING.date().isoformat(),))
    conn.close()
    out = io.StringIO()

    assert run_stats(db_path, csv=False, since=None, out=out) == 0

    headings = [line.split("  ")[1] for line in out.getvalue().splitlines() if line.startswith("  ") and line[2] != " "]
    assert headings == [*(metric.heading for metric in Metric), "qr_scans"]
    assert headings[:4] == ["Sessions", "Session length", "Topic views", "Language taps"]


def test_run_stats_csv_since(stats: UsageStats, clock: Clock, db_path: Path) -> None:
    record_two_days(stats, clock)
    out = io.StringIO()

    assert run_stats(db_path, csv=True, since=date(2025, 3, 14), out=out) == 0

    table = list(csv.reader(io.StringIO(out.getvalue())))
    assert table[0] == ["day", "metric", "language", "item", "count"]
    assert len(table) == 12 and {row[0] for row in table[1:]} == {"2025-03-14"}


def test_run_stats_with_nothing_since(stats: UsageStats, clock: Clock, db_path: Path) -> None:
    record_two_days(stats, clock)
    out = io.StringIO()

    assert run_stats(db_path, csv=False, since=date(2026, 1, 1), out=out) == 0

    assert out.getvalue() == "No usage recorded since 2026-01-01.\n"


def test_run_stats_on_a_damaged_file_reports_and_leaves_it(tmp_path: Path, capsys) -> None:
    damaged = tmp_path / "usage.sqlite3"
    damaged.write_bytes(b"garbage" * 50)

    assert run_stats(damaged, csv=True, since=None, out=io.StringIO()) == 1

    assert str(damaged) in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["usage.sqlite3"]
