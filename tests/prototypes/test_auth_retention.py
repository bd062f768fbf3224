"""Staff login (scrypt, expiring sessions) and retention (phones gone at day's end, statistics kept)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from process_models.errors import UserError
from prototypes.auth import StaffAuth, hash_password, verify_password
from prototypes.config import load_config
from prototypes.retention import purge
from prototypes.state import KioskSession
from prototypes.storage import daily_stats, events, staff, survey_counts, visits


def test_password_hash_is_salted_scrypt_and_verifies():
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("correct horse", a) and not verify_password("correct hors", a)
    assert not verify_password("x", "md5$abc")


def test_sessions_expire_and_logout_ends_them(engine, clock):
    from datetime import timedelta

    auth = StaffAuth(engine, clock=clock, ttl=timedelta(minutes=30))
    auth.add_staff("guide", "long enough pw")
    with engine.connect() as conn:
        stored = conn.execute(select(staff.c.password_hash)).scalar()
    assert "long enough pw" not in stored
    assert auth.login("guide", "wrong password") is None and auth.login("nobody", "long enough pw") is None
    token = auth.login("guide", "long enough pw")
    assert auth.user(token) == "guide" and auth.user("forged") is None
    clock.advance(minutes=29)
    assert auth.user(token) == "guide"
    clock.advance(minutes=1)
    assert auth.user(token) is None
    token = auth.login("guide", "long enough pw")
    auth.logout(token)
    assert auth.user(token) is None


def test_bad_staff_input_is_refused(engine):
    auth = StaffAuth(engine)
    with pytest.raises(UserError, match="password: expected at least 10"):
        auth.add_staff("guide", "short")
    with pytest.raises(UserError, match="username"):
        auth.add_staff("Guide Name", "long enough pw")


def test_warning_shorter_than_20_seconds_is_refused():
    with pytest.raises(UserError, match="warning_seconds: expected at least 20"):
        load_config(None, env={"MBK_WARNING_SECONDS": "5"})


def test_purge_deletes_phones_at_day_end_and_keeps_anonymous_statistics(office, clock):
    s = KioskSession(office)
    s.act("language", {"value": "so"})
    s.act("categories", {})
    s.act("choose", {"value": "other"})
    s.act("phone", {"phone": "0701234567"})
    s.act("finish", {})
    s.act("survey", {"learned": "yes", "can_alone": "yes"})
    t = KioskSession(office)
    t.act("language", {"value": "sv"})
    t.act("categories", {})
    t.act("choose", {"value": "housing"})
    t.act("managed", {})
    t.act("skip", {})
    report = purge(office.engine, date(2026, 11, 23), keep_days=30)
    assert report.phones_deleted == 0  # same day: the "your turn" text may still be needed
    report = purge(office.engine, date(2026, 11, 24), keep_days=30)
    assert report.phones_deleted == 1
    with office.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(visits.c.phone.is_not(None))).scalar() == 0
    report = purge(office.engine, date(2026, 12, 24), keep_days=30)
    assert report.visits_aggregated == 2 and report.events_deleted > 0
    with office.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(visits)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 0
        stats = conn.execute(select(daily_stats).order_by(daily_stats.c.errand)).mappings().all()
    assert [(r["office"], r["day"], r["errand"], r["language"], r["visits"], r["self_served"]) for r in stats] == [
        ("default", "2026-11-23", "housing", "sv", 1, 1),
        ("default", "2026-11-23", "other", "so", 1, 0),
    ]
    with office.engine.connect() as conn:  # the survey answer was counts from the start: purging leaves it
        counts = conn.execute(select(survey_counts)).mappings().all()
    assert [dict(r) for r in counts] == [{"office": "default", "day": "2026-11-23", "gender": "obesvarad", "answers": 1,
                                          "learned_answers": 1, "learned_yes": 1, "can_alone_answers": 1,
                                          "can_alone_yes": 1}]


def test_five_wrong_passwords_lock_the_name_for_a_quarter(engine, clock):
    auth = StaffAuth(engine, clock=clock)
    auth.add_staff("guide", "long enough pw")
    for _ in range(5):
        assert auth.login("guide", "guess") is None
    assert auth.locked("guide")
    assert auth.login("guide", "long enough pw") is None  # even the right password waits
    assert not auth.locked("omar")
    clock.advance(minutes=15)
    assert not auth.locked("guide")
    assert auth.user(auth.login("guide", "long enough pw")) == "guide"


def test_the_server_purges_on_start_and_hourly(office, engine, clock, tmp_path):
    from prototypes.config import KioskConfig
    from prototypes.server import KioskApp, start_retention
    from tests.prototypes.kiosk_support import wait_until

    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("categories", {})
    s.act("choose", {"value": "other"})
    s.act("phone", {"phone": "0701234567"})
    clock.advance(days=1)  # the next morning
    app = KioskApp(office, StaffAuth(engine, clock=clock), KioskConfig(), sender=None)
    stop = start_retention(app, every=0.05)
    try:
        assert wait_until(lambda: office.visit(s.visit_id)["phone"] is None, timeout=5)
    finally:
        stop.set()


def test_a_failing_purge_is_logged_and_tried_again(office, engine, clock, caplog):
    import logging

    from prototypes.config import KioskConfig
    from prototypes.server import KioskApp, start_retention
    from prototypes.storage import metadata
    from tests.prototypes.kiosk_support import wait_until

    app = KioskApp(office, StaffAuth(engine, clock=clock), KioskConfig(), sender=None)
    metadata.drop_all(engine)  # purging now fails: the tables are gone
    with caplog.at_level(logging.ERROR, logger="prototypes.server"):
        stop = start_retention(app, every=0.05)
        try:
            assert wait_until(lambda: len([r for r in caplog.records if r.name == "prototypes.server"]) >= 2, timeout=10)
        finally:
            stop.set()
    record = next(r for r in caplog.records if r.name == "prototypes.server")
    assert record.getMessage() == "purging old kiosk data failed; trying again in 0.05 s"
    reason = str(record.exc_info[1])
    assert "no such table" in reason or 'relation "visits" does not exist' in reason  # SQLite's and PostgreSQL's words
