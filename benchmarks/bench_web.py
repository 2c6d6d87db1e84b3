"""The web app's pages and its upload-and-check, timed as a user waits for them, against
baselines measured in the same run.

    python benchmarks/bench_web.py [--cases 100000] [--rounds 3]

Generates a Lifecare-style extract (``ivoaudit generate --seed 1``), then through the app's
test client (the whole ASGI stack: guard, routes, library, templates; no network) uploads it
(with inspect), maps it, checks it (the job, waited for), draws a round, records an IVO
decision with a demand and an action, and renders every page ``--rounds`` times.

Baselines of the same run, so the figures can be read on a loaded machine:

- **trivial page**: the app's 404 page (guard, cookie, one small template): what any page costs;
  each page is given as its median and as a multiple of this one;
- **CLI**: ``ivoaudit inspect`` and ``ivoaudit check`` in a fresh process on the same file with
  the same mapping: upload-and-check is given against their sum (the web does both, in a
  process that is already running, plus the upload itself).

Not asserted in tests (the machine is shared; read the figures with the load beside them).
Targets (issue 19): every page under 300 ms, upload and check of 100 000 cases under 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# This checkout's ivoaudit, whatever else an editable install on the machine points at (the CLI
# runs with the checkout as its working folder for the same reason).
sys.path.insert(0, str(REPO))
AS_OF = "2026-10-31"


def _median_of(rounds: int, run) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _cli(args: list) -> None:
    subprocess.run([sys.executable, "-m", "ivoaudit", *map(str, args)], check=True, capture_output=True,
                   cwd=REPO)


class App:
    """The app on a fresh working folder and store, with a logged-in test client."""

    def __init__(self, tmp: Path):
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        from ivoaudit.web import WebConfig, create_app

        self.config = WebConfig(workdir=tmp / "work", db=tmp / "store.db", port=8765)
        app = create_app(self.config)
        self.jobs = app.app.state.web.jobs
        self.client = TestClient(app, base_url="http://127.0.0.1:8765")
        self.client.get(f"/login?token={self.config.token}")

    def post(self, url: str, data: dict | None = None, files: dict | None = None):
        r = self.client.post(url, data={"csrf": self.config.csrf, **(data or {})}, files=files,
                             headers={"origin": self.config.origin}, follow_redirects=False)
        assert r.status_code == 303, (url, r.status_code, r.text[-500:])
        return r.headers["location"]

    def job(self, location: str) -> str:
        job = self.jobs.wait(location.rsplit("/", 1)[1], timeout=600)
        assert job.state == "done", job.error
        return job.target

    def upload_and_check(self, extract: Path, mapping: Path) -> tuple[str, str]:
        with open(extract, "rb") as fh:
            extract_id = self.post("/extracts", files={"extract": (extract.name, fh, "text/csv")}).rsplit("/", 1)[1]
        with open(mapping, "rb") as fh:
            self.post(f"/extracts/{extract_id}/choose-mapping",
                      files={"mapping_file": (mapping.name, fh, "text/yaml")})
        check_id = self.job(self.post("/checks", {"extract": extract_id, "as_of": AS_OF})).rsplit("/", 1)[1]
        return extract_id, check_id

    def tracking(self) -> None:
        dnr = "8.5-1/2026-1"
        self.post("/ivo", {"dnr": dnr, "decision_date": "2026-09-01", "answer_due": "2026-10-15"})
        self.post("/ivo/demands", {"dnr": dnr, "text": "Förhandsbedömning inom 14 dagar",
                                   "rules": "BU-FORHAND-14D", "figure": "3 av 10"})
        self.post("/actions", {"measure": "Veckovis genomgång", "role": "enhetschef", "start": "2026-09-10",
                               "deadline": "2026-12-01", "rules": "BU-FORHAND-14D", "demands": f"{dnr}:1"})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    os.environ.setdefault("IVOAUDIT_SECRET_FILE", str(tmp / "secret.key"))
    _cli(["generate", "--cases", args.cases, "--seed", "1", "--system", "lifecare", "--out", tmp / "data"])
    extract, mapping = tmp / "data" / "arenden.csv", tmp / "data" / "lifecare.yaml"

    cli_inspect = _median_of(args.rounds, lambda: _cli(["inspect", extract, "--mapping", mapping]))
    cli_check = _median_of(args.rounds, lambda: _cli(["check", extract, "--mapping", mapping, "--as-of", AS_OF,
                                                      "--out", tmp / "cli-out"]))
    app = App(tmp)
    ids: list[tuple[str, str]] = []
    web = _median_of(args.rounds, lambda: ids.append(app.upload_and_check(extract, mapping)))
    extract_id, check_id = ids[-1]
    app.job(app.post("/rounds", {"extract": extract_id, "as_of": AS_OF, "strategy": "random", "size": "50",
                                 "seed": "1", "name": "bench"}))
    app.tracking()
    load = os.getloadavg()
    print(f"`python benchmarks/bench_web.py --cases {args.cases} --rounds {args.rounds}`; "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; file {extract.stat().st_size / 2**20:.1f} MB\n")
    print("| upload-and-check | web | CLI inspect + check (fresh processes) | ratio |\n|---|---:|---:|---:|")
    print(f"| {args.cases:,} cases | {web:.2f} s | {cli_inspect:.2f} + {cli_check:.2f} = "
          f"{cli_inspect + cli_check:.2f} s | {web / (cli_inspect + cli_check):.2f}× |\n".replace(",", " "))
    _pages(app, extract_id, check_id, args.rounds)


def _pages(app: App, extract_id: str, check_id: str, rounds: int) -> None:
    def get(page: str, status: int = 200):
        r = app.client.get(page)
        assert r.status_code == status, (page, r.status_code)

    get("/no-such-page", 404)  # templates compiled, caches warm
    trivial = _median_of(rounds * 3, lambda: get("/no-such-page", 404))
    pages = ["/", "/extracts", f"/extracts/{extract_id}", f"/extracts/{extract_id}/mapping", "/checks",
             f"/checks/{check_id}", f"/checks/{check_id}/rules/BU-FORHAND-14D",
             f"/checks/{check_id}/rules/BU-FORHAND-14D?page=3", "/rounds", "/rounds/view?name=bench", "/reports",
             "/actions", "/actions/1", "/quarterly", "/static/app.css"]
    print(f"| page | first | median of {rounds} | × trivial page |\n|---|---:|---:|---:|")
    print(f"| trivial page (404) | | {trivial * 1000:.0f} ms | 1× |")
    for page in pages:
        t = time.perf_counter()
        get(page)
        first = time.perf_counter() - t
        median = _median_of(rounds, lambda p=page: get(p))
        print(f"| `{page.replace(extract_id, '{x}').replace(check_id, '{c}')}` | {first * 1000:.0f} ms | "
              f"{median * 1000:.0f} ms | {median / trivial:.0f}× |")
    answer = _median_of(rounds, lambda: app.post("/ivo/answer", {"dnr": "8.5-1/2026-1"}))
    print(f"| POST `/ivo/answer` (the committee's answer, Word + HTML) | | {answer * 1000:.0f} ms | "
          f"{answer / trivial:.0f}× |")


if __name__ == "__main__":
    main()
