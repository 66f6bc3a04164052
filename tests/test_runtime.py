"""Where a kiosk keeps its files when the config names no data folder, what an empty environment means, and
when the real program collects garbage."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

from kiosk.config import Settings
from kiosk.pin import hash_pin
from kiosk.runtime import data_dir

from conftest import ROOT, enter_pin


def test_the_default_data_folder_is_the_applications_own_not_nested_twice(monkeypatch, tmp_path, platform_folders):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert data_dir(Settings()) == tmp_path / "share" / "als-kiosk"


def test_a_configured_data_folder_wins(tmp_path):
    assert data_dir(Settings(data_dir=tmp_path / "kiosk-data")) == tmp_path / "kiosk-data"


def test_without_a_data_folder_the_pin_lockout_is_kept_in_the_platform_folder_not_the_current_one(
    make_kiosk, tmp_path, monkeypatch, platform_folders
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    kiosk = make_kiosk(data_dir=None)
    kiosk.open_staff_access()
    enter_pin(kiosk, "1111")
    assert list(tmp_path.glob("*.json")) == []
    assert (tmp_path / "share" / "als-kiosk" / "pin-lockout.json").exists()


def test_an_empty_environment_means_no_systemd_even_when_the_process_has_one(make_kiosk, tmp_path, monkeypatch):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(tmp_path / "notify"))
    listener.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(tmp_path / "notify"))
    try:
        kiosk = make_kiosk(environ={})  # warmed up: READY would have been sent
        assert not kiosk.notifier.enabled
        try:
            received = listener.recv(100)
        except BlockingIOError:
            received = b""
        assert received == b""
    finally:
        listener.close()


# The real program, offscreen; at its first frame it reports on the collector and stops.
FIRST_FRAME_PROBE = """
import gc, json, os, sys
from kiosk import cli, runtime

def at_first_frame(collect=runtime.collect_from_now_on):
    seen = {"collecting before": gc.isenabled()}
    collect()
    seen.update({"collecting after": gc.isenabled(), "set aside": gc.get_freeze_count()})
    print(json.dumps(seen), flush=True)
    os._exit(0)

runtime.collect_from_now_on = at_first_frame
cli.main(sys.argv[1:])
"""


def test_the_collector_waits_for_the_first_frame_then_never_scans_what_start_up_made(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'data_dir = "{tmp_path}"\nstaff_pin_hash = "{hash_pin("2468")}"\n', encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ALS_KIOSK_CONFIG="")
    command = [sys.executable, "-c", FIRST_FRAME_PROBE, "--config", str(config), "--size", "1280x800"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert (seen["collecting before"], seen["collecting after"]) == (False, True)
    assert seen["set aside"] > 10_000  # modules, classes and the attract screen: tens of thousands
