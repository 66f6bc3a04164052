"""Child process: the real Kiosk, driven in its own event loop with real mouse clicks (QTest).

Modes:
  latency  every screen in every language: tap -> next painted frame, per kind of tap; then idle resets
  memory   RSS/PSS after start, after visiting every screen in every language, and over N random
           navigations and language switches (seeded)

Prints one `BENCH_RESULT {json}` line. Built like kiosk.runtime.run_kiosk (same logging, same QApplication
attribute, same Kiosk arguments); nothing in the kiosk is patched.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import random
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QPixmapCache
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.probe import Driver, FrameProbe, read_memory
from kiosk.app import Kiosk
from kiosk.config import load_settings
from kiosk.logs import setup_logging
from kiosk.navigation import ATTRACT, HOME, topic_key

RESULT = "BENCH_RESULT "
SETTLE_MS = 40  # quiet time before each measured tap, so one tap's paints do not overlap the next
PRESS_MS = 20  # how long the finger stays down (the pressed look is painted meanwhile)
FRAME_TIMEOUT_S = 3.0


class Session:
    def __init__(self, args):
        self.args = args
        loaded = load_settings(Path(args.config))
        self.settings = loaded.settings
        data_dir = self.settings.data_dir
        setup_logging(self.settings.log_level, data_dir / "logs" if data_dir else None)
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_SynthesizeMouseForUnhandledTouchEvents, True)
        self.app = QApplication(sys.argv[:1])
        self.kiosk = Kiosk(
            self.app, self.settings, kiosk_mode=not args.windowed, data_dir=data_dir, config_path=loaded.path
        )
        self.errors: list[str] = []
        self._install_excepthook()
        self.clock = time.monotonic  # the kiosk's own clock: idle deadlines compare with it
        self.probe = FrameProbe(clock=self.clock)
        self.samples: list[dict] = []
        self.misses: list[str] = []

    def _install_excepthook(self) -> None:
        # Like the kiosk's: an exception in a slot is recorded (and reported), never fatal.
        def hook(kind, error, tb):
            import traceback

            self.errors.append("".join(traceback.format_exception(kind, error, tb))[-2000:])
            with contextlib.suppress(Exception):
                self.kiosk.recover()

        sys.excepthook = hook

    def run(self, script) -> int:
        width, height = self.args.size
        stack = self.kiosk.window.stack
        # Before show(): see FrameProbe.attach.
        self.probe.attach(self.kiosk.window, context=self.kiosk.navigator.on_show)
        self.probe.watch_children(stack)
        self.kiosk.show(QRect(0, 0, width, height))
        driver = Driver(self.app, self.probe, script)
        driver.start()
        code = self.app.exec()
        if driver.error is not None:
            import traceback

            self.errors.append("".join(traceback.format_exception(driver.error))[-3000:])
        return code

    # -- helpers used by the scripts (generators) -------------------------------------------

    @property
    def nav(self):
        return self.kiosk.navigator

    def screen(self, key: str):
        return self.nav.built.get(key)

    def wait_ready(self):
        """The first frame of the attract screen, then the work done ahead of need (every screen built)."""
        attract = self.screen(ATTRACT)
        frame = yield ("frame", attract, 0.0, 10.0)
        if frame is None:
            raise RuntimeError("the attract screen was never painted")
        for _ in range(1000):
            if not self.kiosk.ahead.busy:
                break
            yield ("sleep", 10)
        yield ("sleep", 300)

    def tap(
        self,
        widget,
        kind: str,
        expect_key: str | None = None,
        expect_language: str | None = None,
        settle_ms: int = SETTLE_MS,
        record: bool = True,
    ):
        """A tap on `widget`: press, a short hold, release; then wait for the next painted frame.

        Latency is counted from the release (actions fire on release) to the end of the first frame that
        starts after the release was handled and, with `expect_key`, shows that screen (which the tap may
        build). Frames painted while the release was being handled show the old state and do not count.
        """
        if settle_ms:
            yield ("sleep", settle_ms)
        centre = widget.rect().center()
        QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        yield ("sleep", PRESS_MS)
        before_screen, before_language = self.nav.current, self.kiosk.i18n.current
        built_now = bool(expect_key) and expect_key not in self.nav.built
        t0 = self.clock()
        QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
        t1 = self.clock()
        target = (lambda: self.screen(expect_key)) if expect_key else None
        frame = yield ("frame", target, t0, FRAME_TIMEOUT_S, t1)
        ok = frame is not None
        if expect_key and self.nav.current != expect_key:
            ok = False
        if expect_language and self.kiosk.i18n.current != expect_language:
            ok = False
        if not ok:
            self.misses.append(
                f"{kind}: {before_screen} [{before_language}] -> expected {expect_key or expect_language}, "
                f"now {self.nav.current} [{self.kiosk.i18n.current}], frame={'yes' if frame else 'no'}"
            )
            return None
        sample = {
            "kind": kind,
            "from": before_screen,
            "to": self.nav.current,
            "language": self.kiosk.i18n.current,
            "latency_ms": (frame.end - t0) * 1000,
            "handler_ms": (t1 - t0) * 1000,
            "paint_ms": (frame.end - frame.start) * 1000,
            "built": built_now,  # the tap built the screen (its first visit in this process)
        }
        if record:
            self.samples.append(sample)
        return sample

    def show_in_view(self, scroll, widget):
        scroll.ensureWidgetVisible(widget, 0, 40)
        yield ("sleep", 30)

    def header_button(self, language: str):
        return self.kiosk.header.languages.buttons[language]

    def reset_to_attract(self):
        if not self.kiosk.is_pristine():
            t0 = self.clock()
            self.kiosk.reset()
            yield ("frame", self.screen(ATTRACT), t0, FRAME_TIMEOUT_S, self.clock())
        yield ("sleep", SETTLE_MS)


# -- latency --------------------------------------------------------------------------------


def latency_script(s: Session, passes: int, idle_runs: int):
    yield from s.wait_ready()
    kiosk = s.kiosk
    languages = kiosk.i18n.enabled
    library = kiosk.services.library
    top = library.top_level
    order = library.reading_order
    for _ in range(passes):
        for li, language in enumerate(languages):
            other = languages[(li + 1) % len(languages)]
            yield from s.reset_to_attract()
            attract = s.screen(ATTRACT)
            yield from s.tap(
                attract.languages.buttons[language],
                "choose language (attract)",
                expect_key=HOME,
                expect_language=language,
            )
            home = s.screen(HOME)
            for ti, topic in enumerate(top):
                tile = next(t for t in home.grid.tiles if t.topic_id == topic.id)
                yield from s.show_in_view(home.scroll, tile)
                key = topic_key(topic.id)
                if (yield from s.tap(tile, "open topic", expect_key=key)) is None:
                    continue
                screen = s.screen(key)
                if ti % 2 == 0 and len(languages) > 1:  # half the topics: switch language there and back
                    yield from s.tap(s.header_button(other), "language switch", expect_language=other)
                    yield from s.tap(s.header_button(language), "language switch", expect_language=language)
                for card in list(screen.cards.tiles):
                    yield from s.show_in_view(screen.scroll, card)
                    child_key = topic_key(card.topic_id)
                    if (yield from s.tap(card, "open care item", expect_key=child_key)) is None:
                        continue
                    yield from s.tap(s.screen(child_key).back_button, "back", expect_key=key)
                yield from s.tap(screen.back_button, "back", expect_key=HOME)
            # Next through every topic in reading order, then Home.
            first = next(t for t in home.grid.tiles if t.topic_id == order[0].id)
            yield from s.show_in_view(home.scroll, first)
            yield from s.tap(first, "open topic", expect_key=topic_key(order[0].id))
            for topic in order[1:]:
                current = s.screen(s.nav.current)
                if not current.next_button.isVisible():
                    break
                yield from s.tap(current.next_button, "next", expect_key=topic_key(topic.id))
            yield from s.tap(s.screen(s.nav.current).home_button, "home", expect_key=HOME)
            # Language switches on home: to every other language and back.
            for target in languages:
                if target != language:
                    yield from s.tap(s.header_button(target), "language switch", expect_language=target)
                    yield from s.tap(s.header_button(language), "language switch", expect_language=language)

    # "Start over" on the Still there? overlay, and idle resets at their deadline.
    s.idle = []
    policy = kiosk.policy
    timeout_s, warning_s = policy.timeout_s, policy.warning_s
    for run in range(idle_runs):
        language = languages[(run + 1) % len(languages)]
        topic = order[run % len(order)]
        yield from s.reset_to_attract()
        yield from s.tap(s.screen(ATTRACT).languages.buttons[language], "choose language (attract)", expect_key=HOME)
        t0 = s.clock()
        kiosk.open_topic(topic.id)
        yield ("frame", s.screen(topic_key(topic.id)), t0, FRAME_TIMEOUT_S, s.clock())
        yield ("sleep", SETTLE_MS)
        if run % 4 == 0:  # one in four: start over is a tap, and its p95 needs the larger sample
            # Idle: a short timeout and warning (the last countdown step is a full second, as in service).
            policy.timeout_s, policy.warning_s = 0.2, 1.5
            policy.start()
            deadline = policy.last_activity + policy.timeout_s + policy.warning_s
            frame = yield ("frame", s.screen(ATTRACT), t0, 10.0, s.clock())
            policy.timeout_s, policy.warning_s = timeout_s, warning_s
            if frame is None or s.nav.current != ATTRACT:
                s.misses.append(f"idle reset {run}: no attract frame")
                continue
            s.idle.append(
                {
                    "kind": "deadline",
                    "latency_ms": (frame.end - deadline) * 1000,
                    "paint_ms": (frame.end - frame.start) * 1000,
                    "language": language,
                }
            )
        else:
            # The warning appears, the visitor taps Start over.
            policy.timeout_s, policy.warning_s = 0.05, 30
            policy.start()
            for _ in range(100):
                if kiosk.idle_overlay.isVisible():
                    break
                yield ("sleep", 10)
            yield ("sleep", 100)
            policy.timeout_s, policy.warning_s = timeout_s, warning_s
            sample = yield from s.tap(kiosk.idle_overlay.start_over_button, "start over", expect_key=ATTRACT)
            if sample is not None:
                s.idle.append(
                    {
                        "kind": "start over",
                        "latency_ms": sample["latency_ms"],
                        "paint_ms": sample["paint_ms"],
                        "language": language,
                    }
                )


# -- memory ---------------------------------------------------------------------------------


def malloc_trim() -> bool:
    """Give the C heap's free pages back to the system (glibc only); False where there is no such call."""
    try:
        import ctypes

        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0) or True)
    except (OSError, AttributeError):
        return False


