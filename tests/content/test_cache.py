"""The content cache: an unchanged topic file is not parsed again, an edited one is, and errors keep their line."""

from __future__ import annotations

import json

import kiosk.content.loader
import kiosk.widgets.qr
from kiosk.content.cache import FILE_NAME, ContentCache
from kiosk.content.loader import load_library
from kiosk.icon_names import icon_exists
from kiosk.paths import CONTENT_DIR

from conftest import copy_content, edit


def load(folder, cache_dir):
    cache = ContentCache(cache_dir)
    result = load_library(folder, icon_exists, cache)
    cache.save()
    return result


def forbid_parsing(monkeypatch) -> None:
    """From now on parsing a topic's text fails: what loads comes from the cache."""

    def parse_body(body, first_line):
        raise AssertionError("a topic was parsed again")

    monkeypatch.setattr(kiosk.content.loader, "parse_body", parse_body)


def test_a_second_load_gives_the_same_topics_from_the_cache(tmp_path, monkeypatch):
    first = load(CONTENT_DIR, tmp_path)
    uncached = load_library(CONTENT_DIR, icon_exists)
    assert first.library.topics == uncached.library.topics and first.problems == ()
    forbid_parsing(monkeypatch)
    assert ContentCache(tmp_path).holds(CONTENT_DIR)
    second = load(CONTENT_DIR, tmp_path)
    assert second.library.topics == first.library.topics and second.problems == ()
    # Every field, the front matter's lines and each block's too (Topic.lines does not take part in ==).
    assert [(t.lines, t.blocks, t.path) for t in second.library.topics] == [
        (t.lines, t.blocks, t.path) for t in first.library.topics
    ]


def test_an_edited_topic_is_read_again(tmp_path):
    content = copy_content(tmp_path / "content")
    load(content, tmp_path)
    edit(content / "symptoms.md", 'title = "Symptoms"', 'title = "Signs"')
    assert not ContentCache(tmp_path).holds(content)
    assert load(content, tmp_path).library.get("symptoms").title == "Signs"


def test_a_broken_topic_gives_the_same_message_and_line_from_the_cache(tmp_path, monkeypatch):
    content = copy_content(tmp_path / "content")
    edit(content / "symptoms.md", 'icon = "', 'icon = "mdi6.no-such-')
    first = load(content, tmp_path)
    assert [p.file.name for p in first.problems] == ["symptoms.md"] and first.problems[0].line is not None
    forbid_parsing(monkeypatch)
    assert load(content, tmp_path).problems == first.problems


def test_a_damaged_or_older_cache_is_read_again_and_replaced(tmp_path):
    (tmp_path / FILE_NAME).write_text("{not json", encoding="utf-8")
    assert not load(CONTENT_DIR, tmp_path).problems
    data = json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))
    assert len(data["files"]) == len(list(CONTENT_DIR.glob("*.md")))
    data["version"] = "an older kiosk"
    (tmp_path / FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    assert not ContentCache(tmp_path).holds(CONTENT_DIR)


def test_a_qr_code_is_made_once_then_read_from_the_cache(tmp_path, monkeypatch):
    url = "https://www.rush.edu/services/als?topic=symptoms"
    cache = ContentCache(tmp_path)
    made = cache.qr_matrix(url)
    assert made == kiosk.widgets.qr.qr_matrix(url) and len(made) == len(made[0]) >= 21
    cache.save()

    def qr_matrix(url):
        raise AssertionError("a QR code was made again")

    monkeypatch.setattr(kiosk.widgets.qr, "qr_matrix", qr_matrix)
    assert ContentCache(tmp_path).holds_qr(url) and ContentCache(tmp_path).qr_matrix(url) == made
