"""Kiosk settings: one flat TOML file checked against a typed schema.

Each key is declared once in OPTIONS (type, default, allowed values, meaning). The descriptions
feed schema_docs(), which documents deploy/kiosk.toml and the `check` output.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk import APP_NAME

ENV_VAR = "ALS_KIOSK_CONFIG"
FILE_NAME = "kiosk.toml"
SYSTEM_CONFIG = Path("/etc") / APP_NAME / FILE_NAME
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a settings file; str() is `file:line: key: message`."""

    file: Path | None
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = str(self.file) if self.file is not None else ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [part for part in (where, self.key, self.message) if part]
        return ": ".join(parts)


class ConfigError(Exception):
    """The settings cannot be used; `problems` lists everything found, one line each in str()."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _toml(value: Any) -> str:
    """A value as TOML text, for messages and docs."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return repr(value)  # int and float read the same in TOML


_TOML_TYPES = ((bool, "boolean"), (int, "integer"), (float, "float"), (str, "string"), (list, "array"), (dict, "table"))


def _describe(value: Any) -> str:
    """The TOML type and text of a value, for 'got ...' in messages."""
    name = next((name for kind, name in _TOML_TYPES if isinstance(value, kind)), "date-time")
    return f"{name} {_toml(value)}"


def _check_locale(code: str) -> str | None:
    # Here: only a config that lists languages pays for Babel and its locale data.
    from babel import Locale, UnknownLocaleError

    try:
        canonical = str(Locale.parse(code))
    except (ValueError, UnknownLocaleError):
        return f"{_toml(code)} is not a known locale id"
    # Catalogs are found by folder name, so "pt_br" or "EN" would never match one.
    if canonical != code:
        return f"{_toml(code)} is not a known locale id (did you mean {_toml(canonical)}?)"
    return None


def _check_languages(codes: list[str]) -> list[str]:
    if not codes:
        return ["list at least one language"]
    problems = []
    for index, code in enumerate(codes):
        if code in codes[:index]:
            problems.append(f"{_toml(code)} is listed twice")
        elif problem := _check_locale(code):
            problems.append(problem)
    return problems


def _check_url(text: str) -> list[str]:
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts and parts.scheme in ("http", "https") and parts.netloc:
        return []
    return [f"{_toml(text)} is not an http:// or https:// URL"]


def _check_pin_hash(text: str) -> list[str]:
    if not text:
        return []
    from kiosk.pin import parse_pin_hash

    try:
        parse_pin_hash(text)
    except ValueError as exc:
        return [f"not a valid PIN hash ({exc}); make one with 'als-kiosk hash-pin'"]
    return []


def _check_voices(voices: dict[str, str]) -> list[str]:
    return [problem for language in voices if (problem := _check_locale(language))]


@dataclass(frozen=True)
class Option:
    """One settings key. `default` is written as in TOML; `kind` is bool, int, str, list or Path."""

    key: str
    kind: type
    default: Any
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    check: Callable[[Any], list[str]] | None = None  # further rules, once the type is right
    allowed: str = ""  # allowed values in words, where kind, bounds and choices do not say it

    def describe(self) -> str:
        return f"{self.description}. Allowed: {self.allowed or self._allowed()}."

    def _allowed(self) -> str:
        if self.kind is bool:
            return "true or false"
        if self.kind is Path:
            return "a path, relative to this file's folder; ~ is the home folder"
        if self.choices:
            return ", ".join(self.choices)
        return f"{self.minimum} to {self.maximum}"


