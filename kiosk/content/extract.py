"""Babel extractor for topic files: every title, summary, paragraph, heading and bullet.

Also the source lines a visitor sees under the text (front-matter `source`, supplemental markers).
Referenced from babel.cfg as `kiosk.content.extract:extract_content`, so one
`pybabel extract` run collects UI and content strings together, with real line
numbers and the topic id in a translator comment.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kiosk.content.loader import ContentFileError, parse_topic_bytes

SOURCE_COMMENT = 'where the text comes from, shown after "Source:" or "Some lists were added from:"'


def extract_content(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: dict
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    path = Path(getattr(fileobj, "name", "<content>"))
    try:
        # Icons are the loader's business; extraction must not depend on qtawesome.
        topic = parse_topic_bytes(fileobj.read(), path, icon_exists=lambda name: True)
    except ContentFileError as error:
        raise SyntaxError(f"{path}:{error.line}: {error.message}") from None
    for line, text in topic.texts():
        yield line, None, text, [f"topic: {topic.id}"]
    for line, text in topic.source_texts():
        yield line, None, text, [f"topic: {topic.id}", SOURCE_COMMENT]
