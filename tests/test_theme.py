"""Contrast of every colour pair the themes use (WCAG 2.x relative luminance), and the style sheet."""

from __future__ import annotations

import re

import pytest

from kiosk.theme import BASE_SIZES, HIGH_CONTRAST, NORMAL, THEMES, TextSize, contrast_ratio, stylesheet


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


@pytest.mark.parametrize("size", list(TextSize))
def test_text_sizes_scale_every_font_size(size: TextSize) -> None:
    sheet = stylesheet(NORMAL, size)
    sizes = {int(px) for px in re.findall(r"font-size: (\d+)px", sheet)}
    assert sizes == {round(px * size.value) for px in BASE_SIZES.values()}
    assert min(sizes) >= round(24 * size.value)


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
    focus = re.search(r"QPushButton:focus, TopicTile:focus \{([^}]*)\}", sheet)
    assert focus, "buttons and tiles have a focus style"
    assert f"border: 6px solid {theme.focus_ring}" in focus.group(1)
    assert f"background: {theme.focus_fill}" in focus.group(1)
