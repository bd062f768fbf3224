"""Fixtures for the kiosk tests: a fixed clock, a fresh office on SQLite and on PostgreSQL, SMTP.

`db_url` (and so `engine` and `office`) runs each test twice: on a SQLite file and on a fresh
database of a real PostgreSQL server that the session starts itself and stops (tests/conftest.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from process_models import load_model
from prototypes.content import load_content
from prototypes.flow import KioskFlow
from prototypes.office import Office
from prototypes.storage import appointments, caseworkers, open_engine

from .kiosk_support import SmtpCapture


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock():
    return Clock(datetime(2026, 11, 23, 10, 0, 0))


@pytest.fixture(scope="session")
def kiosk_model():
    return load_model("skarholmen-kiosk")


@pytest.fixture(scope="session")
def content():
    return load_content()


@pytest.fixture
def engine(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def office(engine, kiosk_model, content, clock):
    ids = iter(f"v{i:03d}" for i in range(1, 1000))
    with engine.begin() as conn:
        conn.execute(caseworkers.insert().values(id="cw1", name="Anna L.", email="anna@medborgarkontor.invalid"))
        conn.execute(appointments.insert().values(code="AB12CD", caseworker_id="cw1", starts_at=datetime(2026, 11, 23, 10, 30)))
        conn.execute(appointments.insert().values(code="EF34GH", caseworker_id="cw1", starts_at=datetime(2026, 11, 23, 14, 0)))
        conn.execute(appointments.insert().values(code="OLD999", caseworker_id="cw1", starts_at=datetime(2026, 11, 22, 10, 0)))
    return Office(engine, KioskFlow.from_model(kiosk_model), content, clock=clock, new_id=lambda: next(ids))


@pytest.fixture
def smtp():
    server = SmtpCapture().start()
    yield server
    server.stop()
