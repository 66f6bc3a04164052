"""Every screen x language x text size x screen size: nothing clipped, overlapping or off-window,
every touch target at least 64 x 64 px, every control named. Walks the real widget tree.

Clipping is checked by geometry: the room a widget's text needs must lie inside the part of the
widget its ancestors leave visible (up to the scroll content it scrolls in, or the window). A
screen has at most one scroll area; its "More below" sign shows only when there is more below,
and never over the text.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QScrollArea, QWidget

from kiosk.access import in_sight
from kiosk.app import Kiosk
from kiosk.navigation import ATTRACT
from kiosk.theme import TextSize
from kiosk.widgets.buttons import MIN_TARGET_PX
from kiosk.widgets.scroll import TouchScrollArea
from kiosk.widgets.tiles import TileGrid, TopicTile

from conftest import LANGUAGES, SIZES, TimeMachine, build_kiosk, close_kiosk, settle


@pytest.fixture(scope="module")
def kiosk_at(qapp, tmp_path_factory):
    """`kiosk_at(size)`: one kiosk per window size, shared by this module's tests (they only look)."""
    made: dict[tuple[int, int], Kiosk] = {}

    def at(size: tuple[int, int]) -> Kiosk:
        if size not in made:
            made[size] = build_kiosk(TimeMachine(), tmp_path_factory.mktemp("data"), size=size)
        return made[size]

    yield at
    for kiosk in made.values():
        close_kiosk(kiosk)


def scroll_content_of(widget: QWidget) -> QWidget | None:
    """The content widget of the innermost scroll area whose content holds `widget`, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            return parent.widget()
        parent = parent.parentWidget()
    return None


def visible_widgets(root: QWidget) -> list[QWidget]:
    """What a visitor sees in `root`: shown, and not under the attract screen's cover."""
    shown = [w for w in root.findChildren(QWidget) if w.isVisibleTo(root) and w.width() > 0]
    return [w for w in shown if not w.isVisible() or in_sight(w)]


def visible_rect(widget: QWidget, owner: QWidget) -> QRect:
    """The part of `widget` (in `owner`'s coordinates) that its ancestors up to `owner` do not clip."""
    rect = QRect(widget.mapTo(owner, widget.rect().topLeft()), widget.size())
    ancestor = widget.parentWidget()
    while ancestor is not None and ancestor is not owner:
        rect &= QRect(ancestor.mapTo(owner, ancestor.rect().topLeft()), ancestor.size())
        ancestor = ancestor.parentWidget()
    return rect & owner.rect()


def text_rect(widget: QWidget) -> QRect:
    """The room the widget's text needs, from its top left corner: at least the widget itself."""
    size = widget.size()
    if isinstance(widget, QLabel) and widget.wordWrap():
        size.setHeight(max(size.height(), widget.heightForWidth(widget.width())))
    elif isinstance(widget, (QLabel, QAbstractButton)):
        size = size.expandedTo(widget.sizeHint())
    return QRect(widget.rect().topLeft(), size)


def problems_in(window: QWidget, where: str) -> list[str]:
    found: list[str] = []
    window_rect = window.rect()
    for widget in visible_widgets(window):
        name = f"{where}: {type(widget).__name__} {widget.objectName() or ''} {getattr(widget, 'text', lambda: '')()!r}"
        bounds_owner = scroll_content_of(widget) or window
        rect = QRect(widget.mapTo(bounds_owner, widget.rect().topLeft()), widget.size())
        bounds = bounds_owner.rect() if bounds_owner is not window else window_rect
        if not bounds.adjusted(-1, -1, 1, 1).contains(rect):
            found.append(f"{name} lies outside its window or scroll content: {rect} not in {bounds}")
        is_text_label = isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull()
        has_text = isinstance(widget, QAbstractButton) or is_text_label
        if has_text:
            needed = text_rect(widget).translated(widget.mapTo(bounds_owner, widget.rect().topLeft()))
            shown = visible_rect(widget, bounds_owner)
            if not shown.adjusted(-1, -1, 1, 1).contains(needed):
                found.append(f"{name}: its text needs {needed.getRect()}, only {shown.getRect()} is visible")
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            found += label_problems(widget, name)
        if isinstance(widget, (QAbstractButton, TopicTile)):
            if widget.width() < MIN_TARGET_PX or widget.height() < MIN_TARGET_PX:
                found.append(f"{name} is a {widget.width()}x{widget.height()} touch target")
            if not widget.accessibleName():
                found.append(f"{name} has no accessible name")
        if isinstance(widget, QAbstractButton):
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                found.append(
                    f"{name} is cut: needs {hint.width()}x{hint.height()}, has {widget.width()}x{widget.height()}"
                )
    return found


