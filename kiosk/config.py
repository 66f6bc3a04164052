"""Kiosk settings: one flat TOML file checked against a typed schema.

Each key is declared once, as a field of Settings: its type, default, allowed values and meaning.
From those declarations follow OPTIONS (the schema), every message about a bad value, and the
documented file settings_template() writes (deploy/kiosk.toml; `als-kiosk config-template`).
"""

from __future__ import annotations

import codecs
import datetime
import json
import os
import re
import textwrap
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, NamedTuple, get_type_hints
from urllib.parse import urlsplit

from kiosk import APP_NAME, CONFIG_ENV_VAR

FILE_NAME = "kiosk.toml"
SYSTEM_CONFIG = Path("/etc") / APP_NAME / FILE_NAME
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class Problem(NamedTuple):
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


class Kind(NamedTuple):
    """How values of one Settings field type are checked in TOML, converted, and described."""

    expected: str  # for "expected ..., got ..."
    accepts: Callable[[Any], bool]  # the TOML value has this type
    to_field: Callable[[Any, Path], Any] = lambda value, _base_dir: value  # TOML value -> field value
    to_toml: Callable[[Any], Any] = lambda value: value  # field value -> TOML value
    allowed: str = ""  # allowed values in words, when bounds and choices do not say them


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _to_path(value: str, base_dir: Path) -> Path | None:
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else base_dir / path


# Keyed by a Settings field's annotation; a field of any other type is refused at import.
KINDS: dict[Any, Kind] = {
    bool: Kind("a boolean (true or false)", lambda value: isinstance(value, bool), allowed="true or false"),
    int: Kind("an integer", _is_int),
    str: Kind("a string", lambda value: isinstance(value, str)),
    Path | None: Kind(
        "a string (a path)",
        lambda value: isinstance(value, str),
        _to_path,
        lambda path: "" if path is None else str(path),
        allowed="a path, relative to this file's folder; ~ is the home folder",
    ),
    tuple[str, ...]: Kind(
        "an array of strings",
        lambda value: isinstance(value, list) and all(isinstance(item, str) for item in value),
        lambda value, _base_dir: tuple(value),
        list,
    ),
    tuple[tuple[str, str], ...]: Kind(
        "a table of strings",
        lambda value: isinstance(value, dict) and all(isinstance(item, str) for item in value.values()),
        lambda value, _base_dir: tuple(sorted(value.items())),  # hashable, as the frozen Settings needs
        dict,
    ),
}

_DECLARATION = "kiosk.setting"  # where a field keeps its declaration, in its metadata


def setting(
    default: Any,
    description: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    choices: tuple[str, ...] = (),
    check: Callable[[Any], list[str]] | None = None,
    allowed: str = "",
) -> Any:
    """Declare one Settings field: its default (as Settings holds it), meaning and allowed values.

    `check` adds rules once the type is right; `allowed` says the allowed values in words where
    the type, bounds and choices do not.
    """
    declaration = {
        "description": description,
        "minimum": minimum,
        "maximum": maximum,
        "choices": choices,
        "check": check,
        "allowed": allowed,
    }
    return field(default=default, metadata={_DECLARATION: declaration})


