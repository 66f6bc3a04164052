"""Read (and act on) a running program's accessibility tree as a screen reader does, over AT-SPI.

Runs under the system Python (/usr/bin/python3), which has the Atspi bindings (Debian packages
python3-gi and gir1.2-atspi-2.0); the project's venv cannot import them. The test harness starts
it as a subprocess on the test's private D-Bus session and reads its JSON from stdout:

    python3 atspi_reader.py PID tree             the tree of what is showing, as JSON
    python3 atspi_reader.py PID act ROLE NAME ACTION
                                                 perform ACTION ("Press", "Toggle") on the first
                                                 showing node with that role and name; prints true
                                                 if it was found
    python3 atspi_reader.py PID where ROLE NAME  that node's centre on the screen as [x, y], or null
                                                 (to click what offers no action)
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

MAX_DEPTH = 40


def application(pid: int):
    desktop = Atspi.get_desktop(0)
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def states(node) -> list[str]:
    return sorted(state.value_nick for state in node.get_state_set().get_states())


def actions(node) -> list[str]:
    count = Atspi.Action.get_n_actions(node) if node.get_action_iface() is not None else 0
    return [Atspi.Action.get_action_name(node, index) for index in range(count)]


def describe(node, depth: int = 0) -> dict:
    found = {
        "role": node.get_role_name(),
        "name": node.get_name(),
        "description": node.get_description(),
        "states": states(node),
        "actions": actions(node),
        "locale": node.get_object_locale(),
        "attributes": dict(node.get_attributes() or {}),
        "children": [],
    }
    if depth < MAX_DEPTH:
        for index in range(node.get_child_count()):
            child = node.get_child_at_index(index)
            if child is not None and "showing" in states(child):
                found["children"].append(describe(child, depth + 1))
    return found


def find(node, role: str, name: str, depth: int = 0):
    if node.get_role_name() == role and node.get_name() == name and "showing" in states(node):
        return node
    if depth < MAX_DEPTH:
        for index in range(node.get_child_count()):
            child = node.get_child_at_index(index)
            if child is not None and (hit := find(child, role, name, depth + 1)) is not None:
                return hit
    return None


def act(app, role: str, name: str, action: str) -> bool:
    node = find(app, role, name)
    if node is None:
        return False
    names = actions(node)
    return action in names and bool(Atspi.Action.do_action(node, names.index(action)))


def where(app, role: str, name: str) -> list[int] | None:
    node = find(app, role, name)
    if node is None or node.get_component_iface() is None:
        return None
    box = Atspi.Component.get_extents(node, Atspi.CoordType.SCREEN)
    return [box.x + box.width // 2, box.y + box.height // 2]


def main(argv: list[str]) -> int:
    pid, command = int(argv[1]), argv[2]
    app = application(pid)
    if app is None:
        print("null")
        return 0
    if command == "tree":
        print(json.dumps(describe(app), ensure_ascii=False))
    elif command == "act":
        print(json.dumps(act(app, *argv[3:6])))
    elif command == "where":
        print(json.dumps(where(app, *argv[3:5])))
    else:
        print(f"unknown command {command}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