def label_problems(label: QLabel, name: str) -> list[str]:
    metrics = label.fontMetrics()
    space = label.contentsRect()
    if label.wordWrap():
        longest = max((metrics.horizontalAdvance(word) for word in label.text().split()), default=0)
        if longest > space.width() + 1:
            return [f"{name}: a word is {longest} px wide in {space.width()} px"]
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return [f"{name}: cut off, needs {needed} px height, has {label.height()}"]
        return []
    lines = label.text().split("\n")
    wide = max(metrics.horizontalAdvance(line) for line in lines)
    if wide > space.width() + 1 or metrics.height() * len(lines) > space.height() + 1:
        return [f"{name}: cut off, needs {wide}x{metrics.height() * len(lines)}, has {space.width()}x{space.height()}"]
    return []


def overlaps(window: QWidget, where: str) -> list[str]:
    """Shown widgets that share a parent must not overlap (the "More below" sign may float, a focus ring is drawn
    round the text it marks; a scroll area's viewport and scroll bar are its own business)."""
    found = []
    by_parent: dict[int, list[QWidget]] = {}
    for widget in visible_widgets(window):
        parent = widget.parentWidget()
        floating = widget.property("role") == "more-below" or widget.objectName() == "FocusRing"
        if widget.isWindow() or floating or isinstance(parent, QAbstractScrollArea):
            continue
        by_parent.setdefault(id(parent), []).append(widget)
    for siblings in by_parent.values():
        for i, first in enumerate(siblings):
            for second in siblings[i + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    found.append(f"{where}: {describe(first)} overlaps {describe(second)}")
    return found


def scroll_problems(screen: QWidget, where: str) -> list[str]:
    """One scroll area at most; its sign only while there is more below, and never over the text."""
    areas = [a for a in screen.findChildren(QScrollArea) if a.isVisibleTo(screen)]
    if len(areas) > 1:
        return [f"{where}: {len(areas)} scroll areas: {[a.objectName() or type(a.widget()).__name__ for a in areas]}"]
    found = []
    for area in areas:
        if not isinstance(area, TouchScrollArea):
            continue
        bar, hint = area.verticalScrollBar(), area.more_below
        content = area.widget()
        layout = content.layout()
        if layout.hasHeightForWidth():
            natural = layout.totalHeightForWidth(content.width())
        else:
            natural = layout.totalMinimumSize().height()
        if natural <= area.height() and (hint.isVisibleTo(screen) or area.hint_strip().height()):
            found.append(f'{where}: the content fits ({natural} <= {area.height()} px) but shows "More below"')
        if bar.maximum() > 0 and bar.value() == 0 and not hint.isVisibleTo(screen):
            found.append(f"{where}: {bar.maximum()} px more below, and no sign says so")
        # The hint is the area's sibling (so the accessibility tree lists it): compare in the parent's coordinates.
        text = area.viewport().geometry().translated(area.pos())
        if hint.isVisibleTo(screen) and hint.geometry().intersects(text):
            found.append(f'{where}: "More below" {hint.geometry().getRect()} covers the text {text.getRect()}')
    return found


def summary_problems(screen: QWidget, where: str) -> list[str]:
    """At the normal text size every tile's summary fits in two lines, its title in two."""
    found = []
    for grid in screen.findChildren(TileGrid):
        for tile in grid.tiles if grid.isVisibleTo(screen) else []:
            for part, most in ((tile.summary, 2), (tile.title, 2)):
                lines = round(part.heightForWidth(part.width()) / part.fontMetrics().lineSpacing())
                if lines > most:
                    found.append(f"{where}: {part.text()!r} takes {lines} lines in a {tile.width()} px tile")
    return found


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__}({widget.objectName() or widget.property('role') or ''}) {text[:40]!r}"


def problems_on(kiosk: Kiosk, key: str, where: str, size: tuple[int, int]) -> list[str]:
    """Open screen `key` as a visitor would see it and check the whole window."""
    kiosk.navigator.open(key)
    settle()
    # The kiosk shows its header on every screen but the attract screen: checked, never set here.
    shown = in_sight(kiosk.header)
    assert shown == (key != ATTRACT), f"{where}: header in sight is {shown}"
    found = problems_in(kiosk.window, where) + overlaps(kiosk.window, where)
    if kiosk.window.size().toTuple() != size:  # a screen too wide for the window would stretch it
        found.append(f"{where}: the window grew to {kiosk.window.width()}x{kiosk.window.height()}")
    screen = kiosk.navigator.on_show()
    found += scroll_problems(screen, where)
    if kiosk.appearance.text_size is TextSize.NORMAL and kiosk.appearance.theme.name == "normal":
        found += summary_problems(screen, where)
    return found


