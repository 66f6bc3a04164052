"""Themes (colour tokens) and text sizes, filled into resources/styles/kiosk.qss."""

from __future__ import annotations

import re
from enum import Enum
from functools import cache
from string import Template
from typing import NamedTuple

from kiosk.paths import STYLES_DIR


class Theme(NamedTuple):
    name: str
    background: str
    surface: str
    text: str
    muted: str
    accent: str
    accent_text: str  # text on an accent background
    accent_text_on_bg: str  # accent-coloured text on the background and surfaces
    border: str
    pressed: str
    scrim: str
    soft: str  # decorative fill: the attract illustration's backdrop
    warm: str  # decorative: the heart of the attract illustration
    # Keyboard and switch focus: a thick ring and a fill of its own, seen from a metre away.
    focus_ring: str
    focus_fill: str
    focus_text: str
    focus_checked_fill: str  # a focused button that is checked or primary (accent-filled)
    focus_checked_text: str
    min_text_contrast: float
    min_control_contrast: float

    def contrast_pairs(self) -> list[tuple[str, str, str, float]]:
        """(what, foreground, background, required ratio) for every colour pair the style sheet draws."""
        required = {"text": self.min_text_contrast, "non-text": self.min_control_contrast}
        return [
            (f"{kind} {fg} on {bg} ({where})", getattr(self, fg), getattr(self, bg), required[kind])
            for where, kind, fg, bg in used_colour_pairs(_template().template)
        ]


NORMAL = Theme(
    name="normal",
    background="#F4F1EA",
    surface="#FFFFFF",
    text="#1B2430",
    muted="#4B5563",
    accent="#1D5A87",
    accent_text="#FFFFFF",
    accent_text_on_bg="#1D5A87",
    border="#6B7785",
    pressed="#DCE6F0",
    scrim="rgba(20, 28, 38, 200)",
    soft="#DDE8F0",
    warm="#B4533A",
    focus_ring="#0B0C0C",
    focus_fill="#FFDD00",
    focus_text="#0B0C0C",
    focus_checked_fill="#FFDD00",
    focus_checked_text="#0B0C0C",
    min_text_contrast=4.5,
    min_control_contrast=3.0,
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted="#E8E8E8",
    accent="#FFE14D",
    accent_text="#000000",
    accent_text_on_bg="#FFE14D",
    border="#FFFFFF",
    pressed="#333333",
    scrim="rgba(0, 0, 0, 235)",
    soft="#1F1F1F",
    warm="#FFE14D",
    focus_ring="#FFE14D",
    focus_fill="#000000",
    focus_text="#FFFFFF",
    focus_checked_fill="#000000",
    focus_checked_text="#FFE14D",
    min_text_contrast=7.0,
    min_control_contrast=7.0,
)

THEMES = {theme.name: theme for theme in (NORMAL, HIGH_CONTRAST)}
# Tokens that hold a #RRGGBB colour (scrim is translucent and draws no text).
_COLOUR_TOKENS = {name for name, value in NORMAL._asdict().items() if isinstance(value, str) and value.startswith("#")}


# The staff gesture's square in the window's top-left corner. Every layout keeps it free of controls
# (the header starts its buttons to its right), so staff taps there never press a button.
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's largest widget size: no limit
STAFF_CORNER_PX = 88


class TextSize(Enum):
    NORMAL = 1.0
    LARGE = 1.25
    LARGEST = 1.5


# The design system is the NHS digital service manual (service-manual.nhs.uk), adapted for a kiosk.
# Its type scale: the NHS.UK font sizes on large screens, in px. A kiosk is read from about twice a
# laptop's distance, so every step is drawn 1.5 times larger, whole pixels (body 19 -> 28 px, as DESIGN.md asks).
TYPE_SCALE = (14, 16, 19, 22, 24, 26, 32, 36, 48, 64)
KIOSK_TYPE_FACTOR = 1.5
# Its spacing scale, nhsuk-spacing(0) to (9), in px: every margin, gap and padding is one of these.
SPACING = (0, 4, 8, 16, 24, 32, 40, 48, 56, 64)


