"""What Babel computed for the kiosk, kept from the last start: compiled catalogs, language names,
dates and numbers.

Reading six `.po` files and CLDR's locale data with Babel costs more time than the rest of the
first frame and about 10 MiB of memory for six languages. Each catalog is stored as the `.mo`
bytes (or the error) it compiled to, under the length and CRC-32 of its `.po` bytes, so an edited
catalog is never served stale (a check for edits, not for tampering: the catalogs are the kiosk's
own files, and a cryptographic hash would load OpenSSL before the first frame); a new kiosk or Babel
version, or a change to the code that checks catalogs, empties the cache. Names, dates and numbers
are stored as Babel formatted them. It is a plain JSON file in the data folder: unreadable or
unwritable only means a slower start.
"""

from __future__ import annotations

import base64
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

FILE_NAME = "i18n-cache.json"


def _stamp(path: str | None) -> str:
    try:
        info = os.stat(path) if path else None
    except OSError:
        info = None
    return f"{info.st_size}-{info.st_mtime_ns}" if info else "-"


def cache_version() -> str:
    """Changes with the kiosk, Babel and the catalog-checking code: any of them may change a result."""
    babel = find_spec("babel")
    checker = Path(__file__).with_name("i18n.py")
    return f"{__version__}|{_stamp(babel.origin if babel else None)}|{_stamp(str(checker))}"


def digest(raw: bytes) -> str:
    return f"{len(raw)}-{zlib.crc32(raw):08x}"


def _problem(data: list) -> FileProblem:
    file, line, message = data
    return FileProblem(Path(file), line, message)


def _problem_data(problem: FileProblem) -> list:
    return [str(problem.file), problem.line, problem.message]


class I18nCache:
    def __init__(self, folder: Path | None):
        self.path = folder / FILE_NAME if folder is not None else None
        self.version = cache_version() if self.path is not None else ""
        self._catalogs: dict[str, dict] = {}
        self._texts: dict[str, str] = {}  # "kind|language|value" -> text
        self._dirty = False
        if self.path is not None:
            self._read()

    def _read(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == self.version:
                self._catalogs, self._texts = dict(data["catalogs"]), dict(data["texts"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.info("i18n cache %s not used: %s", self.path, error)

    def catalog(self, language: str, key: str):
        """(mo bytes, report counts, problems, warnings) or a FileProblem, as stored for `key`; else None."""
        entry = self._catalogs.get(language)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            if "error" in entry:
                return _problem(entry["error"])
            problems = [_problem(p) for p in entry["problems"]]
            warnings = [_problem(p) for p in entry["warnings"]]
            return base64.b64decode(entry["mo"]), dict(entry["report"]), problems, warnings
        except (KeyError, TypeError, ValueError):
            return None

    def store_catalog(
        self, language: str, key: str, mo: bytes, report: dict, problems: list[FileProblem], warnings: list[FileProblem]
    ) -> None:
        self._catalogs[language] = {
            "key": key,
            "mo": base64.b64encode(mo).decode("ascii"),
            "report": report,
            "problems": [_problem_data(p) for p in problems],
            "warnings": [_problem_data(p) for p in warnings],
        }
        self._dirty = True

    def store_error(self, language: str, key: str, problem: FileProblem) -> None:
        self._catalogs[language] = {"key": key, "error": _problem_data(problem)}
        self._dirty = True

    def text(self, kind: str, language: str, value: object, compute) -> str:
        """`compute()` (a name, date or number Babel formats), or what it gave at an earlier start."""
        key = f"{kind}|{language}|{value}"
        text = self._texts.get(key)
        if not isinstance(text, str):
            text = self._texts[key] = compute()
            self._dirty = True
        return text

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save(self) -> None:
        """Write what changed since the start; a failure is logged once and otherwise ignored."""
        if self.path is None or not self._dirty:
            return
        self._dirty = False
        data = {"version": self.version, "catalogs": self._catalogs, "texts": self._texts}
        temporary = self.path.with_name(f".{FILE_NAME}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as error:
            log.warning("cannot write the i18n cache %s: %s (the next start is slower)", self.path, error)
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def report_fields(report) -> dict:
    """A CatalogReport's counts, for the cache (its language, path and problems are stored apart)."""
    return {k: getattr(report, k) for k in ("translated", "fuzzy", "untranslated", "obsolete")}