def overlay_problems(kiosk: Kiosk, where: str) -> list[str]:
    """The idle warning, the staff PIN pad and the staff panel, each opened over home and checked whole."""
    kiosk.navigator.home()
    kiosk.idle_overlay.show_countdown(kiosk.settings.idle_warning_s)
    found = []
    for open_it, overlay in (
        (kiosk.idle_overlay.open, lambda: kiosk.idle_overlay),
        (kiosk.open_staff_access, lambda: kiosk.pin_pad),
        (kiosk.staff_access.open_panel, lambda: kiosk.staff_panel),
    ):
        open_it()
        settle()
        shown = overlay()
        name = f"{where} {type(shown).__name__}"
        found += problems_in(shown, name) + overlaps(shown, name)
        shown.hide()
    return found


def screens_of(kiosk: Kiosk) -> list[str]:
    return ["attract", "home"] + [f"topic:{t.id}" for t in kiosk.services.library.reading_order]


@pytest.mark.parametrize("size", SIZES.values(), ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("text_size", list(TextSize), ids=lambda t: t.name.lower())
def test_every_screen_fits_in_every_language(kiosk_at, size, text_size) -> None:
    kiosk = kiosk_at(size)
    kiosk.appearance.set_text_size(text_size)
    found: list[str] = []
    for language in LANGUAGES:
        kiosk.i18n.set_language(language)
        for key in screens_of(kiosk):
            found += problems_on(kiosk, key, f"{size[0]}x{size[1]} {text_size.name} {language} {key}", size)
        found += overlay_problems(kiosk, f"{size[0]}x{size[1]} {text_size.name} {language}")
    kiosk.appearance.set_text_size(TextSize.NORMAL)
    assert found == [], f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


@pytest.mark.parametrize("size", SIZES.values(), ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("text_size", [TextSize.NORMAL, TextSize.LARGEST], ids=lambda t: t.name.lower())
def test_high_contrast_fits(kiosk_at, size, text_size) -> None:
    """High contrast draws checked buttons in bold: the widest case of every control."""
    kiosk = kiosk_at(size)
    kiosk.appearance.set_text_size(text_size)
    kiosk.appearance.set_high_contrast(True)
    found: list[str] = []
    for language in LANGUAGES:
        kiosk.i18n.set_language(language)
        for key in ("attract", "home", "topic:care-at-rush", "topic:getting-help", "topic:care-team"):
            where = f"{size[0]}x{size[1]} high contrast {text_size.name} {language} {key}"
            found += problems_on(kiosk, key, where, size)
        found += overlay_problems(kiosk, f"{size[0]}x{size[1]} high contrast {text_size.name} {language}")
    kiosk.appearance.reset()
    assert found == [], f"{len(found)} problems, first ones:\n" + "\n".join(found[:25])


def test_every_gap_and_margin_is_a_step_of_the_spacing_scale(kiosk_at) -> None:
    """The NHS spacing scale (README, "Design"), on every layout of every screen, the overlays included.
    The attract screen's drifting parts are the exception: their margins are a step plus the drift."""
    from PySide6.QtWidgets import QLayout, QStackedLayout

    from kiosk.theme import SPACING

    kiosk = kiosk_at((1920, 1080))
    kiosk.appearance.reset()
    for key in screens_of(kiosk):
        kiosk.navigator.open(key)
    attract = kiosk.navigator.screen("attract")
    drifting = {attract.hero_layout, attract.languages}
    roots = [kiosk.window, kiosk.idle_overlay, kiosk.staff_panel, *kiosk.navigator.built.values()]
    found = set()
    for root in roots:
        for layout in [root.layout(), *root.findChildren(QLayout)]:
            if layout is None or layout in drifting or isinstance(layout, QStackedLayout):
                continue
            owner = layout.parentWidget()
            where = f"{type(owner).__name__} {owner.objectName()}"
            margins = layout.contentsMargins()
            values = [margins.left(), margins.top(), margins.right(), margins.bottom()]
            items = [layout.itemAt(i) for i in range(layout.count())]
            if len([item for item in items if item.spacerItem() is None]) > 1:  # a gap between two things
                values.append(max(0, layout.spacing()))
            found |= {f"{where}: {value} px" for value in values if value not in SPACING}
        for widget in [root, *root.findChildren(QWidget)]:
            margins = widget.contentsMargins()
            if widget in drifting or not hasattr(widget, "_spacing"):
                continue
            values = [margins.left(), margins.top(), margins.right(), margins.bottom(), widget._spacing]
            name = f"{type(widget).__name__} {widget.objectName()}"
            found |= {f"{name}: {value} px" for value in values if value not in SPACING}
    assert sorted(found) == [], "\n".join(sorted(found))
