"""Settings file: schema, every error message with its file and line, and where the file is found."""

import dataclasses
import os
import tomllib
from pathlib import Path

import pytest

from kiosk.config import (
    OPTIONS,
    ConfigError,
    LoadedSettings,
    Problem,
    Settings,
    default_search_paths,
    load_settings,
    options_of,
    read_settings_file,
    setting,
    settings_template,
)
from kiosk.pin import hash_pin

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "deploy" / "kiosk.toml"


def write(folder: Path, text: str, name: str = "kiosk.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        read_settings_file(path)
    return [str(problem) for problem in info.value.problems]


# Schema and defaults


def test_defaults_are_the_documented_ones():
    settings = Settings()
    assert settings.languages == ("en", "fr", "de", "it", "pt_BR", "ru")
    assert settings.default_language == "en"
    assert (settings.idle_timeout_s, settings.idle_warning_s) == (90, 30)
    assert settings.fullscreen is True and settings.hide_cursor is True
    assert settings.staff_pin_hash == ""
    assert (settings.content_dir, settings.translations_dir, settings.data_dir, settings.metrics_file) == (None,) * 4
    assert settings.qr_base_url == "https://www.rush.edu/conditions/amyotrophic-lateral-sclerosis-als"
    assert settings.metrics_interval_s == 60
    assert settings.stats_enabled is True
    assert settings.log_level == "INFO"


def test_every_settings_field_is_a_key_with_its_default_in_order():
    assert list(OPTIONS) == [field.name for field in dataclasses.fields(Settings)]
    assert all(option.default == getattr(Settings(), key) for key, option in OPTIONS.items())


def test_a_key_shows_its_default_as_toml_and_its_allowed_values():
    assert OPTIONS["idle_timeout_s"].toml_default == "90"
    assert OPTIONS["idle_timeout_s"].describe() == (
        'Seconds without a touch before the "Still there?" warning. Allowed: 10 to 3600.'
    )
    assert OPTIONS["languages"].toml_default == '["en", "fr", "de", "it", "pt_BR", "ru"]'
    assert OPTIONS["log_level"].toml_default == '"INFO"'
    assert (
        OPTIONS["log_level"].describe() == "Least severe log messages to record. Allowed: DEBUG, INFO, WARNING, ERROR."
    )
    assert OPTIONS["fullscreen"].toml_default == "true"
    assert OPTIONS["data_dir"].toml_default == '""'
    assert OPTIONS["read_aloud_voices"].toml_default == "{}"
    assert all("\n" not in option.describe() for option in OPTIONS.values())


@dataclasses.dataclass(frozen=True)
class _Undeclared:
    timeout_s: int = 5


@dataclasses.dataclass(frozen=True)
class _UnknownType:
    ratio: float = setting(0.5, "A ratio", minimum=0, maximum=1)


@dataclasses.dataclass(frozen=True)
class _UnboundedInteger:
    count: int = setting(3, "A count")


@dataclasses.dataclass(frozen=True)
class _DefaultNotInToml:
    # A file's table reads back sorted, so this default could never come from a file.
    voices: tuple[tuple[str, str], ...] = setting((("fr", "fr_CA"), ("en", "en_GB")), "Voices", allowed="a table")


@pytest.mark.parametrize(
    ("settings_class", "message"),
    [
        (_Undeclared, "_Undeclared.timeout_s: declare it with setting(), as one of the types in KINDS"),
        (_UnknownType, "_UnknownType.ratio: declare it with setting(), as one of the types in KINDS"),
        (_UnboundedInteger, "_UnboundedInteger.count: say which values are allowed (choices, bounds or allowed)"),
        (_DefaultNotInToml, "_DefaultNotInToml.voices: the default does not read back from TOML as itself"),
    ],
)
def test_a_setting_that_does_not_say_enough_is_refused(settings_class, message):
    with pytest.raises(TypeError) as info:
        options_of(settings_class)
    assert str(info.value) == message


# The example file: deploy/kiosk.toml, also the .deb's /etc/als-kiosk/kiosk.toml


def test_example_file_is_the_template_the_declarations_make():
    # After a change to Settings: .venv/bin/als-kiosk config-template > deploy/kiosk.toml
    assert EXAMPLE.read_text(encoding="utf-8") == settings_template()


def test_example_file_sets_every_key_once_and_nothing_else():
    assert list(tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))) == list(OPTIONS)


