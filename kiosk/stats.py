"""Usage statistics: anonymous counts per day, hour, language and topic in SQLite.

Nothing about a person is stored and no time finer than an hour. Recording must never
stop the kiosk: a damaged file is moved aside, an unusable folder turns statistics off,
and a busy database drops the one count. No method raises to the caller.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from csv import writer as csv_writer
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
# Short, so a database held by another process costs one count, not a frozen UI.
BUSY_TIMEOUT_S = 0.2
# Taps without a pause keep the work ahead standing aside: a count this many behind is written at once.
MAX_PENDING_COUNTS = 32


class Metric(StrEnum):
    """What is counted, in report order: the name SQLite and the CSV hold, and the heading `stats` prints."""

    heading: str

    def __new__(cls, name: str, heading: str) -> Metric:
        member = str.__new__(cls, name)
        member._value_ = name
        member.heading = heading
        return member

    SESSIONS = "sessions", "Sessions"
    SESSION_LENGTH = "session_length", "Session length"
    TOPIC_VIEWS = "topic_views", "Topic views"
    LANGUAGE_SELECTED = "language_selected", "Language taps"


# By the name stored; a file may hold a metric a newer kiosk counts, which this one reports last, as named.
_METRIC_RANK = {metric.value: rank for rank, metric in enumerate(Metric)}

# (upper bound in seconds, label); anything longer is LONGEST_SESSION.
SESSION_LENGTH_BUCKETS = ((30.0, "<30s"), (120.0, "30s-2m"), (300.0, "2-5m"), (900.0, "5-15m"))
LONGEST_SESSION = ">15m"
BUCKET_LABELS = (*(label for _, label in SESSION_LENGTH_BUCKETS), LONGEST_SESSION)
TOP_TOPICS = 5

_SCHEMA = f"""
BEGIN;
CREATE TABLE IF NOT EXISTS counts (
    day      TEXT    NOT NULL,  -- ISO date, kiosk local time
    hour     INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    metric   TEXT    NOT NULL,
    language TEXT    NOT NULL,  -- '' when the metric has none
    item     TEXT    NOT NULL,  -- topic id or session length bucket, '' when none
    count    INTEGER NOT NULL,
    PRIMARY KEY (day, hour, metric, language, item)
) WITHOUT ROWID;
-- All-time running totals, so the metrics refresh never scans the history.
CREATE TABLE IF NOT EXISTS totals (
    metric   TEXT    NOT NULL,
    language TEXT    NOT NULL,
    item     TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (metric, language, item)
) WITHOUT ROWID;
PRAGMA user_version = {SCHEMA_VERSION};
COMMIT;
"""
_COUNT = """
INSERT INTO counts (day, hour, metric, language, item, count) VALUES (?, ?, ?, ?, ?, 1)
ON CONFLICT (day, hour, metric, language, item) DO UPDATE SET count = count + 1
"""
_TOTAL = """
INSERT INTO totals (metric, language, item, count) VALUES (?, ?, ?, 1)
ON CONFLICT (metric, language, item) DO UPDATE SET count = count + 1
"""
_DAY_QUERY = "SELECT metric, language, item, SUM(count) FROM counts WHERE day = ? GROUP BY metric, language, item"
_TOTALS_QUERY = "SELECT metric, language, item, count FROM totals WHERE metric IN (?, ?)"
_DAILY_QUERY = (
    "SELECT day, metric, language, item, SUM(count) FROM counts WHERE day >= ? GROUP BY day, metric, language, item"
)
CSV_HEADER = ("day", "metric", "language", "item", "count")

Row = tuple[str, str, str, str, int]  # day, metric, language, item, count


@dataclass(frozen=True)
class TodaySummary:
    """Today's figures for the staff panel."""

    day: date
    sessions: int = 0
    topic_views: int = 0
    top_topics: tuple[tuple[str, int], ...] = ()  # (topic id, views), most viewed first
    by_language: Mapping[str, int] = field(default_factory=dict)  # sessions started


@dataclass(frozen=True)
class Totals:
    """All-time figures for the metrics file."""

    sessions: int = 0
    topic_views: Mapping[tuple[str, str], int] = field(default_factory=dict)  # (language, topic)


class _Unusable(Exception):
    """The database cannot be used; statistics stay off."""


class _Damaged(_Unusable):
    """The file is not a sound SQLite database; it can be moved aside."""


def session_length_bucket(duration_s: float) -> str:
    for limit, label in SESSION_LENGTH_BUCKETS:
        if duration_s < limit:
            return label
    return LONGEST_SESSION


