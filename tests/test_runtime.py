"""Where a kiosk keeps its files when the config names no data folder, and what an empty environment means."""

from __future__ import annotations

import socket

from kiosk.config import Settings
from kiosk.runtime import data_dir

from conftest import enter_pin


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