def snapshot(s: Session, label: str, trim: bool = False) -> dict:
    """Memory now. With `trim`, also what is left after emptying Qt's pixmap cache (a bounded cache the
    styles fill up to QPixmapCache.cacheLimit(), 10 MiB by default) and malloc_trim (free heap pages glibc
    keeps): memory that is really held, the figure a leak would show in."""
    gc.collect()
    s.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    values = read_memory()
    values.update(
        label=label,
        python_objects=len(gc.get_objects()) + gc.get_freeze_count(),  # frozen ones too (kiosk.warmup)
        qt_widgets=len(QApplication.allWidgets()),
        frames=s.probe.frame_count,
        t=time.monotonic(),
        pixmap_cache_limit_kib=QPixmapCache.cacheLimit(),
    )
    if trim:
        QPixmapCache.clear()
        gc.collect()
        if malloc_trim():
            values["trimmed"] = read_memory()
    return values


def go(s: Session, action, target_key: str | None):
    """Do `action` (a callable) and wait for the frame showing `target_key` (any frame if None)."""
    t0 = s.clock()
    action()
    target = (lambda: s.screen(target_key)) if target_key else None
    frame = yield ("frame", target, t0, FRAME_TIMEOUT_S, s.clock())
    return frame


def visit_everything(s: Session):
    """Every screen in every language, each painted, then back to the attract screen."""
    kiosk = s.kiosk
    for language in kiosk.i18n.enabled:
        yield from s.reset_to_attract()
        yield from go(s, lambda lang=language: kiosk.start_session(lang), HOME)
        for topic in kiosk.services.library.reading_order:
            yield from go(s, lambda t=topic: kiosk.open_topic(t.id), topic_key(topic.id))
        yield from go(s, kiosk.navigator.home, HOME)
    yield from s.reset_to_attract()


