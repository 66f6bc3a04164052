"""The attract screen: sized for three metres, a welcome in every language, calm motion, still on request."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, QPoint, QRect, Signal
from PySide6.QtWidgets import QApplication, QBoxLayout

from kiosk.navigation import HOME
from kiosk.screens.attract import (
    DRIFT_PX,
    FADE_MS,
    LANGUAGE_SECONDS,
    PROMPT,
    STILL_SHIFT_PX,
    STILL_SHIFT_S,
    WELCOME,
    AttractScreen,
)
from kiosk.theme import HIGH_CONTRAST
from kiosk.widgets.illustration import themed_svg

from conftest import attract, msgstr, tap


class HandTimer(QObject):
    """The attract screen's one-second timer, fired by the test's hand (`seconds`)."""

    timeout = Signal()

    def setInterval(self, msec: int) -> None:  # noqa: N802 - QTimer's API
        self.interval = msec

    def start(self) -> None:
        self.active = True


def standalone(qtbot, kiosk, size=(1920, 1080), reduced_motion=False) -> AttractScreen:
    """An attract screen on the kiosk's services whose one-second timer the test fires."""
    screen = AttractScreen(kiosk.services, timer_factory=HandTimer, reduced_motion=reduced_motion)
    qtbot.addWidget(screen)
    screen.setGeometry(QRect(0, 0, *size))
    screen.show()
    qtbot.waitExposed(screen)
    screen.restyle()  # icons (and so the illustration) are enabled: the kiosk is warmed up
    QApplication.processEvents()
    return screen


def seconds(screen: AttractScreen, count: int) -> None:
    for _ in range(count):
        screen._timer.timeout.emit()


def greeting(screen: AttractScreen, kiosk) -> str:
    """The language the welcome and the prompt are shown in; they always agree."""
    shown = [lang for lang in kiosk.i18n.enabled if msgstr(lang, WELCOME) == screen.welcome.text()]
    assert len(shown) == 1, screen.welcome.text()
    assert screen.prompt.text() == msgstr(shown[0], PROMPT)
    return shown[0]


def positions(screen: AttractScreen) -> tuple[QPoint, dict[str, QPoint]]:
    QApplication.processEvents()
    buttons = {code: b.mapTo(screen, QPoint(0, 0)) for code, b in screen.languages.buttons.items()}
    return screen.title.mapTo(screen, QPoint(0, 0)), buttons


