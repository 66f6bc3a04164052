"""`als-kiosk`: run the kiosk, or check, render, hash a PIN, show statistics."""

from __future__ import annotations

import argparse
import gc
import re
import sys
from datetime import date
from pathlib import Path

from kiosk import APP_NAME, CONFIG_ENV_VAR, EXIT_CONFIG, __version__

SCREEN_SIDE_PX = (320, 16384)  # from a small panel to the largest screen X, Wayland and GPUs drive


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1920x1080, got {text!r}")
    size = int(match.group(1)), int(match.group(2))
    low, high = SCREEN_SIDE_PX
    if not all(low <= side <= high for side in size):
        raise argparse.ArgumentTypeError(
            f"{size[0]}x{size[1]} is no screen size: width and height must each be {low} to {high} pixels"
        )
    return size


def parse_sizes(text: str) -> list[tuple[int, int]]:
    return [parse_size(part) for part in text.split(",") if part.strip()]


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-23, got {text!r}") from None


RENDER_SIZES = [(1920, 1080), (1080, 1920)]
CONFIG_HELP = f"config file (default: ${CONFIG_ENV_VAR}, then the user and system config folders)"


def _add_run_options(parser: argparse.ArgumentParser, after_run: bool = False) -> None:
    # On the top level and again after `run`, where SUPPRESS keeps what the top level read.
    def default(value: object) -> object:
        return argparse.SUPPRESS if after_run else value

    parser.add_argument("--config", type=Path, metavar="PATH", default=default(None), help=CONFIG_HELP)
    parser.add_argument(
        "--windowed", action="store_true", default=default(False), help="a normal window for development (no lockdown)"
    )
    parser.add_argument(
        "--size", type=parse_size, metavar="WxH", default=default(None), help="window size, such as 1920x1080"
    )


def _add_config(parser: argparse.ArgumentParser, text: str = CONFIG_HELP) -> None:
    # SUPPRESS keeps a --config given before the command.
    parser.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS, help=text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="Touchscreen kiosk that teaches patients and families about ALS in six languages.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_run_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    _add_run_options(commands.add_parser("run", help="run the kiosk (the default)"), after_run=True)

    check = commands.add_parser("check", help="validate config, content and catalogs; exit 0 only when all is well")
    _add_config(check)

    render = commands.add_parser("render", help="render every screen in every language to PNG, with an index.html")
    render.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    render.add_argument("--languages", nargs="+", metavar="LANG", help="languages (default: all enabled)")
    render.add_argument(
        "--sizes",
        type=parse_sizes,
        default=RENDER_SIZES,
        metavar="WxH,...",
        help=f"screen sizes (default: {','.join(f'{width}x{height}' for width, height in RENDER_SIZES)})",
    )
    _add_config(render, "config file (default: none, the built-in settings); its metrics and data are never touched")

    glossary = commands.add_parser("glossary", help="print the medical glossary as CSV, for translation tools")
    _add_config(glossary)

    commands.add_parser("hash-pin", help="read a staff PIN twice (no echo) and print the config line for it")
    commands.add_parser(
        "config-template", help="print a kiosk.toml that documents every setting, its default and allowed values"
    )

    stats = commands.add_parser("stats", help="show usage statistics (counts per day, language and topic)")
    stats.add_argument("--csv", action="store_true", help="CSV for a spreadsheet")
    stats.add_argument("--since", type=parse_date, metavar="DATE", help="from this day on (YYYY-MM-DD)")
    _add_config(stats)
    return parser


class _RunOptionsParser(argparse.ArgumentParser):
    """The run options alone; what it cannot read it hands on (`parse_arguments`) instead of exiting."""

    def error(self, message: str):
        raise argparse.ArgumentError(None, message)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    """`argv` as build_parser reads it. The kiosk's own start (`[run] [--config PATH] [--windowed] [--size WxH]`)
    is read by a parser of those options alone, to the same namespace: building every command's parser costs the
    first frame 3 ms. Whatever that parser refuses (a command, --help, a bad value) goes to the full parser, which
    reads it or says what is wrong."""
    run_options = _RunOptionsParser(prog=APP_NAME, add_help=False)
    _add_run_options(run_options)
    run_options.add_argument("command", nargs="?", choices=["run"])
    try:
        return run_options.parse_args(argv)
    except argparse.ArgumentError:
        return build_parser().parse_args(argv)


def load_settings_or_exit(config_path: Path | None):
    from kiosk.config import ConfigError, load_settings

    try:
        return load_settings(config_path)
    except ConfigError as error:
        print(f"{APP_NAME}: the config has errors; not starting:\n{error}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    command = args.command or "run"
    if command == "run":
        gc.disable()  # until the first frame: see kiosk.runtime.collect_from_now_on
    if command == "check":
        from kiosk.check import run_check

        return run_check(args.config, sys.stdout)
    if command == "hash-pin":
        from kiosk.pin import run_hash_pin

        return run_hash_pin()
    if command == "config-template":
        from kiosk.config import settings_template

        sys.stdout.write(settings_template())
        return 0
    if command == "render" and args.config is None:
        from kiosk.config import LoadedSettings, Settings

        # A review render shows the bundled content with the built-in settings; it reads a
        # deployed kiosk's config (which holds the PIN hash) only when named with --config.
        loaded = LoadedSettings(Settings(), None)
    else:
        loaded = load_settings_or_exit(args.config)
    if command == "stats":
        from kiosk.runtime import data_dir
        from kiosk.stats import run_stats

        return run_stats(data_dir(loaded.settings) / "usage.sqlite3", args.csv, args.since)
    if command == "glossary":
        from kiosk.glossary import print_glossary_csv

        return print_glossary_csv(loaded.settings.translations_dir, sys.stdout)
    if command == "render":
        from kiosk.render import run_render

        return run_render(loaded, args.out, args.languages, args.sizes)
    from kiosk.runtime import run_kiosk

    return run_kiosk(loaded, windowed=args.windowed, size=args.size)


if __name__ == "__main__":
    sys.exit(main())
