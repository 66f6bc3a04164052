"""Languages: one `_` bound to the current catalog, and the signal that re-translates screens.

Catalogs are the gettext `.po` files themselves, read with Babel and turned into
`gettext.GNUTranslations` in memory, so there is no compiled file that can go stale.
A missing or fuzzy entry falls back to English for that string; a broken catalog
disables its language with one log line naming the file and line.
"""

from __future__ import annotations

import gettext
import io
import logging
import math
import re
import string
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

from kiosk.cache_file import digest
from kiosk.i18n_cache import I18nCache, report_fields
from kiosk.problems import FileProblem

if TYPE_CHECKING:  # Babel is imported where it is used: the attract screen needs none of it (see i18n_cache)
    from babel import Locale
    from babel.messages.catalog import Catalog, Message

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"

_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    """The message in the current language (English when it has no usable translation)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the name xgettext and Babel look for
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


class CatalogError(Exception):
    def __init__(self, problem: FileProblem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class CatalogReport:
    language: str
    path: Path
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    # Entries that were dropped (placeholder or plural mismatches): they show English.
    problems: list[FileProblem] = field(default_factory=list)
    # Worth a translator's look, but the language works as it is.
    warnings: list[FileProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def completeness(self) -> float:
        return self.translated / self.total if self.total else 1.0


def catalog_path(translations_dir: Path, language: str) -> Path:
    return translations_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def placeholders(text: str) -> set[str] | None:
    """Names of the `{name}` fields in a format string; None if it is not a valid one."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def load_catalog(path: Path, language: str, every_count: bool = False) -> tuple[gettext.GNUTranslations, CatalogReport]:
    """Read and check one `.po` file; raise CatalogError when the language cannot be used."""
    mo, report = compile_catalog(_read_bytes(path), path, language, every_count)
    return gettext.GNUTranslations(io.BytesIO(mo)), report


