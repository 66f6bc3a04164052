"""`als-kiosk render` in process: each image shows a screen as the kiosk shows it once idle."""

from __future__ import annotations

import io
from pathlib import Path

from kiosk.config import LoadedSettings, Settings
from kiosk.render import run_render
from kiosk.screens.attract import AttractScreen
from kiosk.window import KioskWindow


def test_the_attract_screen_is_grabbed_once_its_wrapped_choices_are_laid_out(qapp, tmp_path: Path, monkeypatch) -> None:
    """In portrait, English: the icons the warm-up turns on make the row of display and access
    choices wrap to a second row, and its parent takes a pass of the event loop more to give it
    the height; grabbed a pass too early, the second row (switch access) was cut off."""
    rows: list[tuple[int, int]] = []
    grab = KioskWindow.grab

    def watched_grab(window: KioskWindow, *args):
        screen = window.cover if window.covered else window.stack.currentWidget()
        if isinstance(screen, AttractScreen):
            options = screen.options
            rows.append((options.height(), options.heightForWidth(options.width())))
        return grab(window, *args)

    monkeypatch.setattr(KioskWindow, "grab", watched_grab)
    result = run_render(LoadedSettings(Settings(), None), tmp_path, ["en"], [(1080, 1920)], io.StringIO())
    assert result == 0
    assert len(rows) == 1
    height, needed = rows[0]
    assert height == needed > 100  # two rows of 84 px buttons, all shown
