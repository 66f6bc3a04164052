"""The command line: check, render, stats, --help and --version, run as real subprocesses."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kiosk import cli
from kiosk.cli import build_parser, parse_arguments, parse_size
from kiosk.config import Settings, read_settings_file, settings_template
from kiosk.pin import hash_pin

from conftest import LIBRARY, TOPIC_COUNT, copy_content, copy_translations, edit, line_of, run_cli


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_size_argument_accepts_width_x_height() -> None:
    assert parse_size("1920x1080") == (1920, 1080)
    assert parse_size("1080X1920") == (1080, 1920)
    with pytest.raises(Exception, match="WIDTHxHEIGHT"):
        parse_size("big")


@pytest.mark.parametrize("text", ["0x0", "100x100", "1920x99999", "99999x1080", "319x480", "16385x1080"])
def test_size_outside_what_a_screen_can_be_is_refused_with_the_range(text) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="must each be 320 to 16384 pixels"):
        parse_size(text)


def test_size_at_the_limits_is_accepted() -> None:
    assert parse_size("320x16384") == (320, 16384)
    assert parse_size("16384x320") == (16384, 320)


def test_the_kiosk_refuses_a_size_no_screen_has() -> None:
    result = run_cli("--windowed", "--size", "99999x100")
    assert result.returncode == 2
    assert "argument --size: 99999x100 is no screen size: width and height must each be 320 to 16384 pixels" in (
        result.stderr
    )


def test_help_lists_every_command() -> None:
    text = build_parser().format_help()
    for command in ("run", "check", "render", "hash-pin", "config-template", "stats", "glossary"):
        assert command in text


def test_config_template_prints_the_documented_defaults(tmp_path: Path) -> None:
    result = run_cli("config-template", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == settings_template()
    config = write_config(tmp_path / "kiosk.toml", result.stdout)
    assert read_settings_file(config) == Settings()


@pytest.mark.parametrize(
    ("argv", "config", "windowed", "size"),
    [
        ([], None, False, None),
        (["--config", "a.toml", "--windowed", "--size", "800x600"], Path("a.toml"), True, (800, 600)),
        (["--windowed", "run", "--config", "b.toml"], Path("b.toml"), True, None),
        (["run", "--size", "1024x768"], None, False, (1024, 768)),
    ],
)
def test_run_options_before_or_after_run(argv, config, windowed, size) -> None:
    args = build_parser().parse_args(argv)
    assert (args.config, args.windowed, args.size) == (config, windowed, size)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["run"],
        ["--config", "/etc/als-kiosk/kiosk.toml"],
        ["--windowed", "run", "--config", "b.toml", "--size", "800x600"],
        ["--conf", "a.toml", "--win"],
        ["--config", "check"],
        ["--size", "1x1"],
        ["run", "run"],
        ["run", "--version"],
        ["--v"],
        ["-h"],
        ["--help"],
        ["check", "--config", "a.toml"],
        ["render", "--out", "x", "--sizes", "800x600"],
        ["stats", "--since", "2026-11-23"],
        ["nonsense"],
        ["--nonsense"],
    ],
)
def test_arguments_read_as_the_full_parser_reads_them(argv, capsys) -> None:
    def outcome(parse):
        try:
            return vars(parse(argv)), capsys.readouterr()
        except SystemExit as leaving:
            return leaving.code, capsys.readouterr()

    assert outcome(parse_arguments) == outcome(build_parser().parse_args)


def test_the_kiosks_own_start_reads_its_arguments_without_building_every_commands_parser(monkeypatch) -> None:
    built = []
    full = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda: built.append(1) or full())
    parse_arguments(["--config", "/etc/als-kiosk/kiosk.toml"])
    parse_arguments(["run", "--windowed", "--size", "1024x768"])
    assert built == []
    parse_arguments(["check"])
    assert built == [1]


@pytest.mark.parametrize("command", ["check", "render --out x", "glossary", "stats"])
def test_config_before_or_after_the_command(command) -> None:
    before = build_parser().parse_args(["--config", "a.toml", *command.split()])
    after = build_parser().parse_args([*command.split(), "--config", "a.toml"])
    assert before.config == after.config == Path("a.toml")


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("als-kiosk 1.")


def test_check_passes_on_the_bundled_content(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", f'data_dir = "{tmp_path}"\nstaff_pin_hash = "{hash_pin("2468")}"\n')
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 0, result.stdout
    assert f"{TOPIC_COUNT} topics loaded" in result.stdout
    for language in ("fr", "de", "it", "pt_BR", "ru"):
        assert f"{language}: " in result.stdout
    assert "glossary: " in result.stdout
    assert "check: all is well" in result.stdout


def test_check_fails_a_full_screen_config_without_a_staff_pin(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", f'data_dir = "{tmp_path}"\n')
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 1
    assert "ERROR no staff_pin_hash: kiosk mode needs a staff PIN" in result.stdout


def test_kiosk_mode_refuses_to_start_without_a_staff_pin(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", f'data_dir = "{tmp_path}"\n')
    result = run_cli("--config", str(config), timeout=60)
    assert result.returncode == 2
    assert "no staff_pin_hash" in result.stderr


def test_check_lists_every_open_review_note_with_its_topic_file_and_line(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", f'data_dir = "{tmp_path}"\n')
    result = run_cli("check", "--config", str(config))
    awaiting = [t for t in LIBRARY.topics if t.awaiting_review]
    notes = [(t, note) for t in LIBRARY.topics for note in t.review_notes]
    assert awaiting and notes, "the bundled content has topics awaiting review: this test needs some"
    assert f"awaiting clinical review: {len(awaiting)} topic(s), {len(notes)} open review note(s)" in result.stdout
    lines = result.stdout.splitlines()
    for topic, note in notes:
        listed = [line for line in lines if line.strip().startswith(f"{topic.id} (") and line.endswith(note)]
        assert len(listed) == 1, (topic.id, note)
        where = listed[0].split("(", 1)[1].split("):", 1)[0]
        file, line = where.rsplit(":", 1)
        assert note[:40] in Path(file).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert "care-team (" in result.stdout and "status pending-review" in result.stdout


def test_check_reports_a_glossary_breach_with_file_and_line(tmp_path: Path) -> None:
    translations = copy_translations(tmp_path / "translations")
    catalog = translations / "de" / "LC_MESSAGES" / "messages.po"
    edit(catalog, '"Lungenfunktionstests und Lungenfachärzte"', '"Atemtests und Lungenfachärzte"')
    line = line_of(catalog, 'msgid "Breathing tests and lung specialists"')
    config = write_config(tmp_path / "kiosk.toml", f'translations_dir = "{translations}"\ndata_dir = "{tmp_path}"\n')
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 1
    assert (
        f'{catalog}:{line}: glossary: "Breathing tests" needs one of "Lungenfunktionstests", "Lungenfunktion*"'
        in result.stdout
    )
    assert f'{catalog}:{line}: glossary: "Breathing tests" must not be translated as "Atemtest*"' in result.stdout


def test_glossary_command_exports_csv_for_translation_tools() -> None:
    result = run_cli("glossary")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "en,de,fr,it,pt_BR,ru,note"
    assert "pulmonary function test,Lungenfunktionsprüfung,exploration fonctionnelle respiratoire," in result.stdout
    assert len(lines) >= 40


def test_check_says_when_the_data_folder_or_the_metrics_file_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "full").write_text("")  # cannot be written through, even by root
    config = write_config(
        tmp_path / "kiosk.toml",
        f'fullscreen = false\ndata_dir = "{tmp_path / "full" / "data"}"\n'
        f'metrics_file = "{tmp_path / "gone" / "als_kiosk.prom"}"\n',
    )
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 1, result.stdout
    assert f"ERROR data_dir {tmp_path / 'full' / 'data'} cannot be written (Not a directory)" in result.stdout
    metrics = tmp_path / "gone" / "als_kiosk.prom"
    assert f"ERROR metrics_file {metrics} cannot be written (No such file or directory)" in result.stdout
    assert "check: 2 problem(s)" in result.stdout

    (tmp_path / "gone").mkdir()
    config.write_text(f'fullscreen = false\ndata_dir = "{tmp_path / "data"}"\nmetrics_file = "{metrics}"\n')
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 0, result.stdout
    assert f"ok    data_dir {tmp_path / 'data'} can be written" in result.stdout
    assert f"ok    metrics_file {tmp_path / 'gone' / 'als_kiosk.prom'} can be written" in result.stdout
    assert list((tmp_path / "gone").iterdir()) == [], "check leaves nothing behind"


def test_check_reports_a_bad_config_with_file_line_and_key(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", 'languages = ["en"]\nidle_timeout_s = 5\n')
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 2
    assert f"{config}:2: idle_timeout_s:" in result.stdout


def test_check_catches_a_broken_content_file_and_a_broken_catalog(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    translations = copy_translations(tmp_path / "translations")
    (content / "symptoms.md").write_text("no front matter here\n", encoding="utf-8")
    catalog = translations / "de" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    config = write_config(tmp_path / "kiosk.toml", f'content_dir = "{content}"\ntranslations_dir = "{translations}"\n')
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 1
    assert f"{content / 'symptoms.md'}:1: front matter missing" in result.stdout
    assert f"de: {catalog}:" in result.stdout
    assert "13 topics loaded" in result.stdout


def test_the_kiosk_refuses_to_start_on_a_bad_config(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", 'fullscreen = "yes"\n')
    result = run_cli("--config", str(config), timeout=60)
    assert result.returncode == 2
    assert f"{config}:1: fullscreen:" in result.stderr


def test_render_writes_every_screen_and_the_contact_sheet(tmp_path: Path) -> None:
    out = tmp_path / "renders"
    config = write_config(tmp_path / "kiosk.toml", 'languages = ["en", "ru"]\n')
    result = run_cli(
        "render", "--config", str(config), "--out", str(out), "--languages", "en", "ru", "--sizes", "1280x800"
    )
    assert result.returncode == 0, result.stderr
    topics = sorted(t.id for t in LIBRARY.topics)
    for language in ("en", "ru"):
        names = sorted(p.name for p in (out / "1280x800" / language).glob("*.png"))
        assert len(names) == len(topics) + 3
        assert names[0] == "00-attract.png" and names[1] == "01-home.png"
        assert names[-1].endswith("-idle-overlay.png")
        assert {name.split("-topic-")[1][:-4] for name in names if "-topic-" in name} == set(topics)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<img ") == 2 * (len(topics) + 3)
    assert "1280x800/ru/01-home.png" in index
    # Open review notes: once at the top, and beside each screen of a topic awaiting review.
    assert "Awaiting clinical review: 6 topic(s)" in index
    figure = next(f for f in index.split("<figure") if "ru/" in f and "topic-care-team" in f)
    assert "class=review" in figure and "Status: pending-review" in figure and "filled from Rush" in figure


def test_render_never_touches_the_configured_kiosks_files(tmp_path: Path) -> None:
    """A review render beside a running kiosk: its metrics file and data folder stay as they were."""
    data, metrics = tmp_path / "data", tmp_path / "metrics.prom"
    data.mkdir()
    metrics.write_text("als_kiosk_session_active 1\n", encoding="utf-8")
    config = write_config(
        tmp_path / "kiosk.toml", f'languages = ["en"]\ndata_dir = "{data}"\nmetrics_file = "{metrics}"\n'
    )
    result = run_cli("render", "--config", str(config), "--out", str(tmp_path / "out"), "--sizes", "1280x800")
    assert result.returncode == 0, result.stderr
    assert metrics.read_text(encoding="utf-8") == "als_kiosk_session_active 1\n"
    assert list(data.iterdir()) == []


def test_render_images_are_screen_sized(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "renders"
    result = run_cli("render", "--out", str(out), "--languages", "de", "--sizes", "1080x1920")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out / "1080x1920" / "de" / "01-home.png"))
    assert (image.width(), image.height()) == (1080, 1920)


def test_stats_without_a_database_says_so(tmp_path: Path) -> None:
    config = write_config(tmp_path / "kiosk.toml", f'data_dir = "{tmp_path / "data"}"\n')
    result = run_cli("stats", "--config", str(config))
    assert result.returncode == 1
    assert "usage.sqlite3" in result.stderr
