"""Themes (colour tokens) and text sizes, filled into resources/styles/kiosk.qss."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from functools import cache
from string import Template

from kiosk.paths import STYLES_DIR


@dataclass(frozen=True)
class Theme:
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
    min_text_contrast: float
    min_control_contrast: float

    def contrast_pairs(self) -> list[tuple[str, str, str, float]]:
        """(what, foreground, background, required ratio) for every pair the styles use."""
        text, control = self.min_text_contrast, self.min_control_contrast
        return [
            ("text on background", self.text, self.background, text),
            ("text on surface", self.text, self.surface, text),
            ("text on pressed", self.text, self.pressed, text),
            ("muted on background", self.muted, self.background, text),
            ("muted on surface", self.muted, self.surface, text),
            ("accent text on accent", self.accent_text, self.accent, text),
            ("accent on background", self.accent_text_on_bg, self.background, text),
            ("accent on surface", self.accent_text_on_bg, self.surface, text),
            ("control border on background", self.border, self.background, control),
            ("control border on surface", self.border, self.surface, control),
            ("selected control on background", self.accent, self.background, control),
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
    min_text_contrast=7.0,
    min_control_contrast=7.0,
)

THEMES = {theme.name: theme for theme in (NORMAL, HIGH_CONTRAST)}


# The staff gesture's square in the window's top-left corner. Every layout keeps it free of controls
# (the header starts its buttons to its right), so staff taps there never press a button.
STAFF_CORNER_PX = 88


class TextSize(Enum):
    NORMAL = 1.0
    LARGE = 1.25
    LARGEST = 1.5


# Pixel sizes at 100 %: body text at least 28 px at 1080p (DESIGN.md).
BASE_SIZES = {
    "body": 30,
    "small": 24,
    "button": 28,
    "heading": 36,
    "title": 50,
    "attract": 72,
    "tile_title": 32,
    "tile_summary": 26,
    "countdown": 120,
}


@cache
def _template() -> Template:
    return Template((STYLES_DIR / "kiosk.qss").read_text(encoding="utf-8"))


def stylesheet(theme: Theme, size: TextSize) -> str:
    tokens: dict[str, str] = {k: v for k, v in asdict(theme).items() if isinstance(v, str)}
    tokens.update({name: str(round(px * size.value)) for name, px in BASE_SIZES.items()})
    return _template().substitute(tokens)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
