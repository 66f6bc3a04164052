"""The attract screen: what a walk-up visitor sees from across the lobby, and the first touch.

Top to bottom: the hero (an illustration of care and support, the title, a welcome and the prompt
in one enabled language after another), the language buttons, and a bottom row kept free for the
visitor's display settings. The hero drifts slowly and the welcome cross-fades between languages,
so no pixel stays the same for minutes (burn-in); with `reduced_motion` both stay still.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QRect, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtWidgets import QBoxLayout, QGraphicsOpacityEffect, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.i18n import N_, _
from kiosk.paths import ILLUSTRATIONS_DIR
from kiosk.screens.base import Screen, Services
from kiosk.theme import QWIDGETSIZE_MAX, space
from kiosk.widgets.header import LanguageButtons
from kiosk.widgets.illustration import Illustration
from kiosk.widgets.text import label

# TRANSLATORS: greets visitors on the start screen, in large letters, before the prompt below.
WELCOME = N_("Welcome")
PROMPT = N_("Touch your language to begin")
ILLUSTRATION = ILLUSTRATIONS_DIR / "care-and-support.svg"
LANGUAGE_SECONDS = 6  # each enabled language greets for this long
FADE_MS = 1200  # the whole cross-fade; a slow dissolve, never a flash
# The hero drifts this far along a slow figure of eight, a pixel at a time; the language buttons
# follow only sideways and a third as far, so they stay where a visitor reaches for them.
DRIFT_PX = 24
DRIFT_PERIOD_S = 240
# Without motion, the hero still shifts by a few pixels once in a while, in one step.
STILL_SHIFT_PX = 4
STILL_SHIFT_S = 60
ILLUSTRATION_SHARE = 0.28  # of the screen's height, at most, above the words (portrait)
ILLUSTRATION_SHARE_LANDSCAPE = 0.42  # beside them
ILLUSTRATION_MIN_PX = 120  # smaller than this, it is left out


class AttractScreen(Screen):
    language_chosen = Signal(str)
    language_pressed = Signal(str)  # see LanguageButtons
    let_go = Signal()

    def __init__(
        self,
        services: Services,
        timer_factory: Callable[[], QTimer] = QTimer,
        reduced_motion: bool = False,
        options: QWidget | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(services, parent)
        self.setObjectName("AttractScreen")
        # It covers the window (KioskWindow.set_cover) with no fill of its own: the window's fill is its background,
        # and what lies under it has its updates off. (A style sheet background would be a second fill of the whole
        # window in each frame that shows it; Qt's style sheets turn a widget's own fill from the palette off.)
        self.reduced_motion = reduced_motion

        # The hero: drawn in to read from three metres.
        self.illustration = Illustration(ILLUSTRATION)
        self.title = accessibility.set_role(label(role="attract-title"), Role.HEADING, level=1)
        self.welcome = label(role="attract-welcome")
        self.prompt = label(role="attract-prompt")
        for widget in (self.title, self.welcome, self.prompt):
            widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.greeting = QWidget()  # the welcome and the prompt, which change language together
        greeting = QVBoxLayout(self.greeting)
        greeting.setContentsMargins(0, 0, 0, 0)
        greeting.setSpacing(space(2))
        greeting.addWidget(self.welcome)
        greeting.addWidget(self.prompt)
        self.words = QWidget()  # the title above the greeting
        words = QVBoxLayout(self.words)
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(space(4))
        words.addStretch(1)
        words.addWidget(self.title)
        words.addWidget(self.greeting)
        words.addStretch(1)
        # Landscape: the illustration beside the words; portrait: above them.
        self.hero = QWidget()
        self.hero_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.hero)
        self.hero_layout.setSpacing(space(7))
        self.hero_layout.addStretch(1)
        self.hero_layout.addWidget(self.illustration, 0, Qt.AlignmentFlag.AlignCenter)
        self.hero_layout.addWidget(self.words)  # no alignment: a layout aligns by size hint, ignoring the wrapping
        self.hero_layout.addStretch(1)

        # The first touch.
        self.languages = LanguageButtons(services.i18n, role="language-large", centered=True)
        self.languages.language_requested.connect(self.language_chosen)
        self.languages.language_pressed.connect(self.language_pressed)
        self.languages.let_go.connect(self.let_go)

        # A row along the bottom for the visitor's display settings (text size, contrast, scanning).
        self.settings_row = QHBoxLayout()
        self.settings_row.setContentsMargins(0, 0, 0, 0)

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(space(7), space(5), space(7), space(5))
        self._layout.setSpacing(0)
        self._layout.addStretch(2)
        self._layout.addWidget(self.hero)
        self._layout.addSpacing(space(7))
        self._layout.addWidget(self.languages)
        self._layout.addStretch(3)
        self._layout.addLayout(self.settings_row)
        # Text size, contrast and switch access: one tap each, before a language is chosen.
        self.options = options
        if options is not None:
            self.settings_row.addWidget(options)

        self._fade = QGraphicsOpacityEffect(self.greeting)
        self._fade.setEnabled(False)  # drawn directly while not fading
        self.greeting.setGraphicsEffect(self._fade)
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(FADE_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._animation.valueChanged.connect(self._fade_step)
        self._animation.finished.connect(lambda: self._fade.setEnabled(False))
        self._pending_switch = False
        # The size the word heights and the illustration were arranged for; None until shown at a real size.
        self._arranged_for: QSize | None = None

        self._language_index = 0
        self._seconds = 0
        self._timer = timer_factory()
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.retranslate()
        self._apply_drift()

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(_("Learn about ALS"))
        self._show_greeting()
        self._reserve_heights()

    def greeting_languages(self) -> list[str]:
        return self.services.i18n.enabled

    @property
    def greeting_language(self) -> str:
        languages = self.greeting_languages()
        return languages[self._language_index % len(languages)]

    def _show_greeting(self) -> None:
        language = self.greeting_language
        translate_in = self.services.i18n.translate_in
        for widget, message in ((self.welcome, WELCOME), (self.prompt, PROMPT)):
            text = translate_in(language, message)
            widget.setText(text)
            # A screen reader says what is shown, in the voice of the language shown.
            widget.setAccessibleName(text)
            accessibility.set_language(widget, language)

    def show_prompt_in(self, language: str) -> None:
        """Greet in `language` now (the rotation goes on from there)."""
        languages = self.greeting_languages()
        if language in languages:
            self._animation.stop()
            self._fade.setEnabled(False)
            self._language_index = languages.index(language)
            self._show_greeting()

    def _next_language(self) -> None:
        self._language_index += 1
        if self.reduced_motion:
            self._show_greeting()
            return
        # Fade out, switch at the darkest point, fade back in.
        self._pending_switch = True
        self._fade.setEnabled(True)
        self._animation.start()

    def _fade_step(self, progress: float) -> None:
        if self._pending_switch and progress >= 0.5:
            self._pending_switch = False
            self._show_greeting()
        self._fade.setOpacity(abs(1.0 - 2.0 * progress))

    @property
    def fading(self) -> bool:
        return self._animation.state() == QVariantAnimation.State.Running

    # -- motion -----------------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.isVisible():
            return
        self._seconds += 1
        if self._seconds % LANGUAGE_SECONDS == 0:
            self._next_language()
        if not self.reduced_motion or self._seconds % STILL_SHIFT_S == 0:
            self._apply_drift()

    def drift_offset(self) -> tuple[int, int]:
        """Where the hero is now, relative to its resting place."""
        if self.reduced_motion:
            step = self._seconds // STILL_SHIFT_S
            shifts = ((STILL_SHIFT_PX, 0), (0, STILL_SHIFT_PX), (-STILL_SHIFT_PX, 0), (0, -STILL_SHIFT_PX))
            return shifts[step % 4] if step else (0, 0)
        phase = 2 * math.pi * self._seconds / DRIFT_PERIOD_S
        return round(DRIFT_PX * math.sin(phase)), round(DRIFT_PX * math.sin(2 * phase) / 2)

    def _apply_drift(self) -> None:
        dx, dy = self.drift_offset()
        margin = DRIFT_PX
        self.hero_layout.setContentsMargins(margin + dx, margin + dy, margin - dx, margin - dy)
        side, reach = dx // 3, DRIFT_PX // 3
        self.languages.setContentsMargins(reach + side, 0, reach - side, 0)
        self.languages.relayout()

    # -- layout -----------------------------------------------------------------------------

    def restyle(self) -> None:
        if self.services.appearance.icons_enabled:
            self.illustration.set_theme(self.services.appearance.theme)
        self._reserve_heights()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        # Qt also sends a resize on show after the stack resized this hidden screen and back (the
        # settings bar came and went): the same size needs no new arrangement (4 ms).
        if event.size() != self._arranged_for:
            self._reserve_heights()

    def showEvent(self, event) -> None:  # noqa: N802
        if self._arranged_for != self.size():
            self._reserve_heights()
        super().showEvent(event)

    @property
    def landscape(self) -> bool:
        return self.width() >= self.height() * 1.1

    def _reserve_heights(self) -> None:
        """Arrange the hero for the screen's shape: the largest illustration that leaves room for the
        words, each word label as tall as its longest text in any language (so nothing jumps as the
        languages rotate). Heights are set here, not found by nested height-for-width passes, so
        one layout pass settles the screen."""
        # Hidden (being built, or behind another screen while the language changes): on show.
        self._arranged_for = None
        if not self.isVisible() or self.width() <= 0 or self.height() <= 0:
            return
        self._arranged_for = self.size()
        landscape = self.landscape
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.hero_layout.setDirection(across if landscape else down)
        alignment = Qt.AlignmentFlag.AlignLeft if landscape else Qt.AlignmentFlag.AlignHCenter
        for widget in (self.title, self.welcome, self.prompt):
            widget.setAlignment(alignment)
        translate_in = self.services.i18n.translate_in
        texts = {
            self.title: [self.title.text()],
            self.welcome: [translate_in(language, WELCOME) for language in self.greeting_languages()],
            self.prompt: [translate_in(language, PROMPT) for language in self.greeting_languages()],
        }
        share = ILLUSTRATION_SHARE_LANDSCAPE if landscape else ILLUSTRATION_SHARE
        heights = [*range(round(self.height() * share), ILLUSTRATION_MIN_PX - 1, -space(6)), 0]
        # The largest illustration that fits; on a short screen (1280 x 800), none, then no welcome
        # either (the title already says it), then lower language buttons: the choices stay whole.
        plans = [*((height, True, False) for height in heights), (0, False, False), (0, False, True)]
        # The display choices below may have just re-wrapped (new texts, shown with this screen): their row's
        # remembered height goes, or the plans would be measured against its old one.
        self.settings_row.invalidate()
        for height, welcome, compact in plans:
            words = texts if welcome else {w: t for w, t in texts.items() if w is not self.welcome}
            if self.parentWidget() is not None:  # show() on a parentless widget would open a window
                self.illustration.setVisible(height > 0)
                self.welcome.setVisible(welcome)
            self._set_compact(compact)
            self._reserve_words(words, self._words_width(height), landscape)
            self.illustration.set_height(height)
            if self._layout.totalHeightForWidth(self.width()) <= self.height():
                return
        # Not at its final size yet (a window starts at 640 x 480): reserve nothing rather than
        # make the window taller than its screen.
        for widget in texts:
            widget.setMinimumHeight(0)
        self.words.setMinimumWidth(0)
        self.words.setMaximumWidth(QWIDGETSIZE_MAX)

    def _set_compact(self, compact: bool) -> None:
        if bool(self.property("compact")) == compact:
            return
        self.setProperty("compact", compact)
        for button in self.languages.buttons.values():  # the style sheet sizes them by this property
            button.style().unpolish(button)
            button.style().polish(button)
        self.languages.relayout()

    def _reserve_words(self, texts: dict[QLabel, list[str]], width: int, landscape: bool) -> None:
        if landscape:  # as wide as the longest line, so the hero centres as a group
            width = min(width, max(text_width(widget, text) for widget, options in texts.items() for text in options))
        self.words.setFixedWidth(width)
        for widget, options in texts.items():
            widget.setMinimumHeight(max(text_height(widget, width, text) for text in options))
        for layout in (self.greeting.layout(), self.words.layout(), self.hero_layout):  # inner to outer, now
            layout.activate()

    def _words_width(self, illustration: int) -> int:
        margins = self._layout.contentsMargins()
        width = self.width() - margins.left() - margins.right() - 2 * DRIFT_PX
        if self.landscape and illustration > 0:
            width -= round(illustration * self.illustration.aspect) + self.hero_layout.spacing()
        return max(1, width)

    def reset_view(self) -> None:
        self._seconds = 0
        self._language_index = 0
        self._animation.stop()
        self._fade.setEnabled(False)
        self._show_greeting()
        self._apply_drift()


def text_width(widget: QLabel, text: str) -> int:
    """The width of `text` on one line in `widget`'s font."""
    widget.ensurePolished()
    return widget.fontMetrics().horizontalAdvance(text) + 2


def text_height(widget: QLabel, width: int, text: str) -> int:
    """The height of `text` wrapped to `width` in `widget`'s font."""
    widget.ensurePolished()
    flags = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.TextFlag.TextWordWrap)
    return widget.fontMetrics().boundingRect(QRect(0, 0, width, 100000), flags, text).height()
