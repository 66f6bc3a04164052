"""Staff PIN: a salted scrypt hash in the config file, and a lockout after repeated wrong PINs.

The config check at every start only parses a hash; hashing (hashlib loads OpenSSL), random salts and
the terminal prompt are imported where they are used, after the first frame.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TextIO

log = logging.getLogger(__name__)

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32
SALT_BYTES = 16
PIN_RULE = "a PIN must be 4 to 12 digits (0-9)"
_PIN = re.compile(r"[0-9]{4,12}")
_BASE64 = re.compile(r"[A-Za-z0-9_-]+")


class PinHash(NamedTuple):
    """The parts of an encoded hash: scrypt$<n>$<r>$<p>$<salt>$<hash>."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes


def _check_pin(pin: str) -> None:
    # The message never echoes the PIN: it may end up in a log or on screen.
    if not isinstance(pin, str) or not _PIN.fullmatch(pin):
        raise ValueError(PIN_RULE)


def _scrypt(pin: str, salt: bytes) -> bytes:
    import hashlib

    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=HASH_BYTES)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str, what: str) -> bytes:
    text = text.rstrip("=")
    try:
        if not _BASE64.fullmatch(text):
            raise binascii.Error
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        raise ValueError(f"the {what} is not URL-safe base64") from None


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """Hash a PIN for the config file: scrypt$16384$8$1$<salt>$<hash> (URL-safe base64)."""
    _check_pin(pin)
    if salt is None:
        import secrets

        salt = secrets.token_bytes(SALT_BYTES)
    elif len(salt) != SALT_BYTES:
        raise ValueError(f"the salt must be {SALT_BYTES} bytes, got {len(salt)}")
    digest = _scrypt(pin, salt)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64encode(salt)}${_b64encode(digest)}"


def parse_pin_hash(encoded: str) -> PinHash:
    """Split and check an encoded hash; ValueError says what is wrong."""
    parts = encoded.split("$") if isinstance(encoded, str) else []
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("expected scrypt$16384$8$1$<salt>$<hash>")
    # Only the parameters hash_pin writes: a hash with a huge cost could stall the PIN pad.
    if parts[1:4] != [str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P)]:
        expected = f"{SCRYPT_N}${SCRYPT_R}${SCRYPT_P}"
        raise ValueError(f"unsupported scrypt parameters {'$'.join(parts[1:4])}, expected {expected}")
    salt = _b64decode(parts[4], "salt")
    digest = _b64decode(parts[5], "hash")
    if len(salt) != SALT_BYTES:
        raise ValueError(f"the salt must be {SALT_BYTES} bytes, got {len(salt)}")
    if len(digest) != HASH_BYTES:
        raise ValueError(f"the hash must be {HASH_BYTES} bytes, got {len(digest)}")
    return PinHash(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest)


def verify_pin(pin: str, encoded: str) -> bool:
    """True if the PIN matches; False for a wrong PIN and for any malformed PIN or hash."""
    try:
        parsed = parse_pin_hash(encoded)
        _check_pin(pin)
    except ValueError:
        return False
    import hmac

    return hmac.compare_digest(_scrypt(pin, parsed.salt), parsed.digest)


@dataclass
class LockState:
    failures: int = 0  # wrong PINs since the last lock or success
    locked_until: float = 0.0  # Unix time
    locks: int = 0  # locks since the last right PIN: each lasts twice the one before
    damaged: bool = field(default=False, compare=False)  # read from a bad file: locked to fail closed

    def stricter(self, other: LockState) -> LockState:
        return LockState(
            max(self.failures, other.failures), max(self.locked_until, other.locked_until), max(self.locks, other.locks)
        )

    def as_json(self) -> dict:
        return {"failures": self.failures, "locked_until": self.locked_until, "locks": self.locks}


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _parse_state(raw: bytes) -> LockState:
    state = json.loads(raw)  # UnicodeDecodeError and JSONDecodeError are ValueErrors
    if not isinstance(state, dict):
        raise ValueError("not a JSON object")
    failures, locked_until, locks = state.get("failures"), state.get("locked_until"), state.get("locks", 0)
    if not _is_count(failures):
        raise ValueError("'failures' is not a count")
    if not _is_count(locks):  # files from before escalation have none
        raise ValueError("'locks' is not a count")
    if (
        not isinstance(locked_until, (int, float))
        or isinstance(locked_until, bool)
        or not math.isfinite(locked_until)
        or locked_until < 0
    ):
        raise ValueError("'locked_until' is not a time")
    return LockState(failures, float(locked_until), locks)


