"""The real program on a real X server: Xvfb, input from xdotool, and screenshots of the whole screen.

`python -m kiosk --config kiosk.toml` runs as a subprocess, full screen on a 1920 x 1080 Xvfb, exactly as
on a kiosk (minus the window manager: a close request is sent the way a window manager sends it).
Screenshots are taken with `xwd` (Debian package x11-apps) when it is there, else with a small Qt
program, and saved as PNG in the test's tmp folder. Without Xvfb or xdotool the tests skip, except
under CI (the CI variable set), where they fail: CI must not skip them silently.
"""

from __future__ import annotations

import array
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from kiosk.pin import hash_pin

from conftest import skip_or_fail_in_ci, stop_process, wait_until, x_env, xvfb

SCREEN_W, SCREEN_H = 1920, 1080
IDLE_TIMEOUT_S, IDLE_WARNING_S = 10, 20
BACKGROUND = 0xFFF4F1EA  # the normal theme's background: the attract screen's corners
SURFACE = 0xFFFFFFFF  # header, navigation bar, buttons and tiles
ACCENT = 0xFF1D5A87  # the current language's button
SOFT = 0xFFDDE8F0  # the backdrop of the attract screen's illustration, drawn once the first frame is up
KIOSK_CORNERS = {BACKGROUND, SURFACE}
START_TIMEOUT_S = 60


def require_tools() -> None:
    missing = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if missing:
        skip_or_fail_in_ci(
            f"real-window tests need {' and '.join(missing)} (bash deploy/install-system-deps.sh --test)"
        )


@pytest.fixture(scope="module")
def display(tmp_path_factory) -> Iterator[str]:
    require_tools()
    with xvfb((SCREEN_W, SCREEN_H), tmp_path_factory.mktemp("xvfb") / "xvfb.log") as name:
        yield name


# -- screenshots --------------------------------------------------------------------------------

GRAB_SCRIPT = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
"""


def xwd_to_image(data: bytes) -> QImage:
    """An XWD dump (X Window Dump, ZPixmap, 24 or 32 bits per pixel) as a QImage."""
    fields = struct.unpack(">25I", data[:100])  # the header is big-endian 32-bit fields
    header_size, _version, pixmap_format, _depth, width, height = fields[:6]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    red_mask, ncolors = fields[14], fields[19]
    assert pixmap_format == 2 and bits_per_pixel in (24, 32) and red_mask == 0xFF0000, f"unexpected XWD {fields}"
    offset = header_size + 12 * ncolors  # an XWDColor is 12 bytes
    pixels = data[offset : offset + bytes_per_line * height]
    assert len(pixels) == bytes_per_line * height, "the XWD file is cut short"
    if bits_per_pixel == 32:
        if (byte_order == 0) != (sys.byteorder == "little"):  # 0 is LSBFirst
            words = array.array("I", pixels)
            words.byteswap()
            pixels = words.tobytes()
        image_format = QImage.Format.Format_RGB32
    else:
        image_format = QImage.Format.Format_BGR888 if byte_order == 0 else QImage.Format.Format_RGB888
    return QImage(pixels, width, height, bytes_per_line, image_format).copy()


def grab_screen(display: str, path: Path) -> QImage:
    """The whole X screen, saved to `path` as PNG."""
    if shutil.which("xwd"):
        command = ["xwd", "-root", "-silent", "-display", display]
        dump = subprocess.run(command, capture_output=True, timeout=30, check=True)
        image = xwd_to_image(dump.stdout)
        assert image.save(str(path)), f"cannot save {path}"
        return image
    subprocess.run(
        [sys.executable, "-c", GRAB_SCRIPT, str(path)],
        env=x_env(display, QT_QPA_PLATFORM="xcb"),
        capture_output=True,
        timeout=60,
        check=True,
    )
    return QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)


def share(image: QImage, colour: int, rect: QRect | None = None) -> float:
    """Fraction of the pixels of `rect` (the whole image by default) that are exactly `colour`."""
    part = (image.copy(rect) if rect is not None else image).convertToFormat(QImage.Format.Format_RGB32)
    pixels = array.array("I", bytes(part.constBits()))  # RGB32: one native 0xffRRGGBB word a pixel
    return pixels.count(colour) / max(1, part.width() * part.height())


TOP_BAND = QRect(0, 0, SCREEN_W, 100)  # the header on every screen but the attract screen


def corners(image: QImage) -> set[int]:
    w, h = image.width(), image.height()
    return {image.pixel(x, y) for x, y in ((0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1))}


def covers_screen(image: QImage) -> bool:
    return (image.width(), image.height()) == (SCREEN_W, SCREEN_H) and corners(image) <= KIOSK_CORNERS


def is_attract(image: QImage) -> bool:
    """Background to the edges, no header, one filled (current) language button, and the illustration."""
    return (
        corners(image) == {BACKGROUND}
        and share(image, BACKGROUND, TOP_BAND) == 1.0
        and share(image, ACCENT) > 0.005
        and share(image, SOFT) > 0.01
    )


def has_header(image: QImage) -> bool:
    return covers_screen(image) and share(image, SURFACE, TOP_BAND) > 0.5


def dark(argb: int) -> bool:
    return max((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF) < 110


def is_dimmed(image: QImage) -> bool:
    """The "Still there?" overlay: a dark scrim over everything but its card."""
    return dark(image.pixel(0, SCREEN_H - 1)) and dark(image.pixel(SCREEN_W - 1, SCREEN_H - 1))


# -- the real program ---------------------------------------------------------------------------


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


def send_close_request(display: str, window: int) -> None:
    """What a window manager sends for Alt+F4 or a title bar's x: WM_PROTOCOLS / WM_DELETE_WINDOW."""
    xlib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
    xlib.XFlush.argtypes = xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    connection = xlib.XOpenDisplay(display.encode())
    assert connection, f"cannot open display {display}"
    try:
        event = XEvent()
        message = event.xclient
        message.type = 33  # ClientMessage
        message.send_event = 1
        message.display = connection
        message.window = window
        message.message_type = xlib.XInternAtom(connection, b"WM_PROTOCOLS", 0)
        message.format = 32
        message.data[0] = xlib.XInternAtom(connection, b"WM_DELETE_WINDOW", 0)
        assert xlib.XSendEvent(connection, window, 0, 0, ctypes.byref(event)), "XSendEvent failed"
        xlib.XFlush(connection)
    finally:
        xlib.XCloseDisplay(connection)


