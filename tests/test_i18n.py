"""Catalogs: fallbacks, broken files, plurals, locale data, a seventh language, and the real catalogs."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.i18n import CatalogError, I18n, _, catalog_path, load_catalog, parse_plural_forms, placeholders
from kiosk.navigation import HOME
from kiosk.paths import TRANSLATIONS_DIR

from conftest import LANGUAGES, attract, copy_translations, home_screen, msgstr, tap, tile

PLURALS = {
    "fr": "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}


def write_po(path: Path, language: str, body: str, plural_forms: str | None = None) -> Path:
    """A catalog file as `pybabel init` writes it: the header takes lines 1 to 7, entries start on line 9."""
    header = (
        'msgid ""\n'
        'msgstr ""\n'
        f'"Language: {language}\\n"\n'
        f'"Plural-Forms: {plural_forms or PLURALS[language]}\\n"\n'
        '"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n'
        "\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path


FRENCH = """\
msgid "Back"
msgstr "Retour"

#, fuzzy
msgid "Home"
msgstr "Maison"

msgid "Next"
msgstr ""

#, python-brace-format
msgid "Today: {count} visitors"
msgstr "Aujourd’hui : {cuont} visiteurs"

#, python-brace-format
msgid "Reviewed on {date}"
msgstr "Relu le {date}"
"""


@pytest.fixture
def french(tmp_path):
    return load_catalog(write_po(tmp_path / "fr.po", "fr", FRENCH), "fr")


def test_translated_entry_is_used(french):
    translations, report = french
    assert translations.gettext("Back") == "Retour"
    assert translations.gettext("Reviewed on {date}").format(date="3 mai") == "Relu le 3 mai"
    assert report.translated == 2


def test_fuzzy_entry_falls_back_to_english(french):
    translations, report = french
    assert translations.gettext("Home") == "Home"
    assert report.fuzzy == 1


def test_untranslated_entry_falls_back_to_english(french):
    translations, report = french
    assert translations.gettext("Next") == "Next"
    assert report.untranslated == 2  # "Next", and the dropped placeholder mismatch


def test_placeholder_mismatch_is_dropped_with_file_and_line(tmp_path, french):
    translations, report = french
    path = tmp_path / "fr.po"
    line = path.read_text(encoding="utf-8").splitlines().index('msgid "Today: {count} visitors"') + 1
    assert [str(p) for p in report.problems] == [
        f"{path}:{line}: placeholders differ from the English ['count']: shown in English"
    ]
    # English is shown, and formatting it with the real arguments works.
    assert translations.gettext("Today: {count} visitors").format(count=3) == "Today: 3 visitors"


def test_syntax_error_raises_catalog_error_with_file_and_line(tmp_path):
    path = write_po(tmp_path / "fr.po", "fr", 'msgid "Back"\nmsgstr "Retour"\nthis is not a keyword\n')
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, "fr")
    assert caught.value.problem.file == path
    assert caught.value.problem.line == 11
    assert str(caught.value) == f"{path}:11: syntax error: Unknown or misformatted keyword"


def test_missing_catalog_file(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "absent.po", "fr")
    assert str(caught.value) == f"{tmp_path / 'absent.po'}: catalog file not found"


def test_a_plural_rule_with_a_value_out_of_range_is_an_error_naming_the_header_line(tmp_path):
    path = write_po(tmp_path / "ru.po", "ru", 'msgid "Back"\nmsgstr "Назад"\n', "nplurals=2; plural=(n%3);")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, "ru")
    assert str(caught.value) == f"{path}:4: Plural-Forms gives form 2 for n=2, but nplurals=2"


def test_check_looks_at_every_count_up_to_ten_million(tmp_path):
    """A rule that goes wrong only at 2,000,000 passes at start-up and fails in `check`."""
    rule = "nplurals=2; plural=(n % 2000000 == 0 && n != 0 ? 2 : n != 1);"
    path = write_po(tmp_path / "de.po", "de", 'msgid "Back"\nmsgstr "Zurück"\n', rule)
    load_catalog(path, "de")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, "de", every_count=True)
    assert str(caught.value) == f"{path}:4: Plural-Forms gives form 2 for n=2000000, but nplurals=2"


def test_a_catalog_that_agrees_with_cldr_has_no_warning(tmp_path):
    _, report = load_catalog(write_po(tmp_path / "ru.po", "ru", RUSSIAN_PLURAL), "ru", every_count=True)
    assert report.warnings == []
    assert report.problems == []


def test_a_catalog_that_disagrees_with_cldr_is_a_warning_and_stays_usable(tmp_path):
    """As French did when Babel 2.19 moved it to three forms: the catalog's own header rules."""
    body = (
        '#, python-brace-format\nmsgid "{count} topic viewed"\nmsgid_plural "{count} topics viewed"\n'
        'msgstr[0] "{count} тема"\nmsgstr[1] "{count} темы"\n'
    )
    path = write_po(tmp_path / "ru.po", "ru", body, "nplurals=2; plural=(n != 1);")
    translations, report = load_catalog(path, "ru", every_count=True)
    assert [str(w) for w in report.warnings] == [
        f"{path}:4: Plural-Forms declares nplurals=2, but the installed CLDR data has 3 for ru"
    ]
    assert report.problems == []
    assert translations.ngettext("{count} topic viewed", "{count} topics viewed", 5) == "{count} темы"