def type_px(point: int) -> int:
    """A type-scale step in kiosk pixels at the normal text size."""
    if point not in TYPE_SCALE:
        raise ValueError(f"{point} is not a step of the type scale {TYPE_SCALE}")
    return int(point * KIOSK_TYPE_FACTOR)


def space(step: int) -> int:
    """Step `step` (0 to 9) of the spacing scale, in px."""
    return SPACING[step]


# Each text role and its type-scale step. From three metres (the attract screen) text needs
# about 25 mm capitals: 96 px on a 43-inch 1080p panel.
TYPE_ROLES = {
    "small": 16,  # notes, captions, group labels
    "tile_summary": 16,
    "body": 19,
    "button": 19,
    "tile_title": 22,
    "heading": 24,
    "title": 32,  # a screen's title
    "prompt": 32,  # the attract screen's "Touch your language to begin"
    "welcome": 48,  # the attract screen's rotating welcome
    "attract": 64,  # the attract screen's title
    "countdown": 64,
}
# Pixel sizes at 100 %, by role.
BASE_SIZES = {role: type_px(point) for role, point in TYPE_ROLES.items()}
# Already sized for three metres: the visitor's text size leaves them as they are.
DISTANCE_ROLES = ("prompt", "welcome", "attract")


# What a rule with no background of its own is drawn on.
PAGE_BACKGROUNDS = ("background", "surface")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_DECLARATION = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
_TOKEN = re.compile(r"\$([a-z_]+)")


def used_colour_pairs(sheet: str) -> list[tuple[str, str, str, str]]:
    """(selector, "text" or "non-text", foreground token, background token) for each pair `sheet` draws.

    Read from the style sheet template, so a new rule is checked as soon as it is written. Text
    in a rule without a background of its own sits on a page background; a rule that sets only a
    background (a pressed state) may show any such text colour; borders and the scroll bar's handle
    are non-text and are checked against the page backgrounds around them.
    """
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    sheet = re.sub(r"\$\{([a-z_0-9]+)\}", r"$\1", sheet)  # ${body}px -> $bodypx: no braces inside rules
    rules = []
    for selectors, body in _RULE.findall(sheet):
        tokens: dict[str, list[str]] = {}
        for name, value in _DECLARATION.findall(body):
            tokens.setdefault(name, []).extend(t for t in _TOKEN.findall(value) if t in _COLOUR_TOKENS)
        rules.append((" ".join(selectors.split()), tokens))
    # Colours of text drawn on whatever lies beneath (rules without a background of their own).
    text_colours = sorted({t for _, tokens in rules if not tokens.get("background") for t in tokens.get("color", [])})
    pairs: list[tuple[str, str, str, str]] = []
    for where, tokens in rules:
        backgrounds = tokens.get("background", [])
        edges = ("border", "border-color", "border-bottom", "border-top")
        borders = [token for name in edges for token in tokens.get(name, [])]
        if "QScrollBar" in where:  # no text; the handle shows where the reader is
            if "::handle" in where:
                pairs += [(where, "non-text", bg, page) for bg in backgrounds for page in PAGE_BACKGROUNDS]
            continue
        foregrounds = tokens.get("color", []) or (text_colours if backgrounds else [])
        for fg in foregrounds:
            pairs += [(where, "text", fg, bg) for bg in backgrounds or PAGE_BACKGROUNDS]
        pairs += [(where, "non-text", border, page) for border in borders for page in PAGE_BACKGROUNDS]
    return sorted(set(pairs))


@cache
def _template() -> Template:
    return Template((STYLES_DIR / "kiosk.qss").read_text(encoding="utf-8"))


def stylesheet(theme: Theme, size: TextSize) -> str:
    tokens: dict[str, str] = {k: v for k, v in theme._asdict().items() if isinstance(v, str)}
    for name, px in BASE_SIZES.items():
        tokens[name] = str(round(px * (1 if name in DISTANCE_ROLES else size.value)))
    tokens.update({f"space{step}": str(px) for step, px in enumerate(SPACING)})
    return _template().substitute(tokens)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