def test_sized_to_be_read_from_three_metres(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk()
    screen = attract(kiosk)
    assert screen.title.font().pixelSize() >= 96  # capitals about 25 mm high on a 43-inch panel
    assert screen.welcome.font().pixelSize() >= 72
    assert screen.prompt.font().pixelSize() >= 48
    assert min(b.height() for b in screen.languages.buttons.values()) >= 96


def test_welcome_and_prompt_go_round_the_enabled_languages_together(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk(languages=["en", "de", "ru"])
    screen = standalone(qtbot, kiosk, reduced_motion=True)
    seen = [greeting(screen, kiosk)]
    for _ in range(3):
        seconds(screen, LANGUAGE_SECONDS - 1)
        assert greeting(screen, kiosk) == seen[-1]  # not before its time is up
        seconds(screen, 1)
        seen.append(greeting(screen, kiosk))
    assert seen == ["en", "de", "ru", "en"]
    assert screen.welcome.text() == "Welcome"
    seconds(screen, LANGUAGE_SECONDS)
    assert screen.welcome.text() == "Willkommen"
    assert screen.prompt.text() == "Tippen Sie auf Ihre Sprache, um zu beginnen"


def test_the_greeting_cross_fades_without_a_flash(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk(languages=["en", "fr"])
    screen = standalone(qtbot, kiosk)
    seconds(screen, LANGUAGE_SECONDS)
    assert screen.fading
    opacities = []
    screen._fade.opacityChanged.connect(opacities.append)
    qtbot.waitUntil(lambda: not screen.fading, timeout=FADE_MS * 3)
    assert greeting(screen, kiosk) == "fr"
    assert not screen._fade.isEnabled()  # drawn directly again
    # Down to nothing and back up, in small steps: a dissolve, never a jump in brightness.
    assert min(opacities) < 0.2 and opacities[-1] == 1.0
    assert max(abs(b - a) for a, b in itertools.pairwise(opacities)) < 0.5


def test_the_hero_drifts_slowly_and_the_language_buttons_stay_put(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk()
    screen = standalone(qtbot, kiosk)
    title0, buttons0 = positions(screen)
    moved, last = 0, title0
    for _ in range(60):
        seconds(screen, 1)
        title, buttons = positions(screen)
        assert (title - last).manhattanLength() <= 3, "a jump, not a drift"
        assert max(abs((title - title0).x()), abs((title - title0).y())) <= DRIFT_PX
        for code, point in buttons.items():
            assert point.y() == buttons0[code].y(), "language buttons move up or down"
            assert abs(point.x() - buttons0[code].x()) <= DRIFT_PX // 3 + 1
        moved = max(moved, (title - title0).manhattanLength())
        last = title
    assert moved >= 10  # it does move: no pixel of the hero stays lit the same for minutes


def test_reduced_motion_keeps_it_still_but_for_a_rare_small_shift(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk(languages=["en", "fr"])
    screen = standalone(qtbot, kiosk, reduced_motion=True)
    title0, buttons0 = positions(screen)
    seconds(screen, LANGUAGE_SECONDS)
    assert not screen.fading and greeting(screen, kiosk) == "fr"  # switched at once, no fade
    seconds(screen, STILL_SHIFT_S - LANGUAGE_SECONDS - 1)
    assert positions(screen) == (title0, buttons0)
    seconds(screen, 1)
    title, _buttons = positions(screen)
    assert 0 < (title - title0).manhattanLength() <= STILL_SHIFT_PX


def test_reduced_motion_comes_from_the_config(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk(reduced_motion=True)
    assert attract(kiosk).reduced_motion


def test_the_illustration_shows_in_both_orientations_and_follows_the_contrast(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk()
    for size in ((1920, 1080), (1080, 1920)):
        screen = standalone(qtbot, kiosk, size)
        assert screen.illustration.loaded and screen.illustration.isVisible()
        assert screen.illustration.height() >= 200
        # Above the title, which is above the languages, which are above the settings row.
        top = [w.mapTo(screen, QPoint(0, 0)).y() for w in (screen.illustration, screen.title, screen.languages)]
        assert top == sorted(top)
        assert screen.settings_row.geometry().top() >= screen.languages.geometry().bottom()
    svg = themed_svg(screen.illustration.path, HIGH_CONTRAST).decode()
    assert "$" not in svg and HIGH_CONTRAST.accent in svg


def test_a_shape_given_while_hidden_is_arranged_for_on_show(qtbot, make_kiosk) -> None:
    # Behind another screen the stack may resize it (the settings bar comes and goes): it arranges itself
    # for the size it has when shown again, also when that is the size it had before.
    kiosk = make_kiosk()
    screen = standalone(qtbot, kiosk)

    def arrangement() -> tuple:
        QApplication.processEvents()
        heights = tuple(w.minimumHeight() for w in (screen.title, screen.welcome, screen.prompt))
        return screen.hero_layout.direction(), screen.words.width(), screen.illustration.height(), heights

    landscape = arrangement()
    assert landscape[0] == QBoxLayout.Direction.LeftToRight
    for size, expected in (((1080, 1920), QBoxLayout.Direction.TopToBottom), ((1920, 1080), landscape[0])):
        screen.hide()
        screen.resize(1920, 700)  # away and back again, unseen
        screen.resize(*size)
        screen.show()
        assert arrangement()[0] == expected
    assert arrangement() == landscape


def test_the_first_touch_is_a_language(qtbot, make_kiosk) -> None:
    kiosk = make_kiosk()
    tap(attract(kiosk).languages.buttons["ru"])
    assert kiosk.navigator.current == HOME and kiosk.i18n.current == "ru"
