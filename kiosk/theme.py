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
    # Keyboard and switch focus: a thick ring and a fill of its own, seen from a metre away.
    focus_ring: str
    focus_fill: str
    focus_text: str
    focus_checked_fill: str  # a focused button that is checked or primary (accent-filled)
    focus_checked_text: str
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
            ("focused text", self.focus_text, self.focus_fill, text),
            ("focused muted text", self.muted, self.focus_fill, text),
            ("focused accent text", self.accent_text_on_bg, self.focus_fill, text),
            ("focused checked text", self.focus_checked_text, self.focus_checked_fill, text),
            ("focus ring on background", self.focus_ring, self.background, control),
            ("focus ring on surface", self.focus_ring, self.surface, control),
            ("focus ring on focused fill", self.focus_ring, self.focus_fill, control),
            ("focused checked fill against the checked fill", self.focus_checked_fill, self.accent, control),
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
    focus_ring="#FFE14D",
    focus_fill="#000000",
    focus_text="#FFFFFF",
    focus_checked_fill="#000000",
    focus_checked_text="#FFE14D",
    min_text_contrast=7.0,
    min_control_contrast=7.0,
)

THEMES = {theme.name: theme for theme in (NORMAL, HIGH_CONTRAST)}


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
