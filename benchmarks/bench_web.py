"""The web app's pages and its upload-and-check, timed as a user waits for them.

    python benchmarks/bench_web.py [--cases 100000] [--rounds 5]

Generates a Lifecare-style extract (``ivoaudit generate``), then through the app's test
client (the whole ASGI stack: guard, routes, library, templates; no network): uploads it
(with inspect), maps it, checks it (the job, waited for), and renders every page, each
``--rounds`` times; prints the median per page and the upload-and-check time. Not asserted
in tests (the machine is shared; read the figures with ``uptime``'s load beside them).
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    os.environ.setdefault("IVOAUDIT_SECRET_FILE", str(tmp / "secret.key"))
    subprocess.run([sys.executable, "-m", "ivoaudit", "generate", "--cases", str(args.cases), "--seed", "1",
                    "--system", "lifecare", "--out", str(tmp / "data")], check=True, capture_output=True)
    extract = tmp / "data" / "arenden.csv"
    mapping = tmp / "data" / "lifecare.yaml"

    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

    from ivoaudit.web import WebConfig, create_app

    config = WebConfig(workdir=tmp / "work", db=tmp / "store.db", port=8765)
    app = create_app(config)
    client = TestClient(app, base_url="http://127.0.0.1:8765")
    client.get(f"/login?token={config.token}")
    jobs = app.app.state.web.jobs
    headers = {"origin": config.origin}

    def post(url, data=None, files=None):
        return client.post(url, data={"csrf": config.csrf, **(data or {})}, files=files, headers=headers,
                           follow_redirects=False)

    t0 = time.perf_counter()
    with open(extract, "rb") as fh:
        r = post("/extracts", files={"extract": (extract.name, fh, "text/csv")})
    extract_id = r.headers["location"].rsplit("/", 1)[1]
    t_upload = time.perf_counter() - t0
    with open(mapping, "rb") as fh:
        post(f"/extracts/{extract_id}/choose-mapping", files={"mapping_file": (mapping.name, fh, "text/yaml")})
    t1 = time.perf_counter()
    r = post("/checks", {"extract": extract_id, "as_of": "2026-10-31"})
    job = jobs.wait(r.headers["location"].rsplit("/", 1)[1], timeout=600)
    t_check = time.perf_counter() - t1
    assert job.state == "done", job.error
    check_id = job.target.rsplit("/", 1)[1]
    r = post("/rounds", {"extract": extract_id, "as_of": "2026-10-31", "strategy": "random", "size": "50",
                         "seed": "1", "name": "bench"})
    jobs.wait(r.headers["location"].rsplit("/", 1)[1], timeout=600)
    post("/ivo", {"dnr": "8.5-1/2026-1", "decision_date": "2026-09-01", "answer_due": "2026-10-15"})
    pages = ["/", "/extracts", f"/extracts/{extract_id}", f"/extracts/{extract_id}/mapping", "/checks",
             f"/checks/{check_id}", f"/checks/{check_id}/rules/BU-FORHAND-14D",
             f"/checks/{check_id}/rules/BU-FORHAND-14D?page=3", "/rounds", "/rounds/view?name=bench", "/reports",
             "/actions", "/quarterly", "/static/app.css"]
    print(f"uptime: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    print(f"{args.cases} cases, file {extract.stat().st_size / 2**20:.1f} MB")
    print(f"upload + inspect       {t_upload:6.2f} s")
    print(f"check (job)            {t_check:6.2f} s")
    print(f"upload-and-check       {t_upload + t_check:6.2f} s   (target < 5 s)")
    for page in pages:
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            r = client.get(page)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, (page, r.status_code)
        print(f"{page:48} median {statistics.median(times) * 1000:6.0f} ms  first {times[0] * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
