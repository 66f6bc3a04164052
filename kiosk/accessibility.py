"""What assistive technology sees: roles Qt's widgets do not give, and the visitor's language.

Qt names and exposes buttons, labels and windows by itself. A few things it cannot know are
declared on the widget with `set_role` and served by one accessibility factory, installed once:
headings, lists and their items, an alert dialog, choices in an exclusive group (radio buttons),
and items made of several widgets, which read as one thing (a tile is one button, not an icon and
two labels). Qt asks the factory only while an assistive technology is listening, so the kiosk
pays nothing for it otherwise.

Qt caches an object's interface for the object's life, and may ask the factory while a widget is
still being built: so a role is set right after the widget is made, and the factory never keeps
a widget it was not asked about by role.
"""

from __future__ import annotations

from enum import Enum

import shiboken6
from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QAccessible, QAccessibleAttributesInterface, QAccessibleInterface
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QLabel, QWidget

ROLE_PROPERTY = "a11yRole"
LEVEL_PROPERTY = "a11yLevel"
HIDDEN_PROPERTY = "a11yHidden"


class Role(Enum):
    HEADING = QAccessible.Role.Heading
    LIST = QAccessible.Role.List
    LIST_ITEM = QAccessible.Role.ListItem
    DIALOG = QAccessible.Role.Dialog
    ALERT_DIALOG = QAccessible.Role.AlertMessage
    RADIO = QAccessible.Role.RadioButton
    BUTTON = QAccessible.Role.Button
    GROUP = QAccessible.Role.Grouping
    WINDOW = QAccessible.Role.Window
    IMAGE = QAccessible.Role.Graphic  # a picture that says something (a QR code), named; decoration has none


def set_role(widget: QWidget, role: Role, level: int = 0) -> QWidget:
    """Declare what `widget` is for assistive technology; `level` for headings (1 is a screen's title)."""
    widget.setProperty(ROLE_PROPERTY, role.name)
    if level:
        widget.setProperty(LEVEL_PROPERTY, level)
    return widget


def hide(widget: QWidget) -> QWidget:
    """Leave `widget` out of the tree under a parent with a role (a spacer among a group's choices)."""
    widget.setProperty(HIDDEN_PROPERTY, True)
    return widget


def role_of(widget: QObject) -> Role | None:
    name = widget.property(ROLE_PROPERTY)
    return Role[name] if isinstance(name, str) and name in Role.__members__ else None


class WidgetAttributes(QAccessibleAttributesInterface):
    """The language of the widget's text (its QWidget.locale) and a heading's level."""

    def __init__(self, interface: QAccessibleWidget):
        super().__init__()
        self._interface = interface

    def attributeKeys(self) -> list[QAccessible.Attribute]:  # noqa: N802 - Qt API
        keys = [QAccessible.Attribute.Locale]
        if self._interface.widget().property(LEVEL_PROPERTY):
            keys.append(QAccessible.Attribute.Level)
        return keys

    def attributeValue(self, key: QAccessible.Attribute) -> object:  # noqa: N802
        widget = self._interface.widget()
        if key == QAccessible.Attribute.Locale:
            return widget.locale()
        if key == QAccessible.Attribute.Level:
            return widget.property(LEVEL_PROPERTY)
        return None


class RoleInterface(QAccessibleWidget):
    """A widget with a role Qt does not know for it, its language and (for a heading) its level.

    Items (buttons, list items, headings, choices) read as one thing: their own labels and icons
    are not separate children, only nested widgets that have a role themselves (a sub-list).
    """

    ITEMS = (Role.HEADING, Role.LIST_ITEM, Role.RADIO, Role.BUTTON, Role.IMAGE)

    def __init__(self, widget: QWidget, role: Role):
        super().__init__(widget, role.value)
        self._role = role
        self._attributes = WidgetAttributes(self)

    def _children(self) -> list[QWidget]:
        children = [
            c
            for c in self.widget().children()
            if isinstance(c, QWidget) and not c.isWindow() and not c.property(HIDDEN_PROPERTY)
        ]
        if self._role in self.ITEMS:
            return [child for child in children if role_of(child) is not None]
        return children

    def childCount(self) -> int:  # noqa: N802 - Qt API
        return len(self._children())

    def child(self, index: int) -> QAccessibleInterface | None:
        children = self._children()
        return QAccessible.queryAccessibleInterface(children[index]) if 0 <= index < len(children) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        widget = child.object() if child is not None else None
        children = self._children()
        return children.index(widget) if widget in children else -1

    def text(self, kind: QAccessible.Text) -> str:
        widget = self.widget()
        if kind == QAccessible.Text.Name:
            name = widget.accessibleName()
            if not name and isinstance(widget, (QLabel, QAbstractButton)):
                name = widget.text()
            return name
        return super().text(kind)

    def state(self) -> QAccessible.State:
        state = super().state()
        widget = self.widget()
        if isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.checkable = True
            state.checked = widget.isChecked()
        if self._role in (Role.DIALOG, Role.ALERT_DIALOG):
            state.modal = True
        return state

    def actionNames(self) -> list[str]:  # noqa: N802
        names = list(super().actionNames())
        if isinstance(self.widget(), QAbstractButton):
            names.insert(0, self.pressAction())
        return names

    def doAction(self, name: str) -> None:  # noqa: N802
        widget = self.widget()
        if name == self.pressAction() and isinstance(widget, QAbstractButton):
            widget.click()
        else:
            super().doAction(name)

    def interface_cast(self, kind: QAccessible.InterfaceType) -> object:
        # Qt takes a C++ pointer here (never None); the Python object behind it lives as long as this one.
        if kind == QAccessible.InterfaceType.AttributesInterface:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self._attributes)[0])
        other = super().interface_cast(kind)  # a VoidPtr, which is false when its size is unknown: test for None
        return other if other is not None else shiboken6.VoidPtr(0)


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    role = role_of(obj) if isinstance(obj, QWidget) else None
    return RoleInterface(obj, role) if role is not None else None


_installed = False


def install() -> None:
    """Once per process, after the QApplication exists (PySide ignores a factory installed earlier)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def set_language(widget: QWidget, language: str) -> None:
    """`widget` and its children without a language of their own report `language` to assistive
    technology, so a screen reader reads them with the right voice."""
    widget.setLocale(QLocale(language))
