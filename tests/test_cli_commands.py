"""Every command, walked: help in both languages, ``--lang`` everywhere, the shared options
defined once, ``--db`` honouring IVOAUDIT_DB, and a place in the README (as sqlite-utils'
``tests/test_docs.py`` does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from ivoaudit.cli import program
from ivoaudit.cli.options import Command, Group, Option
from ivoaudit.i18n import use_language

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
EXTRACT_COMMANDS = ("inspect", "check", "sample")
SHARED = ("--mapping", "--sheet", "--checklist", "--events", "--events-mapping", "--as-of", "--encoding",
          "--delimiter")
STORE_COMMANDS = ("sample", "review import", "review form", "rounds list", "rounds show", "report",
                  "unexecuted")


def _walk(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _walk(sub, (*path, name))


COMMANDS = {" ".join(path): cmd for path, cmd in _walk(program) if path}


def _help(command: click.Command, lang: str) -> str | None:
    with use_language(lang):
        return command.help


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_in_both_languages(name):
    command = COMMANDS[name]
    assert isinstance(command, Command | Group), f"{name}: made with click directly, not cli.options"
    sv, en = _help(command, "sv"), _help(command, "en")
    assert sv and en and sv != en, f"{name}: help missing or in one language only"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert isinstance(param, Option) and param.help_texts, f"{name} {param.opts}: no bilingual help"
            assert param.help_texts[0] != param.help_texts[1], f"{name} {param.opts}: one language only"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_takes_lang_and_shows_help_in_it(run_cli, name):
    words = name.split()
    code, out, _ = run_cli(*words, "--lang", "en", "--help")
    assert code == 0 and out.startswith(f"Usage: ivoaudit {name}") and "Options:" in out
    code, out, _ = run_cli("--lang", "en", *words, "--lang", "sv", "--help")
    assert code == 0 and out.startswith(f"Användning: ivoaudit {name}") and "Alternativ:" in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name):
    assert f"ivoaudit {name}" in README, f"`ivoaudit {name}` is not documented in README.md"


def _options(command: click.Command) -> dict[str, click.Option]:
    return {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts}


def test_extract_reading_commands_share_one_set_of_options():
    first = _options(COMMANDS[EXTRACT_COMMANDS[0]])
    for name in EXTRACT_COMMANDS:
        options = _options(COMMANDS[name])
        args = [p for p in COMMANDS[name].params if isinstance(p, click.Argument)]
        assert args[0].name == "extract", name
        for opt in SHARED:
            assert opt in options, f"{name} lacks {opt}"
            # the same option object definition: same help, type and multiplicity
            assert options[opt].help_texts == first[opt].help_texts, (name, opt)
            assert type(options[opt].type) is type(first[opt].type), (name, opt)
            assert options[opt].multiple == first[opt].multiple, (name, opt)


@pytest.mark.parametrize("name", STORE_COMMANDS)
def test_store_commands_take_db_and_honour_the_environment(name):
    db = _options(COMMANDS[name]).get("--db")
    assert db is not None, f"{name} lacks --db"
    assert db.envvar == "IVOAUDIT_DB"


def test_bad_encoding_delimiter_and_date_are_usage_errors(run_cli, tmp_path):
    extract = tmp_path / "x.csv"
    extract.write_text("a\n", encoding="utf-8")
    for args, text in ((("--encoding", "klingon"), "ingen känd teckenkodning"),
                       (("--delimiter", ";;"), "duger inte som avgränsare"),
                       (("--as-of", "2026-02-30"), "är inget datum")):
        code, _, err = run_cli("check", extract, "--out", tmp_path / "o", *args)
        assert code == 2 and text in err, err


def test_no_command_module_imports_the_group():
    # cli/main.py imports the commands; a command importing ivoaudit.cli back would be a cycle.
    folder = Path(__file__).resolve().parents[1] / "ivoaudit" / "cli"
    for path in folder.glob("cmd_*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from ivoaudit.cli import" not in text and "importlib" not in text, path.name
        # output goes through options.echo, which strips escape sequences from the data
        assert "click.echo(" not in text, path.name
