"""The local web app (``ivoaudit app``): the same library as the CLI, in a browser, on
127.0.0.1 only. :func:`create_app` builds it; :func:`serve` runs it."""

from __future__ import annotations

from ivoaudit.web.config import WebConfig

__all__ = ["WebConfig", "create_app", "serve"]


def create_app(config: WebConfig):  # noqa: ANN201 - the ASGI app
    from ivoaudit.web.app import create_app as build

    return build(config)


def serve(config: WebConfig, sock, on_ready=None) -> None:  # noqa: ANN001
    """Serve ``config``'s app on an already bound socket until interrupted (Ctrl+C)."""
    from ivoaudit.web.server import serve as run

    run(config, sock, on_ready)
