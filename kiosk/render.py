"""`als-kiosk render`: every screen in every language and size to PNG, with a contact sheet.

For clinical reviewers and translators, who approve content without a kiosk. Runs offscreen.
"""

from __future__ import annotations

import dataclasses
import html
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kiosk.config import LoadedSettings


@dataclass(frozen=True)
class Shot:
    size: tuple[int, int]
    language: str
    name: str
    path: Path  # relative to the output folder
    review: tuple[str, ...] = ()  # open review notes of the topic shown (a pending status is one too)


def review_items(topic) -> tuple[str, ...]:
    """What a clinician still has to decide on a topic: its pending status, then each open review note."""
    status = (f"Status: {topic.status}",) if topic.status != "approved" else ()
    return status + tuple(topic.review_notes)


class Progress:
    """A one-line progress bar on a terminal; a line every tenth of the way otherwise."""

    def __init__(self, total: int, out: TextIO):
        self.total, self.done, self.out = total, 0, out
        self.tty = out.isatty()

    def step(self, label: str) -> None:
        self.done += 1
        filled = round(30 * self.done / self.total)
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {label}"
        if self.tty:
            self.out.write(f"\r{line:<90}")
            if self.done == self.total:
                self.out.write("\n")
        elif self.done == self.total or self.done % max(1, self.total // 10) == 0:
            self.out.write(line + "\n")
        self.out.flush()


SETTLE_PASSES_MAX = 10


def settle(app, window) -> None:
    """Run the event loop until a pass moves or resizes no widget of `window`, so an image shows the
    screen as the kiosk does once idle. A layout pass can ask for another, a pass later: a row of
    buttons that wraps (icons shown after the warm-up) makes its parent lay out again."""
    from PySide6.QtWidgets import QWidget

    last = None
    for _ in range(SETTLE_PASSES_MAX):
        app.processEvents()
        geometries = [widget.geometry() for widget in window.findChildren(QWidget)]
        if geometries == last:
            return
        last = geometries


def screen_names(topic_ids: list[str]) -> list[str]:
    return ["attract", "home", *(f"topic-{t}" for t in topic_ids), "idle-overlay"]


def run_render(
    loaded: LoadedSettings,
    out_dir: Path,
    languages: list[str] | None,
    sizes: list[tuple[int, int]],
    progress_out: TextIO = sys.stderr,
) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from kiosk.app import Kiosk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    shots: list[Shot] = []
    progress: Progress | None = None
    # A review render never touches a running kiosk's files: a data folder of its own, no metrics,
    # no statistics, no systemd messages.
    scratch = Path(tempfile.mkdtemp(prefix="als-kiosk-render-"))
    settings = dataclasses.replace(loaded.settings, data_dir=scratch, metrics_file=None, stats_enabled=False)
    for width, height in sizes:
        kiosk = Kiosk(app, settings, kiosk_mode=False, data_dir=scratch, environ={}, speech_worker=None)
        kiosk.show(QRect(0, 0, width, height))
        kiosk.warm_up()
        wanted = languages or kiosk.i18n.enabled
        unknown = [lang for lang in wanted if lang not in kiosk.i18n.enabled]
        if unknown:
            print(f"render: not an enabled language: {', '.join(unknown)}", file=sys.stderr)
            kiosk.shutdown()
            shutil.rmtree(scratch, ignore_errors=True)
            return 2
        topic_ids = [t.id for t in kiosk.services.library.reading_order]
        if progress is None:
            progress = Progress(len(sizes) * len(wanted) * len(screen_names(topic_ids)), progress_out)
        for language in wanted:
            shots += _render_language(app, kiosk, out_dir, (width, height), language, topic_ids, progress)
        kiosk.shutdown()
        kiosk.window.close()
        kiosk.window.deleteLater()
        app.processEvents()
    shutil.rmtree(scratch, ignore_errors=True)
    (out_dir / "index.html").write_text(contact_sheet(shots), encoding="utf-8")
    print(
        f"render: {len(shots)} screens written to {out_dir}, contact sheet {out_dir / 'index.html'}", file=progress_out
    )
    return 0


def _render_language(
    app, kiosk, out_dir: Path, size: tuple[int, int], language: str, topic_ids: list[str], progress: Progress
) -> list[Shot]:
    from kiosk.navigation import topic_key

    folder = Path(f"{size[0]}x{size[1]}") / language
    (out_dir / folder).mkdir(parents=True, exist_ok=True)
    shots: list[Shot] = []

    def grab(index: int, name: str, review: tuple[str, ...] = ()) -> None:
        settle(app, kiosk.window)
        relative = folder / f"{index:02d}-{name}.png"
        kiosk.window.grab().save(str(out_dir / relative))
        shots.append(Shot(size, language, name, relative, review))
        progress.step(f"{language} {name}")

    kiosk.reset()
    kiosk.i18n.set_language(language)
    kiosk.navigator.screen("attract").show_prompt_in(language)
    grab(0, "attract")
    kiosk.start_session(language)
    grab(1, "home")
    for index, topic_id in enumerate(topic_ids, start=2):
        kiosk.navigator.open(topic_key(topic_id))
        grab(index, f"topic-{topic_id}", review_items(kiosk.services.library.get(topic_id)))
    kiosk.navigator.home()
    kiosk.idle_overlay.show_countdown(kiosk.settings.idle_warning_s)
    kiosk.idle_overlay.open()
    grab(len(topic_ids) + 2, "idle-overlay")
    kiosk.idle_overlay.hide()
    return shots


def contact_sheet(shots: list[Shot]) -> str:
    """The index page: open review notes first, then every screen, each topic with its notes beside it."""
    sections: list[str] = []
    groups: dict[tuple[tuple[int, int], str], list[Shot]] = {}
    for shot in shots:
        groups.setdefault((shot.size, shot.language), []).append(shot)
    for (size, language), group in groups.items():
        figures = "\n".join(_figure(s) for s in group)
        sections.append(f"<h2>{language} at {size[0]} x {size[1]}</h2>\n<div class=sheet>\n{figures}\n</div>")
    body = "\n".join(sections)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ALS kiosk: every screen</title>
<style>
body {{ font-family: sans-serif; margin: 24px; background: #f4f1ea; color: #1b2430; }}
.sheet {{ display: flex; flex-wrap: wrap; gap: 16px; }}
figure {{ margin: 0; width: 320px; }}
figure.review {{ width: 656px; display: flex; gap: 16px; }}
figure.review > a {{ flex: 0 0 320px; }}
img {{ width: 100%; border: 1px solid #6b7785; background: white; }}
figcaption {{ font-size: 14px; }}
.notes {{ background: #fff4d6; border-left: 4px solid #9a6700; padding: 8px 12px; }}
.notes ul {{ margin: 4px 0 0 0; padding-left: 18px; }}
</style></head>
<body><h1>ALS kiosk: every screen</h1>
{_open_notes(shots)}
{body}
</body></html>
"""


def _figure(shot: Shot) -> str:
    path = html.escape(shot.path.as_posix())
    image = f'<a href="{path}"><img src="{path}" alt="{html.escape(shot.name)}" loading="lazy"></a>'
    if not shot.review:
        return f"<figure>{image}<figcaption>{html.escape(shot.name)}</figcaption></figure>"
    items = "".join(f"<li>{html.escape(note)}</li>" for note in shot.review)
    return (
        f"<figure class=review>{image}<figcaption>{html.escape(shot.name)}"
        f"<div class=notes><b>Awaiting clinical review</b><ul>{items}</ul></div></figcaption></figure>"
    )


def _open_notes(shots: list[Shot]) -> str:
    """Every topic awaiting review once, with its notes, so a clinician can sign off from this page."""
    topics: dict[str, tuple[str, ...]] = {}
    for shot in shots:
        if shot.review:
            topics.setdefault(shot.name.removeprefix("topic-"), shot.review)
    if not topics:
        return "<p>No topic is awaiting clinical review.</p>"
    rows = "".join(
        f"<li><b>{html.escape(topic)}</b><ul>{''.join(f'<li>{html.escape(n)}</li>' for n in notes)}</ul></li>"
        for topic, notes in topics.items()
    )
    return f"<section class=notes><h2>Awaiting clinical review: {len(topics)} topic(s)</h2><ul>{rows}</ul></section>"
