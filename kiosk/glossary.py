"""The medical glossary as data, and the check that every catalog follows it.

`translations/glossary.toml` has one `[[term]]` per English term: `en` lists the English forms that
call for the rule; each language (or `all`, for every language without its own entry) lists `use`,
forms one of which the translation must contain, and `avoid`, forms it must not contain.
A form matches whole words, ignoring case; `*` stands for the rest of a word ("Lungenfunktion*",
"двигательн* нейрон*"), so inflected and compound forms pass. A form written in capitals only
(ALS, EMG, МРТ) matches case-sensitively: German "als" is not ALS.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from babel.messages.pofile import read_po

from kiosk.problems import FileProblem

GLOSSARY_FILE = "glossary.toml"
ALL_LANGUAGES = "all"
TERM_KEYS = ("en", "note")
RULE_KEYS = ("use", "avoid")
TERM_HEADER = re.compile(r"^\s*\[\[\s*term\s*\]\]\s*(#.*)?$")


class GlossaryError(Exception):
    def __init__(self, problem: FileProblem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Form:
    text: str
    pattern: re.Pattern[str]

    @classmethod
    def parse(cls, text: str) -> Form:
        words = [r"\w*".join(re.escape(part) for part in word.split("*")) for word in text.split()]
        capitals_only = text == text.upper() and any(c.isalpha() for c in text)
        flags = 0 if capitals_only else re.IGNORECASE
        body = r"\s+".join(words)
        return cls(text, re.compile(rf"(?<!\w){body}(?!\w)", flags))

    def search(self, text: str) -> str | None:
        found = self.pattern.search(text)
        return found.group(0) if found else None


@dataclass(frozen=True)
class Rule:
    use: tuple[Form, ...] = ()
    avoid: tuple[Form, ...] = ()


@dataclass(frozen=True)
class Term:
    en: tuple[Form, ...]
    rules: dict[str, Rule]
    line: int | None
    note: str = ""

    @property
    def name(self) -> str:
        return self.en[0].text

    def rule(self, language: str) -> Rule | None:
        return self.rules.get(language) or self.rules.get(ALL_LANGUAGES)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    path: Path

    @property
    def languages(self) -> list[str]:
        return sorted({language for term in self.terms for language in term.rules})


def load_glossary(path: Path) -> Glossary:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise GlossaryError(FileProblem(path, None, f"cannot read glossary: {error}")) from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        raise GlossaryError(FileProblem(path, int(match.group(1)) if match else None, f"bad TOML: {error}")) from None
    unknown = sorted(set(data) - {"term"})
    if unknown:
        raise GlossaryError(FileProblem(path, None, f"unknown table(s) {', '.join(unknown)}: only [[term]] entries"))
    entries = data.get("term", [])
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if TERM_HEADER.match(line)]
    if len(lines) != len(entries):  # terms written another way (inline tables): messages name no line
        lines = [None] * len(entries)
    return Glossary(tuple(_parse_term(entry, path, line) for entry, line in zip(entries, lines, strict=False)), path)


def _parse_term(entry: dict, path: Path, line: int | None) -> Term:
    def fail(message: str) -> GlossaryError:
        return GlossaryError(FileProblem(path, line, message))

    def forms(value: object, what: str) -> tuple[Form, ...]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
            raise fail(f"{what}: must be a text or a list of texts")
        return tuple(Form.parse(v) for v in values)

    if "en" not in entry:
        raise fail("en: required (the English term)")
    rules: dict[str, Rule] = {}
    for key, value in entry.items():
        if key in TERM_KEYS:
            continue
        if not isinstance(value, dict) or not value or set(value) - set(RULE_KEYS):
            raise fail(f"{key}: must be a table with 'use' and/or 'avoid', like {key} = {{ use = [\"...\"] }}")
        rules[key] = Rule(
            forms(value["use"], f"{key}.use") if "use" in value else (),
            forms(value["avoid"], f"{key}.avoid") if "avoid" in value else (),
        )
    note = entry.get("note", "")
    if not isinstance(note, str):
        raise fail("note: must be a text")
    return Term(forms(entry["en"], "en"), rules, line, note)


def term_problems(term: Term, language: str, english: str, translation: str) -> list[str]:
    """What is wrong with one translation of one entry for one term (nothing if the term is not in the English)."""
    rule = term.rule(language)
    source = next((found for form in term.en if (found := form.search(english))), None) if rule else None
    if rule is None or source is None:
        return []
    problems = []
    if rule.use and not any(form.search(translation) for form in rule.use):
        wanted = ", ".join(f'"{form.text}"' for form in rule.use)
        problems.append(f'glossary: "{source}" needs {"one of " if len(rule.use) > 1 else ""}{wanted}')
    for form in rule.avoid:
        if found := form.search(translation):
            instead = f'; use "{rule.use[0].text}"' if rule.use else ""
            problems.append(f'glossary: "{source}" must not be translated as "{form.text}" (found "{found}"){instead}')
    return problems


def check_terms(glossary: Glossary, po_path: Path, language: str) -> list[FileProblem]:
    """Every translated, non-fuzzy entry of a catalog against the glossary, with the entry's line."""
    with open(po_path, "rb") as fileobj:
        catalog = read_po(fileobj)
    problems: list[FileProblem] = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if not all(forms):
            continue
        english = "\n".join(ids)
        for form in forms:
            for term in glossary.terms:
                for problem in term_problems(term, language, english, form):
                    problems.append(FileProblem(po_path, message.lineno, problem))
    return problems


def glossary_csv(glossary: Glossary) -> str:
    """The glossary as CSV for translation tools: English term, then the preferred term per language."""
    languages = [lang for lang in glossary.languages if lang != ALL_LANGUAGES]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["en", *languages, "note"])
    for term in glossary.terms:
        row = [term.name.replace("*", "")]
        for language in languages:
            rule = term.rule(language)
            row.append(rule.use[0].text.replace("*", "") if rule and rule.use else "")
        writer.writerow([*row, term.note])
    return out.getvalue()


def print_glossary_csv(translations_dir: Path | None, out: TextIO) -> int:
    """`als-kiosk glossary`: the configured (else bundled) glossary as CSV; 1 if it cannot be read."""
    from kiosk.paths import TRANSLATIONS_DIR

    try:
        glossary = load_glossary((translations_dir or TRANSLATIONS_DIR) / GLOSSARY_FILE)
    except GlossaryError as error:
        print(f"glossary: {error.problem}", file=out)
        return 1
    out.write(glossary_csv(glossary))
    return 0
