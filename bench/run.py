"""`python -m bench`: start-up, interaction latency, idle reset and memory of the real kiosk, against the
targets in DESIGN.md ("Performance targets"), with a bare PySide6 window as the floor.

Every measurement that depends on the process (start-up, memory) runs in a fresh child process; the
children are bench/child_*.py. Under a real X server (an Xvfb this script starts and stops) and offscreen.
Prints a table and writes bench/results/latest.json. Informational only: never part of pass/fail.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
RESULT_PREFIX = "BENCH_RESULT "
SIZE = (1920, 1080)

# DESIGN.md, "Performance targets"
TARGET_FIRST_FRAME_S = 0.35
TARGET_FRAME_MS = 16.0
TARGET_PSS_MIB = 120.0
TARGET_GROWTH_MIB = 2.0
TARGET_IDLE_MS = 100.0

TAP_KINDS = ("choose language (attract)", "open topic", "open care item", "back", "next", "home", "start over")


class ChildFailed(RuntimeError):
    pass


# -- helpers --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "min": min(values),
        "max": max(values),
    }


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_child(module: str, args: list[str], env: dict[str, str], timeout: float, stamp: bool = False) -> dict:
    """Run `python -m module args` from the repository root; return its BENCH_RESULT."""
    env = dict(env)
    command = [sys.executable, "-m", module, *args]
    if stamp:
        env["BENCH_T0"] = repr(time.time())  # the start-up clock starts here, just before the spawn
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        tail = (error.stderr or b"")[-1500:]
        raise ChildFailed(f"{module} {' '.join(args)}: no result after {timeout:.0f} s\n{tail!r}") from None
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX):])
    raise ChildFailed(f"{module} {' '.join(args)} exited {done.returncode} without a result:\n{done.stderr[-3000:]}")


# -- the X server ---------------------------------------------------------------------------


class Xvfb:
    """An Xvfb of our own on the first free display from :99, at 1920x1080x24; stopped by its pid."""

    def __init__(self, width: int, height: int):
        self.size = (width, height)
        self.process: subprocess.Popen | None = None
        self.display = ""

    def start(self) -> str | None:
        if shutil.which("Xvfb") is None:
            return None
        for number in range(99, 140):
            if Path(f"/tmp/.X{number}-lock").exists() or Path(f"/tmp/.X11-unix/X{number}").exists():
                continue
            width, height = self.size
            process = subprocess.Popen(
                ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp", "-noreset"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    break  # lost a race for this display: try the next one
                if Path(f"/tmp/.X11-unix/X{number}").exists():
                    self.process, self.display = process, f":{number}"
                    time.sleep(0.2)
                    return self.display
                time.sleep(0.05)
            else:
                process.terminate()
                process.wait(5)
        return None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


# -- the measurements -----------------------------------------------------------------------


def longest_topic_text() -> tuple[str, str]:
    """(topic id, its text) for the topic with the most text, in English as the content files hold it."""
    from kiosk.content.loader import load_library
    from kiosk.icon_names import icon_exists
    from kiosk.paths import CONTENT_DIR

    topics = load_library(CONTENT_DIR, icon_exists).library.topics
    longest = max(topics, key=lambda t: sum(len(text) for _, text in t.texts()))
    return longest.id, "\n\n".join(text for _, text in longest.texts())


def measure_startup(env: dict, config: Path, text_file: Path, runs: int) -> dict:
    from kiosk.paths import FONTS_DIR

    size = f"{SIZE[0]}x{SIZE[1]}"
    kiosk_args = ["--config", str(config), "--size", size]
    baseline_args = [str(text_file), str(FONTS_DIR / "NotoSans-Regular.ttf"), size, "--fullscreen"]
    kiosk, baseline = [], []
    for number in range(runs + 1):  # the first pair warms the caches and is not counted
        one = run_child("bench.child_startup", kiosk_args, env, 60, stamp=True)
        two = run_child("bench.child_baseline", baseline_args, env, 60, stamp=True)
        if number:
            kiosk.append(one)
            baseline.append(two)
    return {"kiosk": kiosk, "baseline": baseline}


def measure_latency(env: dict, config: Path, passes: int, idle_runs: int) -> dict:
    args = ["latency", "--config", str(config), "--size", f"{SIZE[0]}x{SIZE[1]}", "--passes", str(passes),
            "--idle-runs", str(idle_runs)]
    return run_child("bench.child_session", args, env, 900)


def measure_memory(env: dict, config: Path, navigations: int, seed: int) -> dict:
    args = ["memory", "--config", str(config), "--size", f"{SIZE[0]}x{SIZE[1]}", "--navigations", str(navigations),
            "--seed", str(seed)]
    return run_child("bench.child_session", args, env, 1200)


# -- the report -----------------------------------------------------------------------------


def verdict(value: float | None, target: float | None) -> str:
    if target is None:
        return ""
    if value is None:
        return "n/a"
    return "OK" if value <= target else "MISS"


def build_rows(results: dict) -> list[dict]:
    rows: list[dict] = []

    def add(section, name, value, text, target, target_text, note=""):
        rows.append({"section": section, "measure": name, "value": value, "result": text, "target": target,
                     "target_text": target_text, "status": verdict(value, target), "note": note})

    for name, data in results["platforms"].items():
        startup = data.get("startup")
        if startup and startup["kiosk"]:
            frames = [r["marks"]["first_frame"] for r in startup["kiosk"]]
            ready = [r["marks"]["warm_up_end"] for r in startup["kiosk"]]
            s, r = summary(frames), summary(ready)
            early = sum(1 for x in startup["kiosk"] if x.get("warm_up_before_first_frame"))
            note = f"warm-up ran before the first frame in {early}/{len(frames)} runs" if early else ""
            add(f"start-up ({name})", "process start -> first painted attract screen", s["median"],
                f"{s['median']:.3f} s [{s['min']:.3f}-{s['max']:.3f}]", TARGET_FIRST_FRAME_S,
                f"<= {TARGET_FIRST_FRAME_S} s", note)
            add(f"start-up ({name})", "  ... then warm-up done (home built, icons)", r["median"],
                f"{r['median']:.3f} s [{r['min']:.3f}-{r['max']:.3f}]", None, "")
            phases = phase_breakdown(startup["kiosk"])
            add(f"start-up ({name})", "  phases (median, ms)", None, phases, None, "")
            pss = summary([r["memory_first_frame"].get("pss", 0) for r in startup["kiosk"]])
            add(f"start-up ({name})", "  PSS at first frame", pss["median"], f"{pss['median']:.1f} MiB", None, "")
            b = summary([r["marks"]["first_frame"] for r in startup["baseline"]])
            bp = summary([r["memory_first_frame"].get("pss", 0) for r in startup["baseline"]])
            add(f"start-up ({name})", "floor: bare PySide6 label, first frame", b["median"],
                f"{b['median']:.3f} s [{b['min']:.3f}-{b['max']:.3f}]", None, "", "the floor")
            add(f"start-up ({name})", "floor: bare PySide6 label, PSS", bp["median"], f"{bp['median']:.1f} MiB",
                None, "", "the floor")
        latency = data.get("latency")
        if latency:
            samples = latency["samples"]
            section = f"latency ({name})"
            taps = [x["latency_ms"] for x in samples if x["kind"] != "language switch"]
            switches = [x["latency_ms"] for x in samples if x["kind"] == "language switch"]
            for label, values in (("any tap -> next frame", taps), ("any language switch -> next frame", switches)):
                s = summary(values)
                if s["n"]:
                    add(
                        section,
                        f"{label} (n={s['n']})",
                        s["p95"],
                        f"{s['p50']:.1f} / {s['p95']:.1f} / {s['max']:.1f} ms",
                        TARGET_FRAME_MS,
                        f"p95 <= {TARGET_FRAME_MS:.0f} ms",
                    )
            for kind in (*TAP_KINDS, "language switch"):
                values = [x["latency_ms"] for x in samples if x["kind"] == kind]
                s = summary(values)
                if s["n"]:
                    add(
                        section,
                        f"  {kind} (n={s['n']})",
                        s["p95"],
                        f"{s['p50']:.1f} / {s['p95']:.1f} / {s['max']:.1f} ms",
                        TARGET_FRAME_MS,
                        f"p95 <= {TARGET_FRAME_MS:.0f} ms",
                    )
            built = summary([x["latency_ms"] for x in samples if x.get("built")])
            again = summary([x["latency_ms"] for x in samples if not x.get("built") and x["kind"] != "language switch"])
            if built["n"]:
                add(
                    section,
                    f"  first visit, screen built by the tap (n={built['n']})",
                    built["p95"],
                    f"{built['p50']:.1f} / {built['p95']:.1f} / {built['max']:.1f} ms",
                    None,
                    "",
                    "in the taps above",
                )
            if again["n"]:
                add(
                    section,
                    f"  screen already built (n={again['n']})",
                    again["p95"],
                    f"{again['p50']:.1f} / {again['p95']:.1f} / {again['max']:.1f} ms",
                    None,
                    "",
                    "in the taps above",
                )
            handler = summary([x["handler_ms"] for x in samples])
            paint = summary([x["paint_ms"] for x in samples])
            add(
                section,
                "  of which: handling the release / painting",
                None,
                f"p95 {handler['p95']:.1f} / {paint['p95']:.1f} ms",
                None,
                "",
            )
            idle = [x for x in latency.get("idle", []) if x["kind"] == "deadline"]
            if idle:
                s = summary([x["latency_ms"] for x in idle])
                add(
                    f"idle reset ({name})",
                    f"deadline -> painted attract screen (n={s['n']})",
                    s["max"],
                    f"{s['median']:.1f} ms median, {s['max']:.1f} max",
                    TARGET_IDLE_MS,
                    f"<= {TARGET_IDLE_MS:.0f} ms",
                )
            problems = len(latency["misses"]) + len(latency["errors"])
            if problems or latency.get("loose_frames"):
                add(
                    section,
                    "  taps that did not land / errors / loose frames",
                    None,
                    f"{len(latency['misses'])} / {len(latency['errors'])} / {latency.get('loose_frames', 0)}",
                    None,
                    "",
                )
        memory = data.get("memory")
        if memory and memory.get("memory"):
            m = memory["memory"]
            section = f"memory ({name})"
            start, visited = m["start"], m["visited"]
            add(
                section,
                "PSS after start (warm-up done)",
                start["pss"],
                f"{start['pss']:.1f} MiB (heap {start['pss_anon']:.1f}, RSS {start['rss']:.1f})",
                None,
                "",
            )
            add(
                section,
                "PSS after every screen in every language",
                visited["pss"],
                f"{visited['pss']:.1f} MiB (heap {visited['pss_anon']:.1f}, RSS {visited['rss']:.1f})",
                TARGET_PSS_MIB,
                f"<= {TARGET_PSS_MIB:.0f} MiB",
                f"of which libraries {visited.get('pss_file', 0):.1f} MiB: less while other Qt programs run",
            )
            if m.get("trend"):
                after = m["after"]
                n = m["trend"][-1]["navigations"]
                # Growth in anonymous memory (heap): PSS, and USS too, also move when other processes start or
                # stop mapping the same libraries; the process's own heap does not.
                raw = after["pss_anon"] - visited["pss_anon"]
                add(
                    section,
                    f"growth over {n} random navigations + switches",
                    raw,
                    f"{raw:+.2f} MiB heap ({after['pss'] - visited['pss']:+.2f} PSS, "
                    f"{after['rss'] - visited['rss']:+.2f} RSS)",
                    TARGET_GROWTH_MIB,
                    f"< {TARGET_GROWTH_MIB:.0f} MiB",
                    "as the process sees it",
                )
                if "trimmed" in visited and "trimmed" in after:
                    held = after["trimmed"]["pss_anon"] - visited["trimmed"]["pss_anon"]
                    add(
                        section,
                        "  held (no pixmap cache, no free heap)",
                        held,
                        f"{held:+.2f} MiB heap",
                        TARGET_GROWTH_MIB,
                        f"< {TARGET_GROWTH_MIB:.0f} MiB",
                        "leak check: after QPixmapCache.clear() and malloc_trim at both ends",
                    )
                first, last = m["trend"][0], m["trend"][-1]
                add(
                    section,
                    f"  heap from {first['navigations']} to {last['navigations']} navigations",
                    None,
                    f"{last['pss_anon'] - first['pss_anon']:+.2f} MiB",
                    None,
                    "",
                    "trend: flat after the caches fill = no leak",
                )
                add(
                    section,
                    "  Python objects / Qt widgets",
                    None,
                    f"{visited['python_objects']} -> {after['python_objects']} / "
                    f"{visited['qt_widgets']} -> {after['qt_widgets']}",
                    None,
                    "",
                )
                add(
                    section,
                    "  random walk",
                    None,
                    f"{m['random_seconds']:.0f} s",
                    None,
                    "",
                    ", ".join(f"{k} {v}" for k, v in sorted(m["actions"].items())),
                )
            problems = len(memory.get("misses", [])) + len(memory.get("errors", []))
            if problems:
                add(
                    section,
                    "  actions that did not land / errors",
                    None,
                    f"{len(memory['misses'])} / {len(memory['errors'])}",
                    None,
                    "",
                )
    return rows


def phase_breakdown(runs: list[dict]) -> str:
    keys = [
        ("interpreter", "python"),
        ("imports", "imports"),
        ("kiosk_init_end", "Kiosk()"),
        ("show_end", "show"),
        ("first_frame", "frame"),
    ]
    parts, previous = [], 0.0
    for key, label in keys:
        values = [r["marks"][key] for r in runs if key in r["marks"]]
        if not values:
            continue
        value = statistics.median(values)
        parts.append(f"{label} {1000 * (value - previous):.0f}")
        previous = value
    return " + ".join(parts)


def print_table(rows: list[dict], out) -> None:
    headers = ("measure", "result (p50 / p95 / max)", "target", "")
    widths = [
        max(len(headers[0]), *(len(r["measure"]) for r in rows)),
        max(len(headers[1]), *(len(r["result"]) for r in rows)),
        max(len(headers[2]), *(len(r["target_text"]) for r in rows)),
        4,
    ]
    section = None
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line, file=out)
    print("-" * len(line), file=out)
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            print(f"[{section}]", file=out)
        cells = (row["measure"], row["result"], row["target_text"], row["status"])
        text = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
        if row["note"]:
            text += f"   ({row['note']})"
        print(text, file=out)


# -- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few runs only: a smoke check of the bench itself")
    parser.add_argument("--runs", type=int, default=10, help="start-up runs per platform (default 10)")
    parser.add_argument(
        "--navigations",
        type=int,
        default=10000,
        help="random navigations and language switches for the memory growth (default 10000)",
    )
    parser.add_argument("--passes", type=int, default=2, help="walks over every screen in every language (default 2)")
    parser.add_argument("--idle-runs", type=int, default=10, help="idle resets and Start over taps (default 10)")
    parser.add_argument("--platforms", default="xcb,offscreen", help="xcb (under Xvfb), offscreen (default both)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "latest.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.passes, args.idle_runs = min(args.runs, 3), 1, min(args.idle_runs, 2)
        given = argv if argv is not None else sys.argv[1:]
        if not any(a == "--navigations" or a.startswith("--navigations=") for a in given):
            args.navigations = 300

    started = time.monotonic()
    cpu_before = cpu_seconds()
    platforms = [p.strip() for p in args.platforms.split(",") if p.strip()]
    work = Path(tempfile.mkdtemp(prefix="als-kiosk-bench-"))
    xvfb = Xvfb(*SIZE)
    results: dict = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "arguments": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "targets": {
            "first_frame_s": TARGET_FIRST_FRAME_S,
            "frame_ms_p95": TARGET_FRAME_MS,
            "pss_mib": TARGET_PSS_MIB,
            "growth_mib": TARGET_GROWTH_MIB,
            "idle_reset_ms": TARGET_IDLE_MS,
        },
        "platforms": {},
        "failures": [],
    }
    try:
        results["environment"] = environment()
        data = work / "data"
        data.mkdir()
        config = work / "kiosk.toml"
        # Defaults, except the data folder (logs, statistics, PIN lockout) goes to a throw-away place.
        config.write_text(f'data_dir = "{data}"\n', encoding="utf-8")
        offscreen_config = work / "offscreen.json"
        offscreen_config.write_text(
            json.dumps(
                {
                    "synchronousWindowSystemEvents": False,
                    "windowFrameMargins": False,
                    "screens": [
                        {
                            "name": "bench",
                            "x": 0,
                            "y": 0,
                            "width": SIZE[0],
                            "height": SIZE[1],
                            "logicalDpi": 96,
                            "logicalBaseDpi": 96,
                            "dpr": 1,
                        }
                    ],
                }
            ),
            encoding="utf-8",
        )
        topic_id, text = longest_topic_text()
        text_file = work / "longest-topic.txt"
        text_file.write_text(text, encoding="utf-8")
        results["baseline_text"] = {"topic": topic_id, "characters": len(text)}

        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "BENCH_"))}
        base_env.pop("ALS_KIOSK_CONFIG", None)
        # Warm cache, as on an installed kiosk: bytecode is written (to a throw-away folder, not into the
        # repository) by the first, uncounted run and read by the others.
        base_env.pop("PYTHONDONTWRITEBYTECODE", None)
        base_env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        envs: dict[str, dict] = {}
        if "xcb" in platforms:
            display = xvfb.start()
            if display is None:
                results["failures"].append("xcb: could not start Xvfb; measured offscreen only")
                log("could not start Xvfb: measuring offscreen only")
            else:
                log(f"Xvfb on {display} at {SIZE[0]}x{SIZE[1]}")
                envs["xcb"] = base_env | {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        if "offscreen" in platforms:
            envs["offscreen"] = base_env | {"QT_QPA_PLATFORM": f"offscreen:configfile={offscreen_config}"}
        primary = "xcb" if "xcb" in envs else next(iter(envs), None)

        for name, env in envs.items():
            entry: dict = {}
            results["platforms"][name] = entry
            steps = [
                ("startup", lambda env=env: measure_startup(env, config, text_file, args.runs)),
                ("latency", lambda env=env: measure_latency(env, config, args.passes, args.idle_runs)),
                # The long random walk runs where the targets are defined (X); elsewhere start + every screen.
                (
                    "memory",
                    lambda env=env, name=name: measure_memory(
                        env, config, args.navigations if name == primary else 0, args.seed
                    ),
                ),
            ]
            for step, function in steps:
                log(f"{name}: {step} ...")
                t = time.monotonic()
                try:
                    entry[step] = function()
                except ChildFailed as error:
                    results["failures"].append(f"{name} {step}: {error}")
                    log(f"{name} {step} FAILED: {str(error)[:2000]}")
                log(f"{name}: {step} took {time.monotonic() - t:.0f} s")
    finally:
        xvfb.stop()
        shutil.rmtree(work, ignore_errors=True)

    results["rows"] = build_rows(results)
    results["seconds"] = time.monotonic() - started
    results["environment"]["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    cpu_after = cpu_seconds()
    if cpu_before and cpu_after:
        # Our Xvfb and children count as ours once waited for.
        other = (cpu_after[0] - cpu_before[0]) - (cpu_after[1] - cpu_before[1])
        results["environment"]["other_processes_cpu_share"] = max(0.0, other / results["seconds"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print()
    print(
        f"ALS kiosk benchmark: {results['environment'].get('cpus')} CPUs, Qt {results['environment'].get('qt')}, "
        f"{SIZE[0]}x{SIZE[1]}, {args.runs} start-up runs, {args.passes} passes, {args.navigations} navigations"
    )
    other = results["environment"].get("other_processes_cpu_share")
    if other is not None:
        print(
            f"other processes used {100 * other:.0f}% of one core during the run"
            + ("  -- the machine was not quiet: timings are inflated" if other > 0.25 else "")
        )
    print_table(results["rows"], sys.stdout)
    for failure in results["failures"]:
        print(f"FAILED: {failure.splitlines()[0]}")
    for name, entry in results["platforms"].items():
        for step in ("latency", "memory"):
            child = entry.get(step) or {}
            for problem in (child.get("misses") or [])[:5] + (child.get("errors") or [])[:3]:
                print(f"note ({name} {step}): {problem.strip().splitlines()[-1]}")
    print(f"\n{results['seconds']:.0f} s; JSON: {args.out}")
    return 0


def cpu_seconds() -> tuple[float, float] | None:
    """(CPU seconds the whole machine has been busy, CPU seconds this process and its children used)."""
    try:
        import resource

        with open("/proc/stat", encoding="ascii") as fp:
            fields = [int(v) for v in fp.readline().split()[1:]]
        ticks = os.sysconf("SC_CLK_TCK")
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        busy = (sum(fields[:8]) - idle) / ticks
        own = sum(
            getattr(resource.getrusage(who), field)
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
            for field in ("ru_utime", "ru_stime")
        )
        return busy, own
    except (OSError, ValueError, ImportError, IndexError):
        return None


def environment() -> dict:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    return {
        "python": platform.python_version(),
        "pyside6": pyside_version,
        "qt": qVersion(),
        "machine": platform.machine(),
        "system": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
