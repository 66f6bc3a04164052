"""sd_notify against real AF_UNIX datagram sockets, as systemd listens for them."""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from kiosk.systemd import SystemdNotifier

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs AF_UNIX sockets")

THIRTY_SECONDS_USEC = "30000000"


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2)
    yield sock, str(path)
    sock.close()


def received(sock: socket.socket) -> str:
    return sock.recv(4096).decode("utf-8")


def assert_nothing_received(sock: socket.socket) -> None:
    sock.setblocking(False)
    with pytest.raises(BlockingIOError):
        sock.recv(4096)


def failure_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kiosk.systemd" and "failed" in r.getMessage()]


def test_messages_reach_a_path_socket(listener) -> None:
    sock, path = listener
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": path})

    notifier.ready()
    notifier.status("Showing the attract screen\nin English")
    notifier.stopping()

    assert notifier.enabled
    assert received(sock) == "READY=1"
    assert received(sock) == "STATUS=Showing the attract screen in English"
    assert received(sock) == "STOPPING=1"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="abstract sockets are Linux only")
def test_messages_reach_an_abstract_socket() -> None:
    name = f"als-kiosk-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2)
        notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": "@" + name})

        notifier.ready()

        assert received(sock) == "READY=1"


def test_watchdog_for_this_process(listener) -> None:
    sock, path = listener
    environ = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": THIRTY_SECONDS_USEC, "WATCHDOG_PID": str(os.getpid())}
    notifier = SystemdNotifier.from_environ(environ)

    notifier.watchdog()

    assert notifier.watchdog_interval_ms() == 15_000
    assert received(sock) == "WATCHDOG=1"


def test_watchdog_without_a_pid_applies_to_us(listener) -> None:
    sock, path = listener
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "8000000"})

    notifier.watchdog()

    assert notifier.watchdog_interval_ms() == 4_000
    assert received(sock) == "WATCHDOG=1"


def test_watchdog_of_another_process_is_not_pinged(listener, caplog) -> None:
    sock, path = listener
    environ = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": THIRTY_SECONDS_USEC, "WATCHDOG_PID": "1"}
    with caplog.at_level(logging.WARNING):
        notifier = SystemdNotifier.from_environ(environ)

    notifier.watchdog()

    assert notifier.watchdog_interval_ms() is None
    assert_nothing_received(sock)
    assert any("WATCHDOG_PID=1" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("usec", [None, "", "0", "-5", "soon"])
def test_no_usable_watchdog_timeout(listener, usec: str | None) -> None:
    sock, path = listener
    environ = {"NOTIFY_SOCKET": path} if usec is None else {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": usec}
    notifier = SystemdNotifier.from_environ(environ)

    notifier.watchdog()

    assert notifier.watchdog_interval_ms() is None
    assert_nothing_received(sock)


def test_without_notify_socket_everything_is_a_no_op(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        notifier = SystemdNotifier.from_environ({"WATCHDOG_USEC": THIRTY_SECONDS_USEC})
        notifier.ready()
        notifier.watchdog()
        notifier.status("x")
        notifier.stopping()

    assert not notifier.enabled
    assert caplog.records == []


def test_an_unsupported_address_is_ignored(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": "vsock:2:1234"})
        notifier.ready()

    assert not notifier.enabled
    assert "vsock:2:1234" in caplog.records[0].getMessage()


def test_a_missing_socket_is_logged_once_and_never_raises(tmp_path: Path, caplog) -> None:
    missing = tmp_path / "gone.sock"
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": str(missing), "WATCHDOG_USEC": "2000000"})

    with caplog.at_level(logging.WARNING):
        notifier.ready()
        notifier.watchdog()
        notifier.status("still here")

    [message] = failure_warnings(caplog)
    assert str(missing) in message


def test_a_full_queue_never_blocks_the_caller(listener, caplog) -> None:
    _, path = listener  # bound, but nobody reads: its queue fills up
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "2000000"})

    def ping_many() -> None:
        for _ in range(2_000):
            notifier.watchdog()

    with caplog.at_level(logging.WARNING):
        pinger = threading.Thread(target=ping_many, daemon=True)
        pinger.start()
        pinger.join(timeout=10)

    assert not pinger.is_alive(), "watchdog() blocked on a full socket queue"
    assert len(failure_warnings(caplog)) == 1


def test_the_kiosk_says_ready_once_and_runs_one_metrics_timer(listener, make_kiosk, qtbot, tmp_path) -> None:
    """Warm-up asked for twice (after the first frame, and by `render` or a test) happens once."""
    sock, path = listener
    kiosk = make_kiosk(environ={"NOTIFY_SOCKET": path}, metrics_file=tmp_path / "als_kiosk.prom")  # warms up
    assert received(sock) == "READY=1"
    kiosk.show(QRect(0, 0, 1280, 800))  # warms up again after the first frame, as `render` does
    qtbot.waitUntil(lambda: kiosk._first_frame._slot is None, timeout=3000)
    assert_nothing_received(sock)
    assert len(kiosk.monitoring.timers) == 1  # the metrics timer (no WATCHDOG_USEC, so no watchdog timer)
