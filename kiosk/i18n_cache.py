"""What Babel computed for the kiosk, kept from the last start (kiosk.cache_file): compiled catalogs,
language names, dates and numbers.

Reading six `.po` files and CLDR's locale data with Babel costs more time than the rest of the
first frame and about 10 MiB of memory for six languages. Each catalog is stored as the `.mo`
bytes (or the error) it compiled to, under the digest of its `.po` bytes; a new kiosk or Babel
version, or a change to the code that checks catalogs, empties the cache. Names, dates and numbers
are stored as Babel formatted them.
"""

from __future__ import annotations

import base64
from pathlib import Path

from kiosk.cache_file import CacheFile, problem_data, problem_from, version_of
from kiosk.problems import FileProblem

FILE_NAME = "i18n-cache.json"


def cache_version() -> str:
    """Changes with the kiosk, Babel and the catalog-checking code: any of them may change a result."""
    return version_of([Path(__file__).with_name("i18n.py")], ["babel"])


class I18nCache(CacheFile):
    def __init__(self, folder: Path | None):
        super().__init__(folder, FILE_NAME, cache_version() if folder is not None else "", ("catalogs", "texts"))

    def catalog(self, language: str, key: str):
        """(mo bytes, report counts, problems, warnings) or a FileProblem, as stored for `key`; else None."""
        entry = self.sections["catalogs"].get(language)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            if "error" in entry:
                return problem_from(entry["error"])
            problems = [problem_from(p) for p in entry["problems"]]
            warnings = [problem_from(p) for p in entry["warnings"]]
            return base64.b64decode(entry["mo"]), dict(entry["report"]), problems, warnings
        except (KeyError, TypeError, ValueError):
            return None

    def store_catalog(
        self, language: str, key: str, mo: bytes, report: dict, problems: list[FileProblem], warnings: list[FileProblem]
    ) -> None:
        entry = {
            "key": key,
            "mo": base64.b64encode(mo).decode("ascii"),
            "report": report,
            "problems": [problem_data(p) for p in problems],
            "warnings": [problem_data(p) for p in warnings],
        }
        self.store("catalogs", language, entry)

    def store_error(self, language: str, key: str, problem: FileProblem) -> None:
        self.store("catalogs", language, {"key": key, "error": problem_data(problem)})

    def text(self, kind: str, language: str, value: object, compute) -> str:
        """`compute()` (a name, date or number Babel formats), or what it gave at an earlier start."""
        key = f"{kind}|{language}|{value}"
        text = self.sections["texts"].get(key)
        if not isinstance(text, str):
            text = compute()
            self.store("texts", key, text)
        return text


def report_fields(report) -> dict:
    """A CatalogReport's counts, for the cache (its language, path and problems are stored apart)."""
    return {k: getattr(report, k) for k in ("translated", "fuzzy", "untranslated", "obsolete")}
