"""Click's own texts (usage errors, help chrome) in Swedish by default, English on request.

The expected Swedish sentences are written out here, not read from the translation table,
so a wrong or missing translation fails. The click-source tests make a click upgrade that
renames a message fail loudly instead of silently turning that message back to English.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import string
import subprocess
from pathlib import Path

import click
import pytest

from ivoaudit.cli import click_texts

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "lifecare" / "arenden.csv"
CLICK_DIR = Path(click.__file__).parent

# Phrases of click's English that must not reach a Swedish user.
ENGLISH_LEAKS = ("Usage:", "Error:", "Missing", "No such", "Try '", "Options:", "Commands:",
                 "Did you mean", "Invalid value", "does not exist", "is a directory", "is not",
                 "Got unexpected", "requires", "[OPTIONS]", "COMMAND [ARGS]", "[required]",
                 "[default:", "INTEGER", "FLOAT", "Show this message")


def assert_swedish(text: str) -> None:
    leaks = [phrase for phrase in ENGLISH_LEAKS if phrase in text]
    assert not leaks, f"English click text {leaks} in:\n{text}"


# (arguments, Swedish lines expected on stderr, English lines expected with --lang en)
USAGE_ERRORS = {
    "missing option": (
        ["check", SAMPLE],
        ["Användning: ivoaudit check [ALTERNATIV] EXTRACT",
         "Skriv 'ivoaudit check --help' för hjälp.",
         "Fel: Du måste ange alternativet '--out'."],
        ["Usage: ivoaudit check [OPTIONS] EXTRACT",
         "Try 'ivoaudit check --help' for help.",
         "Error: Missing option '--out'."],
    ),
    "missing argument": (
        ["check", "--out", "d"],
        ["Fel: Du måste ange argumentet 'EXTRACT'."],
        ["Error: Missing argument 'EXTRACT'."],
    ),
    "missing argument of a subcommand": (
        ["rules", "show"],
        ["Användning: ivoaudit rules show [ALTERNATIV] RULE_ID",
         "Skriv 'ivoaudit rules show --help' för hjälp.",
         "Fel: Du måste ange argumentet 'RULE_ID'."],
        ["Usage: ivoaudit rules show [OPTIONS] RULE_ID",
         "Error: Missing argument 'RULE_ID'."],
    ),
    "no such option, one suggestion": (
        ["check", SAMPLE, "--ot", "x"],
        ["Fel: Det finns inget alternativ '--ot'. Menade du '--out'?"],
        ["Error: No such option '--ot'. Did you mean '--out'?"],
    ),
    "no such option, several suggestions": (
        ["check", SAMPLE, "--out", "d", "--event", "x"],
        ["Fel: Det finns inget alternativ '--event'. (Menade du något av: '--events', "
         "'--events-mapping'"],
        ["Error: No such option '--event'. (Did you mean one of: '--events', '--events-mapping'"],
    ),
    "no such option, no suggestion": (
        ["check", SAMPLE, "--out", "d", "--zzzzzz"],
        ["Fel: Det finns inget alternativ '--zzzzzz'."],
        ["Error: No such option '--zzzzzz'."],
    ),
    "no such command with suggestion": (
        ["chek"],
        ["Användning: ivoaudit [ALTERNATIV] KOMMANDO [ARGUMENT]...",
         "Skriv 'ivoaudit --help' för hjälp.",
         "Fel: Det finns inget kommando 'chek'. Menade du 'check'?"],
        ["Usage: ivoaudit [OPTIONS] COMMAND [ARGS]...",
         "Error: No such command 'chek'. Did you mean 'check'?"],
    ),
    "no such command": (
        ["xyzzy"],
        ["Fel: Det finns inget kommando 'xyzzy'."],
        ["Error: No such command 'xyzzy'."],
    ),
    "invalid choice": (
        ["sample", SAMPLE, "--strategy", "bogus", "--out", "f.xlsx"],
        ["Fel: Ogiltigt värde för '--strategy': 'bogus' är inte något av 'random', "
         "'stratified', 'ivo'."],
        ["Error: Invalid value for '--strategy': 'bogus' is not one of 'random', "
         "'stratified', 'ivo'."],
    ),
    "invalid date": (
        ["sample", SAMPLE, "--from", "2024-13-45", "--out", "f.xlsx"],
        ["Fel: Ogiltigt värde för '--from': '2024-13-45' följer inte formatet '%Y-%m-%d'."],
        ["Error: Invalid value for '--from': '2024-13-45' does not match the format '%Y-%m-%d'."],
    ),
    "invalid integer": (
        ["sample", SAMPLE, "--seed", "abc", "--out", "f.xlsx"],
        ["Fel: Ogiltigt värde för '--seed': 'abc' är inte ett giltigt tal."],
        ["Error: Invalid value for '--seed': 'abc' is not a valid integer range."],
    ),
    "out of range": (
        ["sample", SAMPLE, "--seed", "-1", "--out", "f.xlsx"],
        ["Fel: Ogiltigt värde för '--seed': -1 ligger utanför intervallet x>=0."],
        ["Error: Invalid value for '--seed': -1 is not in the range x>=0."],
    ),
    "path does not exist": (
        ["report", "--results", "r", "--out", "o", "--targets", "no-such-targets.yaml"],
        ["Fel: Ogiltigt värde för '--targets': 'no-such-targets.yaml' finns inte."],
        ["Error: Invalid value for '--targets': File 'no-such-targets.yaml' does not exist."],
    ),
    "path is a directory": (
        ["report", "--results", "r", "--out", "o", "--targets", SAMPLE.parent],
        [f"Fel: Ogiltigt värde för '--targets': '{SAMPLE.parent}' är en mapp, inte en fil."],
        [f"Error: Invalid value for '--targets': File '{SAMPLE.parent}' is a directory."],
    ),
    "one unexpected extra argument": (
        ["check", "a.csv", "b.csv", "--out", "d"],
        ["Fel: Oväntat extra argument (b.csv)"],
        ["Error: Got unexpected extra argument (b.csv)"],
    ),
    "several unexpected extra arguments": (
        ["check", "a.csv", "b.csv", "c.csv", "--out", "d"],
        ["Fel: Oväntade extra argument (b.csv c.csv)"],
        ["Error: Got unexpected extra arguments (b.csv c.csv)"],
    ),
    "option requires an argument": (
        ["check", "a.csv", "--out"],
        ["Fel: Alternativet '--out' behöver ett värde."],
        ["Error: Option '--out' requires an argument."],
    ),
    "invalid choice on the group": (
        ["--lang", "xx", "rules", "list"],
        ["Fel: Ogiltigt värde för '--lang': 'xx' är inte något av 'sv', 'en'."],
        None,  # --lang xx cannot also ask for English
    ),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS), ids=list(USAGE_ERRORS))
def test_usage_errors_are_swedish_by_default(run_cli, case):
    args, swedish, _ = USAGE_ERRORS[case]
    code, out, err = run_cli(*args)
    assert code == 2
    for line in swedish:
        assert line in err, f"{line!r} not in:\n{err}"
    assert_swedish(err + out)


@pytest.mark.parametrize("case", [c for c in USAGE_ERRORS if USAGE_ERRORS[c][2]],
                         ids=[c for c in USAGE_ERRORS if USAGE_ERRORS[c][2]])
def test_usage_errors_in_english_with_flag(run_cli, case):
    args, _, english = USAGE_ERRORS[case]
    code, _, err = run_cli("--lang", "en", *args)
    assert code == 2
    for line in english:
        assert line in err, f"{line!r} not in:\n{err}"
    assert "Fel:" not in err and "Användning" not in err


def test_english_with_environment(run_cli, monkeypatch):
    monkeypatch.setenv("IVOAUDIT_LANG", "en")
    code, _, err = run_cli("check", SAMPLE)
    assert code == 2
    assert "Error: Missing option '--out'." in err


def test_path_not_readable(run_cli, monkeypatch, tmp_path):
    # Root may read anything, so make the permission check itself say no.
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    code, _, err = run_cli("report", "--results", tmp_path, "--out", tmp_path / "o")
    assert code == 2
    assert f"'{tmp_path}' går inte att läsa" in err
    assert_swedish(err)


def test_group_help_is_swedish(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    assert out.startswith("Användning: ivoaudit [ALTERNATIV] KOMMANDO [ARGUMENT]...\n")
    assert "\nAlternativ:\n" in out and "\nKommandon:\n" in out
    assert "Visa denna hjälp och avsluta." in out
    assert "Visa versionen och avsluta." in out
    assert_swedish(out)


def test_group_without_subcommand_shows_swedish_help(run_cli):
    code, out, err = run_cli("rules")
    assert code == 2
    text = out + err
    assert "Användning: ivoaudit rules [ALTERNATIV] KOMMANDO [ARGUMENT]..." in text
    assert "Kommandon:" in text
    assert_swedish(text)


@pytest.mark.parametrize(("command", "expected"), [
    (["check"], ["Användning: ivoaudit check [ALTERNATIV] EXTRACT", "--mapping FIL",
                 "--out MAPP", "[obligatoriskt]"]),
    (["sample"], ["--seed HELTAL", "--confidence DECIMALTAL", "[standard: random]",
                  "[standard: 0.95; 0.5<=x<=0.999]"]),
    (["rules", "show"], ["Användning: ivoaudit rules show [ALTERNATIV] RULE_ID"]),
])
def test_command_help_is_swedish(run_cli, command, expected):
    code, out, _ = run_cli(*command, "--help")
    assert code == 0
    flat = " ".join(out.split())
    for text in expected:
        assert " ".join(text.split()) in flat, f"{text!r} not in:\n{out}"
    assert_swedish(out)


def test_command_help_in_english(run_cli):
    code, out, _ = run_cli("--lang", "en", "sample", "--help")
    assert code == 0
    assert out.startswith("Usage: ivoaudit sample [OPTIONS] EXTRACT")
    assert "\nOptions:\n" in out
    assert "[default: random]" in out and "INTEGER RANGE" in out
    assert "Show this message and exit." in out


def test_version_line(run_cli):
    for args in (["--version"], ["--lang", "en", "--version"]):
        code, out, _ = run_cli(*args)
        assert code == 0
        assert out.startswith("ivoaudit, version ")


def test_languages_switch_back_and_forth_in_one_process(run_cli):
    for lang, expected in [("sv", "Fel: Du måste ange alternativet '--out'."),
                           ("en", "Error: Missing option '--out'."),
                           ("sv", "Fel: Du måste ange alternativet '--out'."),
                           ("en", "Error: Missing option '--out'.")]:
        code, _, err = run_cli("--lang", lang, "check", SAMPLE)
        assert code == 2
        assert expected in err


def _catalogue() -> gettext.GNUTranslations:
    return gettext.translation(click_texts.DOMAIN, str(click_texts.LOCALE_DIR), languages=["sv"])


def test_unknown_message_falls_back_to_english():
    sv = _catalogue()
    assert sv.gettext("A message a future click adds.") == "A message a future click adds."
    assert sv.ngettext("one {n} thing", "{n} things", 1) == "one {n} thing"
    assert sv.ngettext("one {n} thing", "{n} things", 3) == "{n} things"


def test_plural_forms_follow_the_count():
    sv = _catalogue()
    one, many = ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.")
    assert sv.ngettext(one, many, 1).format(name="--x", nargs=1) == "Alternativet '--x' behöver ett värde."
    assert sv.ngettext(one, many, 2).format(name="--x", nargs=2) == "Alternativet '--x' behöver 2 värden."
    assert sv.gettext("Aborted!") == "Avbrutet!"


def _fields(text: str) -> set[str]:
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    return fields | {f"%({name})" for name in re.findall(r"%\((\w+)\)", text)}


def _click_sources() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(CLICK_DIR.glob("*.py"))}


def _gettext_calls() -> tuple[set[str], set[tuple[str, str]], set[str]]:
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    constants: set[str] = set()
    for tree in _click_sources().values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) >= 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals, constants


def _translations() -> list[tuple[str, str]]:
    """(click's message id, the catalogue's Swedish) for every id the catalogue translates."""
    sv = _catalogue()
    singles, plurals, _ = _gettext_calls()
    pairs = [(m, sv.gettext(m)) for m in sorted(singles | INDIRECT_IDS) if sv.gettext(m) != m]
    for one, many in sorted(plurals):
        pairs += [(one, sv.ngettext(one, many, 1)), (many, sv.ngettext(one, many, 2))]
    return pairs


# Passed to ``_`` through a variable in click (``_(extra["required"])``), so only the
# literal itself can be found.
INDIRECT_IDS = {"required"}


@pytest.mark.parametrize(("msgid", "swedish"), _translations())
def test_translation_uses_only_clicks_placeholders(msgid, swedish):
    assert _fields(swedish) <= _fields(msgid)
    # It formats with exactly what click passes for the id (conversions such as !r kept).
    dummy = {name: "x" for name in _fields(msgid) if not name.startswith("%(")}
    swedish.format(**dummy)
    for field in (f for _, f, conv, _ in string.Formatter().parse(msgid) if f and conv):
        assert f"{{{field}!" in swedish or field not in _fields(swedish)
    if "%(" in msgid:
        assert swedish % {"prog": "p", "version": "1"} == "p, version 1"


def _po_ids() -> set[str]:
    po = (click_texts.LOCALE_DIR / "sv" / "LC_MESSAGES" / "ivoaudit.po").read_text(encoding="utf-8")
    ids = set()
    for line in po.splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            ids.add(ast.literal_eval(line.split(" ", 1)[1]))
    return ids - {""}


def test_every_message_id_exists_in_installed_click():
    singles, plurals, constants = _gettext_calls()
    known = singles | INDIRECT_IDS | {m for pair in plurals for m in pair}
    missing = sorted(_po_ids() - known)
    assert not missing, f"click no longer has these messages: {missing}"
    assert constants >= INDIRECT_IDS


def test_the_user_facing_messages_are_all_translated():
    """The messages a user of this CLI meets are in the catalogue (guards against removal)."""
    singles, plurals, _ = _gettext_calls()
    needed = {"Usage:", "Try '{command} {option}' for help.", "Error: {message}", "Options",
              "Commands", "Missing option", "Missing argument", "No such option {name!r}.",
              "No such command {name!r}.", "Invalid value for {param_hint}: {message}",
              "{name} {filename!r} does not exist.", "{name} {filename!r} is a directory.",
              "{name} {filename!r} is not readable.", "Show this message and exit.",
              "Show the version and exit.", "%(prog)s, version %(version)s", "Aborted!"}
    assert needed <= singles  # still click's ids
    assert needed <= _po_ids()
    untranslated = sorted(p for p in plurals if p[0] not in _po_ids())
    assert not untranslated, f"a new plural message in click: {untranslated}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_the_compiled_catalogue_is_the_po_file(tmp_path):
    """ivoaudit.mo is what ``msgfmt`` makes of ivoaudit.po (recompile after editing the .po)."""
    folder = click_texts.LOCALE_DIR / "sv" / "LC_MESSAGES"
    fresh = tmp_path / "sv" / "LC_MESSAGES"
    fresh.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check", "-o", str(fresh / "ivoaudit.mo"), str(folder / "ivoaudit.po")],
                   check=True, capture_output=True)
    new = gettext.translation(click_texts.DOMAIN, str(tmp_path), languages=["sv"])
    old = _catalogue()
    singles, plurals, _ = _gettext_calls()
    assert [old.gettext(m) for m in sorted(singles)] == [new.gettext(m) for m in sorted(singles)]
    for one, many in sorted(plurals):
        assert [old.ngettext(one, many, n) for n in (1, 2)] == [new.ngettext(one, many, n) for n in (1, 2)]
