"""Staff login: scrypt-hashed passwords and sessions that expire (the clock is a seam)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from process_models.errors import UserError

from .storage import DEFAULT_OFFICE, staff, staff_sessions

__all__ = ["hash_password", "verify_password", "StaffAuth"]

_N, _R, _P = 2**14, 8, 1
_USER = re.compile(r"^[a-z][a-z0-9_.-]{1,63}$")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """scrypt (RFC 7914) with a random salt, stored as scrypt$n$r$p$salt$hash."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(got.hex(), digest)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffAuth:
    """One office's staff accounts and login sessions; only a hash of each session token is stored.

    Offices sharing a database each have their own staff: a login or a session of one office
    is nothing to another (`office_id` is part of every lookup).
    """

    MAX_FAILURES = 5
    LOCK = timedelta(minutes=15)

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = datetime.now, ttl: timedelta = timedelta(hours=8),
                 office_id: str = DEFAULT_OFFICE):
        self.engine, self.clock, self.ttl, self.office_id = engine, clock, ttl, office_id
        self._failures: dict[str, list[datetime]] = {}  # per user name, in memory: slows guessing

    def locked(self, username: str) -> bool:
        """True after MAX_FAILURES wrong passwords within LOCK (for any name, existing or not)."""
        recent = [t for t in self._failures.get(username, []) if self.clock() - t < self.LOCK]
        self._failures[username] = recent
        return len(recent) >= self.MAX_FAILURES

    def add_staff(self, username: str, password: str) -> None:
        if not _USER.match(username or ""):
            raise UserError(f"username: expected 2-64 lower-case letters, digits, '.', '_' or '-', got {username!r}")
        if len(password or "") < 10:
            raise UserError("password: expected at least 10 characters")
        with self.engine.begin() as conn:
            conn.execute(delete(staff).where(staff.c.office == self.office_id, staff.c.username == username))
            conn.execute(staff.insert().values(office=self.office_id, username=username, password_hash=hash_password(password), created_at=self.clock()))

    def has_staff(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(staff.c.username).where(staff.c.office == self.office_id).limit(1)).first() is not None

    def login(self, username: str, password: str) -> str | None:
        """A new session token, or None for a wrong name or password (same answer for both)."""
        if self.locked(username):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(staff.c.password_hash).where(staff.c.office == self.office_id, staff.c.username == username)).first()
        # hash anyway so a missing user takes as long as a wrong password
        ok = verify_password(password, row[0] if row else hash_password("x" * 10, b"0" * 16))
        if not (row and ok):
            self._failures.setdefault(username, []).append(self.clock())
            return None
        self._failures.pop(username, None)
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(staff_sessions.delete().where(staff_sessions.c.expires_at <= self.clock()))
            conn.execute(
                staff_sessions.insert().values(token_hash=_token_hash(token), office=self.office_id, username=username,
                                               expires_at=self.clock() + self.ttl)
            )
        return token

    def user(self, token: str | None) -> str | None:
        """The staff member of a live session, else None (expired, logged out or forged)."""
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(staff_sessions.c.username, staff_sessions.c.expires_at).where(
                    staff_sessions.c.token_hash == _token_hash(token), staff_sessions.c.office == self.office_id
                )
            ).first()
        if row is None or row[1] <= self.clock():
            return None
        return row[0]

    def logout(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(staff_sessions.delete().where(
                staff_sessions.c.token_hash == _token_hash(token), staff_sessions.c.office == self.office_id
            ))
