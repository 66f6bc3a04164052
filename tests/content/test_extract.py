"""The Babel extractor for topic files, alone and inside one `pybabel extract` run with the UI strings."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from kiosk.content.extract import SOURCE_COMMENT, extract_content
from kiosk.paths import CONTENT_DIR

ROOT = Path(__file__).resolve().parents[2]

TOPIC = """+++
id = "sample"
order = 10
icon = "mdi6.brain"
title = "A sample title"
summary = "A one-line summary"
reviewed = 2026-11-23
source = "A source"
+++

A first paragraph that goes on
over two lines.

## A heading

- First bullet
- Second bullet
  - Nested bullet

<!-- supplemental: Somewhere else -->
- Added bullet

Closing paragraph.
"""


def extract(path: Path) -> list[tuple[int, str | None, str, list[str]]]:
    with open(path, "rb") as fileobj:
        return list(extract_content(fileobj, keywords=(), comment_tags=(), options={}))


def test_extractor_yields_every_text_with_its_real_line_and_topic(tmp_path):
    path = tmp_path / "sample.md"
    path.write_text(TOPIC, encoding="utf-8")
    lines = TOPIC.splitlines()

    def line_of(fragment: str) -> int:
        return next(number for number, text in enumerate(lines, start=1) if fragment in text)

    expected = [
        (line_of('title = "A sample title"'), "A sample title"),
        (line_of('summary = "A one-line summary"'), "A one-line summary"),
        (line_of("A first paragraph"), "A first paragraph that goes on over two lines."),
        (line_of("## A heading"), "A heading"),
        (line_of("- First bullet"), "First bullet"),
        (line_of("- Second bullet"), "Second bullet"),
        (line_of("- Nested bullet"), "Nested bullet"),
        (line_of("- Added bullet"), "Added bullet"),
        (line_of("Closing paragraph."), "Closing paragraph."),
    ]
    assert [line for line, _ in expected] == [5, 6, 11, 14, 16, 17, 18, 21, 23]
    # Then the lines a visitor sees about where the text comes from: the source and each supplemental marker.
    sources = [(line_of('source = "A source"'), "A source"), (line_of("<!-- supplemental"), "Somewhere else")]
    assert [line for line, _ in sources] == [8, 20]
    assert extract(path) == [(line, None, text, ["topic: sample"]) for line, text in expected] + [
        (line, None, text, ["topic: sample", SOURCE_COMMENT]) for line, text in sources
    ]


@pytest.mark.parametrize("name", ["symptoms.md", "care-medical.md", "why-rush.md"])
def test_extractor_lines_point_at_the_text_in_bundled_files(name):
    path = CONTENT_DIR / name
    lines = path.read_text(encoding="utf-8").splitlines()
    found = extract(path)
    assert len(found) >= 4
    for line, context, text, comments in found:
        assert context is None
        assert comments[0] == f"topic: {path.stem}" and comments[1:] in ([], [SOURCE_COMMENT])
        # Each message starts on its line (titles and summaries inside their TOML string).
        assert text.split()[0] in lines[line - 1], (line, text)
        assert " ".join(text.split()[:4]) in " ".join(lines[line - 1].split())


def test_extractor_reports_a_broken_file_with_file_and_line(tmp_path):
    path = tmp_path / "sample.md"
    path.write_text(TOPIC.replace("Closing paragraph.", "Closing **bold** paragraph."), encoding="utf-8")
    with pytest.raises(SyntaxError) as caught:
        extract(path)
    assert str(caught.value) == f"{path}:23: inline formatting is not supported (strong): write plain text"


def source_line(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    matches = [number for number, text in enumerate(lines, start=1) if fragment in text]
    assert len(matches) == 1, f"{fragment!r} in {path}: {matches}"
    return matches[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """`pybabel extract -F babel.cfg` on the checkout, through Babel's own command line."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    # As the README runs it: from the checkout, on ".", so references are relative to the checkout.
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(
            [
                "pybabel",
                "--quiet",
                "extract",
                "-F",
                "babel.cfg",
                "-c",
                "TRANSLATORS:",
                "--no-wrap",
                "-o",
                str(out),
                ".",
            ]
        )
    finally:
        os.chdir(cwd)
    text = out.read_text(encoding="utf-8")
    with open(out, "rb") as fileobj:
        return text, read_po(fileobj)


def references(catalog, message_id: str) -> list[tuple[str, int]]:
    message = catalog.get(message_id)
    assert message is not None, f"{message_id!r} is not in the template"
    return [(Path(name).as_posix(), line) for name, line in message.locations]


def test_template_holds_ui_strings_with_their_source_lines(template):
    _, catalog = template
    overlay = ROOT / "kiosk" / "screens" / "overlay.py"
    keep_reading = source_line(overlay, '_("Keep reading")')
    assert references(catalog, "Keep reading") == [("kiosk/screens/overlay.py", keep_reading)]
    attract = ROOT / "kiosk" / "screens" / "attract.py"
    assert ("kiosk/screens/attract.py", source_line(attract, 'N_("Touch your language to begin")')) in references(
        catalog, "Touch your language to begin"
    )
    topic = ROOT / "kiosk" / "screens" / "topic.py"
    assert ("kiosk/screens/topic.py", source_line(topic, '_("Read this at home")')) in references(
        catalog, "Read this at home"
    )


def test_template_holds_content_strings_with_file_line_and_topic(template):
    text, catalog = template
    what_is = CONTENT_DIR / "what-is-als.md"
    assert references(catalog, "What is ALS?") == [
        ("resources/content/what-is-als.md", source_line(what_is, 'title = "What is ALS?"'))
    ]
    symptoms = CONTENT_DIR / "symptoms.md"
    assert references(catalog, "Muscle cramps") == [
        ("resources/content/symptoms.md", source_line(symptoms, "- Muscle cramps"))
    ]
    assert "topic: symptoms" in catalog.get("Muscle cramps").auto_comments
    # The reference and the translator comment as the .pot file shows them.
    line = source_line(symptoms, "- Muscle cramps")
    assert re.search(rf"#\. topic: symptoms\n#: resources/content/symptoms\.md:{line}\nmsgid \"Muscle cramps\"", text)


def test_template_has_every_content_text_once(template):
    from kiosk.content.loader import load_library
    from kiosk.icon_names import icon_exists

    _, catalog = template
    library = load_library(CONTENT_DIR, icon_exists).library
    texts = {text for topic in library.topics for _, text in topic.texts() + topic.source_texts()}
    missing = sorted(t for t in texts if catalog.get(t) is None)
    assert missing == []
    content_ids = {
        m.id for m in catalog if m.id and any(name.startswith("resources/content/") for name, _ in m.locations)
    }
    assert content_ids == texts


def test_template_keeps_translator_comments(template):
    _, catalog = template
    assert any("TRANSLATORS:" in comment for comment in catalog.get("Home").auto_comments)
