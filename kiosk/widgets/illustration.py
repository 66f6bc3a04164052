"""A bundled vector illustration drawn in the theme's colours, scaled to its box, aspect kept."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.theme import Theme


@cache
def themed_svg(path: Path, theme: Theme) -> bytes:
    """The SVG at `path` with its $tokens filled from `theme`."""
    tokens = {key: value for key, value in theme._asdict().items() if isinstance(value, str)}
    return Template(path.read_text(encoding="utf-8")).substitute(tokens).encode("utf-8")


class Illustration(QWidget):
    """Decorative: it takes no input and has no name in the accessibility tree.

    Nothing is drawn until `set_theme` is called, so QtSvg loads after the first frame.
    """

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self._renderer = None
        self.aspect = 4 / 3  # width to height, from the drawing once loaded
        self.wanted = QSize(400, 300)  # set by the owner; the layout may give less, never more
        # It may shrink to nothing: a drawing must never make the screen's layout taller than the screen.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_theme(self, theme: Theme) -> None:
        from PySide6.QtSvg import QSvgRenderer  # here: ~10 ms the first frame does not need

        self._renderer = QSvgRenderer(QByteArray(themed_svg(self.path, theme)))
        size = self._renderer.defaultSize()
        if not self._renderer.isValid() or size.isEmpty():
            self._renderer = None
            return
        self.aspect = size.width() / size.height()
        self.update()

    @property
    def loaded(self) -> bool:
        return self._renderer is not None

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False

    def set_height(self, height: int) -> None:
        self.wanted = QSize(round(height * self.aspect), height)
        self.setMaximumSize(self.wanted)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.wanted

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, 0)

    def paintEvent(self, event) -> None:  # noqa: N802
        if self._renderer is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        height = min(self.height(), self.width() / self.aspect)
        width = height * self.aspect
        self._renderer.render(painter, QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height))
