"""QR codes: the drawn picture holds exactly the module matrix of the topic's URL."""

from __future__ import annotations

import segno
from PySide6.QtGui import QColor

from kiosk.widgets.qr import QUIET_ZONE, QrCode


def read_modules(widget: QrCode) -> list[list[int]]:
    """Sample the grabbed widget at each module's centre: 1 for dark, 0 for light."""
    image = widget.grab().toImage()
    step = widget.module_px
    count = len(widget.matrix)
    return [
        [
            int(QColor(image.pixel((x + QUIET_ZONE) * step + step // 2, (y + QUIET_ZONE) * step + step // 2)).lightness() < 128)
            for x in range(count)
        ]
        for y in range(count)
    ]


def test_drawn_code_matches_segno_for_the_url(qtbot) -> None:
    url = "https://www.rush.edu/conditions/amyotrophic-lateral-sclerosis-als#care-breathing"
    widget = QrCode(module_px=5)
    qtbot.addWidget(widget)
    widget.set_url(url)
    widget.resize(widget.sizeHint())
    expected = [list(row) for row in segno.make(url, error="m", micro=False).matrix]
    assert read_modules(widget) == expected


def test_quiet_zone_is_white_and_edges_are_crisp(qtbot) -> None:
    widget = QrCode(module_px=6)
    qtbot.addWidget(widget)
    widget.set_url("https://example.org/a")
    widget.resize(widget.sizeHint())
    image = widget.grab().toImage()
    colours = {QColor(image.pixel(x, y)).name() for x in range(image.width()) for y in range(image.height())}
    assert colours == {"#000000", "#ffffff"}  # no smoothing: only pure black and white
    assert all(QColor(image.pixel(x, 2)).name() == "#ffffff" for x in range(image.width()))


def test_size_is_large_enough_for_a_phone_at_a_metre(qtbot) -> None:
    widget = QrCode(module_px=5)
    qtbot.addWidget(widget)
    widget.set_url("https://www.rush.edu/conditions/amyotrophic-lateral-sclerosis-als#what-is-als")
    # About 0.28 mm per pixel on a 24-inch 1080p screen: at least 5 px (1.4 mm) per module.
    assert widget.module_px >= 5
    assert widget.sizeHint().width() >= 200
