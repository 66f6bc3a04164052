"""Load topic files (TOML front matter + Markdown) into the content model.

A broken file is left out with a message naming the file and line; the others still load,
so the kiosk keeps running on what is good and `als-kiosk check` lists every problem.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown_it is imported where it parses: ~25 ms the first frame does not need
    from markdown_it.token import Token

    from kiosk.content.cache import ContentCache

from kiosk.cache_file import digest
from kiosk.content.model import Block, BulletList, Heading, Library, ListItem, Paragraph, Topic
from kiosk.problems import FileProblem

FENCE = "+++"
REQUIRED_KEYS = ("id", "order", "icon", "title", "summary", "reviewed", "source")
OPTIONAL_KEYS = ("parent", "status", "review_notes")
STATUSES = ("approved", "pending-review")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUPPLEMENTAL_MARK = re.compile(r"^<!--\s*supplemental:\s*(?P<source>\S.*?)\s*-->\s*$", re.DOTALL)
TOML_LINE = re.compile(r"at line (\d+)")


class ContentFileError(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class LoadResult:
    library: Library
    problems: tuple[FileProblem, ...]


def load_library(folder: Path, icon_exists: Callable[[str], bool], cache: ContentCache | None = None) -> LoadResult:
    """Every `*.md` file of `folder`; relations (duplicate ids, parents) are checked across files.

    With a `cache`, a file whose bytes it holds is not parsed again (see kiosk.content.cache)."""
    problems: list[FileProblem] = []
    topics: list[Topic] = []
    if not folder.is_dir():
        return LoadResult(Library(()), (FileProblem(folder, None, "content folder not found"),))
    for path in sorted(folder.glob("*.md")):
        try:
            topics.append(_read_topic(path, icon_exists, cache))
        except ContentFileError as error:
            problems.append(FileProblem(path, error.line, error.message))
    topics = _drop_duplicates(topics, problems)
    topics = _drop_bad_parents(topics, problems)
    if not topics and not problems:
        problems.append(FileProblem(folder, None, "no topic files (*.md) found"))
    return LoadResult(Library(tuple(topics)), tuple(problems))


def parse_topic_file(path: Path, icon_exists: Callable[[str], bool]) -> Topic:
    return _read_topic(path, icon_exists, None)


def _read_topic(path: Path, icon_exists: Callable[[str], bool], cache: ContentCache | None) -> Topic:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ContentFileError(None, f"cannot read file: {error.strerror}") from None
    if cache is None:
        return parse_topic_bytes(raw, path, icon_exists)
    key = digest(raw)
    stored = cache.topic(path, key)
    if isinstance(stored, Topic):
        return stored
    if stored is not None:
        raise ContentFileError(*stored)
    try:
        topic = parse_topic_bytes(raw, path, icon_exists)
    except ContentFileError as error:
        cache.store_error(path, key, error.line, error.message)
        raise
    cache.store_topic(path, key, topic)
    return topic


def parse_topic_bytes(raw: bytes, path: Path, icon_exists: Callable[[str], bool]) -> Topic:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ContentFileError(line, f"not UTF-8 text (byte 0x{raw[error.start]:02x})") from None
    if "\x00" in text:
        raise ContentFileError(text[: text.index("\x00")].count("\n") + 1, "binary data in a text file")
    front, body, body_line = _split_front_matter(text)
    meta, lines = _parse_front_matter(front)
    topic_id = _check_meta(meta, lines, path, icon_exists)
    blocks = parse_body(body, body_line)
    return Topic(
        id=topic_id,
        order=meta["order"],
        icon=meta["icon"],
        title=meta["title"].strip(),
        summary=meta["summary"].strip(),
        reviewed=meta["reviewed"],
        source=meta["source"].strip(),
        blocks=tuple(blocks),
        path=path,
        parent=meta.get("parent") or None,
        status=meta.get("status", "approved"),
        review_notes=tuple(meta.get("review_notes", ())),
        lines=lines,
    )


def _split_front_matter(text: str) -> tuple[str, str, int]:
    """Front matter text, body text, and the file line on which the body starts."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise ContentFileError(1, f"front matter missing: the file must start with a '{FENCE}' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    raise ContentFileError(1, f"front matter not closed: no second '{FENCE}' line")


def _parse_front_matter(front: str) -> tuple[dict, dict[str, int]]:
    try:
        meta = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        match = TOML_LINE.search(str(error))
        line = int(match.group(1)) + 1 if match else 1
        # tomllib says "Invalid value (at line 2, column 9)"; the line is given separately, in file terms.
        message = re.sub(r"\(at line \d+, (column \d+)\)", r"(\1)", str(error))
        raise ContentFileError(line, f"bad front matter: {message}") from None
    lines: dict[str, int] = {}
    for number, text in enumerate(front.splitlines(), start=2):
        key = text.split("=", 1)[0].strip()
        if "=" in text and key in meta and key not in lines:
            lines[key] = number
    return meta, lines


