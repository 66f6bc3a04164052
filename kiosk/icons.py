"""All icons go through `get`: qtawesome's icon fonts and names, drawn by the kiosk itself.

Importing qtawesome costs about 150 ms and 15 MiB (it pulls in qtpy and QtOpenGL) and its
first icon loads every bundled font; the kiosk needs two fonts and a few dozen glyphs.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPainter, QPixmap

from kiosk.icon_names import ICON_SETS, codepoint, fonts_dir

ICON_PX = 96  # drawn once this large; Qt scales it down for buttons and tiles


def load_icon_font(prefix: str) -> None:
    """Load the font of an icon set now (ahead of its first icon)."""
    _family(prefix)


@cache
def _family(prefix: str) -> str:
    font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / ICON_SETS[prefix][0]))
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise RuntimeError(f"cannot load the icon font {ICON_SETS[prefix][0]}")
    return families[0]


@cache
def get(name: str, colour: str) -> QIcon:
    prefix = name.partition(".")[0]
    font = QFont(_family(prefix))
    font.setPixelSize(round(ICON_PX * 0.875))
    pixmap = QPixmap(ICON_PX, ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(QColor(colour))
    painter.drawText(QRect(0, 0, ICON_PX, ICON_PX), Qt.AlignmentFlag.AlignCenter, codepoint(name))
    painter.end()
    return QIcon(pixmap)


@cache
def get_button(name: str, colour: str, focus_colour: str, on_colour: str = "", focus_on_colour: str = "") -> QIcon:
    """An icon for a button, in its colour and, while the button has the focus (Qt's Active mode), in the
    focus fill's text colour; for a checkable button also while it is checked ("on")."""
    icon = QIcon()
    pixmaps = [(colour, QIcon.Mode.Normal, QIcon.State.Off), (focus_colour, QIcon.Mode.Active, QIcon.State.Off)]
    if on_colour:
        pixmaps += [
            (on_colour, QIcon.Mode.Normal, QIcon.State.On),
            (focus_on_colour, QIcon.Mode.Active, QIcon.State.On),
        ]
    for each, mode, state in pixmaps:
        icon.addPixmap(get(name, each).pixmap(ICON_PX, ICON_PX), mode, state)
    return icon