def test_example_file_holds_the_defaults():
    assert read_settings_file(EXAMPLE) == Settings()


def test_example_file_documents_every_key_above_it():
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for key, option in OPTIONS.items():
        number = lines.index(f"{key} = {option.toml_default}")
        comments = []
        while lines[number - 1 - len(comments)].startswith("# "):
            comments.insert(0, lines[number - 1 - len(comments)][2:])
        assert " ".join(comments) == f"{option.describe()} Default: {option.toml_default}.", key


def test_the_deb_can_set_its_data_folder_in_the_example_file():
    # deploy/build-deb.sh ships the file with this one line changed to /var/lib/als-kiosk.
    assert EXAMPLE.read_text(encoding="utf-8").splitlines().count('data_dir = ""') == 1
    build = (ROOT / "deploy" / "build-deb.sh").read_text(encoding="utf-8")
    assert """sed 's|^data_dir = ""$|data_dir = "/var/lib/als-kiosk"|' deploy/kiosk.toml""" in build


# Reading values


def test_values_are_read_with_their_types(tmp_path):
    path = write(
        tmp_path,
        'languages = ["de", "en"]\ndefault_language = "de"\nidle_timeout_s = 120\nfullscreen = false\n'
        'log_level = "DEBUG"\nqr_base_url = "http://intranet.example/als"\n',
    )
    settings = read_settings_file(path)
    assert settings == dataclasses.replace(
        Settings(),
        languages=("de", "en"),
        default_language="de",
        idle_timeout_s=120,
        fullscreen=False,
        log_level="DEBUG",
        qr_base_url="http://intranet.example/als",
    )


def test_a_seventh_language_needs_only_the_config_entry(tmp_path):
    path = write(tmp_path, 'languages = ["en", "fr", "de", "it", "pt_BR", "ru", "es"]\n')
    assert read_settings_file(path).languages[-1] == "es"


def test_relative_paths_start_from_the_config_folder(tmp_path):
    path = write(tmp_path, 'content_dir = "content"\ntranslations_dir = "../shared/translations"\n')
    settings = read_settings_file(path)
    assert settings.content_dir == tmp_path / "content"
    assert settings.translations_dir == tmp_path / "../shared/translations"


def test_relative_paths_are_absolute_when_the_config_path_is_relative(tmp_path, monkeypatch):
    write(tmp_path, 'data_dir = "data"\n')
    monkeypatch.chdir(tmp_path)
    assert read_settings_file(Path("kiosk.toml")).data_dir == tmp_path / "data"


def test_absolute_and_home_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write(tmp_path, 'data_dir = "~/kiosk-data"\nmetrics_file = "/var/lib/node_exporter/als.prom"\n')
    settings = read_settings_file(path)
    assert settings.data_dir == tmp_path / "home" / "kiosk-data"
    assert settings.metrics_file == Path("/var/lib/node_exporter/als.prom")


def test_empty_path_means_the_default(tmp_path):
    assert read_settings_file(write(tmp_path, 'content_dir = ""\n')).content_dir is None


def test_a_valid_pin_hash_is_accepted(tmp_path):
    encoded = hash_pin("2468")
    assert read_settings_file(write(tmp_path, f'staff_pin_hash = "{encoded}"\n')).staff_pin_hash == encoded


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"\xef\xbb\xbfidle_timeout_s = 60\n")
    assert read_settings_file(path).idle_timeout_s == 60