def random_action(s: Session, rng: random.Random):
    """One random visitor action from the current screen, as a real click: (widget, expected key) or None."""
    kiosk = s.kiosk
    current = s.nav.current
    languages = kiosk.i18n.enabled
    screen = s.screen(current)
    if current == ATTRACT:
        language = rng.choice(languages)
        return screen.languages.buttons[language], HOME, "start"
    roll = rng.random()
    if roll < 0.2 and len(languages) > 1:
        language = rng.choice([lang for lang in languages if lang != kiosk.i18n.current])
        return s.header_button(language), None, "language"
    if roll < 0.23:
        return None, ATTRACT, "reset"
    if current == HOME:
        tile = rng.choice(screen.grid.tiles)
        return tile, topic_key(tile.topic_id), "open"
    choices = [("back", screen.back_button), ("home", screen.home_button)]
    if screen.next_button.isVisible():
        choices += [("next", screen.next_button)] * 2
    if screen.cards.tiles:
        choices += [("card", tile) for tile in screen.cards.tiles]
    name, widget = rng.choice(choices)
    if name == "back":
        key = s.nav.history[-1] if s.nav.history else HOME
    elif name == "home":
        key = HOME
    elif name == "next":
        key = topic_key(screen.next_topic.id)
    else:
        key = topic_key(widget.topic_id)
    return widget, key, name


