"""Kiosk health as a Prometheus textfile for node_exporter's textfile collector.

The kiosk has no network listener: it rewrites one small `.prom` file that node_exporter
reads on every scrape. The text follows the exposition format 0.0.4.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.speech import OFF, STATUSES

PREFIX = "als_kiosk_"

Sample = tuple[Mapping[str, str], float]


@dataclass(frozen=True)
class MetricsSnapshot:
    version: str
    content_version: str
    started_at: float  # Unix time
    last_input_at: float | None  # Unix time, None before the first touch
    sessions_total: int
    session_active: bool
    topic_views: Mapping[tuple[str, str], int]  # (language, topic) -> views
    catalog_completeness: Mapping[str, float]  # language -> translated share, 0..1
    languages_enabled: Sequence[str]
    read_aloud: str = OFF  # kiosk.speech's status


def render_metrics(s: MetricsSnapshot) -> str:
    languages = sorted(set(s.catalog_completeness) | set(s.languages_enabled))
    enabled = set(s.languages_enabled)
    families = [
        _family("up", "gauge", "1 while the kiosk app runs and refreshes this file.", [({}, 1)]),
        _family("build_info", "gauge", "Kiosk app version.", [({"version": s.version}, 1)]),
        _family(
            "content_info",
            "gauge",
            "Version of the bundled content.",
            [({"content_version": s.content_version}, 1)],
        ),
        _family(
            "start_time_seconds",
            "gauge",
            "Unix time the kiosk app started.",
            [({}, s.started_at)],
        ),
        _family(
            "last_input_timestamp_seconds",
            "gauge",
            "Unix time of the last touch, click or key; absent before the first one.",
            [] if s.last_input_at is None else [({}, s.last_input_at)],
        ),
        _family("sessions_total", "counter", "Visitor sessions started.", [({}, s.sessions_total)]),
        _family(
            "session_active",
            "gauge",
            "1 while a visitor session is in progress.",
            [({}, int(s.session_active))],
        ),
        _family(
            "topic_views_total",
            "counter",
            "Topic screens opened, by language and topic.",
            [
                ({"language": language, "topic": topic}, views)
                for (language, topic), views in sorted(s.topic_views.items())
            ],
        ),
        _family(
            "catalog_completeness_ratio",
            "gauge",
            "Share of messages translated in the language's catalog (0..1).",
            [({"language": lang}, ratio) for lang, ratio in sorted(s.catalog_completeness.items())],
        ),
        _family(
            "language_enabled",
            "gauge",
            "1 when the language is offered to visitors, 0 when configured but disabled.",
            [({"language": lang}, int(lang in enabled)) for lang in languages],
        ),
        _family(
            "read_aloud_status",
            "gauge",
            "1 for read-aloud's status: ready, starting, off (not installed), hung, stuck or crashed (see the log).",
            [({"status": status}, int(status == s.read_aloud)) for status in STATUSES],
        ),
    ]
    return "".join(families)


def write_metrics_file(path: Path, text: str) -> None:
    """Replace `path` atomically, so node_exporter never reads a half-written file.

    Raises OSError; the temporary file never ends in `.prom`, so it is never collected.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp makes it 0600; node_exporter runs as another user
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _family(name: str, kind: str, help_text: str, samples: Iterable[Sample]) -> str:
    lines = [f"{PREFIX}{name}{_labels(labels)} {_value(value)}\n" for labels, value in samples]
    if not lines:
        return ""  # a family without samples would only confuse dashboards
    return f"# HELP {PREFIX}{name} {help_text}\n# TYPE {PREFIX}{name} {kind}\n" + "".join(lines)


def _labels(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{key}="{_escape(value)}"' for key, value in labels.items()) + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _value(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)
