"""The glossary as data: its file, the term check on real catalogs, and its CSV export."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.glossary import GLOSSARY_FILE, GlossaryError, check_terms, glossary_csv, load_glossary
from kiosk.i18n import catalog_path
from kiosk.paths import TRANSLATIONS_DIR

from conftest import line_of

LANGUAGES = ("fr", "de", "it", "pt_BR", "ru")

GLOSSARY = """\
# a small glossary
[[term]]
en = ["pulmonary function test*", "breathing test*"]
de = { use = ["Lungenfunktionsprüfung", "Lungenfunktion*"], avoid = ["Atemtest*"] }
ru = { use = ["исследование функции внешнего дыхания", "функци* внешнего дыхания"] }

[[term]]
en = ["ALS"]
de = { use = ["ALS"] }

[[term]]
en = ["Rush Rehabilitation"]
all = { use = ["(Rush Rehabilitation)"] }
"""

HEADER = """\
msgid ""
msgstr ""
"Language: {language}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"""


def write(folder: Path, language: str, entries: list[tuple[str, str]], fuzzy: tuple[str, ...] = ()) -> Path:
    """A catalog with `entries` (msgid, msgstr); returns its path."""
    path = folder / f"{language}.po"
    parts = [HEADER.format(language=language)]
    for msgid, msgstr in entries:
        flag = "#, fuzzy\n" if msgid in fuzzy else ""
        parts.append(f'{flag}msgid "{msgid}"\nmsgstr "{msgstr}"\n')
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / GLOSSARY_FILE
    path.write_text(GLOSSARY, encoding="utf-8")
    return load_glossary(path)


def test_an_entry_that_uses_the_term_passes_in_any_inflection(glossary, tmp_path):
    de = write(tmp_path, "de", [("Breathing tests and lung specialists", "Lungenfunktionstests und Lungenfachärzte")])
    ru = write(tmp_path, "ru", [("A pulmonary function test.", "Исследование функции внешнего дыхания.")])
    assert check_terms(glossary, de, "de") == []
    assert check_terms(glossary, ru, "ru") == []


def test_a_missing_required_term_is_reported_with_file_and_line(glossary, tmp_path):
    path = write(tmp_path, "ru", [("Other text", "Другой текст"), ("A pulmonary function test.", "Проверка дыхания.")])
    problems = check_terms(glossary, path, "ru")
    line = line_of(path, 'msgid "A pulmonary function test."')
    assert [str(p) for p in problems] == [
        f'{path}:{line}: glossary: "pulmonary function test" needs one of '
        '"исследование функции внешнего дыхания", "функци* внешнего дыхания"'
    ]


def test_a_forbidden_variant_is_reported_even_beside_the_required_term(glossary, tmp_path):
    path = write(tmp_path, "de", [("Breathing tests", "Atemtests (Lungenfunktionstests)")])
    problems = check_terms(glossary, path, "de")
    line = line_of(path, "Breathing tests")
    assert [str(p) for p in problems] == [
        f'{path}:{line}: glossary: "Breathing tests" must not be translated as "Atemtest*" '
        '(found "Atemtests"); use "Lungenfunktionsprüfung"'
    ]


def test_terms_in_capitals_match_case_so_german_als_is_not_the_disease(glossary, tmp_path):
    path = write(tmp_path, "de", [("ALS care", "Mehr als Pflege"), ("About ALS", "Über ALS")])
    problems = check_terms(glossary, path, "de")
    assert [(p.line, p.message) for p in problems] == [(line_of(path, "ALS care"), 'glossary: "ALS" needs "ALS"')]


def test_a_rule_for_all_languages_applies_where_a_language_has_none(glossary, tmp_path):
    path = write(tmp_path, "it", [("Rush Rehabilitation", "Riabilitazione del Rush")])
    assert [p.message for p in check_terms(glossary, path, "it")] == [
        'glossary: "Rush Rehabilitation" needs "(Rush Rehabilitation)"'
    ]


def test_fuzzy_and_untranslated_entries_are_left_to_the_catalog_check(glossary, tmp_path):
    path = write(tmp_path, "de", [("Breathing tests", "Atemtests"), ("About ALS", "")], fuzzy=("Breathing tests",))
    assert check_terms(glossary, path, "de") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[term]]\nde = { use = ['x'] }\n", "en: required (the English term)"),
        ("[[term]]\nen = 'x'\nde = { use = [] }\n", "de.use: must be a text or a list of texts"),
        ("[[term]]\nen = 'x'\nde = { prefer = ['y'] }\n", "de: must be a table with 'use' and/or 'avoid'"),
    ],
)
def test_a_broken_glossary_names_file_and_line(tmp_path, text, message):
    path = tmp_path / GLOSSARY_FILE
    path.write_text("# comment\n\n" + text, encoding="utf-8")
    with pytest.raises(GlossaryError) as caught:
        load_glossary(path)
    assert caught.value.problem.file == path and caught.value.problem.line == 3
    assert caught.value.problem.message.startswith(message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_bundled_catalog_passes_its_glossary(language):
    glossary = load_glossary(TRANSLATIONS_DIR / GLOSSARY_FILE)
    assert len(glossary.terms) >= 40
    problems = check_terms(glossary, catalog_path(TRANSLATIONS_DIR, language), language)
    assert [str(p) for p in problems] == []


def test_the_bundled_glossary_holds_the_reviewers_findings():
    glossary = load_glossary(TRANSLATIONS_DIR / GLOSSARY_FILE)
    by_name = {term.name: term for term in glossary.terms}
    assert [f.text for f in by_name["breathing test*"].rule("de").avoid] == ["Atemtest*"]
    assert "Lou-Gehrig-Krankheit" in [f.text for f in by_name["Lou Gehrig's disease"].rule("de").avoid]
    assert by_name["family history"].rule("ru").use[0].text == "кровные родственники"
    assert by_name["physical therap*"].rule("ru").avoid[0].search("физиотерапия")


def test_csv_export_has_the_preferred_term_per_language(glossary):
    lines = glossary_csv(glossary).splitlines()
    assert lines[0] == "en,de,ru,note"
    assert lines[1] == "pulmonary function test,Lungenfunktionsprüfung,исследование функции внешнего дыхания,"
    assert lines[3] == "Rush Rehabilitation,(Rush Rehabilitation),(Rush Rehabilitation),"
