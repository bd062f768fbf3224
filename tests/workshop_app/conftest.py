"""Fixtures for the workshop app's state tests: a fresh session file per test."""

from __future__ import annotations

import pytest

from workshop_app.shared_session import SharedSession, forget_shared_sessions


class FakeClock:
    """A clock the test moves by hand (the timer's seam)."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def session_path(tmp_path):
    forget_shared_sessions()
    yield tmp_path / "workshop.json"
    forget_shared_sessions()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def shared(session_path, clock):
    return SharedSession(session_path, clock=clock)