@dataclass
class RealKiosk:
    process: subprocess.Popen
    display: str
    log: Path
    data: Path
    shots: Path
    systemd: socket.socket  # what the kiosk tells systemd (sd_notify) arrives here
    window: int = 0
    shot_count: int = 0

    def notifications(self) -> list[str]:
        received = []
        while True:
            try:
                received.append(self.systemd.recv(4096).decode())
            except BlockingIOError:
                return received

    def metrics(self) -> str:
        return (self.data / "kiosk.prom").read_text(encoding="utf-8")

    def xdotool(self, *args: object, check: bool = True) -> str:
        result = subprocess.run(
            ["xdotool", *map(str, args)], env=x_env(self.display), capture_output=True, text=True, timeout=30
        )
        assert not check or result.returncode == 0, f"xdotool {args}: {result.stderr}"
        return result.stdout

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def windows(self) -> list[int]:
        """The process's visible top-level windows (a menu or dialog would be one more)."""
        return [int(w) for w in self.xdotool("search", "--onlyvisible", "--pid", self.process.pid, check=False).split()]

    def geometry(self) -> tuple[int, int, int, int]:
        values = dict(line.split("=", 1) for line in self.xdotool("getwindowgeometry", "--shell", self.window).split())
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def wait_for_log(self, text: str, count: int = 1, timeout_s: float = 20) -> None:
        if not wait_until(lambda: self.log_text().count(text) >= count or not self.alive(), timeout_s):
            pytest.fail(f"the log does not say {text!r} ({count} times):\n{self.log_text()[-3000:]}")
        assert self.alive(), f"the kiosk stopped:\n{self.log_text()[-3000:]}"
        assert self.log_text().count(text) >= count

    def screenshot(self, name: str) -> QImage:
        self.shot_count += 1
        return grab_screen(self.display, self.shots / f"{self.shot_count:02d}-{name}.png")

    def wait_for_screen(self, name: str, looks_right: Callable[[QImage], bool], timeout_s: float = 20) -> QImage:
        """Screenshots until one looks right (the kiosk draws at its own pace); that one is kept as `name`."""
        path = self.shots / f"{self.shot_count + 1:02d}-{name}.png"
        found: list[QImage] = []

        def grab() -> bool:
            found[:] = [grab_screen(self.display, path)]
            return looks_right(found[0])

        if not wait_until(grab, timeout_s, 0.2):
            pytest.fail(f"the screen never looked like {name}: see {path}\n{self.log_text()[-2000:]}")
        self.shot_count += 1
        return found[0]

    def click(self, x: int, y: int, button: int = 1) -> None:
        self.xdotool("mousemove", x, y, "click", button)

    def long_press(self, x: int, y: int, seconds: float = 1.5) -> None:
        self.xdotool("mousemove", x, y, "mousedown", 1)
        time.sleep(seconds)
        self.xdotool("mouseup", 1)

    def drag(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        (x0, y0), (x1, y1) = start, end
        steps = [(x0 + (x1 - x0) * i // 6, y0 + (y1 - y0) * i // 6) for i in range(1, 7)]
        args: list[object] = ["mousemove", x0, y0, "mousedown", 1]
        for x, y in steps:
            args += ["mousemove", x, y, "sleep", 0.03]
        self.xdotool(*args, "mouseup", 1)

    def key(self, combo: str) -> None:
        self.xdotool("key", combo)

    def assert_still_there(self, after: str, looks_right: Callable[[QImage], bool]) -> None:
        """Running, full screen at 0,0, alone on the screen (no menu, no dialog), and showing what it showed."""
        assert self.alive(), f"the kiosk stopped after {after}:\n{self.log_text()[-3000:]}"
        assert self.geometry() == (0, 0, SCREEN_W, SCREEN_H), f"after {after}"
        assert self.windows() == [self.window], f"after {after}: a menu or another window opened"
        path = self.shots / f"{self.shot_count + 1:02d}-after-{after.replace(' ', '-').replace('+', '-')}.png"
        image = self.screenshot(path.stem[3:])
        assert covers_screen(image), f"after {after}: the screen's corners are {[hex(c) for c in corners(image)]}"
        assert looks_right(image), f"after {after}: the screen changed, see {path}"


STAFF_PIN = "2468"


@pytest.fixture
def real_kiosk(display, tmp_path, qapp) -> Iterator[RealKiosk]:
    data, shots = tmp_path / "data", tmp_path / "screenshots"
    shots.mkdir()
    config = tmp_path / "kiosk.toml"
    data.mkdir()
    config.write_text(
        f'fullscreen = true\nhide_cursor = true\ndata_dir = "{data}"\nstaff_pin_hash = "{hash_pin(STAFF_PIN)}"\n'
        f'metrics_file = "{data / "kiosk.prom"}"\n'
        f'idle_timeout_s = {IDLE_TIMEOUT_S}\nidle_warning_s = {IDLE_WARNING_S}\nlog_level = "INFO"\n',
        encoding="utf-8",
    )
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(tmp_path / "notify.sock"))
    systemd.setblocking(False)
    empty = grab_screen(display, shots / "00-no-kiosk-yet.png")
    assert not covers_screen(empty), "the bare X screen must not pass for the kiosk, or the checks prove nothing"
    log = tmp_path / "kiosk-stderr.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(config)],
            env=x_env(display, QT_QPA_PLATFORM="xcb", ALS_KIOSK_CONFIG="", NOTIFY_SOCKET=str(tmp_path / "notify.sock")),
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    kiosk = RealKiosk(process, display, log, data, shots, systemd)
    try:
        if not wait_until(lambda: kiosk.windows() or not kiosk.alive(), START_TIMEOUT_S, 0.2) or not kiosk.alive():
            pytest.fail(f"no kiosk window appeared:\n{kiosk.log_text()[-3000:]}")
        kiosk.window = kiosk.windows()[0]
        # No window manager gives it the keyboard: focus it as a window manager would.
        kiosk.xdotool("windowfocus", kiosk.window, check=False)
        wait_until(lambda: kiosk.xdotool("getwindowfocus", check=False).strip() == str(kiosk.window), 10)
        yield kiosk
    finally:
        stop_process(process)
        systemd.close()


# -- where things are: the same layout, offscreen --------------------------------------------

LAYOUT_SCRIPT = """
import json, sys
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from kiosk.app import Kiosk
from kiosk.config import Settings
app = QApplication(sys.argv[:1])
kiosk = Kiosk(app, Settings(), kiosk_mode=False, data_dir=None, speech_worker=None)
kiosk.window.show_on(QRect(0, 0, 1920, 1080))
kiosk.warm_up()

def settle():
    for _ in range(5):
        app.processEvents()

def rect(widget):
    top_left = widget.mapTo(kiosk.window, widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]

settle()
layout = {"attract": {k: rect(b) for k, b in kiosk.navigator.screen("attract").languages.buttons.items()}}
kiosk.start_session("fr")
settle()
layout["tiles"] = {t.topic_id: rect(t) for t in kiosk.navigator.screen("home").grid.tiles}
layout["header"] = {k: rect(b) for k, b in kiosk.header.languages.buttons.items()}
kiosk.open_topic("symptoms")
settle()
topic = kiosk.navigator.screen("topic:symptoms")
layout["topic"] = {"fr": {"qr": rect(topic.qr), "title": rect(topic.title)}}
kiosk.choose_language("de")
settle()
layout["topic"]["de"] = {"qr": rect(topic.qr), "title": rect(topic.title)}
kiosk.shutdown()
print(json.dumps(layout))
"""


@pytest.fixture(scope="module")
def layout() -> dict:
    """Widget rectangles at 1920 x 1080, from the same layout run offscreen (fonts are bundled)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ALS_KIOSK_CONFIG="")
    result = subprocess.run([sys.executable, "-c", LAYOUT_SCRIPT], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def centre(rect: list[int], dy: int = 0) -> tuple[int, int]:
    x, y, w, h = rect
    return x + w // 2, y + h // 2 + dy


def qrect(rect: list[int]) -> QRect:
    return QRect(*rect)


# -- the tests ----------------------------------------------------------------------------------

# Spots with nothing under them on the attract and home screens (background, below everything).
EMPTY_SPOT = (1700, 1000)


def escape_attempts(kiosk: RealKiosk, tile: tuple[int, int]) -> list[tuple[str, Callable[[], None]]]:
    return [
        ("alt+F4", lambda: kiosk.key("alt+F4")),
        ("ctrl+q", lambda: kiosk.key("ctrl+q")),
        ("ctrl+w", lambda: kiosk.key("ctrl+w")),
        ("Escape", lambda: kiosk.key("Escape")),
        ("F11", lambda: kiosk.key("F11")),
        ("super", lambda: kiosk.key("super")),
        ("right-click", lambda: kiosk.click(*tile, button=3)),
        ("long press", lambda: kiosk.long_press(*EMPTY_SPOT, 1.5)),
        ("drag", lambda: kiosk.drag(EMPTY_SPOT, (900, 700))),
        ("close request", lambda: send_close_request(kiosk.display, kiosk.window)),
    ]


def test_a_visitor_cannot_leave_the_kiosk(real_kiosk: RealKiosk, layout: dict) -> None:
    kiosk = real_kiosk
    kiosk.wait_for_screen("attract", is_attract)
    assert kiosk.geometry() == (0, 0, SCREEN_W, SCREEN_H)

    # On the attract screen: every way out, then a tap that must still start a session. X delivers
    # input in order, so once the log shows the session, the kiosk has handled every attempt before it.
    for name, attempt in escape_attempts(kiosk, centre(layout["attract"]["de"])):
        attempt()
        kiosk.assert_still_there(f"{name} on the attract screen", is_attract)
    kiosk.click(*centre(layout["attract"]["fr"], dy=-40))
    kiosk.wait_for_log("session started in fr")
    kiosk.wait_for_screen("home", has_header)

    # During a visit: each attempt, then a language switch to prove the kiosk handled it and still answers.
    switches = {"de": 0, "it": 0}
    for number, (name, attempt) in enumerate(escape_attempts(kiosk, centre(layout["tiles"]["symptoms"]))):
        attempt()
        language = "de" if number % 2 == 0 else "it"
        switches[language] += 1
        kiosk.click(*centre(layout["header"][language]))
        kiosk.wait_for_log(f"language changed to {language}", count=switches[language])
        kiosk.assert_still_there(f"{name} during a visit", has_header)
    assert "Traceback" not in kiosk.log_text()


def counted(db: Path, metric: str, language: str, item: str = "") -> int:
    conn = sqlite3.connect(db, timeout=5)
    try:
        row = conn.execute(
            "SELECT COALESCE(SUM(count), 0) FROM totals WHERE metric = ? AND language = ? AND item = ?",
            (metric, language, item),
        ).fetchone()
        return row[0]
    finally:
        conn.close()


def settled(looks_right: Callable[[QImage], bool]) -> Callable[[QImage], bool]:
    """Looks right, and the same as the screenshot before: a screen laid out over several frames is done."""
    previous: list[QImage] = []

    def check(image: QImage) -> bool:
        same = bool(previous) and previous[0] == image
        previous[:] = [image]
        return same and looks_right(image)

    return check


def test_a_visit_from_the_attract_screen_and_back(real_kiosk: RealKiosk, layout: dict) -> None:
    kiosk = real_kiosk
    attract = kiosk.wait_for_screen("attract", is_attract)

    # Français, found where the offscreen layout puts it (the attract screen drifts a few pixels).
    french = centre(layout["attract"]["fr"], dy=-40)  # above the label, on the button's face
    assert attract.pixel(*french) == SURFACE, f"no language button at {french}"
    kiosk.click(*french)
    kiosk.wait_for_log("session started in fr")
    home = kiosk.wait_for_screen("home-fr", has_header)
    assert share(attract, SURFACE, TOP_BAND) == 0 and share(home, SURFACE, TOP_BAND) > 0.5

    # A topic tile.
    kiosk.click(*centre(layout["tiles"]["symptoms"]))
    content = QRect(0, 120, SCREEN_W, 700)
    topic_fr = kiosk.wait_for_screen("topic-fr", settled(lambda image: image.copy(content) != home.copy(content)))
    assert wait_until(lambda: counted(kiosk.data / "usage.sqlite3", "topic_views", "fr", "symptoms") == 1, 10)

    # Another language from the header: the text changes, the QR code (the same address) does not.
    kiosk.click(*centre(layout["header"]["de"]))
    kiosk.wait_for_log("language changed to de")
    fr, de = layout["topic"]["fr"], layout["topic"]["de"]
    # The new text is laid out over more than one frame: wait for the one that shows it all.
    kiosk.wait_for_screen(
        "topic-de-with-the-same-qr-code",
        lambda image: (
            image.copy(qrect(de["title"])) != topic_fr.copy(qrect(fr["title"]))
            and image.copy(qrect(de["qr"])) == topic_fr.copy(qrect(fr["qr"]))
        ),
    )
    assert share(topic_fr, SURFACE, qrect(fr["qr"])) > 0.3  # it is a QR code, not background

    # The visitor walks away: "Still there?" after 10 s, the attract screen 20 s later.
    kiosk.wait_for_screen("still-there", is_dimmed, timeout_s=IDLE_TIMEOUT_S + 20)
    kiosk.wait_for_log("session reset", timeout_s=60)
    again = kiosk.wait_for_screen("attract-again", is_attract)
    assert abs(share(again, BACKGROUND) - share(attract, BACKGROUND)) < 0.01
    english = centre(layout["attract"]["en"], dy=-40)  # on the button's face, as Français above
    assert again.pixel(*english) == ACCENT, "English is current again"
    assert kiosk.alive() and "Traceback" not in kiosk.log_text()


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_ends_the_visit_as_the_staff_exit_does(
    real_kiosk: RealKiosk, layout: dict, signal_number
) -> None:
    """systemctl stop/restart sends SIGTERM, Ctrl+C SIGINT: the visit is recorded, systemd and the metrics told."""
    kiosk = real_kiosk
    kiosk.wait_for_screen("attract", is_attract)
    kiosk.click(*centre(layout["attract"]["fr"], dy=-40))
    kiosk.wait_for_log("session started in fr")
    assert wait_until(lambda: "READY=1" in kiosk.notifications(), 10)

    kiosk.process.send_signal(signal_number)
    assert kiosk.process.wait(timeout=30) == 0, kiosk.log_text()[-3000:]
    log = kiosk.log_text()
    assert f"stopping on {signal.Signals(signal_number).name}" in log
    assert "session reset after" in log and "stopped with exit code 0" in log
    assert "STOPPING=1" in kiosk.notifications()
    assert "als_kiosk_session_active 0" in kiosk.metrics() and "als_kiosk_sessions_total 1" in kiosk.metrics()
    assert counted(kiosk.data / "usage.sqlite3", "sessions", "fr") == 1
    lengths = (
        sqlite3.connect(kiosk.data / "usage.sqlite3")
        .execute("SELECT SUM(count) FROM totals WHERE metric = 'session_length'")
        .fetchone()[0]
    )
    assert lengths == 1, "the visit's length was not recorded"
    assert "Traceback" not in log
    # The log file, opened after the first frame, holds the whole run from its first line.
    lines = (kiosk.data / "logs" / "kiosk.log").read_text(encoding="utf-8").splitlines()
    assert "INFO kiosk.runtime: starting als-kiosk with" in lines[0] and "stopped with exit code 0" in lines[-1]


def test_ctrl_c_stops_a_windowed_kiosk(tmp_path) -> None:
    """In a terminal, offscreen: no input ever arrives to run Python's own SIGINT handler."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(tmp_path / "notify.sock"))
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", ALS_KIOSK_CONFIG="", NOTIFY_SOCKET=str(tmp_path / "notify.sock")
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--windowed", "--config", str(config)],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        systemd.settimeout(START_TIMEOUT_S)
        assert systemd.recv(4096) == b"READY=1"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0, stderr.decode()[-3000:]
        assert b"stopping on SIGINT" in stderr and b"Traceback" not in stderr
    finally:
        stop_process(process)
        systemd.close()


class OtherClient:
    """Another X client, as hostile as any: its own full-screen window on top, and requests on the kiosk's."""

    def __init__(self, display: str) -> None:
        xlib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        xlib.XOpenDisplay.restype = ctypes.c_void_p
        xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
        xlib.XDefaultRootWindow.restype = ctypes.c_ulong
        xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        xlib.XCreateSimpleWindow.restype = ctypes.c_ulong
        xlib.XCreateSimpleWindow.argtypes = (
            [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_int] * 2 + [ctypes.c_uint] * 3 + [ctypes.c_ulong] * 2
        )
        for name in ("XMapRaised", "XLowerWindow", "XDestroyWindow"):
            getattr(xlib, name).argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        xlib.XQueryTree.argtypes = (
            [ctypes.c_void_p, ctypes.c_ulong]
            + [ctypes.POINTER(ctypes.c_ulong)] * 2
            + [
                ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
                ctypes.POINTER(ctypes.c_uint),
            ]
        )
        xlib.XFree.argtypes = [ctypes.c_void_p]
        xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.xlib = xlib
        self.connection = xlib.XOpenDisplay(display.encode())
        assert self.connection, f"cannot open display {display}"
        self.root = xlib.XDefaultRootWindow(self.connection)
        self.windows: list[int] = []

    def cover_the_screen(self) -> int:
        """A red window over the whole screen, mapped on top of the stack."""
        window = self.xlib.XCreateSimpleWindow(self.connection, self.root, 0, 0, SCREEN_W, SCREEN_H, 0, 0, 0xFF0000)
        self.xlib.XMapRaised(self.connection, window)
        self.xlib.XSync(self.connection, 0)
        self.windows.append(window)
        return window

    def lower(self, window: int) -> None:
        self.xlib.XLowerWindow(self.connection, window)
        self.xlib.XSync(self.connection, 0)

    def stacking(self) -> list[int]:
        """The root's children, bottom to top."""
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children, count = ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        assert self.xlib.XQueryTree(self.connection, self.root, root, parent, ctypes.byref(children), count)
        try:
            return [children[i] for i in range(count.value)]
        finally:
            if children:
                self.xlib.XFree(children)

    def close(self) -> None:
        for window in self.windows:
            self.xlib.XDestroyWindow(self.connection, window)
        self.xlib.XCloseDisplay(self.connection)


def test_the_window_comes_back_when_another_program_moves_resizes_lowers_or_unmaps_it(real_kiosk: RealKiosk) -> None:
    kiosk = real_kiosk
    kiosk.wait_for_screen("attract", is_attract)
    other = OtherClient(kiosk.display)
    kiosk.xdotool("sleep", 1)  # the guard notes where the window belongs on its first round
    took: dict[str, float] = {}

    def comes_back(what: str, is_back: Callable[[], bool]) -> None:
        started = time.monotonic()
        assert wait_until(is_back, 10, 0.02), f"the window did not come back after it was {what}"
        took[what] = time.monotonic() - started

    def in_place() -> bool:
        return kiosk.windows() == [kiosk.window] and kiosk.geometry() == (0, 0, SCREEN_W, SCREEN_H)

    def on_top() -> bool:
        return other.stacking()[-1] == kiosk.window

    try:
        kiosk.xdotool("windowmove", kiosk.window, 300, 200)
        comes_back("moved", in_place)
        kiosk.xdotool("windowsize", kiosk.window, 640, 480)
        comes_back("resized", in_place)
        kiosk.xdotool("windowunmap", kiosk.window)
        comes_back("unmapped", in_place)
        red = other.cover_the_screen()
        assert other.stacking()[-1] == red
        comes_back("covered", on_top)
        other.lower(kiosk.window)
        comes_back("lowered", on_top)
        kiosk.assert_still_there("moves, resizes, an unmap and a window on top", is_attract)
    finally:
        other.close()
    print("window restored after " + ", ".join(f"{what}: {seconds:.2f} s" for what, seconds in took.items()))
    assert "Traceback" not in kiosk.log_text()
