"""Loading topic files: the bundled content, and every kind of broken file, named with its line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content.loader import load_library
from kiosk.content.model import BulletList, Paragraph
from kiosk.icon_names import icon_exists
from kiosk.paths import CONTENT_DIR

from conftest import CARE_ITEMS, TOP_LEVEL, normalise, seed_sentences


@pytest.fixture(scope="module")
def bundled():
    return load_library(CONTENT_DIR, icon_exists)


def test_every_bundled_topic_file_loads_without_problems(bundled):
    assert [str(p) for p in bundled.problems] == []
    assert sorted(t.path.name for t in bundled.library.topics) == sorted(p.name for p in CONTENT_DIR.glob("*.md"))
    assert len(bundled.library.topics) == len(TOP_LEVEL) + len(CARE_ITEMS)


def test_top_level_topics_follow_the_content_plan(bundled):
    assert [t.id for t in bundled.library.top_level] == TOP_LEVEL


def test_seven_care_items_sit_under_care_at_rush(bundled):
    assert [t.id for t in bundled.library.children("care-at-rush")] == CARE_ITEMS
    for topic_id in TOP_LEVEL:
        if topic_id != "care-at-rush":
            assert bundled.library.children(topic_id) == []


def test_reading_order_puts_care_items_after_their_parent(bundled):
    order = [t.id for t in bundled.library.reading_order]
    assert order == TOP_LEVEL[:5] + CARE_ITEMS + TOP_LEVEL[5:]


def supplemental_texts(topic) -> list[str]:
    texts = []
    for block in topic.blocks:
        if block.supplemental:
            texts += [item.text for item in block.items] if isinstance(block, BulletList) else [block.text]
    return texts


def test_supplemental_blocks_are_marked_in_the_three_filled_topics(bundled):
    library = bundled.library
    getting_help = supplemental_texts(library.get("getting-help"))
    assert getting_help[0].startswith("Electromyography (EMG)")
    assert len(getting_help) == 6
    assert "If you have any of the symptoms" not in " ".join(getting_help)
    why_rush = supplemental_texts(library.get("why-rush"))
    assert why_rush[0] == "Neuromuscular neurologists" and "Palliative care specialists" in why_rush
    assert not any(text.startswith("Rush is an affiliate") for text in why_rush)
    assert supplemental_texts(library.get("care-team")) == [
        "Division of Neuromuscular Medicine",
        "ALS Clinic at Rush",
        "Electromyography (EMG) Laboratory",
        "Rush Rehabilitation",
    ]
    assert library.get("care-team").status == "pending-review"
    marked = {t.id for t in library.topics if t.supplemental_sources}
    assert marked == {"getting-help", "why-rush", "care-team"}


def test_every_seed_sentence_is_in_the_content(bundled):
    texts = [normalise(text) for topic in bundled.library.topics for _, text in topic.texts()]
    sentences = seed_sentences()
    assert len(sentences) > 40  # the parse found the page, not an empty file
    missing = [s for s in sentences if not any(s in text for text in texts)]
    assert missing == []


def test_seed_fix_dyspnea_is_closed(bundled):
    symptoms = [text for _, text in bundled.library.get("symptoms").texts()]
    assert "Difficulty swallowing (dysphagia) or difficulty breathing (dyspnea)" in symptoms


def test_content_package_does_not_import_qt():
    code = (
        "import sys, kiosk.content.loader, kiosk.content.extract, kiosk.content.model, kiosk.icon_names; "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# -- broken files -----------------------------------------------------------------------------

TEMPLATE = """+++
id = "{id}"
order = {order}
icon = "mdi6.brain"
title = "Title of {id}"
summary = "Summary of {id}"
reviewed = 2026-11-23
source = "A source"
status = "approved"
{extra}+++

