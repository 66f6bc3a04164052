"""QR codes: the drawn picture holds exactly the module matrix of the topic's URL."""

from __future__ import annotations

import segno
from PySide6.QtGui import QColor

from kiosk.widgets.qr import QUIET_ZONE, QrCode

from conftest import LIBRARY, current_screen, start


def read_modules(widget: QrCode) -> list[list[int]]:
    """Sample the grabbed widget at each module's centre: 1 for dark, 0 for light."""
    image = widget.grab().toImage()
    step = widget.module_px
    count = len(widget.matrix)
    return [
        [
            int(
                QColor(
                    image.pixel((x + QUIET_ZONE) * step + step // 2, (y + QUIET_ZONE) * step + step // 2)
                ).lightness()
                < 128
            )
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


def dark(image, x: int, y: int) -> bool:
    return QColor(image.pixel(x, y)).lightness() < 128


def test_size_is_large_enough_for_a_phone_at_a_metre(kiosk) -> None:
    """About 0.28 mm per pixel on a 24-inch 1080p screen: a module needs at least 5 px (1.4 mm).

    Measured on the code a topic screen draws (the longest address, so the most modules): the top-left
    finder pattern is 7 modules of dark, after the quiet zone.
    """
    start(kiosk)
    kiosk.open_topic(max(LIBRARY.topics, key=lambda topic: len(topic.id)).id)
    qr = current_screen(kiosk).qr
    assert qr.isVisible()
    image = qr.grab().toImage()
    assert (image.width(), image.height()) == (qr.side_px(), qr.side_px()), "the code is squeezed"
    edge = next(i for i in range(image.width()) if dark(image, i, i))  # the finder's corner
    run = next(x for x in range(edge, image.width()) if not dark(image, x, edge)) - edge
    assert run / 7 >= 5, f"a module is {run / 7:.1f} px"
    assert edge / QUIET_ZONE == run / 7  # a quiet zone of 4 whole modules, for the phone to find the code
