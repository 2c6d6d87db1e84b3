"""Work that takes longer than a page view (a check, a report), run beside the server.

A job runs one function on a thread with the language of the page that started it; the
function reports its stage through the ``progress`` callable it is given and returns the
address to go to when done. The page of a job shows its stage and moves on by itself.
A user error ends the job with its message; anything else with a short internal-error
message (the traceback goes to the terminal the app runs in, never to the page).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from ivoaudit.errors import ReviewFormError, UserError
from ivoaudit.i18n import get_language, t, use_language
from ivoaudit.web.workdir import new_id

Progress = Callable[[str, float | None], None]


@dataclass
class Job:
    id: str
    title: str
    stage: str = ""
    fraction: float | None = None  # None: no measure of how far (shown as an activity bar)
    state: str = "running"  # running, done, failed
    error: str = ""
    problems: list[str] = field(default_factory=list)
    target: str = ""  # where to go when done
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Jobs:
    """The jobs of this start (kept in memory; a restart forgets them, not their outputs)."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, title: str, work: Callable[[Progress], str]) -> Job:
        job = Job(new_id(), title, stage=t("Startar …", "Starting …"))
        with self._lock:
            self._jobs[job.id] = job
        lang = get_language()

        def progress(stage: str, fraction: float | None = None) -> None:
            job.stage, job.fraction = stage, fraction

        def run() -> None:
            with use_language(lang):
                try:
                    job.target = work(progress)
                    job.state = "done"
                except UserError as exc:
                    job.error = str(exc)
                    if isinstance(exc, ReviewFormError):
                        job.problems = list(exc.problems)
                    job.state = "failed"
                except Exception as exc:  # noqa: BLE001 - shown as an internal error, logged
                    traceback.print_exc()
                    job.error = t("Internt fel i ivoaudit ({k}). Detta är ett programfel, inte ett "
                                  "fel i dina data; felsökningsinformationen står i fönstret där "
                                  "appen startades.",
                                  "Internal error in ivoaudit ({k}). This is a bug, not a problem "
                                  "with your data; the details are in the window where the app was "
                                  "started.", k=type(exc).__name__)
                    job.state = "failed"
                finally:
                    job.finished = time.monotonic()

        threading.Thread(target=run, name=f"ivoaudit-job-{job.id}", daemon=True).start()
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job ends (tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job is None or job.state != "running" or time.monotonic() > deadline:
                assert job is not None
                return job
            time.sleep(0.02)