class UsageStats:
    """Counts kiosk usage; every method is a no-op when statistics are off.

    A count is taken at once and written by `write_pending`, which `later` runs: the kiosk passes its
    work ahead of need, so a tap's frame never waits for the database (a transaction is 0.3 ms, and up to
    the busy timeout while another program holds the file). Reads and `close` write what is pending first.
    """

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime],
        conn: sqlite3.Connection | None,
        later: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        self.path = path
        self._clock = clock
        self._conn = conn
        self._later = later or (lambda write: write())
        self._pending: list[tuple[str, int, Metric, str, str]] = []  # (day, hour, metric, language, item)
        self._write_asked = False  # one write waits at a time, however many counts it will write
        self._failing = False
        self._dropped = 0

    @classmethod
    def open(
        cls,
        db_path: Path,
        clock: Callable[[], datetime] = datetime.now,
        later: Callable[[Callable[[], None]], None] | None = None,
    ) -> UsageStats:
        """Open or create the database; never raises (check `enabled`). `later`: see the class."""
        return cls(db_path, clock, _open_database(db_path, clock), later)

    @property
    def enabled(self) -> bool:
        return self._conn is not None

    def session_started(self, language: str) -> None:
        self._count(Metric.SESSIONS, language)

    def session_ended(self, duration_s: float) -> None:
        if not duration_s >= 0:  # also catches NaN
            log.warning("Usage statistics: ignoring a session length of %r s", duration_s)
            return
        self._count(Metric.SESSION_LENGTH, item=session_length_bucket(duration_s))

    def topic_viewed(self, topic_id: str, language: str) -> None:
        self._count(Metric.TOPIC_VIEWS, language, topic_id)

    def language_selected(self, language: str) -> None:
        self._count(Metric.LANGUAGE_SELECTED, language)

    def today(self) -> TodaySummary:
        self.write_pending()
        day = self._clock().date()
        rows = self._read(_DAY_QUERY, (day.isoformat(),))
        sessions = {language: n for metric, language, _, n in rows if metric == Metric.SESSIONS}
        views: Counter[str] = Counter()
        for metric, _, topic, n in rows:
            if metric == Metric.TOPIC_VIEWS:
                views[topic] += n
        top = sorted(views.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TOPICS]
        return TodaySummary(
            day=day,
            sessions=sum(sessions.values()),
            topic_views=sum(views.values()),
            top_topics=tuple(top),
            by_language=sessions,
        )

    def totals(self) -> Totals:
        self.write_pending()
        rows = self._read(_TOTALS_QUERY, (Metric.SESSIONS, Metric.TOPIC_VIEWS))
        return Totals(
            sessions=sum(n for metric, _, _, n in rows if metric == Metric.SESSIONS),
            topic_views={(language, topic): n for metric, language, topic, n in rows if metric == Metric.TOPIC_VIEWS},
        )

    def close(self) -> None:
        self.write_pending()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.close()
        except sqlite3.Error as exc:
            log.warning("Usage statistics %s: closing failed (%s)", self.path, exc)

    def _count(self, metric: Metric, language: str = "", item: str = "") -> None:
        if self._conn is None:
            return
        now = self._clock()
        self._pending.append((now.date().isoformat(), now.hour, metric, language, item))
        if len(self._pending) >= MAX_PENDING_COUNTS:
            self.write_pending()
        elif not self._write_asked:
            self._write_asked = True
            self._later(self._asked_write)

    def _asked_write(self) -> None:
        self._write_asked = False
        self.write_pending()

    def write_pending(self) -> None:
        """Write the counts taken since the last write, in one transaction; if it fails they are dropped."""
        if self._conn is None or not self._pending:
            return
        rows, self._pending = self._pending, []
        try:
            with _write_transaction(self._conn):
                for day, hour, metric, language, item in rows:
                    self._conn.execute(_COUNT, (day, hour, metric, language, item))
                    self._conn.execute(_TOTAL, (metric, language, item))
        except sqlite3.Error as exc:
            self._dropped += len(rows)
            self._fail("could not record a count", exc)
            return
        if self._failing:
            log.warning(
                "Usage statistics %s: recording again; %d count(s) were dropped",
                self.path,
                self._dropped,
            )
            self._failing, self._dropped = False, 0

    def _read(self, sql: str, params: Sequence[object]) -> list[tuple]:
        if self._conn is None:
            return []
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            self._fail("could not read the counts", exc)
            return []

    def _fail(self, what: str, exc: sqlite3.Error) -> None:
        # One warning per outage, not one per tap or per metrics refresh.
        if not self._failing:
            log.warning(
                "Usage statistics %s: %s (%s); statistics are skipped until it works again",
                self.path,
                what,
                exc,
            )
        self._failing = True