def _check_meta(meta: dict, lines: dict[str, int], path: Path, icon_exists: Callable[[str], bool]) -> str:
    def fail(key: str, message: str) -> ContentFileError:
        return ContentFileError(lines.get(key, 1), f"{key}: {message}")

    for key in meta:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            raise fail(key, f"unknown field (allowed: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in meta:
            raise ContentFileError(1, f"{key}: required field missing")
    for key in ("id", "icon", "title", "summary", "source", "parent", "status"):
        if key in meta and not isinstance(meta[key], str):
            raise fail(key, "must be a string")
    for key in ("id", "title", "summary", "source", "icon"):
        if not meta[key].strip():
            raise fail(key, "must not be empty")
    if not ID_PATTERN.match(meta["id"]):
        raise fail("id", f"'{meta['id']}' must be lower-case words joined by '-'")
    if not isinstance(meta["order"], int) or isinstance(meta["order"], bool):
        raise fail("order", "must be a whole number")
    if not isinstance(meta["reviewed"], date):
        raise fail("reviewed", "must be a date like 2026-11-23")
    if not icon_exists(meta["icon"]):
        raise fail("icon", f"unknown icon name '{meta['icon']}'")
    if meta.get("status", "approved") not in STATUSES:
        raise fail("status", f"must be one of {', '.join(STATUSES)}")
    notes = meta.get("review_notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise fail("review_notes", "must be a list of strings")
    return meta["id"]


def parse_body(body: str, first_line: int) -> list[Block]:
    """Paragraphs, level-2 headings and bullet lists (one level of nesting) from Markdown."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[Block] = []
    supplemental: str | None = None
    supplemental_line: int | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "html_block":
            match = SUPPLEMENTAL_MARK.match(token.content.strip())
            if not match:
                raise ContentFileError(line, "HTML is not allowed (only <!-- supplemental: SOURCE --> markers)")
            if supplemental is not None:
                raise ContentFileError(line, "two supplemental markers in a row")
            supplemental, supplemental_line = match.group("source"), line
            index += 1
            continue
        if token.type == "paragraph_open":
            blocks.append(Paragraph(_inline_text(tokens[index + 1], line), line, supplemental, supplemental_line))
            index += 3
        elif token.type == "heading_open":
            if token.tag != "h2":
                raise ContentFileError(line, f"only '## ' headings are allowed, found <{token.tag}>")
            blocks.append(Heading(_inline_text(tokens[index + 1], line), line, supplemental, supplemental_line))
            index += 3
        elif token.type == "bullet_list_open":
            items, index = _parse_list(tokens, index, first_line, depth=0)
            blocks.append(BulletList(tuple(items), line, supplemental, supplemental_line))
        else:
            kind = token.type.removesuffix("_open").replace("_", " ")
            raise ContentFileError(line, f"unsupported Markdown: {kind}")
        supplemental = supplemental_line = None
    if supplemental is not None:
        raise ContentFileError(first_line + body.count("\n"), "supplemental marker is not followed by a block")
    return blocks


def _parse_list(tokens: list[Token], index: int, first_line: int, depth: int) -> tuple[list[ListItem], int]:
    """Parse from a bullet_list_open token; returns the items and the index after the list."""
    items: list[ListItem] = []
    index += 1
    while tokens[index].type != "bullet_list_close":
        item_token = tokens[index]  # list_item_open
        line = first_line + (item_token.map[0] if item_token.map else 0)
        index += 1
        text = ""
        children: list[ListItem] = []
        while tokens[index].type != "list_item_close":
            token = tokens[index]
            if token.type == "paragraph_open":
                if text:
                    raise ContentFileError(line, "a list item must be a single paragraph")
                text = _inline_text(tokens[index + 1], line)
                index += 3
            elif token.type == "bullet_list_open" and depth == 0:
                children, index = _parse_list(tokens, index, first_line, depth + 1)
            else:
                kind = token.type.removesuffix("_open").replace("_", " ")
                raise ContentFileError(line, f"unsupported inside a list item: {kind} (lists nest one level)")
        if not text:
            raise ContentFileError(line, "empty list item")
        items.append(ListItem(text, line, tuple(children)))
        index += 1
    return items, index + 1


def _inline_text(token: Token, line: int) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:
            kind = child.type.removesuffix("_open").replace("_", " ")
            raise ContentFileError(line, f"inline formatting is not supported ({kind}): write plain text")
    text = " ".join("".join(parts).split())
    if not text:
        raise ContentFileError(line, "empty text")
    return text


def _drop_duplicates(topics: list[Topic], problems: list[FileProblem]) -> list[Topic]:
    kept: dict[str, Topic] = {}
    for topic in topics:
        if topic.id in kept:
            first = kept[topic.id].path.name
            message = f"id: duplicate id '{topic.id}' (also in {first})"
            problems.append(FileProblem(topic.path, topic.lines.get("id"), message))
        else:
            kept[topic.id] = topic
    return list(kept.values())


def _drop_bad_parents(topics: list[Topic], problems: list[FileProblem]) -> list[Topic]:
    """Sub-topics need an existing top-level parent: the kiosk shows one level, two taps from home."""
    by_id = {t.id: t for t in topics}
    rejected: set[str] = set()
    for topic in topics:
        if topic.parent is None:
            continue
        chain = [topic.id]
        current: Topic | None = topic
        while current is not None and current.parent is not None:
            if current.parent in chain:
                cycle = " -> ".join([*chain[chain.index(current.parent) :], current.parent])
                message = f"parent: cycle of parents ({cycle})"
                break
            chain.append(current.parent)
            current = by_id.get(current.parent)
        else:
            if topic.parent not in by_id:
                message = f"parent: unknown parent '{topic.parent}'"
            elif by_id[topic.parent].parent is not None:
                message = f"parent: '{topic.parent}' is itself a sub-topic (one level of sub-topics only)"
            else:
                continue
        problems.append(FileProblem(topic.path, topic.lines.get("parent"), message))
        rejected.add(topic.id)
    # Children of a rejected topic have no screen to hang from either.
    orphans = {t.id for t in topics if t.parent in rejected and t.id not in rejected}
    for topic in topics:
        if topic.id in orphans:
            problems.append(
                FileProblem(topic.path, topic.lines.get("parent"), f"parent: '{topic.parent}' was rejected")
            )
    return [t for t in topics if t.id not in rejected | orphans]
