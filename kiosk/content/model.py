"""The typed content model: topics made of paragraphs, headings and bullet lists."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int
    supplemental: str | None = None
    supplemental_line: int | None = None  # the marker's line


@dataclass(frozen=True)
class Heading:
    text: str
    line: int
    supplemental: str | None = None
    supplemental_line: int | None = None  # the marker's line


@dataclass(frozen=True)
class ListItem:
    text: str
    line: int
    children: tuple[ListItem, ...] = ()


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    line: int
    supplemental: str | None = None
    supplemental_line: int | None = None  # the marker's line


Block = Paragraph | Heading | BulletList


@dataclass(frozen=True)
class Topic:
    id: str
    order: int
    icon: str
    title: str
    summary: str
    reviewed: date
    source: str
    blocks: tuple[Block, ...]
    path: Path
    parent: str | None = None
    status: str = "approved"
    review_notes: tuple[str, ...] = ()
    # Line of each front-matter key in the file, for messages and for the extractor.
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def supplemental_sources(self) -> tuple[str, ...]:
        """Sources of the blocks that are not seed text, in order, without repeats."""
        seen: dict[str, None] = {}
        for block in self.blocks:
            if block.supplemental:
                seen.setdefault(block.supplemental, None)
        return tuple(seen)

    @property
    def awaiting_review(self) -> bool:
        """True until a clinician signs the topic off: a pending status or any open review note."""
        return self.status != "approved" or bool(self.review_notes)

    def source_texts(self) -> list[tuple[int, str]]:
        """The visible lines about where the text comes from (the source, each supplemental source), with lines."""
        found = [(self.lines.get("source", 1), self.source)]
        seen = {self.source}
        for block in self.blocks:
            if block.supplemental and block.supplemental not in seen:
                seen.add(block.supplemental)
                found.append((block.supplemental_line or block.line, block.supplemental))
        return found

    def texts(self) -> list[tuple[int, str]]:
        """Every translatable string of the topic with its line, in reading order."""
        found = [(self.lines.get("title", 1), self.title), (self.lines.get("summary", 1), self.summary)]

        def walk(items: tuple[ListItem, ...]) -> None:
            for item in items:
                found.append((item.line, item.text))
                walk(item.children)

        for block in self.blocks:
            if isinstance(block, BulletList):
                walk(block.items)
            else:
                found.append((block.line, block.text))
        return found


@dataclass(frozen=True)
class Library:
    """All topics that loaded, with the relations the screens need."""

    topics: tuple[Topic, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.topics})

    def get(self, topic_id: str) -> Topic | None:
        return self._by_id.get(topic_id)  # type: ignore[attr-defined]

    def __contains__(self, topic_id: str) -> bool:
        return topic_id in self._by_id  # type: ignore[attr-defined]

    @property
    def top_level(self) -> list[Topic]:
        return sorted((t for t in self.topics if t.parent is None), key=lambda t: (t.order, t.id))

    def children(self, topic_id: str) -> list[Topic]:
        return sorted((t for t in self.topics if t.parent == topic_id), key=lambda t: (t.order, t.id))

    @property
    def reading_order(self) -> list[Topic]:
        """Top-level topics, each followed by its sub-topics: the order "Next" walks."""
        order: list[Topic] = []
        for topic in self.top_level:
            order.append(topic)
            order.extend(self.children(topic.id))
        return order

    def next_after(self, topic_id: str) -> Topic | None:
        ids = [t.id for t in self.reading_order]
        if topic_id not in ids:
            return None
        index = ids.index(topic_id) + 1
        return self.reading_order[index] if index < len(ids) else None

    @property
    def version(self) -> str:
        """Content version for status and metrics: the newest review date and a digest of the texts."""
        digest = hashlib.sha256()
        for topic in sorted(self.topics, key=lambda t: t.id):
            for _, text in topic.texts():
                digest.update(text.encode())
        newest = max((t.reviewed for t in self.topics), default=None)
        return f"{newest.isoformat() if newest else 'none'}-{digest.hexdigest()[:8]}"
