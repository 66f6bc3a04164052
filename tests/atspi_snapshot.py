"""Print the accessibility tree a screen reader finds on home and on a topic, as compact indented text.

The real program on an Xvfb display with a private D-Bus session and the AT-SPI registry, read
with atspi_reader.py, as test_atspi.py does. For docs/accessibility-tree.md (before and after):

    .venv/bin/python tests/atspi_snapshot.py                      this checkout
    .venv/bin/python tests/atspi_snapshot.py --source ../pre17    another checkout's `kiosk` package

A visitor's way there: English on the attract screen, then the topic's tile. What the tree offers
no action for is clicked with xdotool at its place on the screen, as a finger would.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from test_atspi import READER, SYSTEM_PYTHON, AccessibleKiosk, Node, accessible_desktop, launch_kiosk

from conftest import stop_process

ATTRACT_PROMPT = "Touch your language to begin"  # gone once home is on show
SHOWN_STATES = ("focusable", "focused", "checkable", "checked", "selected", "modal")


def line(node: Node) -> str:
    """role "name" [states] (actions) locale, and a heading's level."""
    parts = [node.role]
    if node.name:
        parts.append(json.dumps(node.name[:70] + ("…" if len(node.name) > 70 else ""), ensure_ascii=False))
    states = [s for s in SHOWN_STATES if s in node.states]
    if "enabled" not in node.states and "sensitive" not in node.states:
        states.append("disabled")
    if states:
        parts.append(f"[{' '.join(states)}]")
    if node.actions:
        parts.append(f"({', '.join(node.actions)})")
    if "level" in node.attributes:
        parts.append(f"level={node.attributes['level']}")
    parts.append(node.locale or "-")
    return " ".join(parts)


def outline(node: Node, depth: int = 0) -> list[str]:
    return [f"{'  ' * depth}{line(node)}"] + [text for child in node.children for text in outline(child, depth + 1)]


def shows(tree: Node, name: str) -> bool:
    return any(node.name == name for node in tree.walk())


def press(kiosk: AccessibleKiosk, name: str) -> str:
    """Press the control named `name` through the tree if it offers Press; else click it. Says which."""
    for role in ("radio button", "push button"):
        found = subprocess.run(
            [SYSTEM_PYTHON, str(READER), str(kiosk.process.pid), "act", role, name, "Press"],
            env=kiosk.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if found.stdout.strip() == "true":
            return f"{role} {name!r}: Press action"
    for role in ("panel", "push button", "radio button", "check box", "label"):
        found = subprocess.run(
            [SYSTEM_PYTHON, str(READER), str(kiosk.process.pid), "where", role, name],
            env=kiosk.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        centre = json.loads(found.stdout or "null")
        if centre:
            x, y = centre
            subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], env=kiosk.env, check=True)
            return f"{role} {name!r}: no action in the tree, clicked at ({x}, {y})"
    raise SystemExit(f"nothing named {name!r} to press")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="a checkout whose kiosk package to run")
    parser.add_argument("--topic", default="Symptoms", help="the tile to open, by its English name")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, accessible_desktop(Path(folder)) as env:
        kiosk = launch_kiosk(env, Path(folder), source=args.source.resolve() if args.source else None)
        try:
            kiosk.wait_for(lambda t: shows(t, "English"), "the attract screen", 90)
            how = [press(kiosk, "English")]
            home = kiosk.wait_for(lambda t: shows(t, args.topic) and not shows(t, ATTRACT_PROMPT), "home", 60)
            how.append(press(kiosk, args.topic))
            topic = kiosk.wait_for(lambda t: shows(t, "Read this at home"), "the topic", 60)
            for title, tree in (("home", home), (f"topic {args.topic}", topic)):
                print(f"## {title}\n")
                print("```")
                print("\n".join(outline(tree)))
                print("```\n")
            print("How the script got there: " + "; ".join(how), file=sys.stderr)
        finally:
            stop_process(kiosk.process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
