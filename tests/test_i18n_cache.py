"""The i18n cache: a second start needs no Babel; an edited catalog, a damaged or unwritable cache are handled."""

from __future__ import annotations

import gettext
import json
import logging
import subprocess
import sys
from datetime import date

from kiosk import i18n as i18n_module
from kiosk.i18n import I18n, catalog_path
from kiosk.i18n_cache import FILE_NAME
from kiosk.paths import TRANSLATIONS_DIR

from conftest import LANGUAGES, copy_translations, edit

START = """
import sys
from datetime import date
from pathlib import Path
from kiosk.i18n import I18n
i18n = I18n(Path(sys.argv[1]), {languages!r}, cache_dir=Path(sys.argv[2]))
texts = [i18n.native_name(l) for l in i18n.enabled] + [i18n.translate_in("ru", "Back")]
i18n.set_language("de")
texts += [i18n.format_date(date(2026, 11, 23)), i18n.format_number(12)]
i18n.cache.save()
print(repr((texts, sorted(m for m in sys.modules if m.split(".")[0] == "babel"))))
"""


def start(translations, cache_dir) -> tuple[list[str], list[str]]:
    code = START.format(languages=list(LANGUAGES))
    done = subprocess.run(
        [sys.executable, "-c", code, str(translations), str(cache_dir)], capture_output=True, text=True, check=True
    )
    return eval(done.stdout)


def test_a_second_start_gets_the_same_texts_without_loading_babel(tmp_path):
    first_texts, first_modules = start(TRANSLATIONS_DIR, tmp_path)
    second_texts, second_modules = start(TRANSLATIONS_DIR, tmp_path)
    assert first_modules  # the first start compiled the catalogs and formatted with Babel
    assert second_texts == first_texts
    assert second_modules == []
    assert first_texts[:6] == ["English", "Français", "Deutsch", "Italiano", "Português", "Русский"]
    assert first_texts[-2:] == ["23. November 2026", "12"]


def test_a_second_start_translates_other_languages_without_parsing_a_catalog(tmp_path, qtbot, monkeypatch):
    first = I18n(TRANSLATIONS_DIR, list(LANGUAGES), cache_dir=tmp_path)
    first_texts = [first.translate_in(language, "Back") for language in LANGUAGES]
    first.cache.save()
    parsed = []
    parse = gettext.GNUTranslations._parse
    monkeypatch.setattr(gettext.GNUTranslations, "_parse", lambda self, fp: (parsed.append(fp), parse(self, fp))[1])
    second = I18n(TRANSLATIONS_DIR, list(LANGUAGES), cache_dir=tmp_path)
    assert [second.translate_in(language, "Back") for language in LANGUAGES] == first_texts
    assert first_texts[:3] == ["Back", "Retour", "Zurück"]
    assert parsed == []  # the attract screen's lines in every language, before the first frame
    second.set_language("fr")  # a catalog is parsed when its language is chosen
    assert len(parsed) == 1
    assert i18n_module._("Back") == "Retour"
    assert i18n_module.ngettext("{count} topic viewed", "{count} topics viewed", 2) == "{count} sujets consultés"


def test_an_edited_catalog_is_read_again(tmp_path, qtbot):
    translations = copy_translations(tmp_path / "translations")
    I18n(translations, ["en", "fr"], cache_dir=tmp_path).cache.save()
    french = catalog_path(translations, "fr")
    edit(french, 'msgstr "Retour"', 'msgstr "Revenir"')
    assert I18n(translations, ["en", "fr"], cache_dir=tmp_path).translate_in("fr", "Back") == "Revenir"


def test_a_broken_catalog_stays_disabled_with_its_message_on_a_cached_start(tmp_path, qtbot, caplog):
    translations = copy_translations(tmp_path / "translations")
    broken = catalog_path(translations, "ru")
    edit(broken, "nplurals=3", "nplurals=2")
    messages = []
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="kiosk.i18n"):
            i18n = I18n(translations, list(LANGUAGES), cache_dir=tmp_path)
        i18n.cache.save()
        assert "ru" not in i18n.enabled
        messages.append([r.getMessage() for r in caplog.records])
    assert messages[0] == messages[1] and len(messages[0]) == 1


def test_a_damaged_cache_is_ignored_and_written_again(tmp_path, qtbot):
    (tmp_path / FILE_NAME).write_text("{not json", encoding="utf-8")
    i18n = I18n(TRANSLATIONS_DIR, ["en", "fr"], cache_dir=tmp_path)
    assert i18n.translate_in("fr", "Back") == "Retour"
    i18n.cache.save()
    assert "fr" in json.loads((tmp_path / FILE_NAME).read_text(encoding="utf-8"))["catalogs"]


def test_an_unwritable_cache_folder_costs_a_warning_only(tmp_path, qtbot, caplog):
    (tmp_path / "file").write_text("")
    i18n = I18n(TRANSLATIONS_DIR, ["en", "de"], cache_dir=tmp_path / "file" / "data")
    assert i18n.format_date(date(2026, 11, 23), "de") == "23. November 2026"
    with caplog.at_level(logging.WARNING, logger="kiosk.cache_file"):
        i18n.cache.save()
    assert len(caplog.records) == 1
    assert f"cannot write the cache {tmp_path / 'file' / 'data' / FILE_NAME}" in caplog.records[0].getMessage()