def run_stats(db_path: Path, csv: bool, since: date | None, out: TextIO = sys.stdout) -> int:
    """`als-kiosk stats`: print the counts per day as a table or CSV; 1 when unreadable."""
    if not db_path.is_file():
        print(
            f"No usage statistics at {db_path}: the kiosk has not recorded any yet,"
            " or it runs as another user (try: sudo -u kiosk als-kiosk stats).",
            file=sys.stderr,
        )
        return 1
    try:
        rows = _sorted_rows(_read_daily_rows(db_path, since))
    except sqlite3.Error as exc:
        print(f"Cannot read usage statistics {db_path}: {exc}", file=sys.stderr)
        return 1
    if csv:
        _write_csv(out, rows)
    else:
        _write_table(out, rows, since)
    return 0


def _open_database(path: Path, clock: Callable[[], datetime]) -> sqlite3.Connection | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK):
            raise PermissionError(f"folder {path.parent} is not writable")
        try:
            return _connect(path)
        except _Damaged as exc:
            aside = _move_aside(path, clock())
            log.warning(
                "Usage statistics %s is damaged (%s); moved it to %s and started afresh",
                path,
                exc,
                aside.name,
            )
        return _connect(path)
    except (OSError, sqlite3.Error, _Unusable) as exc:
        log.warning("Usage statistics are off: cannot use %s (%s)", path, exc)
        return None


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit, one per event.
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        _check_integrity(conn)
        conn.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL can lose only the last commits on power loss, never corrupt.
        conn.execute("PRAGMA synchronous=NORMAL")
        _migrate(conn)
    except BaseException:
        conn.close()  # before any rename: Windows cannot move an open file
        raise
    return conn


def _check_integrity(conn: sqlite3.Connection) -> None:
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise _Damaged(str(exc)) from exc
        raise
    if problems != ["ok"]:
        raise _Damaged("; ".join(problems[:3]))


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        conn.executescript(_SCHEMA)
    elif version != SCHEMA_VERSION:
        # Probably written by a newer kiosk: keep its data for when that version returns.
        raise _Unusable(f"unknown schema version {version}, this kiosk writes {SCHEMA_VERSION}")


def _move_aside(path: Path, now: datetime) -> Path:
    # No -wal or -shm file is left to move: closing the connection checkpointed and removed them.
    aside = path.with_name(f"{path.name}.corrupt-{now:%Y%m%dT%H%M%S}")
    path.replace(aside)
    return aside


@contextmanager
def _write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock up front, so a busy database fails before any change.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise


def _read_daily_rows(db_path: Path, since: date | None) -> list[tuple]:
    # A normal (not read-only) connection, so SQLite removes the WAL files it may create.
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(_DAILY_QUERY, (_since_key(since),)).fetchall()
    finally:
        conn.close()


def _since_key(since: date | None) -> str:
    return since.isoformat() if since else ""  # ISO dates sort as text


def _sorted_rows(rows: list[tuple]) -> list[Row]:
    def key(row: tuple) -> tuple:
        day, metric, language, item, _ = row
        metric_rank = _METRIC_RANK.get(metric, len(_METRIC_RANK))
        bucket_rank = BUCKET_LABELS.index(item) if item in BUCKET_LABELS else -1
        return day, metric_rank, metric, language, bucket_rank, item

    return sorted(rows, key=key)


def _write_csv(out: TextIO, rows: list[Row]) -> None:
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)


def _write_table(out: TextIO, rows: list[Row], since: date | None) -> None:
    if not rows:
        out.write(f"No usage recorded{f' since {since.isoformat()}' if since else ''}.\n")
        return
    language_width = max(len(language) for _, _, language, _, _ in rows)
    by_day: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for day, metric, language, item, count in rows:
        label = f"{language:<{language_width}}  {item}" if language and item else language or item
        by_day[day][metric].append((label, count))
    lines: list[tuple[str, int | None]] = []  # (text, count); no count for day headers
    for day, metrics in by_day.items():
        lines.append((day, None))
        for metric, entries in metrics.items():
            heading = Metric(metric).heading if metric in _METRIC_RANK else metric
            lines.append((f"  {heading}", sum(n for _, n in entries)))
            lines.extend((f"    {label}", count) for label, count in entries)
        lines.append(("", None))
    width = max(len(text) for text, _ in lines) + 2
    for text, count in lines:
        out.write(f"{text}\n" if count is None else f"{text:<{width}}{count:>6}\n")
