"""A QR code drawn crisply from segno's module matrix: whole pixels per module, dark on white."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


class QrCode(QWidget):
    def __init__(self, module_px: int = 6, parent: QWidget | None = None):
        super().__init__(parent)
        self.module_px = module_px
        self.matrix: tuple[tuple[int, ...], ...] = ()
        self.url = ""
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_url(self, url: str) -> None:
        if url == self.url:
            return
        self.url = url
        code = segno.make(url, error="m", micro=False)
        self.matrix = tuple(tuple(row) for row in code.matrix)
        self.updateGeometry()
        self.update()

    def side_px(self) -> int:
        return (len(self.matrix) + 2 * QUIET_ZONE) * self.module_px if self.matrix else 0

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.side_px(), self.side_px())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(QRect(0, 0, self.side_px(), self.side_px()), Qt.GlobalColor.white)
        dark = QColor("#000000")
        step = self.module_px
        for y, row in enumerate(self.matrix):
            for x, module in enumerate(row):
                if module:
                    painter.fillRect((x + QUIET_ZONE) * step, (y + QUIET_ZONE) * step, step, step, dark)
