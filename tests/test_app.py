"""The kiosk pays for what its attract screen needs and nothing else until that screen is painted."""

from __future__ import annotations

import subprocess
import sys

# A real start as far as the first frame (offscreen), twice: the second finds the i18n cache warm.
FIRST_FRAME = """
import sys
from pathlib import Path
from kiosk.config import Settings
from kiosk.runtime import run_kiosk  # noqa: F401 - the production import path
from PySide6.QtWidgets import QApplication
from kiosk.app import Kiosk
app = QApplication([])
kiosk = Kiosk(app, Settings(), data_dir=Path(sys.argv[1]), speech_worker=None)
kiosk.window.show_on(app.primaryScreen().geometry())
app.processEvents()
if "--warm-up" in sys.argv:  # and every screen built ahead
    kiosk.warm_up()
    kiosk.warm_up_work.build_ahead()
    kiosk.ahead.finish()
kiosk.i18n.cache.save()
print(sorted({m.split(".")[0] for m in sys.modules} | {m for m in sys.modules if m.startswith("kiosk.")}))
"""

NOT_BEFORE_THE_FIRST_FRAME = {
    "babel",  # catalogs and language names come from the i18n cache
    "markdown_it",  # content
    "segno",  # QR codes
    "sqlite3",  # statistics
    "socket",  # systemd (without $NOTIFY_SOCKET), logging.handlers
    "_hashlib",  # OpenSSL: content version, PIN hashing
    "kiosk.content.loader",
    "kiosk.content.model",
    "kiosk.screens.home",
    "kiosk.screens.topic",
    "kiosk.screens.overlay",
    "kiosk.screens.staff",
    "kiosk.stats",
    "kiosk.metrics",
    "kiosk.pin",
    "kiosk.widgets.qr",
}


def start(data_dir, *options: str) -> set[str]:
    """The modules a real start has imported at its first frame (or after its warm-up)."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(data_dir), *options],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    return set(eval(done.stdout))


def test_the_attract_screen_imports_no_content_qr_statistics_or_babel(tmp_path):
    modules = [start(tmp_path) for _ in range(2)]
    assert "babel" in modules[0]  # the first start fills the cache
    assert NOT_BEFORE_THE_FIRST_FRAME & modules[1] == set()


def test_unchanged_topics_are_read_without_markdown_it_and_their_qr_codes_without_segno(tmp_path):
    """markdown-it costs 20 ms in one piece and 3 MiB, segno with what it imports 20 ms and 7 MiB: only a
    start with new or edited topics needs them."""
    first, second = (start(tmp_path, "--warm-up") for _ in range(2))
    built = {"kiosk.content.loader", "kiosk.screens.home", "kiosk.screens.topic", "kiosk.widgets.qr"}
    assert {"markdown_it", "segno", "ssl", "urllib"} | built <= first
    assert {"markdown_it", "segno", "ssl", "email", "http"} & second == set() and built <= second
