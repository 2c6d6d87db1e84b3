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


def test_check_prefers_jemalloc_unless_the_user_chose_a_pool(monkeypatch):
    import pyarrow as pa

    from ivoaudit.cli import prefer_jemalloc

    before = pa.default_memory_pool()
    try:
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
        pa.set_memory_pool(pa.system_memory_pool())
        prefer_jemalloc()
        assert pa.default_memory_pool().backend_name == "system"  # the user's choice is kept

        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")
        prefer_jemalloc()
        expected = "jemalloc" if "jemalloc" in pa.supported_memory_backends() else "system"
        assert pa.default_memory_pool().backend_name == expected
    finally:
        pa.set_memory_pool(before)


def test_check_turns_the_cycle_collector_off_only_while_it_runs(run_cli, tmp_path, monkeypatch):
    import gc

    import ivoaudit.results as outputs
    from ivoaudit.cli import without_cycle_collection

    seen = []
    real = outputs.check_and_write

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(outputs, "check_and_write", spy)
    assert gc.isenabled()
    extract = tmp_path / "arenden.csv"
    extract.write_text("Ärendenummer;Verksamhet;Aktualiseringsdatum\nA-1;barn_unga;2026-01-05\n", encoding="utf-8")
    code, _, err = run_cli("check", extract, "--as-of", "2026-03-01", "--out", tmp_path / "out")
    assert code == 0, err
    assert seen == [False]  # off during the check
    assert gc.isenabled()  # and on again after it, in a process that goes on
    gc.disable()
    try:
        with without_cycle_collection():
            pass
        assert not gc.isenabled()  # a collector the caller had turned off stays off
    finally:
        gc.enable()


def test_the_cli_starts_without_pandas():
    # Every command module is imported to build the help; the heavy libraries are imported
    # by the command that runs (`ivoaudit check` parses its extract meanwhile).
    import subprocess
    import sys

    code = "import sys; from ivoaudit.cli import build_program; build_program(); print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
