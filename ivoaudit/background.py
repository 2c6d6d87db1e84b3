"""Run one function on a background thread and collect its result later.

``in_background(fn, *args)`` starts ``fn(*args)`` on a daemon thread and returns a function
that waits for it and returns its result, or raises what it raised. The thread runs in a
copy of the caller's context, so the language in force (:mod:`ivoaudit.i18n`) follows it
into error messages. A daemon thread: a command that fails before it waits exits at once,
without waiting for work it no longer needs. Standard library only (see
:mod:`ivoaudit.load.reading`, which must not import pandas).
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def in_background(fn: Callable[..., T], *args: Any, name: str) -> Callable[[], T]:
    """Start ``fn(*args)`` on a daemon thread called ``name``; return a function that waits."""
    context = contextvars.copy_context()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = context.run(fn, *args)
        except BaseException as exc:  # handed to the waiting thread, which raises it
            outcome["error"] = exc

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()

    def wait() -> T:
        thread.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    return wait