class PinLockout:
    """Counts wrong PINs in a JSON file so that a restart does not reset the count.

    After max_failures wrong PINs the pad is locked for lockout_s seconds, then the count starts
    again; each further lock lasts twice as long as the one before, up to max_lockout_s, until the
    right PIN is entered. The caller checks is_locked() before accepting a PIN.

    When the state cannot be written to `state_path` (a read-only or full data folder), it goes to
    `fallback_path` (the runtime folder, which outlives a restart of the service) and the log says so.
    Staff recover from a forgotten lock by deleting both files and restarting the kiosk.
    """

    def __init__(
        self,
        state_path: Path,
        clock: Callable[[], float] = time.time,
        max_failures: int = 5,
        lockout_s: int = 300,
        max_lockout_s: int = 86400,
        fallback_path: Path | None = None,
    ) -> None:
        self._path = state_path
        self._fallback = fallback_path
        self._clock = clock
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._max_lockout_s = max_lockout_s
        self._state = LockState()
        self._saved_to: Path | None = state_path  # where the state went last; None: memory only
        self._load()

    def is_locked(self) -> bool:
        return self.remaining_s() > 0

    def remaining_s(self) -> int:
        """Whole seconds until the pad unlocks, rounded up; 0 when unlocked."""
        now = self._clock()
        longest = self.lock_duration_s(max(1, self._state.locks))
        if self._state.locked_until > now + longest:
            # The wall clock went back (or was wrong when the lock was written): never lock longer.
            self._state.locked_until = now + longest
            self._save()
        return max(0, math.ceil(self._state.locked_until - now))

    def lock_duration_s(self, lock: int) -> int:
        """How long the `lock`-th lock in a row lasts: lockout_s, doubled each time, at most max_lockout_s."""
        return min(self._lockout_s * 2 ** min(lock - 1, 32), self._max_lockout_s)

    def record_failure(self) -> None:
        if self.is_locked():
            return
        self._state.failures += 1
        if self._state.failures >= self._max_failures:
            self._lock_from_now()
        else:
            self._save()

    def record_success(self) -> None:
        self._state = LockState()
        self._save()

    def _lock_from_now(self) -> None:
        self._state.failures = 0
        self._state.locks += 1
        self._state.locked_until = self._clock() + self.lock_duration_s(self._state.locks)
        self._save()

    def _load(self) -> None:
        damaged = False
        for path in (self._path, self._fallback):
            if path is not None and (state := self._read(path)) is not None:
                self._state = self._state.stricter(state)
                damaged = damaged or state.damaged
        if damaged:
            self._save()  # the fail-closed lock, so a restart keeps it

    def _read(self, path: Path) -> LockState | None:
        try:
            raw = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None  # no state yet: nothing has failed
        except OSError as exc:
            log.error(
                "cannot read PIN lockout state %s (%s); PIN pad locked for %d s", path, exc.strerror, self._lockout_s
            )
            return self._closed()
        try:
            return _parse_state(raw)
        except ValueError as exc:
            # Fail closed: corrupting the file must not be a way to unlock the pad.
            log.error(
                "PIN lockout state %s is corrupt (%s); %s; PIN pad locked for %d s",
                path,
                exc,
                self._move_aside(path),
                self._lockout_s,
            )
            return self._closed()

    def _closed(self) -> LockState:
        return LockState(0, self._clock() + self._lockout_s, 1, damaged=True)

    @staticmethod
    def _move_aside(path: Path) -> str:
        aside = path.with_name(path.name + ".corrupt")
        try:
            os.replace(path, aside)
        except OSError as exc:
            return f"could not move it aside ({exc.strerror})"
        return f"moved it to {aside}"

    def _save(self) -> None:
        problems = []
        for path in (self._path, self._fallback):
            if path is None:
                continue
            try:
                _write_atomically(path, self._state.as_json())
            except OSError as exc:
                problems.append(f"cannot save it to {path} ({exc.strerror or exc})")
                continue
            if path == self._path and self._fallback is not None:
                self._fallback.unlink(missing_ok=True)  # stale there now; a lock read from it would outlive this one
            self._report(path, problems)
            return
        self._report(None, problems)

    def _report(self, saved_to: Path | None, problems: list[str]) -> None:
        """Log where the state goes when that changes: once, not at every wrong PIN."""
        if saved_to == self._saved_to:
            return
        self._saved_to = saved_to
        if saved_to == self._path:
            log.info("PIN lockout state saved to %s again", saved_to)
        elif saved_to is not None:
            log.warning("PIN lockout state: %s; keeping it in %s instead", "; ".join(problems), saved_to)
        else:
            log.warning("PIN lockout state: %s; keeping it in memory (a restart clears it)", "; ".join(problems))


def _write_atomically(path: Path, state: dict) -> None:
    """Write a temporary file and rename it, so a power cut never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(state, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def run_hash_pin(
    getpass: Callable[[str], str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Ask for a new staff PIN twice and print the config line for it; the exit status."""
    # Resolved at call time, not import time, so redirected streams are honoured.
    out = out or sys.stdout
    err = err or sys.stderr
    if getpass is None:
        from getpass import getpass
    try:
        pin = getpass("New staff PIN (4 to 12 digits): ")
        if not _PIN.fullmatch(pin):
            print(f"error: {PIN_RULE}", file=err)
            return 1
        if getpass("Repeat the PIN: ") != pin:
            print("error: the two PINs differ", file=err)
            return 1
    except EOFError:
        print("error: no PIN given", file=err)
        return 1
    print(f'staff_pin_hash = "{hash_pin(pin)}"', file=out)
    return 0
