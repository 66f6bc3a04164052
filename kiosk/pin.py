"""Staff PIN: a salted scrypt hash in the config file, and a lockout after repeated wrong PINs."""

from __future__ import annotations

import base64
import binascii
import getpass as getpass_module
import hashlib
import hmac
import json
import logging
import math
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

log = logging.getLogger(__name__)

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32
SALT_BYTES = 16
PIN_RULE = "a PIN must be 4 to 12 digits (0-9)"
_PIN = re.compile(r"[0-9]{4,12}")
_BASE64 = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class PinHash:
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
    return hmac.compare_digest(_scrypt(pin, parsed.salt), parsed.digest)


def _parse_state(raw: bytes) -> tuple[int, float]:
    state = json.loads(raw)  # UnicodeDecodeError and JSONDecodeError are ValueErrors
    if not isinstance(state, dict):
        raise ValueError("not a JSON object")
    failures, locked_until = state.get("failures"), state.get("locked_until")
    if not isinstance(failures, int) or isinstance(failures, bool) or failures < 0:
        raise ValueError("'failures' is not a count")
    if (
        not isinstance(locked_until, (int, float))
        or isinstance(locked_until, bool)
        or not math.isfinite(locked_until)
        or locked_until < 0
    ):
        raise ValueError("'locked_until' is not a time")
    return failures, float(locked_until)


class PinLockout:
    """Counts wrong PINs in a JSON file so that a restart does not reset the count.

    After max_failures wrong PINs the pad is locked for lockout_s seconds, then the count starts
    again. The caller checks is_locked() before accepting a PIN.
    """

    def __init__(
        self,
        state_path: Path,
        clock: Callable[[], float] = time.time,
        max_failures: int = 5,
        lockout_s: int = 300,
    ) -> None:
        self._path = state_path
        self._clock = clock
        self._max_failures = max_failures
        self._lockout_s = lockout_s
        self._failures = 0
        self._locked_until = 0.0
        self._warned_unwritable = False
        self._load()

    def is_locked(self) -> bool:
        return self.remaining_s() > 0

    def remaining_s(self) -> int:
        """Whole seconds until the pad unlocks, rounded up; 0 when unlocked."""
        now = self._clock()
        if self._locked_until > now + self._lockout_s:
            # The wall clock went back (or was wrong when the lock was written): never lock longer.
            self._locked_until = now + self._lockout_s
            self._save()
        return max(0, math.ceil(self._locked_until - now))

    def record_failure(self) -> None:
        if self.is_locked():
            return
        self._failures += 1
        if self._failures >= self._max_failures:
            self._lock_from_now()
        else:
            self._save()

    def record_success(self) -> None:
        self._failures = 0
        self._locked_until = 0.0
        self._save()

    def _lock_from_now(self) -> None:
        self._failures = 0
        self._locked_until = self._clock() + self._lockout_s
        self._save()

    def _load(self) -> None:
        try:
            raw = self._path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return  # no state yet: nothing has failed
        except OSError as exc:
            log.error(
                "cannot read PIN lockout state %s (%s); PIN pad locked for %d s",
                self._path, exc.strerror, self._lockout_s,
            )
            self._lock_from_now()
            return
        try:
            self._failures, self._locked_until = _parse_state(raw)
        except ValueError as exc:
            # Fail closed: corrupting the file must not be a way to unlock the pad.
            log.error(
                "PIN lockout state %s is corrupt (%s); %s; PIN pad locked for %d s",
                self._path, exc, self._move_aside(), self._lockout_s,
            )
            self._lock_from_now()

    def _move_aside(self) -> str:
        aside = self._path.with_name(self._path.name + ".corrupt")
        try:
            os.replace(self._path, aside)
        except OSError as exc:
            return f"could not move it aside ({exc.strerror})"
        return f"moved it to {aside}"

    def _save(self) -> None:
        state = {"failures": self._failures, "locked_until": self._locked_until}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            # Write a temporary file and rename it, so a power cut never leaves half a file.
            fd, temp = tempfile.mkstemp(dir=self._path.parent, prefix=self._path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    json.dump(state, file)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temp, self._path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError as exc:
            if not self._warned_unwritable:
                log.warning(
                    "cannot save PIN lockout state to %s (%s); keeping it in memory", self._path, exc.strerror or exc
                )
                self._warned_unwritable = True


def run_hash_pin(
    getpass: Callable[[str], str] = getpass_module.getpass,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Ask for a new staff PIN twice and print the config line for it; the exit status."""
    # Resolved at call time, not import time, so redirected streams are honoured.
    out = out or sys.stdout
    err = err or sys.stderr
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