# Error messages, each with file, line and key


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("idle_timeout_s = 5", "idle_timeout_s: 5 is below the minimum 10"),
        ("idle_timeout_s = 4000", "idle_timeout_s: 4000 is above the maximum 3600"),
        ("idle_warning_s = 19", "idle_warning_s: 19 is below the minimum 20"),
        ("metrics_interval_s = 3601", "metrics_interval_s: 3601 is above the maximum 3600"),
        ('idle_timeout_s = "90"', 'idle_timeout_s: expected an integer, got string "90"'),
        ("idle_timeout_s = 90.0", "idle_timeout_s: expected an integer, got float 90.0"),
        ("idle_timeout_s = true", "idle_timeout_s: expected an integer, got boolean true"),
        ('fullscreen = "yes"', 'fullscreen: expected a boolean (true or false), got string "yes"'),
        ("fullscreen = 1", "fullscreen: expected a boolean (true or false), got integer 1"),
        ("hide_cursor = 1979-05-27", "hide_cursor: expected a boolean (true or false), got date-time 1979-05-27"),
        ("log_level = 20", "log_level: expected a string, got integer 20"),
        ('log_level = "TRACE"', 'log_level: "TRACE" is not one of DEBUG, INFO, WARNING, ERROR'),
        ('log_level = "info"', 'log_level: "info" is not one of DEBUG, INFO, WARNING, ERROR'),
        ("content_dir = false", "content_dir: expected a string (a path), got boolean false"),
        ('languages = "en"', 'languages: expected an array of strings, got string "en"'),
        ('languages = ["en", 5]', 'languages: expected an array of strings, got array ["en", 5]'),
        ("languages = []", "languages: list at least one language"),
        ('languages = ["en", "xx"]', 'languages: "xx" is not a known locale id'),
        ('languages = ["en", "pt-BR"]', 'languages: "pt-BR" is not a known locale id'),
        ('languages = ["en", "pt_br"]', 'languages: "pt_br" is not a known locale id (did you mean "pt_BR"?)'),
        ('languages = ["en", "fr", "en"]', 'languages: "en" is listed twice'),
        ('qr_base_url = "ftp://example.org/a"', 'qr_base_url: "ftp://example.org/a" is not an http:// or https:// URL'),
        ('qr_base_url = "www.rush.edu"', 'qr_base_url: "www.rush.edu" is not an http:// or https:// URL'),
        ('qr_base_url = "http://[::1"', 'qr_base_url: "http://[::1" is not an http:// or https:// URL'),
        (
            'staff_pin_hash = "1234"',
            "staff_pin_hash: not a valid PIN hash (expected scrypt$16384$8$1$<salt>$<hash>); "
            "make one with 'als-kiosk hash-pin'",
        ),
        ("idle_timout_s = 90", "unknown key 'idle_timout_s' (did you mean 'idle_timeout_s'?)"),
        ("colour = 3", "unknown key 'colour'"),
        ("[idle]\ntimeout_s = 90", "unknown key 'idle'"),
        ("[languages]\nen = true", "languages: expected an array of strings, got table {en = true}"),
    ],
)
def test_error_names_file_line_and_key(tmp_path, line, message):
    path = write(tmp_path, f"# Kiosk settings\n\nstats_enabled = true\n{line}\n")
    assert problems(path) == [f"{path}:4: {message}"]


def test_error_line_counts_comments_blank_lines_and_crlf(tmp_path):
    path = write(tmp_path, "# one\r\n\r\n# three\r\n  idle_warning_s=10 # five\r\n")
    assert problems(path) == [f"{path}:4: idle_warning_s: 10 is below the minimum 20"]


def test_error_line_of_a_quoted_key(tmp_path):
    path = write(tmp_path, '\n"idle_timeout_s" = 1\n')
    assert problems(path) == [f"{path}:2: idle_timeout_s: 1 is below the minimum 10"]


