"""Run the web app with uvicorn on a socket the CLI opened (so a port in use is the CLI's message, not a log line)."""

from __future__ import annotations

import logging
import socket

from .app import create_app
from .jobs import Settings

__all__ = ["Settings", "listen", "run"]


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (port 0: any free port); raises OSError."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run(sock: socket.socket, settings: Settings, jobs: int | None = None) -> None:
    """Serve until interrupted (Ctrl+C). Logs one line per request (action, status, time), never what was sent."""
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    config = uvicorn.Config(create_app(settings, workers=jobs), log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=10)
    uvicorn.Server(config).run(sockets=[sock])
