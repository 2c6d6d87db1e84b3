"""Running the app: uvicorn on a socket the command has bound, until Ctrl+C."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from ivoaudit.web.config import WebConfig


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one); OSError when it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: nobody else may share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(config: WebConfig, sock: socket.socket, on_ready: Callable[[], None] | None = None) -> None:
    """Serve until interrupted; ``on_ready`` runs once the server accepts requests."""
    import uvicorn

    from ivoaudit.web.app import create_app

    server = uvicorn.Server(uvicorn.Config(
        create_app(config), log_level="warning", access_log=False, lifespan="off",
        timeout_graceful_shutdown=3, server_header=False, date_header=False))
    if on_ready is not None:
        def wait_then_call() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.05)
            if server.started:
                on_ready()

        threading.Thread(target=wait_then_call, daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn hands Ctrl+C back once it has shut down cleanly
        pass
    finally:
        sock.close()
