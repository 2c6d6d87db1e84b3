"""Fixtures for the web app: an app on a temporary working folder and store, a logged-in
test client, and a hostile extract whose every text cell is markup."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DATA

PORT = 8765
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"]


class Client:
    """A logged-in test client with helpers for the app's forms."""

    def __init__(self, app, config):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient

            self.http = TestClient(app, base_url=f"http://127.0.0.1:{config.port}")
        self.app, self.config = app, config
        self.state = app.app.state.web
        assert self.http.get(f"/login?token={config.token}", follow_redirects=False).status_code == 303

    def get(self, url: str, **kw):
        return self.http.get(url, **kw)

    def post(self, url: str, data: dict | None = None, files: dict | None = None, csrf: bool = True, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf", self.config.csrf)
        headers = {"origin": self.config.origin, **kw.pop("headers", {})}
        return self.http.post(url, data=data, files=files, headers=headers, follow_redirects=False, **kw)

    def upload(self, path: Path, name: str | None = None) -> str:
        with open(path, "rb") as fh:
            r = self.post("/extracts", files={"extract": (name or path.name, fh, "application/octet-stream")})
        assert r.status_code == 303, r.text
        return r.headers["location"].rsplit("/", 1)[1]

    def use_mapping(self, extract_id: str, mapping: Path) -> None:
        with open(mapping, "rb") as fh:
            r = self.post(f"/extracts/{extract_id}/choose-mapping",
                          files={"mapping_file": (mapping.name, fh, "application/x-yaml")})
        assert r.status_code == 303, r.text

    def run_job(self, response) -> str:
        """Wait for the job a POST started; return where it leads."""
        assert response.status_code == 303, response.text
        job_id = response.headers["location"].rsplit("/", 1)[1]
        job = self.state.jobs.wait(job_id, timeout=120)
        assert job.state == "done", (job.error, job.problems)
        return job.target


def make_client(tmp: Path, **config_kw) -> Client:
    from ivoaudit.web import WebConfig, create_app

    config = WebConfig(workdir=tmp / "work", db=tmp / "store.db", port=PORT, **config_kw)
    return Client(create_app(config), config)


@pytest.fixture
def client(tmp_path) -> Client:
    """A fresh app with nothing in it."""
    return make_client(tmp_path)


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    """One app with the Lifecare sample loaded and mapped, checked, and a round drawn.

    Built once per session; tests that only read pages share it.
    """
    tmp = tmp_path_factory.mktemp("web-prepared")
    c = make_client(tmp)
    extract = c.upload(SAMPLE_DATA / "lifecare" / "arenden.csv")
    c.use_mapping(extract, SAMPLE_DATA / "mappings" / "lifecare.yaml")
    check = c.run_job(c.post("/checks", {"extract": extract, "as_of": "2026-10-31"})).rsplit("/", 1)[1]
    round_page = c.run_job(c.post("/rounds", {"extract": extract, "as_of": "2026-10-31", "strategy": "ivo",
                                              "not_opened": "10", "completed": "7", "seed": "42",
                                              "name": "BU prov"}))
    return {"client": c, "extract": extract, "check": check, "round": "BU prov", "round_page": round_page}


def write_hostile_extract(path: Path) -> Path:
    """A CSV whose every text cell, one header and one code are markup (and which has
    deviations, so the drill-down shows them)."""
    header = ["case_id", "area", "unit", "caseworker", "received_date", "preliminary_decision_date",
              "preliminary_outcome", "preliminary_delay_reason", "intervention_type", "decision_date",
              "decision_outcome", "execution_date", HOSTILE[1]]
    rows = []
    for i in range(12):
        text = HOSTILE[i % 2]
        rows.append([f"{text}-{i}", "barn_unga", text, text, "2026-01-05", "2026-03-01" if i % 3 else "2026-01-10",
                     "open" if i % 4 else text, text, text, "2026-03-01", "granted", "", text])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path