def compile_catalog(raw: bytes, path: Path, language: str, every_count: bool = False) -> tuple[bytes, CatalogReport]:
    """The `.mo` bytes of the usable entries of `.po` bytes `raw`, and the report; CatalogError if unusable."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    # Before the entries: with a wrong header Babel would stop at the first plural entry instead.
    forms = parse_plural_forms(raw, path, every_count)
    raw, plural_problems = plural_entry_problems(raw, path, forms)
    catalog = _parse_po(raw, path, language)
    report = CatalogReport(language, path, obsolete=len(catalog.obsolete), problems=plural_problems)
    if note := cldr_disagreement(forms, language):
        report.warnings.append(FileProblem(path, forms.line, note))
    usable = Catalog(locale=catalog.locale, domain=DOMAIN)
    usable.mime_headers = catalog.mime_headers
    dropped = {problem.line for problem in plural_problems}
    for message in catalog:
        if not message.id:
            continue
        state = "untranslated" if message.lineno in dropped else _message_state(message, path, report)
        if state == "translated":
            usable[message.id] = message
            report.translated += 1
        elif state == "fuzzy":
            report.fuzzy += 1
        else:
            report.untranslated += 1
    buffer = io.BytesIO()
    write_mo(buffer, usable)
    return buffer.getvalue(), report


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(FileProblem(path, None, "catalog file not found")) from None
    except OSError as error:
        raise CatalogError(FileProblem(path, None, f"cannot read catalog: {error.strerror}")) from None


def _parse_po(raw: bytes, path: Path, language: str) -> Catalog:
    from babel import UnknownLocaleError
    from babel.messages.pofile import PoFileError, read_po

    try:
        return read_po(io.BytesIO(raw), locale=language, domain=DOMAIN, abort_invalid=True)
    except PoFileError as error:
        line = error.lineno + 1 if isinstance(error.lineno, int) else None
        # Babel's message ends in its own 0-based " on N"; the problem carries the 1-based line.
        message = str(error).removesuffix(f" on {error.lineno}")
        raise CatalogError(FileProblem(path, line, f"syntax error: {message}")) from None
    except (UnicodeDecodeError, ValueError, UnknownLocaleError) as error:
        raise CatalogError(FileProblem(path, None, f"unreadable catalog: {error}")) from None


PLURAL_FORMS_LINE = re.compile(r'^"Plural-Forms:\s*(?P<value>.*?)(?:\\n)?"\s*$')
PLURAL_ENTRY_LINE = re.compile(r"^(msgid_plural|msgstr\[(\d+)\])\s")
# gettext evaluates the expression for any count; the kiosk never shows more than this.
LARGEST_COUNT = 10_000_000


class PluralForms(NamedTuple):
    count: int
    expression: str
    line: int


def parse_plural_forms(raw: bytes, path: Path, every_count: bool = False) -> PluralForms:
    """The catalog's own Plural-Forms header (what gettext uses), checked to be a valid rule.

    The rule's values are checked for the first thousand counts, or with `every_count` (as `check`
    does) for every count up to LARGEST_COUNT; a value out of range only makes gettext show English.
    """
    lines = raw.decode("utf-8", errors="replace").splitlines()
    found = next(((n, m) for n, text in enumerate(lines, start=1) if (m := PLURAL_FORMS_LINE.match(text))), None)
    if found is None:
        raise CatalogError(FileProblem(path, None, "Plural-Forms header missing"))
    line, match = found
    header = match.group("value")
    try:
        parts = dict(part.strip().split("=", 1) for part in header.split(";") if part.strip())
        forms = PluralForms(int(parts["nplurals"]), parts["plural"].strip(), line)
        rule = gettext.c2py(forms.expression)
    except (KeyError, ValueError, SyntaxError) as error:
        raise CatalogError(FileProblem(path, line, f"Plural-Forms is malformed: {header!r} ({error})")) from None
    if forms.count < 1:
        raise CatalogError(FileProblem(path, line, f"Plural-Forms declares nplurals={forms.count}"))
    counts = counts_that_decide(forms.expression) if every_count else range(1001)
    bad = next((n for n in counts if not 0 <= rule(n) < forms.count), None)
    if bad is not None:
        raise CatalogError(
            FileProblem(path, line, f"Plural-Forms gives form {rule(bad)} for n={bad}, but nplurals={forms.count}")
        )
    return forms


def counts_that_decide(expression: str) -> range:
    """Enough counts to see every value the rule takes for n = 0 .. LARGEST_COUNT.

    A rule built from `n % m` and comparisons with constants repeats with the period lcm(m)
    once n is past its largest constant, so that stretch stands for all larger counts.
    """
    if re.search(r"[-+*/]", expression):
        return range(LARGEST_COUNT + 1)
    numbers = [int(number) for number in re.findall(r"\d+", expression)]
    period = math.lcm(*(int(m) for m in re.findall(r"%\s*(\d+)", expression)), 1)
    return range(min(max(numbers, default=0) + period, LARGEST_COUNT) + 1)


def plural_entry_problems(raw: bytes, path: Path, forms: PluralForms) -> tuple[bytes, list[FileProblem]]:
    """Plural entries whose msgstr[i] count differs from nplurals, and the text without their extra forms.

    Such an entry shows English; dropping its extra forms keeps the rest of the catalog usable.
    """
    lines = raw.decode("utf-8", errors="replace").splitlines(keepends=True)
    problems: list[FileProblem] = []
    msgid_line, entry_line, seen = 0, 0, 0

    def close_entry() -> None:
        if entry_line and seen != forms.count:
            problems.append(
                FileProblem(
                    path,
                    entry_line,
                    f"{seen} plural forms, but Plural-Forms declares nplurals={forms.count}: shown in English",
                )
            )

    for number, text in enumerate(lines, start=1):
        match = PLURAL_ENTRY_LINE.match(text)
        if text.startswith("msgid "):
            msgid_line = number
        if match and match.group(1) == "msgid_plural":
            close_entry()
            entry_line, seen = msgid_line, 0
        elif match and entry_line:
            seen += 1
            if int(match.group(2)) >= forms.count:
                lines[number - 1] = "\n"  # Babel would refuse the whole catalog for it
        elif entry_line and not text.startswith('"'):
            close_entry()
            entry_line = 0
    close_entry()
    return "".join(lines).encode("utf-8"), problems


def cldr_disagreement(forms: PluralForms, language: str) -> str | None:
    """A note when the installed CLDR data counts another number of forms: worth a look, never fatal."""
    from babel import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        expected = get_plural(language).num_plurals
    except (UnknownLocaleError, ValueError):
        return None
    if expected == forms.count:
        return None
    return f"Plural-Forms declares nplurals={forms.count}, but the installed CLDR data has {expected} for {language}"


def _message_state(message: Message, path: Path, report: CatalogReport) -> str:
    forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    if not all(forms):
        return "untranslated"
    if message.fuzzy:
        return "fuzzy"
    where = message.lineno
    sources = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    wanted = set().union(*(placeholders(s) or set() for s in sources))
    for form in forms:
        plural = isinstance(message.id, (list, tuple))
        if placeholders(form) != wanted and not (plural and _drops_count_only(form, wanted)):
            report.problems.append(
                FileProblem(path, where, f"placeholders differ from the English {sorted(wanted)}: shown in English")
            )
            return "untranslated"
    return "translated"


def _drops_count_only(form: str, wanted: set[str]) -> bool:
    """A plural form may leave out the count ("одну секунду"), but add nothing else."""
    found = placeholders(form)
    return found is not None and found <= wanted and wanted - found <= {"count"}


class I18n(QObject):
    """The enabled languages and the current one; emits `language_changed` after a switch.

    A switch may be made quietly and announced later (`announce`) or taken back (`withdraw`): the kiosk
    translates home and the settings bar under the attract screen while a finger is still on a language.

    `cache_dir`: where compiled catalogs and language names are kept between starts (see i18n_cache).
    """

    language_changed = Signal(str)

    def __init__(
        self, translations_dir: Path, languages: list[str], parent: QObject | None = None, cache_dir: Path | None = None
    ):
        super().__init__(parent)
        self.translations_dir = translations_dir
        self.configured = list(languages)
        self.reports: dict[str, CatalogReport] = {}
        self.errors: dict[str, FileProblem] = {}
        # A catalog stays the `.mo` bytes it compiled to until a text is first wanted from it (`catalog`):
        # parsing five takes 3 ms, and the attract screen's lines come from the cache (`translate_in`).
        self._catalogs: dict[str, gettext.NullTranslations | bytes] = {}
        self._keys: dict[str, str] = {}  # each catalog's `.po` digest: texts cached from it are its
        self.cache = I18nCache(cache_dir)
        self._reloads = 0  # catalogs read again (staff reload): every text translated before is out of date
        self.load()
        self.current = SOURCE_LANGUAGE if SOURCE_LANGUAGE in self.enabled else self.enabled[0]
        self.announced = self.current  # the language `language_changed` last told of

    def load(self) -> None:
        """Read every configured catalog; a broken one disables its language only."""
        self._catalogs, self.reports, self.errors, self._keys = self._read_all()
        for problem in self.errors.values():
            log.error("language disabled: %s", problem)
        for report in self.reports.values():
            for problem in report.problems:
                log.warning("%s", problem)
        if not self._catalogs:
            log.error("no usable language configured; falling back to English")
            self._catalogs[SOURCE_LANGUAGE] = gettext.NullTranslations()

    def reload(self) -> list[FileProblem]:
        """Read the catalogs again and switch to them only if every one is usable."""
        catalogs, reports, errors, keys = self._read_all()
        if errors:
            return list(errors.values())
        self._catalogs, self.reports, self.errors, self._keys = catalogs, reports, errors, keys
        self.refresh()
        return []

    def _read_all(
        self,
    ) -> tuple[
        dict[str, gettext.NullTranslations | bytes], dict[str, CatalogReport], dict[str, FileProblem], dict[str, str]
    ]:
        catalogs: dict[str, gettext.NullTranslations | bytes] = {}
        reports: dict[str, CatalogReport] = {}
        errors: dict[str, FileProblem] = {}
        keys: dict[str, str] = {}
        for language in self.configured:
            if language == SOURCE_LANGUAGE:
                catalogs[language] = gettext.NullTranslations()
                continue
            try:
                path = catalog_path(self.translations_dir, language)
                raw = _read_bytes(path)
                keys[language] = digest(raw)
                catalogs[language], reports[language] = self._load_cached(language, path, raw, keys[language])
            except CatalogError as error:
                errors[language] = error.problem
        return catalogs, reports, errors, keys

    def _load_cached(self, language: str, path: Path, raw: bytes, key: str) -> tuple[bytes, CatalogReport]:
        """compile_catalog, or what it gave for the same `.po` bytes (`key`) at an earlier start."""
        stored = self.cache.catalog(language, key)
        if isinstance(stored, FileProblem):
            raise CatalogError(stored)
        if stored is not None:
            mo, fields, problems, warnings = stored
            report = CatalogReport(language, path, **fields, problems=problems, warnings=warnings)
        else:
            try:
                mo, report = compile_catalog(raw, path, language)
            except CatalogError as error:
                self.cache.store_error(language, key, error.problem)
                raise
            self.cache.store_catalog(language, key, mo, report_fields(report), report.problems, report.warnings)
        return mo, report

    def catalog(self, language: str) -> gettext.NullTranslations:
        """An enabled language's catalog, parsed when first asked for (the work ahead asks in idle time)."""
        catalog = self._catalogs[language]
        if isinstance(catalog, bytes):
            catalog = self._catalogs[language] = gettext.GNUTranslations(io.BytesIO(catalog))
        return catalog

    @property
    def enabled(self) -> list[str]:
        return list(self._catalogs)

    def set_language(self, language: str, announce: bool = True) -> bool:
        """Switch to `language`, and tell (`language_changed`) unless `announce` is false; False (and no
        change) if it is not enabled. What follows the edition (screens, bars) follows either way."""
        global _translations
        if language not in self._catalogs:
            return False
        _translations = self.catalog(language)
        self.current = language
        if announce:
            self.announce()
        return True

    @property
    def edition(self) -> tuple[str, int]:
        """What a translated text depends on: the language and the catalogs read. A text translated in another
        edition is out of date; one translated before a switch there and back is not."""
        return self.current, self._reloads

    def announce(self) -> None:
        """Tell of a switch made quietly, if it still stands."""
        if self.announced != self.current:
            self.announced = self.current
            self.language_changed.emit(self.current)

    def withdraw(self) -> None:
        """Take back a switch made quietly: the language last told of, quietly again."""
        self.set_language(self.announced, announce=False)

    def refresh(self) -> None:
        """Re-install the current catalog after a reload and re-translate everything."""
        global _translations
        if self.current not in self._catalogs:
            self.current = self.enabled[0]
        _translations = self.catalog(self.current)
        self._reloads += 1
        self.announced = self.current
        self.language_changed.emit(self.current)

    def translate_in(self, language: str, message: str) -> str:
        """`message` in a language other than the current one (the attract screen's prompt), kept in the cache
        under its catalog's digest, so the attract screen's lines need no catalog parsed before the first frame."""
        if language not in self._keys:  # English, or a language not enabled
            return message
        key = f"{self._keys[language]}|{message}"
        return self.cache.text("text", language, key, lambda: self.catalog(language).gettext(message))

    def locale(self, language: str | None = None) -> Locale:
        return _locale(language or self.current)

    def native_name(self, language: str) -> str:
        """The language's own name in its own script: "Français", "Русский"."""
        return self.cache.text("name", language, "", lambda: _native_name(language))

    def format_date(self, value: date, language: str | None = None) -> str:
        language = language or self.current
        return self.cache.text("date", language, value.isoformat(), lambda: _format_date(value, language))

    def format_number(self, value: float, language: str | None = None) -> str:
        language = language or self.current
        return self.cache.text("number", language, repr(value), lambda: _format_number(value, language))


# Babel, with its locale data, is loaded only for what the cache does not hold yet.


@cache
def _locale(language: str) -> Locale:
    from babel import Locale

    return Locale.parse(language)


def _native_name(language: str) -> str:
    locale = _locale(language)
    name = locale.get_language_name(locale) or language
    return name[:1].upper() + name[1:]


def _format_date(value: date, language: str) -> str:
    from babel.dates import format_date

    return format_date(value, format="long", locale=_locale(language))


def _format_number(value: float, language: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(language))