def test_a_plural_entry_with_the_wrong_number_of_forms_is_named_and_shows_english(tmp_path):
    body = RUSSIAN_PLURAL.replace('msgstr[2] "{count} тем просмотрено"\n', "") + '\nmsgid "Back"\nmsgstr "Назад"\n'
    path = write_po(tmp_path / "ru.po", "ru", body)
    translations, report = load_catalog(path, "ru")
    assert [str(p) for p in report.problems] == [
        f"{path}:10: 2 plural forms, but Plural-Forms declares nplurals=3: shown in English"
    ]
    assert translations.ngettext("{count} topic viewed", "{count} topics viewed", 5) == "{count} topics viewed"
    assert translations.gettext("Back") == "Назад"


RUSSIAN_PLURAL = """\
#, python-brace-format
msgid "{count} topic viewed"
msgid_plural "{count} topics viewed"
msgstr[0] "{count} тема просмотрена"
msgstr[1] "{count} темы просмотрены"
msgstr[2] "{count} тем просмотрено"
"""


def test_russian_has_three_plural_forms(tmp_path):
    translations, report = load_catalog(write_po(tmp_path / "ru.po", "ru", RUSSIAN_PLURAL), "ru")
    assert report.problems == []
    shown = [
        translations.ngettext("{count} topic viewed", "{count} topics viewed", n).format(count=n) for n in (1, 3, 5, 21)
    ]
    assert shown == ["1 тема просмотрена", "3 темы просмотрены", "5 тем просмотрено", "21 тема просмотрена"]


# -- I18n: the languages of a running kiosk ---------------------------------------------------


@pytest.fixture
def restore_language():
    """`I18n.set_language` installs a process-wide catalog; put English back afterwards."""
    yield
    I18n(TRANSLATIONS_DIR, ["en"]).set_language("en")


def test_broken_catalog_disables_only_its_language_with_one_log_line(tmp_path, caplog, qtbot, restore_language):
    translations = copy_translations(tmp_path / "translations")
    broken = catalog_path(translations, "ru")
    broken.write_text(broken.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="kiosk.i18n"):
        i18n = I18n(translations, list(LANGUAGES))
    assert i18n.enabled == ["en", "fr", "de", "it", "pt_BR"]
    assert "ru" in i18n.errors
    records = [r for r in caplog.records if r.name == "kiosk.i18n"]
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    assert records[0].getMessage().startswith(f"language disabled: {broken}:")
    assert i18n.set_language("ru") is False
    assert i18n.set_language("fr") is True
    assert _("What is ALS?") == "Qu’est-ce que la SLA\u00a0?"


