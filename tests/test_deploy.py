"""The systemd units in deploy/: the keys IT relies on, and systemd's own verdict when available."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = ["als-kiosk.service", "als-kiosk-x11.service"]
KIOSK_COMMAND = "/usr/bin/als-kiosk --config /etc/als-kiosk/kiosk.toml"
# Keys systemd < 254 does not know yet; it warns and ignores them.
NEWER_KEYS = {"RestartSteps": 254, "RestartMaxDelaySec": 254}

Unit = dict[str, dict[str, list[str]]]


def parse_unit(path: Path) -> Unit:
    """Sections -> key -> values (systemd allows a key more than once)."""
    unit: Unit = {}
    section: dict[str, list[str]] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = unit.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        where = f"{path.name}:{number}: {raw!r}"
        assert sep and section is not None and not line.endswith("\\"), where
        section.setdefault(key.strip(), []).append(value.strip())
    return unit


def one(unit: Unit, section: str, key: str) -> str:
    values = unit[section][key]
    assert len(values) == 1, f"{key} set {len(values)} times"
    return values[0]


@pytest.fixture(params=UNITS)
def unit(request) -> Unit:
    return parse_unit(DEPLOY / request.param)


def test_sections(unit: Unit) -> None:
    assert set(unit) == {"Unit", "Service", "Install"}


def test_restart_and_watchdog_policy(unit: Unit) -> None:
    assert one(unit, "Service", "Type") == "notify"
    assert one(unit, "Service", "NotifyAccess") == "all"
    assert one(unit, "Service", "Restart") == "always"
    assert one(unit, "Service", "RestartSec") == "2"
    assert one(unit, "Service", "WatchdogSec") == "30"
    assert "3" in one(unit, "Service", "RestartPreventExitStatus").split()
    assert one(unit, "Unit", "StartLimitIntervalSec") and one(unit, "Unit", "StartLimitBurst")
    # Without this the kiosk, a child of cage or xinit, would never ping the watchdog.
    assert "WATCHDOG_PID" in one(unit, "Service", "UnsetEnvironment").split()


def test_session_on_tty1_as_the_kiosk_user(unit: Unit) -> None:
    assert one(unit, "Service", "User") == "kiosk"
    assert one(unit, "Service", "PAMName") == "login"
    assert one(unit, "Service", "TTYPath") == "/dev/tty1"
    assert "getty@tty1.service" in one(unit, "Unit", "Conflicts").split()
    assert one(unit, "Install", "WantedBy")


def test_wayland_unit_runs_the_kiosk_in_cage() -> None:
    unit = parse_unit(DEPLOY / "als-kiosk.service")

    assert one(unit, "Service", "ExecStart") == f"/usr/bin/cage -d -- {KIOSK_COMMAND}"
    assert one(unit, "Service", "Environment") == "QT_QPA_PLATFORM=wayland"


def test_x11_unit_runs_the_kiosk_under_xinit() -> None:
    unit = parse_unit(DEPLOY / "als-kiosk-x11.service")

    exec_start = one(unit, "Service", "ExecStart")
    assert exec_start.startswith(f"/usr/bin/xinit {KIOSK_COMMAND} -- :0 vt1 ")
    assert "-nocursor" in exec_start.split()
    assert one(unit, "Service", "Environment") == "QT_QPA_PLATFORM=xcb"


def test_x11_keys_never_reach_a_login_prompt() -> None:
    """Ctrl+Alt+Fn would switch to a text console, Ctrl+Alt+Backspace kill X; cage refuses both already."""
    server_args = one(parse_unit(DEPLOY / "als-kiosk-x11.service"), "Service", "ExecStart").split(" -- ", 1)[1]
    assert "-novtswitch" in server_args.split() and "-nolisten tcp" in server_args
    flags = (DEPLOY / "xorg.conf.d" / "50-als-kiosk.conf").read_text(encoding="utf-8")
    section = re.search(r'^Section "ServerFlags"\n(.*?)^EndSection', flags, re.MULTILINE | re.DOTALL)
    assert section is not None
    options = re.findall(r'^\s*Option\s+"(\w+)"\s+"(\w+)"', section.group(1), re.MULTILINE)
    assert {"DontVTSwitch", "DontZap"} <= {name for name, value in options if value == "true"}


def test_both_units_share_one_policy() -> None:
    wayland, x11 = (parse_unit(DEPLOY / name)["Service"] for name in UNITS)
    differing = {key for key in wayland.keys() | x11.keys() if wayland.get(key) != x11.get(key)}

    assert differing == {"ExecStart", "Environment"}


def systemd_version() -> int:
    first_line = subprocess.run(
        ["systemd-analyze", "--version"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    return int(re.match(r"systemd (\d+)", first_line).group(1))


def fake_root(tmp_path: Path) -> Path:
    """A root with the system's units and stand-ins for the programs the units start."""
    folders = [Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")]
    system_units = next((folder for folder in folders if folder.is_dir()), None)
    if system_units is None:
        pytest.skip("no system unit folder to verify against")
    root = tmp_path / "root"
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    for program in ("/usr/bin/cage", "/usr/bin/xinit", "/bin/sh", "/usr/bin/als-kiosk"):
        stand_in = root / program.lstrip("/")
        stand_in.parent.mkdir(parents=True, exist_ok=True)
        stand_in.write_text("#!/bin/sh\n")
        stand_in.chmod(0o755)
    (root / "etc/systemd/system").mkdir(parents=True)
    for name in UNITS:
        shutil.copy(DEPLOY / name, root / "etc/systemd/system" / name)
    return root


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("name", UNITS)
def test_systemd_analyze_verify(tmp_path: Path, name: str) -> None:
    root = fake_root(tmp_path)

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", f"--root={root}", name],
        capture_output=True,
        text=True,
        timeout=60,
    )

    version = systemd_version()
    too_new = "|".join(key for key, since in NEWER_KEYS.items() if version < since) or "(?!)"
    expected = re.compile(rf"Unknown key (name )?'({too_new})'")
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines() if line.strip() and not expected.search(line)
    ]
    assert result.returncode == 0, result.stderr
    assert complaints == []
