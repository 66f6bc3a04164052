"""What the work ahead leaves to the garbage collector."""

from __future__ import annotations

import gc
import gettext

from conftest import close_kiosk


def test_the_first_build_ahead_adds_to_what_start_up_set_aside_and_a_rebuild_collects_what_it_dropped(make_kiosk):
    kiosk = make_kiosk()
    collections: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "stop":
            collections.append(info["generation"])

    gc.disable()  # no collection but the kiosk's own
    gc.freeze()  # what the real program does at its first frame (kiosk.runtime)
    gc.callbacks.append(count)
    try:
        kiosk.warm_up_work.build_ahead()
        kiosk.ahead.finish()
        assert collections == []  # the screens built join what start-up set aside; nothing is scanned
        assert gc.get_freeze_count() > 0
        kiosk.warm_up_work.rebuild_dropped()  # as after a restyle or a reload
        kiosk.ahead.finish()
        assert collections == [2]  # one full collection, for the screens dropped, before setting aside again
    finally:
        gc.callbacks.remove(count)
        gc.enable()


def test_the_work_ahead_parses_every_catalog_so_choosing_a_language_parses_none(make_kiosk, monkeypatch):
    first = make_kiosk()  # a first start fills the i18n cache in the data folder
    first.warm_up_work.build_ahead()
    first.ahead.finish()
    close_kiosk(first)
    parsed = []
    parse = gettext.GNUTranslations._parse
    monkeypatch.setattr(gettext.GNUTranslations, "_parse", lambda self, fp: (parsed.append(fp), parse(self, fp))[1])
    kiosk = make_kiosk()
    assert parsed == []  # a second start parses no catalog before its first frame
    kiosk.warm_up_work.build_ahead()
    kiosk.ahead.finish()
    assert len(parsed) == len(kiosk.i18n.enabled) - 1  # English has no catalog
    for language in kiosk.i18n.enabled:
        assert kiosk.i18n.set_language(language, announce=False)
    assert len(parsed) == len(kiosk.i18n.enabled) - 1