def test_all_problems_are_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        'idle_timeout_s = 5\nfullscreen = "no"\nlanguages = ["en", "xx", "en"]\nlog_levl = "INFO"\n',
    )
    assert problems(path) == [
        f"{path}:1: idle_timeout_s: 5 is below the minimum 10",
        f'{path}:2: fullscreen: expected a boolean (true or false), got string "no"',
        f'{path}:3: languages: "xx" is not a known locale id',
        f'{path}:3: languages: "en" is listed twice',
        f"{path}:4: unknown key 'log_levl' (did you mean 'log_level'?)",
    ]


def test_config_error_text_has_one_line_per_problem(tmp_path):
    path = write(tmp_path, "idle_timeout_s = 5\nhide_cursor = 0\n")
    with pytest.raises(ConfigError) as info:
        read_settings_file(path)
    assert str(info.value) == (
        f"{path}:1: idle_timeout_s: 5 is below the minimum 10\n"
        f"{path}:2: hide_cursor: expected a boolean (true or false), got integer 0"
    )
    assert [(p.file, p.line, p.key) for p in info.value.problems] == [
        (path, 1, "idle_timeout_s"),
        (path, 2, "hide_cursor"),
    ]


def test_default_language_must_be_offered(tmp_path):
    path = write(tmp_path, 'languages = ["en", "fr"]\n\ndefault_language = "de"\n')
    assert problems(path) == [f'{path}:3: default_language: "de" is not one of the languages: en, fr']


def test_built_in_default_language_must_be_offered(tmp_path):
    path = write(tmp_path, '\nlanguages = ["fr", "de"]\n')
    assert problems(path) == [f'{path}:2: default_language: the default "en" is not one of the languages: fr, de']


def test_default_language_is_not_checked_against_broken_languages(tmp_path):
    path = write(tmp_path, 'languages = ["fr", "xx"]\ndefault_language = "it"\n')
    assert problems(path) == [f'{path}:1: languages: "xx" is not a known locale id']


def test_syntax_error_gives_the_line(tmp_path):
    path = write(tmp_path, "# settings\nfullscreen = true\nidle_timeout_s = \nhide_cursor = true\n")
    assert problems(path) == [f"{path}:3: invalid TOML: Invalid value (column 18)"]


def test_syntax_error_at_the_end_of_the_file(tmp_path):
    path = write(tmp_path, 'fullscreen = true\nlog_level = """INFO\n\n')
    assert problems(path) == [f"{path}: invalid TOML: Unterminated string at the end of the file"]


@pytest.mark.parametrize("end", ["\n", ""])
def test_key_set_twice_points_at_the_repeat(tmp_path, end):
    path = write(tmp_path, f'staff_pin_hash = ""\nfullscreen = true\n\nstaff_pin_hash = "scrypt$x"{end}')
    assert problems(path) == [f"{path}:4: staff_pin_hash: set twice (first on line 1)"]


def test_binary_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"idle_timeout_s = 90\n\x89PNG\r\n\x1a\n\x00\x00")
    assert problems(path) == [f"{path}:2: not UTF-8 text (byte 0x89); is this the right file?"]


def test_binary_file_that_is_valid_utf8(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"\x00\x01\x02garbage")
    assert problems(path) == [f"{path}:1: invalid TOML: Invalid statement (column 1)"]


def test_folder_instead_of_file(tmp_path):
    assert problems(tmp_path) == [f"{tmp_path}: is a folder, not a settings file"]


def test_missing_file(tmp_path):
    path = tmp_path / "absent.toml"
    assert problems(path) == [f"{path}: cannot read the file: No such file or directory"]


