"""A scripted visitor session through the real kiosk shows up in the statistics and the metrics file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.app import Kiosk
from kiosk.stats import UsageStats

from conftest import open_tile, start, tap


@pytest.fixture
def kiosk(make_kiosk, tmp_path: Path) -> Kiosk:
    """A kiosk of its own: it writes a metrics file."""
    (tmp_path / "metrics").mkdir()
    return make_kiosk(metrics_file=tmp_path / "metrics" / "als_kiosk.prom")


def visit(kiosk: Kiosk) -> None:
    """Tap Français, two topics, switch to Deutsch, one more topic, then the visitor leaves."""
    home = start(kiosk, "fr")
    open_tile(kiosk, home.grid.tiles, "symptoms")
    tap(kiosk.navigator.screen("topic:symptoms").next_button)
    tap(kiosk.header.languages.buttons["de"])
    tap(kiosk.navigator.screen("topic:what-to-know").next_button)
    kiosk.policy.expire_now()


def test_statistics_count_the_session(kiosk: Kiosk, tmp_path: Path) -> None:
    visit(kiosk)
    today = kiosk.stats.today()
    assert today.sessions == 1
    assert today.topic_views == 3
    assert dict(today.by_language) == {"fr": 1}
    totals = kiosk.stats.totals()
    assert dict(totals.topic_views) == {("fr", "symptoms"): 1, ("fr", "what-to-know"): 1, ("de", "getting-help"): 1}
    kiosk.stats.close()
    reopened = UsageStats.open(tmp_path / "data" / "usage.sqlite3")
    assert reopened.today().sessions == 1  # committed, not just in memory
    reopened.close()


def test_metrics_file_is_valid_and_counts_the_session(kiosk: Kiosk) -> None:
    visit(kiosk)
    kiosk.write_metrics()
    text = kiosk.settings.metrics_file.read_text(encoding="utf-8")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert samples[("als_kiosk_up", ())] == 1
    assert samples[("als_kiosk_sessions_total", ())] == 1
    assert samples[("als_kiosk_session_active", ())] == 0
    assert samples[("als_kiosk_topic_views_total", (("language", "fr"), ("topic", "symptoms")))] == 1
    assert samples[("als_kiosk_catalog_completeness_ratio", (("language", "ru"),))] == 1.0
    assert ("als_kiosk_content_info", (("content_version", kiosk.services.library.version),)) in samples
    assert samples[("als_kiosk_last_input_timestamp_seconds", ())] > 0
    assert list(kiosk.settings.metrics_file.parent.iterdir()) == [kiosk.settings.metrics_file]


def test_an_unwritable_metrics_file_is_reported_once_and_again_when_that_changes(qtbot, kiosk, caplog) -> None:
    folder = kiosk.settings.metrics_file.parent
    shutil.rmtree(folder)  # written once at start-up
    with caplog.at_level("INFO", logger="kiosk.monitoring"):
        for _ in range(5):  # five intervals
            kiosk.write_metrics()
        folder.mkdir()
        kiosk.write_metrics()
        kiosk.write_metrics()
        folder.rename(folder.with_name("moved"))
        folder.write_text("")  # a file where the folder was: another reason
        kiosk.write_metrics()
        kiosk.write_metrics()
    messages = [r.getMessage() for r in caplog.records if "metrics file" in r.getMessage()]
    path = kiosk.settings.metrics_file
    assert messages == [
        f"cannot write metrics file {path}: No such file or directory; retrying every 60 s",
        f"metrics file {path} written again",
        f"cannot write metrics file {path}: Not a directory; retrying every 60 s",
    ]
