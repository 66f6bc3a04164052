"""Style sheet rules that select on a widget property ([current="true"], [card="true"])."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set `name` and re-style `widget` for it; a widget not styled yet reads it when it is. (Before the
    first frame nothing is styled, and touching a QStyle from Python then costs about 10 ms.)"""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)
