"""Which qtawesome icon names exist, read from its charmaps without importing Qt."""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path

# The icon sets the kiosk may use: prefix -> (font file, charmap file) inside qtawesome/fonts.
ICON_SETS = {
    "fa5s": ("fontawesome5-solid-webfont-5.15.4.ttf", "fontawesome5-solid-webfont-charmap-5.15.4.json"),
    "fa5": ("fontawesome5-regular-webfont-5.15.4.ttf", "fontawesome5-regular-webfont-charmap-5.15.4.json"),
    "fa6s": ("fontawesome6-solid-webfont-6.7.2.ttf", "fontawesome6-solid-webfont-charmap-6.7.2.json"),
    "mdi6": ("materialdesignicons6-webfont-6.9.96.ttf", "materialdesignicons6-webfont-charmap-6.9.96.json"),
}


def fonts_dir() -> Path:
    spec = find_spec("qtawesome")
    if spec is None or spec.origin is None:
        raise RuntimeError("qtawesome is not installed")
    return Path(spec.origin).parent / "fonts"


@cache
def _charmap(prefix: str) -> dict[str, str]:
    """Glyph name -> hexadecimal code point, from qtawesome's charmap for the set."""
    with open(fonts_dir() / ICON_SETS[prefix][1], encoding="utf-8") as fp:
        return json.load(fp)


def load_icon_names(prefix: str) -> None:
    """Read an icon set's charmap now (ahead of its first icon)."""
    _charmap(prefix)


def icon_exists(name: str) -> bool:
    prefix, _, glyph = name.partition(".")
    return prefix in ICON_SETS and bool(glyph) and glyph in _charmap(prefix)


def codepoint(name: str) -> str:
    """The character that draws `name` in its icon font."""
    prefix, _, glyph = name.partition(".")
    return chr(int(_charmap(prefix)[glyph], 16))
