"""Prometheus textfile: parsed back with prometheus_client, written atomically to real files."""

from __future__ import annotations

import math
import os
import signal
import stat
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.metrics import MetricsSnapshot, render_metrics, write_metrics_file

SNAPSHOT = MetricsSnapshot(
    version="1.0.0",
    content_version="2025-03-01",
    started_at=1_741_939_200.25,
    last_input_at=1_741_942_800.5,
    sessions_total=42,
    session_active=True,
    topic_views={("en", "what-is-als"): 30, ("ru", "care-team"): 4},
    catalog_completeness={"en": 1.0, "fr": 0.875, "ru": 0.5},
    languages_enabled=["en", "fr"],
    read_aloud="stuck",
)


def parse(text: str) -> dict[str, list[tuple[str, dict[str, str], float]]]:
    """family name -> [(sample name, labels, value)], with each family's type checked below."""
    return {
        family.name: [(s.name, s.labels, s.value) for s in family.samples]
        for family in text_string_to_metric_families(text)
    }


def types(text: str) -> dict[str, str]:
    return {family.name: family.type for family in text_string_to_metric_families(text)}


def test_every_metric_parses_with_its_value() -> None:
    families = parse(render_metrics(SNAPSHOT))

    assert families == {
        "als_kiosk_up": [("als_kiosk_up", {}, 1)],
        "als_kiosk_build_info": [("als_kiosk_build_info", {"version": "1.0.0"}, 1)],
        "als_kiosk_content_info": [("als_kiosk_content_info", {"content_version": "2025-03-01"}, 1)],
        "als_kiosk_start_time_seconds": [("als_kiosk_start_time_seconds", {}, 1_741_939_200.25)],
        "als_kiosk_last_input_timestamp_seconds": [("als_kiosk_last_input_timestamp_seconds", {}, 1_741_942_800.5)],
        # prometheus_client names a counter family without its _total suffix.
        "als_kiosk_sessions": [("als_kiosk_sessions_total", {}, 42)],
        "als_kiosk_session_active": [("als_kiosk_session_active", {}, 1)],
        "als_kiosk_topic_views": [
            ("als_kiosk_topic_views_total", {"language": "en", "topic": "what-is-als"}, 30),
            ("als_kiosk_topic_views_total", {"language": "ru", "topic": "care-team"}, 4),
        ],
        "als_kiosk_catalog_completeness_ratio": [
            ("als_kiosk_catalog_completeness_ratio", {"language": "en"}, 1.0),
            ("als_kiosk_catalog_completeness_ratio", {"language": "fr"}, 0.875),
            ("als_kiosk_catalog_completeness_ratio", {"language": "ru"}, 0.5),
        ],
        "als_kiosk_language_enabled": [
            ("als_kiosk_language_enabled", {"language": "en"}, 1),
            ("als_kiosk_language_enabled", {"language": "fr"}, 1),
            ("als_kiosk_language_enabled", {"language": "ru"}, 0),  # has a catalog, not offered
        ],
        "als_kiosk_read_aloud_status": [
            ("als_kiosk_read_aloud_status", {"status": status}, int(status == "stuck"))
            for status in ("starting", "ready", "off", "hung", "stuck", "crashed")
        ],
    }


def test_types_and_help_lines() -> None:
    text = render_metrics(SNAPSHOT)

    counters = {"als_kiosk_sessions", "als_kiosk_topic_views"}
    assert types(text) == {name: "counter" if name in counters else "gauge" for name in parse(text)}
    lines = text.splitlines()
    help_names = [line.split()[2] for line in lines if line.startswith("# HELP ")]
    type_names = [line.split()[2] for line in lines if line.startswith("# TYPE ")]
    assert help_names == type_names and len(type_names) == 11
    assert "# TYPE als_kiosk_sessions_total counter" in lines
    assert text.endswith("\n")


def test_label_values_are_escaped() -> None:
    awkward = 'a "quoted" \\ back\nslash'
    text = render_metrics(replace(SNAPSHOT, version=awkward, topic_views={("en", awkward): 1}))

    families = parse(text)
    assert families["als_kiosk_build_info"][0][1] == {"version": awkward}
    assert families["als_kiosk_topic_views"][0][1] == {"language": "en", "topic": awkward}
    assert len([line for line in text.splitlines() if line.startswith("als_kiosk_build_info")]) == 1


def test_no_input_yet_leaves_the_timestamp_out() -> None:
    text = render_metrics(replace(SNAPSHOT, last_input_at=None, session_active=False))

    families = parse(text)
    assert "als_kiosk_last_input_timestamp_seconds" not in text
    assert families["als_kiosk_session_active"] == [("als_kiosk_session_active", {}, 0)]


def test_nothing_viewed_yet_still_parses() -> None:
    text = render_metrics(replace(SNAPSHOT, topic_views={}, catalog_completeness={}, languages_enabled=[]))

    assert set(parse(text)) == {
        "als_kiosk_up",
        "als_kiosk_build_info",
        "als_kiosk_content_info",
        "als_kiosk_start_time_seconds",
        "als_kiosk_last_input_timestamp_seconds",
        "als_kiosk_sessions",
        "als_kiosk_session_active",
        "als_kiosk_read_aloud_status",
    }


def test_special_float_values_parse() -> None:
    text = render_metrics(replace(SNAPSHOT, catalog_completeness={"en": math.nan, "fr": math.inf}))

    samples = parse(text)["als_kiosk_catalog_completeness_ratio"]
    values = {labels["language"]: value for _, labels, value in samples}
    assert math.isnan(values["en"]) and values["fr"] == math.inf


def test_write_creates_a_world_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "als_kiosk.prom"
    text = render_metrics(SNAPSHOT)

    write_metrics_file(target, text)

    assert target.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["als_kiosk.prom"]
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_write_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "als_kiosk.prom"
    write_metrics_file(target, "old\n")
    write_metrics_file(target, "new\n")

    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["als_kiosk.prom"]


def test_write_into_a_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_metrics_file(tmp_path / "missing" / "als_kiosk.prom", "x\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
def test_a_write_failing_midway_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    import resource

    target = tmp_path / "als_kiosk.prom"
    old = render_metrics(SNAPSHOT)
    write_metrics_file(target, old)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    # A real write error part way through: the kernel refuses bytes past 4 KiB (EFBIG).
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(OSError):
            write_metrics_file(target, "# a long file\n" * 10_000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous_handler)

    assert target.read_text(encoding="utf-8") == old
    assert [p.name for p in tmp_path.iterdir()] == ["als_kiosk.prom"]


def test_a_reader_never_sees_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "als_kiosk.prom"
    versions = ["# A\n" * 50_000, "# B\n" * 60_000]
    write_metrics_file(target, versions[0])
    done = threading.Event()
    seen: set[int] = set()
    partial: list[int] = []

    def read_until_done() -> None:
        while not done.is_set():
            text = target.read_text(encoding="utf-8")
            if text in versions:
                seen.add(versions.index(text))
            else:
                partial.append(len(text))

    reader = threading.Thread(target=read_until_done)
    reader.start()
    try:
        for round_ in range(60):
            write_metrics_file(target, versions[round_ % 2])
    finally:
        done.set()
        reader.join()

    assert partial == []
    assert seen  # the reader did read while the writer wrote