OPTIONS: dict[str, Option] = {
    option.key: option
    for option in (
        Option(
            "languages",
            list,
            ["en", "fr", "de", "it", "pt_BR", "ru"],
            "Languages offered to visitors, in button order; each needs a catalog in translations_dir",
            check=_check_languages,
            allowed='locale ids such as "pt_BR", at least one, no duplicates',
        ),
        Option(
            "default_language",
            str,
            "en",
            "Language of the attract screen before a visitor picks one",
            allowed="one of languages",
        ),
        Option(
            "idle_timeout_s",
            int,
            90,
            'Seconds without a touch before the "Still there?" warning',
            minimum=10,
            maximum=3600,
        ),
        Option(
            "idle_warning_s",
            int,
            30,
            'Seconds the "Still there?" countdown runs before starting over (WCAG 2.2.1 asks for 20 or more)',
            minimum=20,
            maximum=600,
        ),
        Option(
            "switch_scanning",
            bool,
            False,
            "Start every visit with switch access on: buttons light up one by one and any key presses the "
            "one lit (visitors can also turn it on from the first screen)",
        ),
        Option(
            "scan_interval_ms",
            int,
            1500,
            "Milliseconds each button stays lit while switch access scans",
            minimum=500,
            maximum=10000,
        ),
        Option(
            "dwell_click",
            bool,
            False,
            "Press a button when the pointer rests on it (head mouse, eye gaze); shows the pointer",
        ),
        Option(
            "dwell_ms",
            int,
            1200,
            "Milliseconds the pointer must rest on a button before dwell presses it",
            minimum=300,
            maximum=10000,
        ),
        Option("fullscreen", bool, True, "Fill the screen; false gives a normal window, for development"),
        Option("hide_cursor", bool, True, "Hide the mouse pointer"),
        Option(
            "reduced_motion",
            bool,
            False,
            "Keep the attract screen still: no slow drift and no fades (its welcome line still changes language)",
        ),
        Option(
            "staff_pin_hash",
            str,
            "",
            "Hash of the staff PIN, printed by 'als-kiosk hash-pin'; empty means no staff panel",
            check=_check_pin_hash,
            allowed='"" or a hash from als-kiosk hash-pin',
        ),
        Option("content_dir", Path, "", "Folder of topic files; empty means the bundled content"),
        Option("translations_dir", Path, "", "Folder of translation catalogs; empty means the bundled ones"),
        Option(
            "data_dir",
            Path,
            "",
            "Folder for usage counts and PIN lockout state; empty means the system's app data folder",
        ),
        Option(
            "qr_base_url",
            str,
            "https://www.rush.edu/conditions/amyotrophic-lateral-sclerosis-als",
            "Web page the QR code on each topic opens",
            check=_check_url,
            allowed="an http:// or https:// URL",
        ),
        Option(
            "metrics_file",
            Path,
            "",
            "Prometheus text file for node_exporter's textfile collector; empty means no metrics",
        ),
        Option("metrics_interval_s", int, 60, "Seconds between metrics file updates", minimum=5, maximum=3600),
        Option(
            "read_aloud_voices",
            dict,
            {},
            "Read-aloud voice per language, where the default (the language's usual region, such as en_US for en) "
            "is not wanted",
            check=_check_voices,
            allowed='a table of language = voice name or locale, such as { en = "en_GB", fr = "French (France)" }',
        ),
        Option("stats_enabled", bool, True, "Count visits per day, language and topic (no personal data)"),
        Option("log_level", str, "INFO", "Least severe log messages to record", choices=LOG_LEVELS),
    )
}

_EXPECTED = {
    bool: "a boolean (true or false)",
    int: "an integer",
    str: "a string",
    Path: "a string (a path)",
    list: "an array of strings",
    dict: "a table of strings",
}


def _has_type(kind: type, value: Any) -> bool:
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind is dict:
        return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
    return isinstance(value, str if kind is Path else kind)


def _check_value(option: Option, value: Any) -> list[str]:
    """Messages for everything wrong with one value; empty when it is fine."""
    if not _has_type(option.kind, value):
        return [f"expected {_EXPECTED[option.kind]}, got {_describe(value)}"]
    if option.minimum is not None and value < option.minimum:
        return [f"{value} is below the minimum {option.minimum}"]
    if option.maximum is not None and value > option.maximum:
        return [f"{value} is above the maximum {option.maximum}"]
    if option.choices and value not in option.choices:
        return [f"{_toml(value)} is not one of {', '.join(option.choices)}"]
    return option.check(value) if option.check else []


def _convert(option: Option, value: Any, base_dir: Path) -> Any:
    """A checked TOML value as the Settings field holds it."""
    if option.kind is list:
        return tuple(value)
    if option.kind is dict:
        return tuple(sorted(value.items()))  # hashable, as the frozen Settings needs
    if option.kind is Path:
        if not value:
            return None
        path = Path(value).expanduser()
        return path if path.is_absolute() else base_dir / path
    return value


def _default(key: str) -> Any:
    option = OPTIONS[key]
    return _convert(option, option.default, Path())


@dataclass(frozen=True)
class Settings:
    """Checked settings. A path of None means the default location (bundled, or the system's)."""

    languages: tuple[str, ...] = _default("languages")
    default_language: str = _default("default_language")
    idle_timeout_s: int = _default("idle_timeout_s")
    idle_warning_s: int = _default("idle_warning_s")
    switch_scanning: bool = _default("switch_scanning")
    scan_interval_ms: int = _default("scan_interval_ms")
    dwell_click: bool = _default("dwell_click")
    dwell_ms: int = _default("dwell_ms")
    fullscreen: bool = _default("fullscreen")
    hide_cursor: bool = _default("hide_cursor")
    reduced_motion: bool = _default("reduced_motion")
    staff_pin_hash: str = _default("staff_pin_hash")
    content_dir: Path | None = _default("content_dir")
    translations_dir: Path | None = _default("translations_dir")
    data_dir: Path | None = _default("data_dir")
    qr_base_url: str = _default("qr_base_url")
    metrics_file: Path | None = _default("metrics_file")
    metrics_interval_s: int = _default("metrics_interval_s")
    read_aloud_voices: tuple[tuple[str, str], ...] = _default("read_aloud_voices")
    stats_enabled: bool = _default("stats_enabled")
    log_level: str = _default("log_level")


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    path: Path | None  # the file read; None when no file was found and the defaults apply