@dataclass(frozen=True)
class Settings:
    """Every setting, declared once; kiosk.toml's schema, messages and comments follow from here.

    A path of None means the default location (bundled, or the system's).
    """

    languages: tuple[str, ...] = setting(
        ("en", "fr", "de", "it", "pt_BR", "ru"),
        "Languages offered to visitors, in button order; each needs a catalog in translations_dir",
        check=_check_languages,
        allowed='locale ids such as "pt_BR", at least one, no duplicates',
    )
    default_language: str = setting(
        "en",
        "Language of the attract screen before a visitor picks one",
        allowed="one of languages",
    )
    idle_timeout_s: int = setting(
        90,
        'Seconds without a touch before the "Still there?" warning',
        minimum=10,
        maximum=3600,
    )
    idle_warning_s: int = setting(
        30,
        'Seconds the "Still there?" countdown runs before starting over (WCAG 2.2.1 asks for 20 or more)',
        minimum=20,
        maximum=600,
    )
    switch_scanning: bool = setting(
        False,
        "Start every visit with switch access on: buttons light up one by one and any key presses the "
        "one lit (visitors can also turn it on from the first screen)",
    )
    scan_interval_ms: int = setting(
        1500,
        "Milliseconds each button stays lit while switch access scans",
        minimum=500,
        maximum=10000,
    )
    dwell_click: bool = setting(
        False,
        "Press a button when the pointer rests on it (head mouse, eye gaze); shows the pointer",
    )
    dwell_ms: int = setting(
        1200,
        "Milliseconds the pointer must rest on a button before dwell presses it",
        minimum=300,
        maximum=10000,
    )
    fullscreen: bool = setting(True, "Fill the screen; false gives a normal window, for development")
    hide_cursor: bool = setting(True, "Hide the mouse pointer")
    reduced_motion: bool = setting(
        False,
        "Keep the attract screen still: no slow drift and no fades (its welcome line still changes language)",
    )
    staff_pin_hash: str = setting(
        "",
        "Hash of the staff PIN, printed by 'als-kiosk hash-pin'; empty means no staff panel",
        check=_check_pin_hash,
        allowed='"" or a hash from als-kiosk hash-pin',
    )
    content_dir: Path | None = setting(None, "Folder of topic files; empty means the bundled content")
    translations_dir: Path | None = setting(None, "Folder of translation catalogs; empty means the bundled ones")
    data_dir: Path | None = setting(
        None,
        "Folder for usage counts and PIN lockout state; empty means the system's app data folder",
    )
    qr_base_url: str = setting(
        "https://www.rush.edu/conditions/amyotrophic-lateral-sclerosis-als",
        "Web page the QR code on each topic opens",
        check=_check_url,
        allowed="an http:// or https:// URL",
    )
    metrics_file: Path | None = setting(
        None,
        "Prometheus text file for node_exporter's textfile collector; empty means no metrics",
    )
    metrics_interval_s: int = setting(60, "Seconds between metrics file updates", minimum=5, maximum=3600)
    read_aloud_voices: tuple[tuple[str, str], ...] = setting(
        (),
        "Read-aloud voice per language, where the default (the language's usual region, such as en_US for en) "
        "is not wanted",
        check=_check_voices,
        allowed='a table of language = voice name or locale: { en = "en_GB", fr = "French (France)" }',
    )
    stats_enabled: bool = setting(True, "Count visits per day, language and topic (no personal data)")
    log_level: str = setting("INFO", "Least severe log messages to record", choices=LOG_LEVELS)


class Option(NamedTuple):
    """One kiosk.toml key, derived from its Settings field."""

    key: str
    kind: Kind
    default: Any  # as Settings holds it
    description: str
    minimum: int | None
    maximum: int | None
    choices: tuple[str, ...]
    check: Callable[[Any], list[str]] | None
    allowed: str

    @property
    def toml_default(self) -> str:
        """The default as kiosk.toml writes it."""
        return _toml(self.kind.to_toml(self.default))

    def allowed_values(self) -> str:
        if self.allowed or self.kind.allowed:
            return self.allowed or self.kind.allowed
        if self.choices:
            return ", ".join(self.choices)
        return f"{self.minimum} to {self.maximum}"

    def describe(self) -> str:
        return f"{self.description}. Allowed: {self.allowed_values()}."

    def problems(self, value: Any) -> list[str]:
        """Messages for everything wrong with one TOML value; empty when it is fine."""
        if not self.kind.accepts(value):
            return [f"expected {self.kind.expected}, got {_describe(value)}"]
        if self.minimum is not None and value < self.minimum:
            return [f"{value} is below the minimum {self.minimum}"]
        if self.maximum is not None and value > self.maximum:
            return [f"{value} is above the maximum {self.maximum}"]
        if self.choices and value not in self.choices:
            return [f"{_toml(value)} is not one of {', '.join(self.choices)}"]
        return self.check(value) if self.check else []