def memory_script(s: Session, navigations: int, seed: int, checkpoints: int):
    yield from s.wait_ready()
    s.memory = {"start": snapshot(s, "start")}
    yield from visit_everything(s)
    s.memory["visited"] = snapshot(s, "visited", trim=True)
    s.memory["trend"] = []
    rng = random.Random(seed)
    kiosk = s.kiosk
    counts: dict[str, int] = {}
    every = max(1, navigations // max(1, checkpoints))
    started = time.monotonic()
    for number in range(1, navigations + 1):
        widget, key, name = random_action(s, rng)
        counts[name] = counts.get(name, 0) + 1
        if name == "reset":
            frame = yield from go(s, kiosk.policy.expire_now if kiosk.policy.running else kiosk.reset, ATTRACT)
        else:
            frame = yield from go(
                s,
                lambda w=widget: QTest.mouseClick(
                    w, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, w.rect().center()
                ),
                key,
            )
        if frame is None or (key and s.nav.current != key):
            s.misses.append(f"random {number} {name}: expected {key}, now {s.nav.current}")
            if len(s.misses) > 50:
                raise RuntimeError("too many random actions went wrong")
            yield from s.reset_to_attract()
        if number % every == 0:
            point = snapshot(s, f"after {number}")
            point["navigations"] = number
            s.memory["trend"].append(point)
    s.memory["random_seconds"] = time.monotonic() - started
    s.memory["actions"] = counts
    yield from visit_everything(s)
    s.memory["after"] = snapshot(s, "after", trim=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("latency", "memory"))
    parser.add_argument("--config", required=True)
    parser.add_argument("--windowed", action="store_true")
    parser.add_argument("--size", default="1920x1080")
    # The walk's sizes and seed come from bench.run, where their defaults are declared: each mode needs its two.
    parser.add_argument("--passes", type=int)
    parser.add_argument("--idle-runs", type=int)
    parser.add_argument("--navigations", type=int)
    parser.add_argument("--checkpoints", type=int, default=10)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    needed = ("passes", "idle_runs") if args.mode == "latency" else ("navigations", "seed")
    missing = [f"--{name.replace('_', '-')}" for name in needed if getattr(args, name) is None]
    if missing:
        parser.error(f"{args.mode} needs {' and '.join(missing)}")
    args.size = tuple(int(v) for v in args.size.lower().split("x"))
    session = Session(args)
    if args.mode == "latency":
        script = latency_script(session, args.passes, args.idle_runs)
    else:
        script = memory_script(session, args.navigations, args.seed, args.checkpoints)
    code = session.run(script)
    result = {
        "mode": args.mode,
        "platform": session.app.platformName(),
        "geometry": list(session.kiosk.window.geometry().getRect()),
        "kiosk_mode": session.kiosk.kiosk_mode,
        "languages": session.kiosk.i18n.enabled,
        "topics": len(session.kiosk.services.library.topics),
        "samples": session.samples,
        "idle": getattr(session, "idle", []),
        "memory": getattr(session, "memory", None),
        "misses": session.misses,
        "errors": session.errors,
        "exit_code": code,
        "frames": session.probe.frame_count,
        "loose_frames": session.probe.loose_frames,
    }
    sys.stdout.write(RESULT + json.dumps(result) + "\n")
    sys.stdout.flush()
    import os

    os._exit(0)


if __name__ == "__main__":
    main()