def test_unreadable_file(tmp_path):
    path = write(tmp_path, "fullscreen = true\n")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: chmod does not stop reading")
    assert problems(path) == [f"{path}: cannot read the file: Permission denied"]


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            Problem(Path("kiosk.toml"), 12, "idle_timeout_s", "5 is below the minimum 10"),
            "kiosk.toml:12: idle_timeout_s: 5 is below the minimum 10",
        ),
        (Problem(Path("kiosk.toml"), None, None, "no such file"), "kiosk.toml: no such file"),
        (Problem(None, None, "log_level", "bad"), "log_level: bad"),
        (Problem(None, 3, None, "bad"), "line 3: bad"),
    ],
)
def test_problem_text_omits_missing_parts(problem, text):
    assert str(problem) == text


# Which file is used


@pytest.fixture
def files(tmp_path):
    """Four config files, each with its own idle_timeout_s so the test can tell which was read."""
    made = {}
    for name, seconds in (("cli", 11), ("env", 12), ("user", 13), ("system", 14)):
        folder = tmp_path / name
        folder.mkdir()
        made[name] = write(folder, f"idle_timeout_s = {seconds}\n")
    return made


def test_cli_path_comes_first(files):
    loaded = load_settings(files["cli"], {"ALS_KIOSK_CONFIG": str(files["env"])}, [files["user"]])
    assert loaded == LoadedSettings(dataclasses.replace(Settings(), idle_timeout_s=11), files["cli"])


def test_environment_variable_comes_second(files):
    loaded = load_settings(None, {"ALS_KIOSK_CONFIG": str(files["env"])}, [files["user"]])
    assert (loaded.path, loaded.settings.idle_timeout_s) == (files["env"], 12)


def test_empty_environment_variable_is_ignored(files):
    loaded = load_settings(None, {"ALS_KIOSK_CONFIG": ""}, [files["user"]])
    assert loaded.path == files["user"]


def test_first_existing_search_path_wins(files, tmp_path):
    search = [tmp_path / "nowhere" / "kiosk.toml", files["user"], files["system"]]
    loaded = load_settings(None, {}, search)
    assert (loaded.path, loaded.settings.idle_timeout_s) == (files["user"], 13)


def test_later_search_path_when_earlier_ones_are_missing(files, tmp_path):
    loaded = load_settings(None, {}, [tmp_path / "nowhere.toml", files["system"]])
    assert (loaded.path, loaded.settings.idle_timeout_s) == (files["system"], 14)


def test_defaults_when_no_file_exists(tmp_path):
    assert load_settings(None, {}, [tmp_path / "a.toml", tmp_path / "b.toml"]) == LoadedSettings(Settings(), None)


def test_missing_cli_path_is_an_error(tmp_path, files):
    path = tmp_path / "typo.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(path, {}, [files["user"]])
    assert str(info.value) == f"{path}: no such file (named on the command line)"


def test_missing_environment_path_is_an_error(tmp_path, files):
    path = tmp_path / "typo.toml"
    with pytest.raises(ConfigError) as info:
        load_settings(None, {"ALS_KIOSK_CONFIG": str(path)}, [files["user"]])
    assert str(info.value) == f"{path}: no such file (named by $ALS_KIOSK_CONFIG)"


def test_broken_found_file_is_an_error_not_skipped(tmp_path, files):
    broken = write(tmp_path, "idle_timeout_s = 1\n")
    with pytest.raises(ConfigError) as info:
        load_settings(None, {}, [broken, files["user"]])
    assert str(info.value) == f"{broken}:1: idle_timeout_s: 1 is below the minimum 10"


def test_default_search_paths_user_then_system(tmp_path, monkeypatch, platform_folders):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paths = default_search_paths()
    assert paths[0] == tmp_path / "config" / "als-kiosk" / "kiosk.toml"
    assert paths[-1] == Path("/etc/als-kiosk/kiosk.toml")
    assert all(path.name == "kiosk.toml" for path in paths)


def test_load_settings_uses_default_search_paths(tmp_path, monkeypatch, platform_folders):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "als-kiosk").mkdir()
    path = write(tmp_path / "als-kiosk", "idle_warning_s = 45\n")
    loaded = load_settings(environ={})
    assert (loaded.path, loaded.settings.idle_warning_s) == (path, 45)
