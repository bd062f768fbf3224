"""Serving the workshop app in a test: a free loopback port, and waiting until it listens."""

from __future__ import annotations

import socket
import time

__all__ = ["free_port", "serve_app"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(session, **kwargs):
    """The app served on 127.0.0.1 over `session` (in a thread); returns (server, port) once it listens."""
    from workshop_app.app import serve

    port = free_port()
    server = serve(session, port=port, address="127.0.0.1", threaded=True, show=False, **kwargs)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, port
