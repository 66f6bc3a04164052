"""A JSON file in the data folder holding what an earlier start computed, so the next one need not.

`version` names everything the stored results depend on (the kiosk, a library, the code that
computes them); a file of another version is ignored and replaced. Results are stored under a key of
the input's bytes (`digest`), so an edited input is never served stale: a check for edits, not for
tampering (the inputs are the kiosk's own files, and a cryptographic hash would load OpenSSL before
the first frame). Unreadable or unwritable only means a slower start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import zlib
from importlib.util import find_spec
from pathlib import Path

from kiosk import __version__
from kiosk.problems import FileProblem

log = logging.getLogger(__name__)


def digest(raw: bytes) -> str:
    return f"{len(raw)}-{zlib.crc32(raw):08x}"


def stamp(path: str | Path | None) -> str:
    """Size and modification time of a file, "-" if there is none."""
    try:
        info = os.stat(path) if path else None
    except OSError:
        info = None
    return f"{info.st_size}-{info.st_mtime_ns}" if info else "-"


def version_of(code: list[Path], packages: list[str]) -> str:
    """The kiosk's version and a stamp of each file of `code` and each package's `__init__`."""
    origins = [spec.origin if (spec := find_spec(name)) else None for name in packages]
    return "|".join([__version__, *(stamp(path) for path in [*code, *origins])])


def problem_from(data: list) -> FileProblem:
    file, line, message = data
    return FileProblem(Path(file), line, message)


def problem_data(problem: FileProblem) -> list:
    return [str(problem.file), problem.line, problem.message]


class CacheFile:
    """The sections of `folder/name` (dictionaries), kept if the file is of `version`; None: nothing kept."""

    def __init__(self, folder: Path | None, name: str, version: str, sections: tuple[str, ...]):
        self.path = folder / name if folder is not None else None
        self.version = version
        self.sections: dict[str, dict] = {section: {} for section in sections}
        self.dirty = False
        if self.path is not None:
            self._read()

    def _read(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == self.version:
                self.sections = {section: dict(data[section]) for section in self.sections}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.info("cache %s not used: %s", self.path, error)

    def store(self, section: str, key: str, value: object) -> None:
        self.sections[section][key] = value
        self.dirty = True

    def save(self) -> None:
        """Write what changed since the start; a failure is logged and otherwise ignored."""
        if self.path is None or not self.dirty:
            return
        self.dirty = False
        data = {"version": self.version, **self.sections}
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            log.warning("cannot write the cache %s: %s (the next start is slower)", self.path, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
