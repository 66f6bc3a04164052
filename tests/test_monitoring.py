"""A scripted visitor session through the real kiosk shows up in the statistics and the metrics file."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk
from kiosk.config import Settings
from kiosk.stats import UsageStats


@pytest.fixture
def kiosk(qtbot, tmp_path: Path):
    settings = Settings(metrics_file=tmp_path / "metrics" / "als_kiosk.prom")
    (tmp_path / "metrics").mkdir()
    made = Kiosk(QApplication.instance(), settings, kiosk_mode=False, data_dir=tmp_path / "data")
    made.show(QRect(0, 0, 1280, 800))
    made.warm_up()
    yield made
    made.shutdown()
    made.window.hide()
    made.window.deleteLater()


def visit(qtbot, kiosk: Kiosk) -> None:
    """Tap Français, two topics, switch to Deutsch, one more topic, then the visitor leaves."""
    attract = kiosk.navigator.screen("attract")
    qtbot.mouseClick(attract.languages.buttons["fr"], Qt.MouseButton.LeftButton)
    home = kiosk.navigator.screen("home")
    qtbot.mouseClick(home.grid.tiles[1], Qt.MouseButton.LeftButton)  # symptoms
    qtbot.mouseClick(kiosk.navigator.screen("topic:symptoms").next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.header.languages.buttons["de"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.navigator.screen("topic:what-to-know").next_button, Qt.MouseButton.LeftButton)
    kiosk.policy.expire_now()


def test_statistics_count_the_session(qtbot, kiosk: Kiosk, tmp_path: Path) -> None:
    visit(qtbot, kiosk)
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


def test_metrics_file_is_valid_and_counts_the_session(qtbot, kiosk: Kiosk) -> None:
    visit(qtbot, kiosk)
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