def test_missing_catalog_disables_its_language(tmp_path, caplog, qtbot, restore_language):
    translations = copy_translations(tmp_path / "translations")
    catalog_path(translations, "de").unlink()
    with caplog.at_level(logging.ERROR, logger="kiosk.i18n"):
        i18n = I18n(translations, list(LANGUAGES))
    assert "de" not in i18n.enabled and len(i18n.enabled) == 5
    assert [r.getMessage() for r in caplog.records] == [
        f"language disabled: {catalog_path(translations, 'de')}: catalog file not found"
    ]


def test_language_changed_is_emitted_once_per_switch(qtbot, restore_language):
    i18n = I18n(TRANSLATIONS_DIR, list(LANGUAGES))
    seen: list[str] = []
    i18n.language_changed.connect(seen.append)
    i18n.set_language("de")
    i18n.set_language("de")
    i18n.set_language("en")
    assert seen == ["de", "en"]


def test_a_quiet_switch_translates_at_once_and_is_told_of_when_announced_or_taken_back_untold(qtbot, restore_language):
    i18n = I18n(TRANSLATIONS_DIR, list(LANGUAGES))
    seen: list[str] = []
    i18n.language_changed.connect(seen.append)
    assert i18n.set_language("fr", announce=False) is True
    assert (seen, i18n.current, i18n.announced, _("What is ALS?")) == ([], "fr", "en", "Qu’est-ce que la SLA\u00a0?")
    assert i18n.edition == ("fr", 0)  # what follows the edition follows at once
    i18n.announce()
    i18n.announce()
    assert seen == ["fr"]
    i18n.set_language("de", announce=False)
    i18n.set_language("de")  # a quiet switch to the same language, then a told one: told once
    assert seen == ["fr", "de"]
    i18n.set_language("ru", announce=False)
    i18n.withdraw()
    assert (seen, i18n.current, _("What is ALS?")) == (["fr", "de"], "de", msgstr("de", "What is ALS?"))
    assert i18n.edition == ("de", 0)  # texts translated in Russian meanwhile are out of date again


NATIVE = {"en": "English", "fr": "Français", "de": "Deutsch", "it": "Italiano", "pt_BR": "Português", "ru": "Русский"}


def test_native_language_names(qtbot):
    i18n = I18n(TRANSLATIONS_DIR, list(LANGUAGES))
    assert {language: i18n.native_name(language) for language in LANGUAGES} == NATIVE


DATES = {
    "en": "November 23, 2026",
    "fr": "23 novembre 2026",
    "de": "23. November 2026",
    "it": "23 novembre 2026",
    "pt_BR": "23 de novembro de 2026",
    "ru": "23 ноября 2026\u202fг.",  # CLDR puts a narrow no-break space before "г."
}


def test_format_date_follows_the_current_language(qtbot, restore_language):
    i18n = I18n(TRANSLATIONS_DIR, list(LANGUAGES))
    shown = {}
    for language in LANGUAGES:
        i18n.set_language(language)
        shown[language] = i18n.format_date(date(2026, 11, 23))
    assert shown == DATES


# -- a seventh language, with no code change --------------------------------------------------

SPANISH = """\
msgid "Learn about ALS"
msgstr "Aprenda sobre la ELA"

msgid "Touch your language to begin"
msgstr "Toque su idioma para empezar"

msgid "What is ALS?"
msgstr "¿Qué es la ELA?"

msgid "Symptoms"
msgstr "Síntomas"

msgid "Twitching, cramps, weakness and other early signs"
msgstr "Espasmos, calambres, debilidad y otras señales tempranas"
"""