A paragraph of {id}.
"""
# The body's first line (the paragraph) is line 12 without extra front matter, 13 with one extra line.


def topic_text(topic_id: str, order: int = 10, extra: str = "", body: str = "") -> str:
    return TEMPLATE.format(id=topic_id, order=order, extra=extra) + body


def load(folder: Path, files: dict[str, str | bytes]):
    for name, text in files.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / name).write_bytes(data)
    result = load_library(folder, icon_exists)
    problems = [str(p).replace(f"{folder}/", "") for p in result.problems]
    return sorted(t.id for t in result.library.topics), problems


GOOD = {"good.md": topic_text("good", 5), "other.md": topic_text("other", 6)}

ALLOWED = "id, order, icon, title, summary, reviewed, source, parent, status, review_notes"

BROKEN = [
    pytest.param(
        {"bad.md": topic_text("bad").replace("order = 10", "order = = 10")},
        ["bad.md:3: bad front matter: Invalid value (column 9)"],
        id="toml-syntax-error",
    ),
    pytest.param(
        {"bad.md": topic_text("bad").removeprefix("+++\n")},
        ["bad.md:1: front matter missing: the file must start with a '+++' line"],
        id="no-front-matter-fence",
    ),
    pytest.param(
        {"bad.md": topic_text("bad").replace("+++\n\nA paragraph", "\nA paragraph")},
        ["bad.md:1: front matter not closed: no second '+++' line"],
        id="front-matter-not-closed",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", extra='colour = "red"\n')},
        [f"bad.md:10: colour: unknown field (allowed: {ALLOWED})"],
        id="unknown-field",
    ),
    pytest.param(
        # Two files claim the same id: the first (by file name) keeps it, the other is named.
        {"bad.md": topic_text("bad"), "copy.md": topic_text("bad")},
        ["copy.md:2: id: duplicate id 'bad' (also in bad.md)"],
        id="duplicate-id-two-files",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", extra='parent = "nowhere"\n')},
        ["bad.md:10: parent: unknown parent 'nowhere'"],
        id="unknown-parent",
    ),
    pytest.param(
        {
            "bad.md": topic_text("bad", extra='parent = "worse"\n'),
            "worse.md": topic_text("worse", extra='parent = "bad"\n'),
        },
        [
            "bad.md:10: parent: cycle of parents (bad -> worse -> bad)",
            "worse.md:10: parent: cycle of parents (worse -> bad -> worse)",
        ],
        id="parent-cycle",
    ),
    pytest.param(
        {
            "bad.md": topic_text("bad", extra='parent = "other"\n'),
            "deeper.md": topic_text("deeper", extra='parent = "bad"\n'),
        },
        ["deeper.md:10: parent: 'bad' is itself a sub-topic (one level of sub-topics only)"],
        id="sub-sub-topic",
    ),
    pytest.param(
        {"bad.md": topic_text("bad").replace('title = "Title of bad"', 'title = "   "')},
        ["bad.md:5: title: must not be empty"],
        id="empty-title",
    ),
    pytest.param(
        {"bad.md": topic_text("bad").replace('"mdi6.brain"', '"mdi6.no-such-glyph"')},
        ["bad.md:4: icon: unknown icon name 'mdi6.no-such-glyph'"],
        id="unknown-icon",
    ),
    pytest.param(
        {"bad.md": topic_text("bad").encode() + b"\nA line with \xff\xfe garbage.\n"},
        ["bad.md:14: not UTF-8 text (byte 0xff)"],
        id="not-utf8",
    ),
    pytest.param(
        {"bad.md": topic_text("bad").encode() + b"\nNUL \x00 inside.\n"},
        ["bad.md:14: binary data in a text file"],
        id="nul-bytes",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", body="\n1. First\n2. Second\n")},
        ["bad.md:14: unsupported Markdown: ordered list"],
        id="numbered-list",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", body="\nSee [the Rush page](https://www.rush.edu/) for more.\n")},
        ["bad.md:14: inline formatting is not supported (link): write plain text"],
        id="inline-link",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", body="\nThis is **very** important.\n")},
        ["bad.md:14: inline formatting is not supported (strong): write plain text"],
        id="inline-bold",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", body="\n<div>Hello</div>\n")},
        ["bad.md:14: HTML is not allowed (only <!-- supplemental: SOURCE --> markers)"],
        id="html-block",
    ),
    pytest.param(
        {"bad.md": topic_text("bad", body="\n<!-- a note for editors -->\n\nMore text.\n")},
        ["bad.md:14: HTML is not allowed (only <!-- supplemental: SOURCE --> markers)"],
        id="html-comment-not-a-marker",
    ),
]


@pytest.mark.parametrize(("files", "expected"), BROKEN)
def test_broken_file_is_left_out_with_file_line_and_message(tmp_path, files, expected):
    loaded, problems = load(tmp_path, {**GOOD, **files})
    assert problems == expected
    # The good files still load: the kiosk keeps running on what it can.
    assert {"good", "other"} <= set(loaded)
    rejected = {line.split(".md:")[0] for line in expected}
    assert not rejected & set(loaded)


def test_supplemental_marker_marks_only_the_next_block(tmp_path):
    body = "\n<!-- supplemental: Mayo Clinic; NINDS -->\n- One\n- Two\n\nSeed paragraph.\n"
    (tmp_path / "ok.md").write_text(topic_text("ok", body=body), encoding="utf-8")
    result = load_library(tmp_path, icon_exists)
    assert result.problems == ()
    blocks = result.library.get("ok").blocks
    assert [type(b) for b in blocks] == [Paragraph, BulletList, Paragraph]
    assert [b.supplemental for b in blocks] == [None, "Mayo Clinic; NINDS", None]
    assert result.library.get("ok").supplemental_sources == ("Mayo Clinic; NINDS",)


def test_missing_content_folder_is_one_problem(tmp_path):
    result = load_library(tmp_path / "absent", icon_exists)
    assert [str(p) for p in result.problems] == [f"{tmp_path / 'absent'}: content folder not found"]
    assert result.library.topics == ()
