"""Demo data for trying the kiosk: caseworkers and today's booked meetings (seeded, no real people)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .storage import DEFAULT_OFFICE, appointments, caseworkers

__all__ = ["DEMO_CASEWORKERS", "seed_demo"]

DEMO_CASEWORKERS = [
    ("cw-anna", "Anna L.", "anna.l@medborgarkontor.invalid"),
    ("cw-omar", "Omar H.", "omar.h@medborgarkontor.invalid"),
    ("cw-lina", "Lina S.", "lina.s@medborgarkontor.invalid"),
]
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def seed_demo(engine: Engine, day: datetime, seed: int = 1, per_caseworker: int = 4,
              office: str = DEFAULT_OFFICE) -> list[dict]:
    """Add an office's demo caseworkers and today's meetings if its day has none; returns the meetings."""
    rng = random.Random(seed)
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    with engine.begin() as conn:
        for cid, name, email in DEMO_CASEWORKERS:
            if conn.execute(select(caseworkers.c.id).where(caseworkers.c.office == office, caseworkers.c.id == cid)).first() is None:
                conn.execute(caseworkers.insert().values(office=office, id=cid, name=name, email=email))
        existing = conn.execute(
            select(appointments.c.id).where(appointments.c.office == office, appointments.c.starts_at >= start,
                                            appointments.c.starts_at < start + timedelta(days=1))
        ).first()
        if existing is None:
            for cid, _, _ in DEMO_CASEWORKERS:
                slots = sorted(rng.sample(range(9 * 2, 16 * 2), per_caseworker))
                for slot in slots:
                    code = "".join(rng.choice(_ALPHABET) for _ in range(6))
                    conn.execute(
                        appointments.insert().values(
                            office=office, code=code, caseworker_id=cid, starts_at=start + timedelta(minutes=30 * slot)
                        )
                    )
        rows = conn.execute(
            select(appointments.c.code, appointments.c.starts_at, caseworkers.c.name, caseworkers.c.email)
            .join(caseworkers, (caseworkers.c.office == appointments.c.office) & (caseworkers.c.id == appointments.c.caseworker_id))
            .where(appointments.c.office == office, appointments.c.starts_at >= start,
                   appointments.c.starts_at < start + timedelta(days=1))
            .order_by(appointments.c.starts_at)
        ).mappings().all()
    return [dict(r) for r in rows]