def test_a_seventh_language_is_a_catalog_and_a_config_entry(tmp_path, qtbot, make_kiosk):
    translations = copy_translations(tmp_path / "translations")
    write_po(catalog_path(translations, "es"), "es", SPANISH)
    kiosk = make_kiosk(languages=(*LANGUAGES, "es"), translations_dir=translations)
    buttons = attract(kiosk).languages.buttons
    assert list(buttons) == [*LANGUAGES, "es"]
    assert buttons["es"].text() == "Español"
    assert buttons["es"].isVisible()

    tap(buttons["es"])
    assert kiosk.navigator.current == HOME
    home = home_screen(kiosk)
    assert home.heading.text() == "Aprenda sobre la ELA"
    assert tile(home.grid.tiles, "what-is-als").title.text() == "¿Qué es la ELA?"
    symptoms = tile(home.grid.tiles, "symptoms")
    assert symptoms.title.text() == "Síntomas"
    assert symptoms.summary.text() == "Espasmos, calambres, debilidad y otras señales tempranas"
    # Not yet translated: English, not an empty tile.
    assert tile(home.grid.tiles, "why-rush").title.text() == "Why choose Rush"
    assert kiosk.header.languages.buttons["es"].text() == "Español"


# -- the real catalogs ------------------------------------------------------------------------

TRANSLATED = [language for language in LANGUAGES if language != "en"]
# Strings that stay the same in a translation: product words, proper names, and the like.
SAME_ALLOWED = {"OK", "Rush", "Version: {version}", "Rush Rehabilitation"}


def real_catalog(language: str):
    with open(catalog_path(TRANSLATIONS_DIR, language), "rb") as fileobj:
        return read_po(fileobj, locale=language)


def entries(language: str):
    for message in real_catalog(language):
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            yield message, ids, strings


@pytest.mark.parametrize("language", TRANSLATED)
def test_real_catalog_is_complete_and_clean(language):
    _translations, report = load_catalog(catalog_path(TRANSLATIONS_DIR, language), language)
    untranslated = [m.id for m, _ids, strings in entries(language) if not all(strings)]
    assert untranslated == []
    assert report.fuzzy == 0
    assert report.completeness == 1.0
    assert [str(p) for p in report.problems] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_real_catalog_placeholders_match(language):
    wrong = []
    for message, ids, strings in entries(language):
        wanted = set().union(*(placeholders(i) or set() for i in ids))
        for string in strings:
            found = placeholders(string)
            # A plural form may leave out {count} ("одну секунду"), nothing else.
            drops_count = len(ids) > 1 and found is not None and found <= wanted and wanted - found <= {"count"}
            if string and found != wanted and not drops_count:
                wrong.append((message.id, string))
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_real_catalog_has_no_copied_english(language):
    copied = [
        message.id
        for message, ids, strings in entries(language)
        if any(s and s == i for s, i in zip(strings, ids, strict=False))
        and ids[0] not in SAME_ALLOWED
        and len(ids[0]) >= 4
    ]
    assert copied == []


def test_french_uses_a_no_break_space_before_high_punctuation():
    wrong = []
    for message, _ids, strings in entries("fr"):
        for string in strings:
            bare = re.sub(r"\{[^{}]*\}", "{}", string)  # placeholders may hold ":" format specs
            for match in re.finditer(r"[?!:;]", bare):
                before = bare[match.start() - 1] if match.start() else ""
                if before not in ("\u00a0", "\u202f"):
                    wrong.append((message.id, bare[max(0, match.start() - 12) : match.end()]))
    assert wrong == []


def test_the_real_catalogs_plural_rules_hold_for_every_count_and_agree_with_newer_cldr() -> None:
    """gettext and CLDR 46+ give French, Italian and Portuguese a third form for millions."""
    for language in ("fr", "de", "it", "pt_BR", "ru"):
        path = catalog_path(TRANSLATIONS_DIR, language)
        forms = parse_plural_forms(path.read_bytes(), path, every_count=True)
        assert forms.count == {"de": 2}.get(language, 3), language
        _translations, report = load_catalog(path, language)
        assert report.problems == [], language
    millions = translations_for("fr").ngettext("{count} topic viewed", "{count} topics viewed", 2_000_000)
    assert millions == "{count} de sujets consultés"


def translations_for(language: str):
    return load_catalog(catalog_path(TRANSLATIONS_DIR, language), language)[0]
