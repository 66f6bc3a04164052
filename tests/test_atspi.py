"""The kiosk as assistive technology sees it: the real program, its real accessibility tree, real keys.

`python -m kiosk` runs on an Xvfb display with a private D-Bus session and the AT-SPI registry
(at-spi2-core), exactly as Orca or a switch-access tool would find it. The tree is read with the
Atspi bindings by `atspi_reader.py` under the system Python (the venv cannot import them), keys
come from xdotool. Without those programs the tests skip and say which Debian packages to install
(under CI they fail instead: CI must run them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import LIBRARY, PIN_HASH, background, msgstr, skip_or_fail_in_ci, stop_process, wait_until, x_env, xvfb

READER = Path(__file__).with_name("atspi_reader.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
SCREEN = (1920, 1080)
IDLE_TIMEOUT_S, IDLE_WARNING_S = 10, 120  # a long countdown: tree reads are slow on a busy machine
# What each missing piece is called in Debian, for the skip message.
NEEDS = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus-daemon",
    BUS_LAUNCHER: "at-spi2-core",
    "Atspi bindings": "python3-gi gir1.2-atspi-2.0",
}


def missing_packages() -> list[str]:
    missing = [package for tool, package in NEEDS.items() if tool != "Atspi bindings" and shutil.which(tool) is None]
    probe = "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"
    if (
        not os.path.exists(SYSTEM_PYTHON)
        or subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, timeout=30, check=False).returncode != 0
    ):
        missing.append(NEEDS["Atspi bindings"])
    return missing


@dataclass
class Node:
    role: str
    name: str
    description: str
    states: list[str]
    actions: list[str]
    locale: str
    attributes: dict[str, str]
    children: list[Node]

    @classmethod
    def parse(cls, data: dict) -> Node:
        return cls(**{**data, "children": [cls.parse(child) for child in data["children"]]})

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all(self, role: str) -> list[Node]:
        return [node for node in self.walk() if node.role == role]

    def one(self, role: str, name: str) -> Node:
        found = [node for node in self.all(role) if node.name == name]
        assert len(found) == 1, f"{len(found)} {role} named {name!r} in\n{self.outline()}"
        return found[0]

    def outline(self, depth: int = 0) -> str:
        marks = [s for s in self.states if s in ("checked", "focused", "focusable", "modal", "showing")]
        line = f"{'  ' * depth}{self.role} {self.name!r} {self.locale} {marks} {self.actions}"
        return "\n".join([line] + [child.outline(depth + 1) for child in self.children])


@dataclass
class AccessibleKiosk:
    process: subprocess.Popen
    env: dict[str, str]
    log: Path

    def tree(self) -> Node | None:
        """The tree of what is showing; None while the kiosk is not on the accessibility bus yet, or when an
        object went away while the tree was being read (a read takes many calls while the kiosk goes on)."""
        assert self.process.poll() is None, f"the kiosk stopped:\n{self.log_text()}"
        result = subprocess.run(
            [SYSTEM_PYTHON, str(READER), str(self.process.pid), "tree"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 and "No such object path" in result.stderr:
            return None
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        return Node.parse(data) if data is not None else None

    def wait_for(self, looks_right: Callable[[Node], object], what: str, timeout_s: float = 60) -> Node:
        trees: list[Node] = []

        def check() -> object:
            tree = self.tree()
            trees[:] = [tree] if tree is not None else []
            return tree is not None and looks_right(tree)

        if not wait_until(check, timeout_s, 0.3):
            pytest.fail(f"the tree never showed {what}:\n{trees[0].outline() if trees else ''}\n{self.log_text()}")
        return trees[0]

    def act(self, role: str, name: str, action: str) -> None:
        result = subprocess.run(
            [SYSTEM_PYTHON, str(READER), str(self.process.pid), "act", role, name, action],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.stdout.strip() == "true", f"no {role} {name!r} with {action}: {result.stderr}"

    def key(self, *keys: str) -> None:
        subprocess.run(["xdotool", "key", "--delay", "80", *keys], env=self.env, check=True, timeout=30)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


@contextmanager
def accessible_desktop(logs: Path) -> Iterator[dict[str, str]]:
    """An X display, a private D-Bus session and the AT-SPI bus on it; the environment to run programs on it."""
    with xvfb(SCREEN, logs / "xvfb.log") as display:
        started: list[subprocess.Popen] = []
        try:
            bus = background(
                ["dbus-daemon", "--session", "--nofork", "--print-address=1"], logs / "dbus.log", stdout=True
            )
            started.append(bus)
            address = bus.stdout.readline().strip()
            assert address, "dbus-daemon gave no address"
            env = x_env(display, DBUS_SESSION_BUS_ADDRESS=address, NO_AT_BRIDGE="0")
            started.append(background([BUS_LAUNCHER, "--launch-immediately"], logs / "at-spi.log", env=env))
            yield env
        finally:
            for process in reversed(started):
                stop_process(process)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory) -> Iterator[dict[str, str]]:
    """An empty accessible desktop for one module."""
    missing = missing_packages()
    if missing:
        skip_or_fail_in_ci(f"AT-SPI tests need the Debian packages: {' '.join(missing)}")
    with accessible_desktop(tmp_path_factory.mktemp("desktop")) as env:
        yield env


def launch_kiosk(
    env: dict[str, str], folder: Path, idle_timeout_s: int = 600, source: Path | None = None
) -> AccessibleKiosk:
    """The real program on the accessible desktop `env`, in kiosk mode, its files in `folder`.
    `source`: run the `kiosk` package of that checkout instead (another commit, for comparison)."""
    config = folder / "kiosk.toml"
    config.write_text(
        f'fullscreen = true\ndata_dir = "{folder / "data"}"\nstaff_pin_hash = "{PIN_HASH}"\n'
        f"idle_timeout_s = {idle_timeout_s}\nidle_warning_s = {IDLE_WARNING_S}\n",
        encoding="utf-8",
    )
    env = {**env, "QT_QPA_PLATFORM": "xcb", "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}
    log = folder / "kiosk.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(config)],
            env=env,
            cwd=source,
            stdout=stderr,
            stderr=stderr,
            start_new_session=True,
        )
    return AccessibleKiosk(process, env, log)


@pytest.fixture
def start_kiosk(desktop, tmp_path) -> Iterator[Callable[..., AccessibleKiosk]]:
    """`start_kiosk(idle_timeout_s=...)`: the real program on the desktop; stopped at teardown."""
    started: list[AccessibleKiosk] = []

    def start(idle_timeout_s: int = 600) -> AccessibleKiosk:
        started.append(launch_kiosk(desktop, tmp_path, idle_timeout_s))
        return started[-1]

    yield start
    for kiosk in started:
        stop_process(kiosk.process)


def frame(tree: Node) -> Node:
    frames = tree.all("frame")
    assert len(frames) == 1, tree.outline()
    return frames[0]


def focused(tree: Node) -> Node | None:
    found = [node for node in tree.walk() if "focused" in node.states and node.role != "frame"]
    return found[0] if found else None


def test_attract_screen_and_home_through_the_tree_alone(start_kiosk):
    kiosk = start_kiosk()
    tree = kiosk.wait_for(lambda t: len(t.all("radio button")) >= 6, "the attract screen")
    window = frame(tree)
    assert window.name == "Learn about ALS: Touch your language to begin" and window.locale == "en_US"
    assert tree.one("heading", "Learn about ALS")
    languages = tree.one("panel", "Language")
    radios = languages.all("radio button")
    assert [(r.name, r.locale, "checked" in r.states) for r in radios] == [
        ("English", "en_US", True),
        ("Français", "fr_FR", False),
        ("Deutsch", "de_DE", False),
        ("Italiano", "it_IT", False),
        ("Português", "pt_BR", False),
        ("Русский", "ru_RU", False),
    ]
    assert all("focusable" in r.states and "Press" in r.actions for r in radios)
    sizes = tree.one("panel", "Text size").all("radio button")
    assert [s.name for s in sizes] == ["A Normal text", "A+ Large text", "A++ Largest text"]
    for name in ("High contrast", "Switch access"):
        toggle = tree.one("check box", name)
        assert "checkable" in toggle.states and "Toggle" in toggle.actions
    assert not [n for n in tree.walk() if n.role == "image"]  # no unnamed pictures

    kiosk.act("radio button", "Русский", "Press")  # a screen reader user picks Russian
    tree = kiosk.wait_for(lambda t: frame(t).locale == "ru_RU" and t.all("push button"), "home in Russian")
    assert frame(tree).name == f"{msgstr('ru', 'Home')}: {msgstr('ru', 'Learn about ALS')}"
    tiles = tree.all("push button")
    assert len(tiles) == len(LIBRARY.top_level)
    assert all(t.locale == "ru_RU" and "Press" in t.actions and not t.children for t in tiles)
    assert tree.one("heading", "Узнайте о БАС").locale == "ru_RU"
    assert "checked" in tree.one("radio button", "Русский").states
    texts = [n for n in tree.walk() if n.role in ("label", "heading", "push button", "list item") and n.name]
    other_languages = ("English", "Français", "Deutsch", "Italiano", "Português")  # each in its own
    assert {n.locale for n in texts if n.name not in other_languages} == {"ru_RU"}

    care = msgstr("ru", "Care for ALS at Rush")
    kiosk.act("push button", care, "Press")  # the care cards, below the fold even on a full HD screen
    tree = kiosk.wait_for(lambda t: frame(t).name.startswith(care), "the care topic in Russian")
    navigation = {msgstr("ru", word) for word in ("Back", "Home", "Next")}
    cards = [n for n in tree.all("push button") if n.name not in navigation]
    assert len(cards) == len(LIBRARY.children("care-at-rush"))
    assert all(c.locale == "ru_RU" and "Press" in c.actions and "focusable" in c.states for c in cards)
    assert tree.one("label", msgstr("ru", "More below")).locale == "ru_RU"  # the sign is read, without its arrow


def test_keys_alone_open_a_topic_whose_tree_has_headings_and_lists(start_kiosk):
    kiosk = start_kiosk()
    kiosk.wait_for(lambda t: len(t.all("radio button")) >= 6, "the attract screen")
    kiosk.key("Tab")  # real X key events, through the X server, as a keyboard sends them
    tree = kiosk.wait_for(lambda t: focused(t) is not None, "a focused control")
    assert focused(tree).name == "English"
    kiosk.key("Return")
    tree = kiosk.wait_for(lambda t: frame(t).name.startswith("Home"), "home")
    tiles = [t.name for t in tree.all("push button")]
    tree = kiosk.wait_for(lambda t: focused(t) is not None, "the focus on home")
    assert focused(tree).name == tiles[0]  # the focus follows the visitor to the new screen's first topic
    kiosk.key("Tab")
    tree = kiosk.wait_for(lambda t: focused(t) is not None and focused(t).name == tiles[1], "the second topic focused")
    kiosk.key("space")
    tree = kiosk.wait_for(lambda t: frame(t).name.startswith(tiles[1]), f"the topic {tiles[1]}")
    headings = tree.all("heading")
    assert headings[0].name == tiles[1] and headings[0].attributes.get("level") == "1"
    assert {h.attributes.get("level") for h in headings[1:]} == {"2"}
    lists = tree.all("list")
    assert lists and all(item.role == "list item" and item.name for item in lists[0].children)
    assert not [n for n in tree.walk() if n.name in ("•", "–")]


def test_still_there_is_an_alert_that_takes_the_focus(start_kiosk):
    kiosk = start_kiosk(idle_timeout_s=IDLE_TIMEOUT_S)
    kiosk.wait_for(lambda t: len(t.all("radio button")) >= 6, "the attract screen")
    kiosk.act("radio button", "English", "Press")
    kiosk.wait_for(lambda t: t.all("alert"), "the Still there? alert", timeout_s=IDLE_TIMEOUT_S + 20)

    def behind(tree: Node) -> list[Node]:
        return [n for n in tree.walk() if n.role == "push button" and n.name not in ("Keep reading", "Start over")]

    # A read of the whole tree takes many calls while the kiosk goes on: the first read that has the alert
    # may have read the screen behind it a moment before it opened. Nothing behind it stays reachable.
    tree = kiosk.wait_for(
        lambda t: t.all("alert") and behind(t) and not [n for n in behind(t) if "enabled" in n.states],
        "nothing behind the alert within reach",
    )
    alert = tree.one("alert", "Still there?")
    assert "modal" in alert.states
    assert focused(tree).name == "Keep reading"
    kiosk.key("Tab")
    tree = kiosk.wait_for(lambda t: focused(t) is not None and focused(t).name == "Start over", "Tab inside the alert")
    kiosk.key("Tab")
    tree = kiosk.wait_for(lambda t: focused(t) is not None and focused(t).name == "Keep reading", "Tab going round")
    kiosk.key("Return")
    kiosk.wait_for(lambda t: not t.all("alert"), "the alert gone")
