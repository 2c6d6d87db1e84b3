"""``ivoaudit app`` as a user starts it: the address first, the page behind it, Ctrl+C."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT as Ctrl+C is POSIX here")


def start(tmp_path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "ivoaudit", "app", "--no-browser", "--workdir",
                             str(tmp_path / "work"), "--db", str(tmp_path / "store.db"), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def first_address(proc: subprocess.Popen) -> str:
    line = proc.stdout.readline().strip()
    assert line.startswith("http://127.0.0.1:"), line
    return line


def test_app_prints_its_address_serves_the_start_page_and_stops_on_ctrl_c(tmp_path):
    proc = start(tmp_path)
    try:
        url = first_address(proc)
        assert "/login?token=" in url
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        deadline = time.monotonic() + 20
        while True:
            try:
                html = opener.open(url, timeout=5).read().decode("utf-8")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert "Så här ligger ni till" in html
        # without the cookie: refused
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.split("/login")[0] + "/", timeout=5)
        assert refused.value.code == 403
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "ivoaudit har stoppats." in out
    assert "Traceback" not in err
    assert (tmp_path / "work" / "extracts").is_dir()  # the working folder is where it was told


def test_a_taken_port_is_a_usage_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = start(tmp_path, "--port", str(port))
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert f"127.0.0.1:{port}" in err and "--port" in err
    assert not out.startswith("http")


def test_another_address_only_when_asked_and_with_a_warning(tmp_path):
    proc = start(tmp_path, "--host", "0.0.0.0")
    try:
        line = proc.stdout.readline()
        assert line.startswith("http://0.0.0.0:")
        # Ctrl+C once it serves, as a user would (CI, at load 20, once timed out when the signal
        # came while the server was still starting)
        port = int(line.split(":")[2].split("/")[0])
        deadline = time.monotonic() + 30
        while True:
            try:  # the socket listens before the server runs: wait for an answer, any answer
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "VARNING" in err and "sekretess" in err


def test_loopback_detection():
    from ivoaudit.cli.cmd_app import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("127.0.0.2") and _is_loopback("::1")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5") and not _is_loopback("example.org")


def test_help_in_both_languages(run_cli):
    code, out, _ = run_cli("app", "--help")
    assert code == 0 and "127.0.0.1" in out and "Ctrl+C" in out and "--no-browser" in out
    code, out, _ = run_cli("--lang", "en", "app", "--help")
    assert code == 0 and "Start the web app" in out
