"""`als-kiosk check`: config, the folders it writes, every content file and every catalog, before a rollout."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from kiosk.config import ConfigError, LoadedSettings, Settings, load_settings
from kiosk.content.loader import load_library
from kiosk.content.model import Topic
from kiosk.glossary import GLOSSARY_FILE, Glossary, GlossaryError, check_terms, load_glossary
from kiosk.i18n import SOURCE_LANGUAGE, CatalogError, CatalogReport, catalog_path, load_catalog
from kiosk.icon_names import icon_exists
from kiosk.paths import CONTENT_DIR, TRANSLATIONS_DIR
from kiosk.runtime import MISSING_PIN, data_dir


@dataclass
class CheckResult:
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(f"  ok    {text}")

    def bad(self, text: str) -> None:
        self.problems += 1
        self.lines.append(f"  ERROR {text}")

    def warn(self, text: str) -> None:
        self.lines.append(f"  WARN  {text}")

    def info(self, text: str) -> None:
        self.lines.append(f"        {text}")


def catalog_line(report: CatalogReport) -> str:
    return (
        f"{report.language}: {report.translated} translated, {report.fuzzy} fuzzy, "
        f"{report.untranslated} untranslated, {report.obsolete} obsolete ({report.completeness:.0%})"
    )


def check_content(folder: Path, result: CheckResult) -> None:
    loaded = load_library(folder, icon_exists)
    for problem in loaded.problems:
        result.bad(str(problem))
    topics = loaded.library.topics
    if not topics:
        result.bad(f"no topic loaded from {folder}: the kiosk would show an empty home screen")
        return
    result.ok(f"{len(topics)} topics loaded from {folder} (content version {loaded.library.version})")
    supplemental = sorted(t.id for t in topics if t.supplemental_sources)
    if supplemental:
        result.info(f"blocks not from the seed page (supplemental): {', '.join(supplemental)}")
    awaiting = [t for t in loaded.library.reading_order if t.awaiting_review]
    notes = sum(len(t.review_notes) for t in awaiting)
    if awaiting:
        result.info(f"awaiting clinical review: {len(awaiting)} topic(s), {notes} open review note(s)")
    for topic in awaiting:
        if topic.status != "approved":
            result.info(f"  {topic.id} ({topic.path}:{topic.lines.get('status', 1)}): status {topic.status}")
        for note in topic.review_notes:
            result.info(f"  {topic.id} ({topic.path}:{note_line(topic, note)}): {note}")


def note_line(topic: Topic, note: str) -> int:
    """The file line a review note starts on (the `review_notes` line if it cannot be found)."""
    start = topic.lines.get("review_notes", 1)
    try:
        lines = topic.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return start
    head = note[:40]
    return next((n for n, text in enumerate(lines, start=1) if n >= start and head in text), start)


def check_catalogs(folder: Path, languages: list[str], result: CheckResult) -> None:
    glossary = load_glossary_for_check(folder, result)
    for language in languages:
        if language == SOURCE_LANGUAGE:
            continue
        try:
            _, report = load_catalog(catalog_path(folder, language), language, every_count=True)
        except CatalogError as error:
            result.bad(f"{language}: {error.problem} (language disabled)")
            continue
        incomplete = report.fuzzy or report.untranslated or report.problems
        (result.bad if incomplete else result.ok)(catalog_line(report))
        for problem in report.problems:
            result.bad(str(problem))
        for warning in report.warnings:
            result.warn(str(warning))
        if glossary is not None:
            for problem in check_terms(glossary, report.path, language):
                result.bad(str(problem))


def load_glossary_for_check(folder: Path, result: CheckResult) -> Glossary | None:
    path = folder / GLOSSARY_FILE
    if not path.exists():
        result.info(f"no glossary ({path}): terms not checked")
        return None
    try:
        glossary = load_glossary(path)
    except GlossaryError as error:
        result.bad(f"{error.problem} (terms not checked)")
        return None
    result.ok(f"glossary: {len(glossary.terms)} terms from {path}")
    return glossary


def cannot_write(folder: Path, create: bool) -> str | None:
    """Why no file can be written in `folder` (full, read-only, missing), or None when one can."""
    try:
        if create:  # as the kiosk does with its data folder
            folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder) as probe:
            probe.write(bytes(4096))  # a full disk fails here, or at the flush
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return error.strerror or str(error)
    return None


def check_files(settings: Settings, result: CheckResult) -> None:
    folder = data_dir(settings)
    if problem := cannot_write(folder, create=True):
        result.bad(
            f"data_dir {folder} cannot be written ({problem}): no usage statistics, no log file, "
            "and the PIN lockout only in the runtime folder"
        )
    else:
        result.ok(f"data_dir {folder} can be written")
    if settings.metrics_file is not None:
        if problem := cannot_write(settings.metrics_file.parent, create=False):
            result.bad(f"metrics_file {settings.metrics_file} cannot be written ({problem})")
        else:
            result.ok(f"metrics_file {settings.metrics_file} can be written")


def run_check(config_path: Path | None, out: TextIO) -> int:
    """Print a short report; 0 only when all is well, 2 for a config that stops the kiosk."""
    result = CheckResult(["Config"])
    try:
        loaded: LoadedSettings = load_settings(config_path)
    except ConfigError as error:
        for problem in error.problems:
            result.bad(str(problem))
        print("\n".join(result.lines), file=out)
        print("\ncheck: the kiosk would refuse to start with this config", file=out)
        return 2
    result.ok(str(loaded.path) if loaded.path else "no config file found: built-in defaults")
    settings = loaded.settings
    if not settings.staff_pin_hash:
        # A deployed (full-screen) config without a PIN would not start; a checkout runs --windowed.
        (result.bad if loaded.path and settings.fullscreen else result.warn)(MISSING_PIN)
    result.lines.append("Files")
    check_files(settings, result)
    result.lines.append("Content")
    check_content(settings.content_dir or CONTENT_DIR, result)
    result.lines.append("Catalogs")
    check_catalogs(settings.translations_dir or TRANSLATIONS_DIR, list(settings.languages), result)
    print("\n".join(result.lines), file=out)
    verdict = "all is well" if not result.problems else f"{result.problems} problem(s)"
    print(f"\ncheck: {verdict}", file=out)
    return 0 if not result.problems else 1
