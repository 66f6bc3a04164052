"""Every icon the kiosk names is drawn from qtawesome's fonts: visible, in the asked colour."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from kiosk import icons
from kiosk.content.loader import load_library
from kiosk.icon_names import icon_exists
from kiosk.paths import CONTENT_DIR

from conftest import TOPIC_COUNT

KIOSK = Path(icons.__file__).resolve().parent
UI_ICONS = sorted(
    {m for p in KIOSK.rglob("*.py") for m in re.findall(r'"((?:mdi6|fa5s|fa5|fa6s)\.[a-z0-9-]+)"', p.read_text())}
)
CONTENT_ICONS = sorted({t.icon for t in load_library(CONTENT_DIR, icon_exists).library.topics})


def test_the_kiosk_names_icons() -> None:
    assert len(UI_ICONS) >= 5 and len(CONTENT_ICONS) == TOPIC_COUNT  # each topic its own icon


@pytest.mark.parametrize("name", UI_ICONS + CONTENT_ICONS)
def test_icon_is_drawn_in_its_colour(qapp, name: str) -> None:
    assert icon_exists(name)
    image = icons.get(name, "#1D5A87").pixmap(QSize(48, 48)).toImage()
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    solid = [c for c in pixels if c.alpha() == 255]
    assert len(solid) > 48  # a glyph, not an empty square or a missing-glyph box of a few pixels
    assert {c.name().upper() for c in solid} == {"#1D5A87"}
