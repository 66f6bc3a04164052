"""A label remembers its wrapped height per width, and forgets it whenever Qt's answer would change."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from kiosk.widgets.text import label

WIDTHS = (120, 240, 480)


def heights(widget: QLabel) -> tuple[list[int], list[int]]:
    """Its remembered heights and Qt's own, laid out anew."""
    return [widget.heightForWidth(w) for w in WIDTHS], [QLabel.heightForWidth(widget, w) for w in WIDTHS]


def test_the_remembered_height_follows_text_font_style_and_minimum_size(qtbot) -> None:
    widget = label("Twitching, cramps, weakness and other early signs")
    qtbot.addWidget(widget)
    widget.show()
    changes = [
        lambda: widget.setText("Where ALS care happens at Rush, and who you will meet there on your first visit"),
        lambda: widget.setFont(QFont("Noto Sans", 30)),
        lambda: widget.setStyleSheet("padding: 24px;"),  # a style change: the contents rectangle shrinks
        lambda: widget.setMinimumHeight(400),  # Qt's answer is never below the minimum size
        lambda: widget.setContentsMargins(40, 0, 40, 0),
    ]
    before, qt = heights(widget)
    assert before == qt
    for change in changes:
        change()
        after, qt = heights(widget)
        assert after == qt != before, change
        before = after


def test_a_text_seen_before_is_not_laid_out_again(qtbot, monkeypatch) -> None:
    """A language switch and back: the heights of the first language's texts are still known."""
    widget = label("Twitching, cramps, weakness and other early signs")
    qtbot.addWidget(widget)
    widget.show()
    asked: list[tuple[str, int]] = []
    qt_answer = QLabel.heightForWidth

    def counted(self, width):
        asked.append((self.text(), width))
        return qt_answer(self, width)

    monkeypatch.setattr(QLabel, "heightForWidth", counted)
    english = [widget.heightForWidth(w) for w in WIDTHS]
    widget.setText("Contractions, crampes, faiblesse et autres premiers signes")
    french = [widget.heightForWidth(w) for w in WIDTHS]
    widget.setText("Twitching, cramps, weakness and other early signs")
    again = [widget.heightForWidth(w) for w in WIDTHS]
    assert again == english != french
    assert len(asked) == 2 * len(WIDTHS)  # each text once per width
    assert again == [qt_answer(widget, w) for w in WIDTHS]
