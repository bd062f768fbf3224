"""Fixtures of the workshop app's browser tests: the app served on 127.0.0.1, and Debian's Chromium.

Module-scoped: each test module gets its own server (on a free port, over its own session
file) and its own browser, both stopped when the module ends.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..serving import serve_app
from .workshop_browser import ARGS, CHROMIUM, playwright_api


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from workshop_app.shared_session import forget_shared_sessions

    forget_shared_sessions()
    session = tmp_path_factory.mktemp("workshop") / "session.json"
    server, port = serve_app(session)
    yield {"url": f"http://127.0.0.1:{port}/", "session": session}
    server.stop()
    forget_shared_sessions()


@pytest.fixture(scope="module")
def browser(served):
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
