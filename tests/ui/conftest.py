"""Fixtures of the workshop app's browser tests: the app served on 127.0.0.1, and Debian's Chromium.

Module-scoped: each test module gets its own server (on a free port, over its own session
file) and its own browser, both stopped when the module ends.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from .workshop_browser import ARGS, CHROMIUM, playwright_api


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from workshop_app.app import serve
    from workshop_app.shared_session import forget_shared_sessions

    forget_shared_sessions()
    session = tmp_path_factory.mktemp("workshop") / "session.json"
    port = _free_port()
    server = serve(session, port=port, address="127.0.0.1", threaded=True, show=False)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"url": f"http://127.0.0.1:{port}/", "session": session}
    server.stop()
    forget_shared_sessions()


@pytest.fixture(scope="module")
def browser(served):
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
