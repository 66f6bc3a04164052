"""All qtawesome icons go through `get`, which loads only the icon fonts the kiosk uses.

qtawesome's default loads every bundled font (about 30 ms and 17 MiB); the kiosk needs a few.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from kiosk.icon_names import ICON_SETS


@cache
def _iconic_font():
    from qtawesome.iconic_font import IconicFont

    # IconicFont resolves plain file names against qtawesome's own fonts folder.
    return IconicFont(*((prefix, ttf, charmap) for prefix, (ttf, charmap) in ICON_SETS.items()))


@cache
def get(name: str, colour: str) -> QIcon:
    return _iconic_font().icon(name, color=colour, color_active=colour, color_disabled=colour)
