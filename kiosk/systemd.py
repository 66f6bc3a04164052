"""systemd's sd_notify protocol (readiness, watchdog, status) without dependencies.

See sd_notify(3): one datagram of KEY=VALUE lines to the AF_UNIX socket in $NOTIFY_SOCKET.
Without that variable (development, Windows) every call is a no-op, and no call ever raises:
a lost notification must not take the kiosk down.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

log = logging.getLogger(__name__)


class SystemdNotifier:
    def __init__(self, address: str | None = None, watchdog_usec: int | None = None) -> None:
        self._address = address  # a path, or "\0name" for an abstract socket
        self._watchdog_usec = watchdog_usec  # None: no watchdog meant for this process
        self._failure_logged = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> SystemdNotifier:
        return cls(_socket_address(environ.get("NOTIFY_SOCKET", "")), _watchdog_usec(environ))

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def ready(self) -> None:
        self._send("READY=1")

    def watchdog(self) -> None:
        if self._watchdog_usec is not None:
            self._send("WATCHDOG=1")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def status(self, text: str) -> None:
        # A newline would start another KEY=VALUE assignment in the datagram.
        self._send("STATUS=" + " ".join(text.splitlines()))

    def watchdog_interval_ms(self) -> int | None:
        """How often to call watchdog(): half the timeout, as sd_watchdog_enabled(3) advises."""
        if self._watchdog_usec is None:
            return None
        return max(1, self._watchdog_usec // 2000)

    def _send(self, message: str) -> None:
        if self._address is None:
            return
        import socket  # here: without $NOTIFY_SOCKET nothing needs it

        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                # Never block the UI thread, even when systemd is not reading its queue.
                sock.setblocking(False)
                sock.sendto(message.encode("utf-8"), self._address)
        except OSError as exc:
            if not self._failure_logged:
                shown = self._address.replace("\0", "@", 1)
                log.warning(
                    "systemd notification to %s failed (%s); later failures are not logged",
                    shown,
                    exc,
                )
                self._failure_logged = True


def _socket_address(value: str) -> str | None:
    if not value:
        return None
    import socket

    if not hasattr(socket, "AF_UNIX"):  # Windows builds of Python lack it
        log.warning("NOTIFY_SOCKET is set but this platform has no AF_UNIX sockets; ignoring it")
        return None
    if value.startswith("/"):
        return value
    if value.startswith("@"):  # Linux abstract namespace
        return "\0" + value[1:]
    log.warning("NOTIFY_SOCKET=%s is not a socket path this kiosk supports; ignoring it", value)
    return None


def _watchdog_usec(environ: Mapping[str, str]) -> int | None:
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    pid = environ.get("WATCHDOG_PID", "")
    if pid and pid != str(os.getpid()):
        # The watchdog belongs to another process, such as cage or xinit above us; the unit
        # must drop WATCHDOG_PID (UnsetEnvironment=) for the kiosk to ping it.
        log.warning("WATCHDOG_PID=%s is not this process (%d); not pinging the watchdog", pid, os.getpid())
        return None
    return usec
