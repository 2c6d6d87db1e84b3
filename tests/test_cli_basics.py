"""The CLI shell: help in both languages, unknown commands, the error boundary."""

from __future__ import annotations


def test_help_is_swedish_by_default(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    assert "egenkontroll" in out
    assert "Visa fullständig felsökningsinformation" in out


def test_help_in_english_with_flag(run_cli):
    code, out, _ = run_cli("--lang", "en", "--help")
    assert code == 0
    assert "inspection readiness" in out
    assert "egenkontroll" not in out


def test_help_in_english_with_environment(run_cli, monkeypatch):
    monkeypatch.setenv("IVOAUDIT_LANG", "en")
    code, out, _ = run_cli("--help")
    assert code == 0
    assert "Show the full traceback" in out


def test_unknown_command_is_a_usage_error(run_cli):
    code, _, err = run_cli("no-such-command")
    assert code == 2
    assert "no-such-command" in err


def test_check_as_a_program_ends_at_once_with_everything_written(tmp_path, run_cli):
    """The console entry point skips Python's teardown after `check`: its output must still
    be complete, every file whole, and the exit code 0 (compared with an in-process run)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    sample = Path(__file__).parent.parent / "sample_data" / "lifecare"
    args = ["check", str(sample / "arenden.csv"), "--mapping", str(sample / "lifecare.yaml"),
            "--as-of", "2026-10-31"]
    env = {**os.environ, "IVOAUDIT_LANG": "sv"}
    env.pop("PYTHONUNBUFFERED", None)  # block-buffered stdout, as in a pipe: must be flushed
    proc = subprocess.run([sys.executable, "-m", "ivoaudit", *args, "--out", str(tmp_path / "a")],
                          capture_output=True, text=True, env=env, timeout=120)
    code, out, _ = run_cli(*args, "--out", str(tmp_path / "b"))
    assert proc.returncode == code == 0, proc.stderr
    assert proc.stdout.rstrip().endswith(f"Resultat skrivna till {tmp_path / 'a'}")
    assert proc.stdout.replace(str(tmp_path / "a"), "") == out.replace(str(tmp_path / "b"), "")
    written = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in ("results.csv", "summary.csv", "cases.csv", "quarantine.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_file_that_cannot_be_written_is_a_user_error_not_a_bug(run_cli, tmp_path, monkeypatch):
    """Windows refuses to replace a file open in Excel or Word: exit 3 with what to do."""
    from pathlib import Path

    import ivoaudit.results as outputs

    def refused(table, path, pool=None):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(outputs, "write_table", refused)
    sample = Path(__file__).parent.parent / "sample_data" / "lifecare"
    args = ["check", str(sample / "arenden.csv"), "--mapping", str(sample / "lifecare.yaml"),
            "--as-of", "2026-10-31", "--out", str(tmp_path / "out")]
    code, _, err = run_cli(*args)
    assert code == 3
    assert "results.csv kan inte öppnas eller skrivas" in err or "cases.csv kan inte öppnas" in err
    assert "Excel" in err and "Internt fel" not in err
    code, _, err = run_cli("--lang", "en", *args)
    assert code == 3 and "cannot be opened or written (access denied)" in err


def test_the_cli_starts_without_pandas():
    # Every command module is imported to build the help; the heavy libraries are imported
    # by the command that runs.
    import subprocess
    import sys

    code = "import sys; from ivoaudit.cli import program; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
