"""Child process: start the real kiosk (`als-kiosk --config ... --size WxH`) and report when the attract
screen is first painted, then when the work done ahead of need (warm-up, every screen built) is over.
Prints one `BENCH_RESULT {json}` line.

The parent sets BENCH_T0 (time.time()) just before spawning this process, so the start-up time includes
the interpreter's own start. Nothing is imported ahead of the production path through kiosk.cli.main
(import order matters: PySide6 makes every later import slower); when kiosk.app is imported, Kiosk.show
is wrapped (not changed) to attach the frame probe.
"""

import time

T_INTERPRETER = time.time()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

RESULT = "BENCH_RESULT "


class WrapOnImport:
    """Runs `wrap(module)` right after `name` is first imported, wherever that happens (a meta path finder
    and loader; importlib.abc is not imported for it, which would change what is measured)."""

    def __init__(self, name: str, wrap):
        self.name, self.wrap = name, wrap

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = next(
            f.find_spec(fullname, path, target)
            for f in sys.meta_path
            if hasattr(f, "find_spec") and f.find_spec(fullname, path, target) is not None
        )
        self.loader, spec.loader = spec.loader, self
        return spec

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.wrap(module)


def main() -> None:
    t0 = float(os.environ["BENCH_T0"])
    marks: dict[str, float] = {"interpreter": T_INTERPRETER - t0}
    state: dict = {}

    def wrap(kiosk_app) -> None:
        from bench.probe import FrameProbe, read_memory

        state["read_memory"] = read_memory
        probe = FrameProbe(clock=time.time)
        original_init, original_show = kiosk_app.Kiosk.__init__, kiosk_app.Kiosk.show

        def init(self, *args, **kwargs):
            marks["kiosk_init_start"] = time.time() - t0
            original_init(self, *args, **kwargs)
            marks["kiosk_init_end"] = time.time() - t0

        def show(self, geometry=None):
            marks["show_start"] = time.time() - t0
            state["kiosk"] = self
            attract = self.navigator.built["attract"]
            probe.attach(self.window, context=self.navigator.on_show)  # before show(): see attach
            probe.watch_children(self.window.stack)
            probe.on_frame = lambda frame: first_frame(frame, attract)
            self.ahead.idle.connect(ahead_done)
            original_show(self, geometry)
            marks["show_end"] = time.time() - t0

        kiosk_app.Kiosk.__init__ = init
        kiosk_app.Kiosk.show = show
        marks["imports"] = time.time() - t0  # kiosk.app and all it imports, as the kiosk imports them

    def ahead_done() -> None:
        marks.setdefault("ahead_done", time.time() - t0)
        maybe_finish()

    def first_frame(frame, attract) -> None:
        if "first_frame" in marks or frame.context != id(attract):
            return
        marks["first_frame"] = frame.end - t0
        marks["first_frame_paint_s"] = frame.end - frame.start
        state["memory_first_frame"] = state["read_memory"]()
        maybe_finish()

    def maybe_finish() -> None:
        if "first_frame" in marks and "ahead_done" in marks:
            kiosk = state["kiosk"]
            result = {
                "marks": marks,
                "memory_first_frame": state["memory_first_frame"],
                "memory_ready": state["read_memory"](),
                "slices_ms": [1000 * s for s in kiosk.ahead.slices],
                "platform": kiosk.app.platformName(),
            }
            sys.stdout.write(RESULT + json.dumps(result) + "\n")
            sys.stdout.flush()
            os._exit(0)

    sys.meta_path.insert(0, WrapOnImport("kiosk.app", wrap))
    from kiosk import cli

    code = cli.main(sys.argv[1:])
    sys.stderr.write(f"kiosk exited ({code}) before its first frame\n")
    sys.exit(1)


if __name__ == "__main__":
    main()