_NAME = r"""(?:"([^"\\]*)"|'([^']*)'|([A-Za-z0-9_-]+))"""
_KEY_LINE = re.compile(rf"\s*{_NAME}\s*[=.]")
_TABLE_LINE = re.compile(rf"\s*\[\[?\s*{_NAME}")
_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _key_lines(text: str) -> dict[str, list[int]]:
    """The lines where each top-level key is set, as tomllib reports none.

    The file is flat, so a line scan is enough; keys after a [table] header belong to it.
    """
    found: dict[str, list[int]] = {}
    in_table = False
    for number, line in enumerate(text.split("\n"), start=1):
        table = _TABLE_LINE.match(line)
        in_table = in_table or table is not None
        match = table or (None if in_table else _KEY_LINE.match(line))
        if match:
            key = next(group for group in match.groups() if group is not None)
            found.setdefault(key, []).append(number)
    return found


def _syntax_problems(path: Path, error: tomllib.TOMLDecodeError, lines: dict[str, list[int]]) -> list[Problem]:
    # A repeated key (a pasted staff_pin_hash line, say) reads better as such than as tomllib's
    # "Cannot overwrite a value"; any other error shows once the repeat is gone.
    repeats = [
        Problem(path, number, key, f"set twice (first on line {numbers[0]})")
        for key, numbers in lines.items()
        for number in numbers[1:]
    ]
    if repeats:
        return repeats
    match = _POSITION.search(str(error))
    message = str(error)[: match.start()] if match else str(error)
    line = None
    if match and match[1]:
        line = int(match[1])
        message += f" (column {match[2]})"
    elif match:
        message += " at the end of the file"
    return [Problem(path, line, None, f"invalid TOML: {message}")]


def _read_text(path: Path) -> str:
    def fail(line: int | None, message: str) -> ConfigError:
        return ConfigError([Problem(path, line, None, message)])

    if os.path.isdir(path):  # unlike Path.is_dir, never raises
        raise fail(None, "is a folder, not a settings file")
    try:
        data = path.read_bytes().removeprefix(codecs.BOM_UTF8)  # some Windows editors add one
    except OSError as exc:
        raise fail(None, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); is this the right file?") from None


def _unknown_key(key: str) -> str:
    close = difflib.get_close_matches(key, OPTIONS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}"


def _check_default_language(
    path: Path, data: dict[str, Any], values: dict[str, Any], lines: dict[str, list[int]]
) -> list[Problem]:
    keys = ("languages", "default_language")
    if any(key in data and key not in values for key in keys):
        return []  # one of them is already reported
    languages = values.get("languages", _default("languages"))
    default = values.get("default_language", _default("default_language"))
    if default in languages:
        return []
    line = next((lines[key][0] for key in reversed(keys) if key in lines), None)
    which = "" if "default_language" in data else "the default "
    message = f"{which}{_toml(default)} is not one of the languages: {', '.join(languages)}"
    return [Problem(path, line, "default_language", message)]


def read_settings_file(path: Path) -> Settings:
    """Read and check one settings file; ConfigError lists every problem in it."""
    text = _read_text(path)
    lines = _key_lines(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_problems(path, exc, lines)) from None
    base_dir = path.absolute().parent
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        line = lines[key][0] if key in lines else None
        option = OPTIONS.get(key)
        if option is None:
            # The message names the key already, so the Problem does not repeat it.
            problems.append(Problem(path, line, None, _unknown_key(key)))
            continue
        messages = _check_value(option, value)
        problems += [Problem(path, line, key, message) for message in messages]
        if not messages:
            values[key] = _convert(option, value, base_dir)
    problems += _check_default_language(path, data, values, lines)
    if problems:
        raise ConfigError(problems)
    return Settings(**values)


def default_search_paths() -> list[Path]:
    """Where to look for kiosk.toml when none is named: the user's config folders, then the system's."""
    from PySide6.QtCore import QStandardPaths

    folders = QStandardPaths.standardLocations(QStandardPaths.StandardLocation.GenericConfigLocation)
    return [Path(folder) / APP_NAME / FILE_NAME for folder in folders] + [SYSTEM_CONFIG]


def _read_named(path: Path, origin: str) -> LoadedSettings:
    # os.path.exists, unlike Path.exists, never raises (an unreadable parent folder, for one).
    if not os.path.exists(path):
        raise ConfigError([Problem(path, None, None, f"no such file (named {origin})")])
    return LoadedSettings(read_settings_file(path), path)


def load_settings(
    cli_path: Path | None = None,
    environ: Mapping[str, str] = os.environ,
    search_paths: Sequence[Path] | None = None,
) -> LoadedSettings:
    """Settings from the command-line path, else $ALS_KIOSK_CONFIG, else the first file found, else defaults."""
    if cli_path is not None:
        return _read_named(cli_path, "on the command line")
    if environ.get(ENV_VAR):
        return _read_named(Path(environ[ENV_VAR]).expanduser(), f"by ${ENV_VAR}")
    for path in default_search_paths() if search_paths is None else search_paths:
        if os.path.exists(path):
            return LoadedSettings(read_settings_file(path), path)
    return LoadedSettings(Settings(), None)


def schema_docs() -> list[tuple[str, str, str]]:
    """(key, default as TOML text, description with allowed values) for every key, in file order."""
    return [(option.key, _toml(option.default), option.describe()) for option in OPTIONS.values()]
