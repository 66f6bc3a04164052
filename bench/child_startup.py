"""Child process: start the real kiosk (`als-kiosk --config ... --size WxH`) and report when the attract
screen is first painted, then when the post-frame warm-up is done. Prints one `BENCH_RESULT {json}` line.

The parent sets BENCH_T0 (time.time()) just before spawning this process, so the start-up time includes
the interpreter's own start. Kiosk.show and Kiosk.warm_up are wrapped (not changed) to attach the frame
probe and to time the warm-up; everything else is the production path through kiosk.cli.main.
"""

import time

T_INTERPRETER = time.time()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

RESULT = "BENCH_RESULT "


def main() -> None:
    t0 = float(os.environ["BENCH_T0"])
    argv = sys.argv[1:]
    marks: dict[str, float] = {"interpreter": T_INTERPRETER - t0}

    from bench.probe import FrameProbe, read_memory
    from kiosk import app as kiosk_app
    from kiosk import cli

    marks["imports"] = time.time() - t0
    probe = FrameProbe(clock=time.time)
    state: dict = {}

    original_init, original_show, original_warm_up = (
        kiosk_app.Kiosk.__init__,
        kiosk_app.Kiosk.show,
        kiosk_app.Kiosk.warm_up,
    )

    def init(self, *args, **kwargs):
        marks["kiosk_init_start"] = time.time() - t0
        original_init(self, *args, **kwargs)
        marks["kiosk_init_end"] = time.time() - t0

    def show(self, geometry=None):
        marks["show_start"] = time.time() - t0
        state["kiosk"] = self
        attract = self.navigator.built["attract"]
        stack = self.window.stack
        probe.attach(self.window, context=stack.currentWidget)  # before show(): see FrameProbe.attach
        probe.watch_children(stack)
        probe.on_frame = lambda frame: first_frame(frame, attract)
        original_show(self, geometry)
        marks["show_end"] = time.time() - t0

    def warm_up(self):
        marks["warm_up_start"] = time.time() - t0
        original_warm_up(self)
        marks["warm_up_end"] = time.time() - t0
        maybe_finish()

    def first_frame(frame, attract) -> None:
        if "first_frame" in marks or frame.context != id(attract):
            return
        marks["first_frame"] = frame.end - t0
        marks["first_frame_paint_s"] = frame.end - frame.start
        state["memory_first_frame"] = read_memory()
        maybe_finish()

    def maybe_finish() -> None:
        if "first_frame" in marks and "warm_up_end" in marks:
            kiosk = state["kiosk"]
            result = {
                "marks": marks,
                "memory_first_frame": state["memory_first_frame"],
                "memory_ready": read_memory(),
                "geometry": list(kiosk.window.geometry().getRect()),
                "platform": kiosk.app.platformName(),
                "kiosk_mode": kiosk.kiosk_mode,
                "warm_up_before_first_frame": marks["warm_up_start"] < marks["first_frame"],
            }
            sys.stdout.write(RESULT + json.dumps(result) + "\n")
            sys.stdout.flush()
            os._exit(0)

    kiosk_app.Kiosk.__init__ = init
    kiosk_app.Kiosk.show = show
    kiosk_app.Kiosk.warm_up = warm_up
    code = cli.main(argv)
    sys.stderr.write(f"kiosk exited ({code}) before its first frame\n")
    sys.exit(1)


if __name__ == "__main__":
    main()
