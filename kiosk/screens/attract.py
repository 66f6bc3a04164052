"""The attract screen: what a walk-up visitor sees. One large button per language."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk import accessibility
from kiosk.accessibility import Role
from kiosk.i18n import N_, _
from kiosk.screens.base import Screen, Services
from kiosk.widgets.header import LanguageButtons
from kiosk.widgets.touch import label

PROMPT = N_("Touch your language to begin")
PROMPT_SECONDS = 4
# The whole composition drifts this far, slowly, so no pixel stays the same for minutes.
DRIFT_PX = 24
DRIFT_PERIOD_S = 240


class AttractScreen(Screen):
    language_chosen = Signal(str)

    def __init__(
        self,
        services: Services,
        timer_factory: Callable[[], QTimer] = QTimer,
        parent: QWidget | None = None,
        options: QWidget | None = None,
    ):
        super().__init__(services, parent)
        self.setObjectName("AttractScreen")
        self.title = accessibility.set_role(label(role="attract-title"), Role.HEADING, level=1)
        self.prompt = label(role="attract-prompt")
        self.languages = LanguageButtons(services.i18n, role="language-large", centered=True)
        self.languages.language_requested.connect(self.language_chosen)
        for widget in (self.title, self.prompt):
            widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self._layout = QVBoxLayout(self)
        self._layout.addStretch(2)
        self._layout.addWidget(self.title)
        self._layout.addSpacing(24)
        self._layout.addWidget(self.prompt)
        self._layout.addSpacing(48)
        self._layout.addWidget(self.languages)
        self._layout.addStretch(3)
        # Text size, contrast and switch access: one tap each, before a language is chosen.
        self.options = options
        if options is not None:
            self._layout.addWidget(options)

        self._prompt_index = 0
        self._drift_step = 0
        self._timer = timer_factory()
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.retranslate()
        self._apply_drift()

    def retranslate(self) -> None:
        self.title.setText(_("Learn about ALS"))
        self._show_prompt()
        self._reserve_prompt_height()

    def prompt_languages(self) -> list[str]:
        return self.services.i18n.enabled

    def _show_prompt(self) -> None:
        languages = self.prompt_languages()
        language = languages[self._prompt_index % len(languages)]
        text = self.services.i18n.translate_in(language, PROMPT)
        self.prompt.setText(text)
        # A screen reader says what is shown, in the voice of the language shown.
        self.prompt.setAccessibleName(text)
        accessibility.set_language(self.prompt, language)

    def show_prompt_in(self, language: str) -> None:
        """Show the prompt in `language` now (the rotation goes on from there)."""
        languages = self.prompt_languages()
        if language in languages:
            self._prompt_index = languages.index(language)
            self._show_prompt()

    def _tick(self) -> None:
        if not self.isVisible():
            return
        self._drift_step += 1
        if self._drift_step % PROMPT_SECONDS == 0:
            self._prompt_index += 1
            self._show_prompt()
        self._apply_drift()

    def _apply_drift(self) -> None:
        phase = 2 * math.pi * self._drift_step / DRIFT_PERIOD_S
        dx = round(DRIFT_PX * math.sin(phase))
        dy = round(DRIFT_PX * math.sin(2 * phase) / 2)
        base = 48
        self._layout.setContentsMargins(base + dx, base + dy, base - dx, base - dy)

    def restyle(self) -> None:
        self._reserve_prompt_height()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._reserve_prompt_height()

    def _reserve_prompt_height(self) -> None:
        """Room for the longest prompt, so the composition does not jump as the languages rotate."""
        self.prompt.ensurePolished()
        width = max(1, self.prompt.width())
        metrics = self.prompt.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.TextFlag.TextWordWrap)
        texts = [self.services.i18n.translate_in(language, PROMPT) for language in self.prompt_languages()]
        height = max(metrics.boundingRect(QRect(0, 0, width, 100000), flags, text).height() for text in texts)
        self.prompt.setMinimumHeight(height)

    def reset_view(self) -> None:
        self._prompt_index = 0
        self._show_prompt()
