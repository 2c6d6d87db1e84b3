"""Every file of the hostile corpus (``corpus.py``) through every command that reads its kind.

Per file and command: the documented exit code; no traceback and no internal error; for a refusal
a Swedish message that names the file and says what to do (plus the row/column the case names);
no identifier of the file in any message; nothing half-written where the output was to go; and
for an extract that is read, every line after the header accounted for (loaded, quarantined, or a
line continuing a cell with a line break), against a count made without a CSV parser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from corpus import AS_OF, CASE_IDS, CASES, NAMES, PNRS, Case, csv_text  # noqa: E402

NEXT_STEP = re.compile(r"Kontrollera|Spara|Gör|Ange|Rätta|Lägg till|Öppna|Välj|Dela upp|Skriv|Byt|Ta bort|Stäng|"
                       r"Återställ|Frigör|Använd|Kör|Korta|Sätt|Prova|Försök|Jämför|Gå till")
ENGLISH = re.compile(r"Expecting|codec can't|Errno|Error\b|Exception|Traceback|Arrow|pyarrow|ParserError|YAMLError|could not|expected|"
                     r"found character|Invalid|invalid|overflow|Take operation|not allowed|No such file|"
                     r"Permission denied|pydantic|validation error")
PNR_FORMS = [p for pnr in PNRS for p in (pnr, pnr.replace("-", ""), pnr[2:])]
CHECK_FILES = {"results.csv", "summary.csv", "quarantine.csv", "cases.csv", "problems.csv", "meta.json"}


def _params() -> list[object]:
    marks = []
    for c in CASES:
        mark = [pytest.mark.xfail(strict=True, reason=f"owner {c.owner}: {c.why}")] if c.owner else []
        marks.append(pytest.param(c, id=c.name, marks=mark))
    return marks


@pytest.fixture(scope="session")
def real_form(tmp_path_factory) -> Path:
    """A review form written by ``ivoaudit sample`` (the base of the hostile forms), with its store."""
    from ivoaudit.cli import main

    folder = tmp_path_factory.mktemp("form")
    (folder / "x.csv").write_text(csv_text(), encoding="utf-8")
    saved = {k: os.environ.get(k) for k in ("IVOAUDIT_SECRET_FILE", "IVOAUDIT_DB")}
    os.environ["IVOAUDIT_SECRET_FILE"] = str(folder / "secret.key")
    try:
        with pytest.raises(SystemExit) as done:
            main(["sample", str(folder / "x.csv"), "--as-of", AS_OF, "--size", "3", "--seed", "1",
                  "--round", "hostile", "--out", str(folder / "form.xlsx"), "--db", str(folder / "store.db")])
        assert done.value.code in (0, None)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return folder


@pytest.mark.parametrize("case", _params())
def test_hostile_file(case: Case, run_cli, tmp_path, real_form):
    if case.role == "form":
        shutil.copy(real_form / "form.xlsx", tmp_path / "_form.xlsx")
        shutil.copy(real_form / "store.db", tmp_path / "store.db")
    path = case.make(tmp_path)
    base = tmp_path / "_base.csv"
    base.write_text(csv_text(), encoding="utf-8")
    for command, argv, output in _commands(case, path, base, tmp_path):
        code, out, err = run_cli(*argv)
        expected = case.codes.get(command, case.code)
        assert code == expected, (command, code, out[-2000:], err[-2000:])
        _assert_message(case, path, command, code, out, err)
        _assert_outputs(command, code, output)
    if case.role == "extract" and case.code == 0 and case.lines is not None:
        _assert_every_line_accounted(case, path, run_cli, tmp_path)


def _commands(case: Case, path: Path, base: Path, folder: Path) -> list[tuple[str, list[str], Path]]:
    out, form, db = folder / "out", folder / "form_out.xlsx", folder / "store.db"
    check = ["check", "--as-of", AS_OF, "--out", str(out)]
    if case.role == "extract":
        extra = []
        if case.mapping is not None:
            (folder / f"{case.name}.mapping.yaml").write_text(case.mapping, encoding="utf-8")
            extra = ["--mapping", str(folder / f"{case.name}.mapping.yaml")]
        return [("inspect", ["inspect", str(path), *extra], folder / "none"),
                ("check", [*check, str(path), *extra], out),
                ("sample", ["sample", str(path), *extra, "--as-of", AS_OF, "--size", "2", "--seed", "1",
                            "--round", "r", "--out", str(form), "--db", str(db)], form)]
    if case.role == "mapping":
        return [("inspect", ["inspect", str(base), "--mapping", str(path)], folder / "none"),
                ("check", [*check, str(base), "--mapping", str(path)], out)]
    if case.role == "checklist":
        return [("check", [*check, str(base), "--checklist", str(path)], out)]
    if case.role == "events":
        return [("check", [*check, str(base), "--events", str(path)], out)]
    if case.role == "form":
        return [("review import", ["review", "import", str(path), "--db", str(db)], folder / "none")]
    if case.role == "results":
        return [("report", ["report", "--results", str(path), "--format", "html,json", "--out", str(out)], out)]
    if case.role == "summary":
        return [("compare", ["compare", str(path), "--out", str(out)], out)]
    raise AssertionError(case.role)


def _assert_message(case: Case, path: Path, command: str, code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err and "Internt fel" not in err, (command, err[-2000:])
    for pnr in PNR_FORMS:  # never a whole personnummer, in any output of any run
        assert pnr not in out + err, (command, pnr)
    assert "\x1b" not in out + err and "\u202e" not in out + err, command  # no control sequence from the data
    for secret in (*NAMES, *CASE_IDS):  # nothing of the file's rows in a message
        assert secret not in err, (command, secret, err[-2000:])
    if code == 0:
        return
    message = err
    if code == 3:  # a refusal names the file (exit 2, a usage error, is about the options)
        assert path.name in message or str(path) in message, (command, message)
    for words in case.says:
        assert words in message, (command, words, message)
    if code == 3:
        assert NEXT_STEP.search(message), (command, message)
        assert not ENGLISH.search(message), (command, message)
        assert message.startswith("Fel: "), (command, message)  # the Swedish boundary, not "Error: "


def _assert_outputs(command: str, code: int, output: Path) -> None:
    if code != 0:
        assert not output.exists() or (output.is_dir() and not any(output.iterdir())), (command, output)
    elif command == "check":
        assert {p.name for p in output.iterdir()} >= CHECK_FILES, (command, sorted(output.iterdir()))
        assert not [p for p in output.iterdir() if p.name.startswith(".")], "a temporary file left behind"
    if output.is_dir():
        shutil.rmtree(output)
    elif output.exists():
        output.unlink()


def _assert_every_line_accounted(case: Case, path: Path, run_cli, folder: Path) -> None:
    extra = ["--mapping", str(folder / f"{case.name}.mapping.yaml")] if case.mapping is not None else []
    code, out, err = run_cli("inspect", str(path), *extra, "--format", "json", "--examples", "1000")
    assert code == 0, err
    report = json.loads(out)
    rows = {ex["row"] for group in report["quarantine"]["groups"] for ex in group["examples"]}
    assert len(rows) == report["quarantined"]
    assert report["loaded"] + report["quarantined"] + len(report.get("continued_lines", [])) == case.lines, report
