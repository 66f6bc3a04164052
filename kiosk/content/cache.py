"""Topic files as the loader read them, and the topics' QR codes, kept from the last start (kiosk.cache_file).

Reading the topics needs markdown-it, whose import alone costs about 20 ms in one piece and 3 MiB, and
making QR codes needs segno, which imports urllib, http, ssl and email: 20 ms and 7 MiB. A start whose
topic files and QR addresses are unchanged takes both from here and imports neither. Each file is stored
under the digest of its bytes, as the topic it gave or the error it raised (with its line); a new kiosk,
markdown-it, segno or qtawesome (the icon names a topic may use), or a change to the loader or the
model, empties the cache. A QR code is stored under its address, as its rows of modules. Checks across
files (duplicate ids, parents) run on every load.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cache_file import CacheFile, digest, version_of
from kiosk.content.model import Block, BulletList, Heading, ListItem, Paragraph, Topic

if TYPE_CHECKING:
    from kiosk.widgets.qr import Matrix

FILE_NAME = "content-cache.json"
CODE = [Path(__file__).with_name(name) for name in ("loader.py", "model.py")]
KINDS = {"paragraph": Paragraph, "heading": Heading}
KIND_NAMES = {kind: name for name, kind in KINDS.items()}


def _block_data(block: Block) -> dict:
    if isinstance(block, BulletList):
        data = {"kind": "list", "line": block.line, "items": [_item_data(item) for item in block.items]}
    else:
        data = {"kind": KIND_NAMES[type(block)], "text": block.text, "line": block.line}
    if block.supplemental is not None:
        data |= {"supplemental": block.supplemental, "supplemental_line": block.supplemental_line}
    return data


def _item_data(item: ListItem) -> list:
    return [item.text, item.line, [_item_data(child) for child in item.children]]


def _block(data: dict) -> Block:
    extra = {"supplemental": data.get("supplemental"), "supplemental_line": data.get("supplemental_line")}
    if data["kind"] == "list":
        return BulletList(tuple(_item(item) for item in data["items"]), data["line"], **extra)
    return KINDS[data["kind"]](data["text"], data["line"], **extra)


def _item(data: list) -> ListItem:
    text, line, children = data
    return ListItem(text, line, tuple(_item(child) for child in children))


def topic_data(topic: Topic) -> dict:
    return {
        "id": topic.id,
        "order": topic.order,
        "icon": topic.icon,
        "title": topic.title,
        "summary": topic.summary,
        "reviewed": topic.reviewed.isoformat(),
        "source": topic.source,
        "blocks": [_block_data(block) for block in topic.blocks],
        "parent": topic.parent,
        "status": topic.status,
        "review_notes": list(topic.review_notes),
        "lines": topic.lines,
    }


def topic_from(data: dict, path: Path) -> Topic:
    fields = data | {
        "reviewed": date.fromisoformat(data["reviewed"]),
        "blocks": tuple(_block(block) for block in data["blocks"]),
        "review_notes": tuple(data["review_notes"]),
        "lines": dict(data["lines"]),
    }
    return Topic(**fields, path=path)


class ContentCache(CacheFile):
    def __init__(self, folder: Path | None):
        version = version_of(CODE, ["markdown_it", "segno", "qtawesome"]) if folder is not None else ""
        super().__init__(folder, FILE_NAME, version, ("files", "qr"))

    def topic(self, path: Path, key: str) -> Topic | tuple[int | None, str] | None:
        """The topic, or the (line, message) of the error, that the file's bytes gave before; else None."""
        entry = self.sections["files"].get(str(path))
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            if "error" in entry:
                line, message = entry["error"]
                return line, message
            return topic_from(entry["topic"], path)
        except (KeyError, TypeError, ValueError):
            return None

    def qr_matrix(self, url: str) -> Matrix:
        """The QR code for `url` (kiosk.widgets.qr.qr_matrix), made at an earlier start or now."""
        rows = self.sections["qr"].get(url)
        if isinstance(rows, list) and rows and all(isinstance(r, str) and set(r) <= {"0", "1"} for r in rows):
            return tuple(tuple(int(module) for module in row) for row in rows)
        from kiosk.widgets.qr import qr_matrix

        matrix = qr_matrix(url)
        self.store("qr", url, ["".join(str(module) for module in row) for row in matrix])
        return matrix

    def holds_qr(self, url: str) -> bool:
        return url in self.sections["qr"]

    def holds(self, folder: Path) -> bool:
        """Every topic file of `folder` is here as it is now: loading them needs no markdown-it."""
        try:
            files = {path: digest(path.read_bytes()) for path in folder.glob("*.md")}
        except OSError:
            return False
        entries = self.sections["files"]
        return all(isinstance(e := entries.get(str(p)), dict) and e.get("key") == key for p, key in files.items())

    def store_topic(self, path: Path, key: str, topic: Topic) -> None:
        self.store("files", str(path), {"key": key, "topic": topic_data(topic)})

    def store_error(self, path: Path, key: str, line: int | None, message: str) -> None:
        self.store("files", str(path), {"key": key, "error": [line, message]})