def options_of(settings_class: type) -> dict[str, Option]:
    """Each field of `settings_class` as a kiosk.toml key; a field that does not say enough raises TypeError."""
    hints = get_type_hints(settings_class)
    options = {}
    for declared in fields(settings_class):
        name = f"{settings_class.__name__}.{declared.name}"
        kind = KINDS.get(hints[declared.name])
        if kind is None or _DECLARATION not in declared.metadata:
            raise TypeError(f"{name}: declare it with setting(), as one of the types in KINDS")
        option = Option(declared.name, kind, declared.default, **declared.metadata[_DECLARATION])
        if kind.to_field(kind.to_toml(option.default), Path()) != option.default:
            raise TypeError(f"{name}: the default does not read back from TOML as itself")
        if not (option.allowed or kind.allowed or option.choices or option.maximum is not None):
            raise TypeError(f"{name}: say which values are allowed (choices, bounds or allowed)")
        options[declared.name] = option
    return options


OPTIONS: dict[str, Option] = options_of(Settings)


class LoadedSettings(NamedTuple):
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
    import difflib  # only for a misspelt key

    close = difflib.get_close_matches(key, OPTIONS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}"


def _check_default_language(
    path: Path, data: dict[str, Any], values: dict[str, Any], lines: dict[str, list[int]]
) -> list[Problem]:
    keys = ("languages", "default_language")
    if any(key in data and key not in values for key in keys):
        return []  # one of them is already reported
    languages = values.get("languages", OPTIONS["languages"].default)
    default = values.get("default_language", OPTIONS["default_language"].default)
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
        messages = option.problems(value)
        problems += [Problem(path, line, key, message) for message in messages]
        if not messages:
            values[key] = option.kind.to_field(value, base_dir)
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
    if environ.get(CONFIG_ENV_VAR):
        return _read_named(Path(environ[CONFIG_ENV_VAR]).expanduser(), f"by ${CONFIG_ENV_VAR}")
    for path in default_search_paths() if search_paths is None else search_paths:
        if os.path.exists(path):
            return LoadedSettings(read_settings_file(path), path)
    return LoadedSettings(Settings(), None)


TEMPLATE_WIDTH = 100


def _comment(text: str) -> str:
    return textwrap.fill(text, TEMPLATE_WIDTH, initial_indent="# ", subsequent_indent="# ", break_on_hyphens=False)


def _template_header() -> str:
    search = (
        f"The kiosk reads the first file it finds: the one named on the command line, the one named by "
        f"${CONFIG_ENV_VAR}, {APP_NAME}/{FILE_NAME} in the user's and then the system's config folders "
        f"(~/.config, /etc/xdg), then {SYSTEM_CONFIG}. With none, it uses the defaults."
    )
    rules = (
        "Every key is optional: a missing key keeps its default, and every value below is the default. "
        "Unknown keys and wrong values stop the kiosk with a message naming the line; `als-kiosk check` "
        'lists them all. true and false are written without quotes, text in "double quotes".'
    )
    return "\n#\n".join(["# ALS kiosk settings (TOML).", _comment(search), _comment(rules)]) + "\n"


def settings_template() -> str:
    """A kiosk.toml that sets every key to its default, each documented (deploy/kiosk.toml is this)."""
    blocks = [_template_header()]
    for option in OPTIONS.values():
        lines = [
            _comment(f"{option.description}."),
            _comment(f"Allowed: {option.allowed_values()}."),
            _comment(f"Default: {option.toml_default}."),
            f"{option.key} = {option.toml_default}",
        ]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
