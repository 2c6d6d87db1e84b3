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
