"""The design tokens: contrast of every colour pair the style sheet draws (WCAG 2.x relative
luminance), the type scale and the spacing scale."""

from __future__ import annotations

import re

import pytest

from kiosk.paths import STYLES_DIR
from kiosk.theme import (
    BASE_SIZES,
    DISTANCE_ROLES,
    HIGH_CONTRAST,
    KIOSK_TYPE_FACTOR,
    NORMAL,
    SPACING,
    THEMES,
    TYPE_SCALE,
    TextSize,
    contrast_ratio,
    stylesheet,
    used_colour_pairs,
)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_every_pair_meets_its_bound(theme) -> None:
    failures = [
        f"{what}: {contrast_ratio(fg, bg):.2f} < {required}"
        for what, fg, bg, required in theme.contrast_pairs()
        if contrast_ratio(fg, bg) < required
    ]
    assert failures == []


def test_bounds_are_wcag_aa_for_normal_and_7_to_1_for_high_contrast() -> None:
    assert {required for *_, required in NORMAL.contrast_pairs()} == {4.5, 3.0}
    assert {required for *_, required in HIGH_CONTRAST.contrast_pairs()} == {7.0}


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_every_colour_in_the_style_sheet_is_a_checked_token(theme) -> None:
    sheet = stylesheet(theme, TextSize.NORMAL)
    checked = {c.upper() for _, fg, bg, _ in theme.contrast_pairs() for c in (fg, bg)} | {theme.pressed.upper()}
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", sheet)}
    assert used <= checked
    assert "$" not in sheet


def test_the_pairs_are_read_from_the_style_sheet() -> None:
    """A rule's own colour on its own background; text with no background of its own on both page
    backgrounds; a pressed background under every such text colour; borders against the page."""
    pairs = used_colour_pairs((STYLES_DIR / "kiosk.qss").read_text(encoding="utf-8"))
    assert ('QLabel[role="more-below"]', "text", "accent_text", "accent") in pairs
    assert ('QLabel[role="tile-summary"]', "text", "muted", "background") in pairs
    assert ('QLabel[role="tile-summary"]', "text", "muted", "surface") in pairs
    assert ("TopicTile:pressed", "text", "muted", "pressed") in pairs
    assert ("TopicTile:focus", "text", "muted", "focus_fill") in pairs  # a focused tile's summary
    assert ("TopicTile", "non-text", "border", "background") in pairs
    assert ("QScrollBar::handle:vertical", "non-text", "border", "background") in pairs
    assert not [p for p in pairs if p[2] == "accent_text" and p[3] != "accent"]  # white text only on the accent
    sample = (
        "A { color: $muted; }\nB:pressed { background: $pressed; }\nC { color: $accent_text; background: $accent; }"
    )
    assert used_colour_pairs(sample) == [
        ("A", "text", "muted", "background"),
        ("A", "text", "muted", "surface"),
        ("B:pressed", "text", "muted", "pressed"),
        ("C", "text", "accent_text", "accent"),
    ]


@pytest.mark.parametrize("size", list(TextSize))
def test_text_sizes_scale_every_font_size_but_those_sized_for_distance(size: TextSize) -> None:
    sheet = stylesheet(NORMAL, size)
    sizes = {int(px) for px in re.findall(r"font-size: (\d+)px", sheet)}
    scaled = {round(px * size.value) for role, px in BASE_SIZES.items() if role not in DISTANCE_ROLES}
    assert sizes == scaled | {BASE_SIZES[role] for role in DISTANCE_ROLES}
    assert min(sizes) >= round(24 * size.value)


def test_font_sizes_are_steps_of_the_type_scale() -> None:
    kiosk_steps = {int(point * KIOSK_TYPE_FACTOR) for point in TYPE_SCALE}
    assert set(BASE_SIZES.values()) <= kiosk_steps
    assert BASE_SIZES["body"] >= 28  # DESIGN.md: body at least 28 px at 1080p
    assert BASE_SIZES["attract"] >= 96 - 1  # capitals about 25 mm high on a 43-inch panel: read from 3 m


def test_margins_gaps_and_paddings_in_the_style_sheet_are_steps_of_the_spacing_scale() -> None:
    sheet = stylesheet(NORMAL, TextSize.NORMAL)
    # Focus rules are exempt: their padding is a step less the focus ring's extra width (the focus test).
    sheet = re.sub(r"[^{}]*:focus[^{}]*\{[^}]*\}", "", sheet)
    for rule in re.findall(r"(?:padding|border-radius)\s*:\s*([^;]+);", sheet):
        for value in re.findall(r"(\d+)px", rule):
            assert int(value) in SPACING, rule


def test_no_state_changes_a_font() -> None:
    """Qt sizes a button for its font before a state (:checked, :focus) applies; a state's bold or
    larger font then draws wider than the button and clips its label ("High contras")."""
    sheet = stylesheet(HIGH_CONTRAST, TextSize.LARGEST)
    rules = re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", sheet, flags=re.S))
    offenders = [
        selector.strip()
        for selectors, body in rules
        for selector in selectors.split(",")
        if re.search(r":(?!:)[a-z-]+", selector) and "font" in body
    ]
    assert offenders == []


@pytest.mark.parametrize("theme", THEMES.values(), ids=lambda t: t.name)
def test_focus_is_shown_with_theme_tokens_and_a_thick_ring(theme) -> None:
    sheet = stylesheet(theme, TextSize.NORMAL)
    for widget in ("QPushButton", "TopicTile"):
        focus = re.search(rf"\n{widget}:focus \{{([^}}]*)\}}", sheet)
        assert focus, f"{widget} has a focus style"
        assert f"border: 6px solid {theme.focus_ring}" in focus.group(1)
        assert f"background: {theme.focus_fill}" in focus.group(1)


def padding(sheet: str, selector: str) -> tuple[int, int]:
    body = re.search(rf"\n{re.escape(selector)} \{{([^}}]*)\}}", sheet).group(1)
    vertical, horizontal = re.search(r"padding: (\d+)px (\d+)px", body).groups()
    return int(vertical), int(horizontal)


def test_a_focused_button_keeps_its_size() -> None:
    """The focus ring is 4 px wider than the border; the padding gives those 4 px back, so focus moves nothing."""
    sheet = stylesheet(NORMAL, TextSize.NORMAL)
    border = int(re.search(r"\nQPushButton \{[^}]*border: (\d+)px", sheet).group(1))
    ring = int(re.search(r"\nQPushButton:focus \{[^}]*border: (\d+)px", sheet).group(1))
    padded = re.findall(r"\n([^{}\n]*QPushButton[^{}:\n]*) \{[^}]*padding:", sheet)
    assert len(padded) >= 3  # buttons, the large language buttons, the bar's buttons...
    for selector in padded:
        vertical, horizontal = padding(sheet, selector)
        focused = padding(sheet, f"{selector}:focus")
        assert focused == (vertical - (ring - border), horizontal - (ring - border)), selector
