"""What the work ahead leaves to the garbage collector."""

from __future__ import annotations

import gc


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
