"""A QR code drawn crisply from segno's module matrix: whole pixels per module, dark on white."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk import accessibility

Matrix = tuple[tuple[int, ...], ...]  # a QR code's modules (1 dark, 0 light), row by row
QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@lru_cache(maxsize=64)
def qr_matrix(url: str) -> Matrix:
    """The code's modules (1 dark, 0 light), row by row; computed once per URL (ahead of need, too)."""
    import segno  # here, not at the top: it costs ~25 ms of start-up and the attract screen has no QR code

    return tuple(tuple(row) for row in segno.make(url, error="m", micro=False).matrix)


class QrCode(QWidget):
    """`matrix_of(url)` makes the code: qr_matrix, or a cache of it (Services.qr_matrix)."""

    def __init__(
        self,
        module_px: int = 6,
        matrix_of: Callable[[str], Matrix] = qr_matrix,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.matrix_of = matrix_of
        accessibility.set_role(self, accessibility.Role.IMAGE)  # a picture with a name, not an empty panel
        self.module_px = module_px
        self.matrix: Matrix = ()
        self.url = ""
        self._pixmap = QPixmap()
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_url(self, url: str) -> None:
        if url == self.url:
            return
        self.url = url
        self.matrix = self.matrix_of(url)
        self._pixmap = self._draw()
        self.updateGeometry()
        self.update()

    def _draw(self) -> QPixmap:
        """One grey pixel per module with the quiet zone, scaled up without smoothing: crisp edges."""
        side = len(self.matrix) + 2 * QUIET_ZONE
        margin = bytes([255]) * QUIET_ZONE
        rows = [bytes([255]) * side] * QUIET_ZONE
        for row in self.matrix:
            rows.append(margin + bytes(0 if module else 255 for module in row) + margin)
        rows += [bytes([255]) * side] * QUIET_ZONE
        self._bits = b"".join(rows)  # QImage does not copy: keep the buffer alive with the image
        image = QImage(self._bits, side, side, side, QImage.Format.Format_Grayscale8)
        return QPixmap.fromImage(
            image.scaled(
                side * self.module_px,
                side * self.module_px,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )

    def side_px(self) -> int:
        return (len(self.matrix) + 2 * QUIET_ZONE) * self.module_px if self.matrix else 0

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.side_px(), self.side_px())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event) -> None:  # noqa: N802
        QPainter(self).drawPixmap(0, 0, self._pixmap)
