"""Several offices in one database (SQLite and PostgreSQL), the migrations from the first release, and --db errors."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from mbk.cli import main
from prototypes.auth import StaffAuth, hash_password
from prototypes.flow import KioskFlow
from prototypes.mailer import OutboxSender
from prototypes.office import Office
from prototypes.retention import purge
from prototypes.schema import FIRST_RELEASE, alembic_config, current_revision, head_revision
from prototypes.state import KioskSession
from prototypes.storage import (
    appointments, caseworkers, create_kiosk_engine, daily_stats, metadata, open_engine, outbox, staff, survey_counts, visits,
)

from .kiosk_support import SmtpCapture


def _office(engine, kiosk_model, content, clock, office_id):
    ids = iter(f"{office_id}-v{i:03d}" for i in range(1, 1000))
    with engine.begin() as conn:
        # the same caseworker id and booking code in both offices: they are separate
        conn.execute(caseworkers.insert().values(office=office_id, id="cw1", name=f"Anna {office_id}",
                                                 email=f"anna@{office_id}.invalid"))
        conn.execute(appointments.insert().values(office=office_id, code="AB12CD", caseworker_id="cw1",
                                                  starts_at=datetime(2026, 11, 23, 10, 30)))
    return Office(engine, KioskFlow.from_model(kiosk_model), content, clock=clock, new_id=lambda: next(ids),
                  office_id=office_id)


def _arrive(office, code):
    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("choose", {"value": "booked_meeting"})
    s.act("code", {"code": code})
    return s


def _register(office):
    s = KioskSession(office)
    s.act("language", {"value": "en"})
    s.act("choose", {"value": "computer_support"})
    return s


def test_two_offices_in_one_database_see_only_their_own(engine, kiosk_model, content, clock):
    north = _office(engine, kiosk_model, content, clock, "rinkeby")
    south = _office(engine, kiosk_model, content, clock, "skarholmen")
    assert _arrive(north, "AB12CD").screen == "arrived"
    first, second = _register(north), _register(north)
    other = _register(south)
    # numbers and computers are each office's own
    assert (first.registration.number, second.registration.number, other.registration.number) == (1, 2, 1)
    assert (first.registration.computer, other.registration.computer) == (1, 1)
    assert {r["visit_id"] for r in north.floor_rows()} == {first.visit_id, second.visit_id}
    assert [r["visit_id"] for r in south.floor_rows()] == [other.visit_id]
    assert south.display_numbers()["computer"] == [(1, 1)]
    # the booking code of one office is not the other's: skarholmen's AB12CD is still to come
    assert [r["arrived"] for r in north.reception_rows()] == ["10:00"]
    assert [r["arrived"] for r in south.reception_rows()] == [""]
    assert len(south.today_appointments()) == 1 and north.today_appointments() == []
    assert _arrive(south, "AB12CD").screen == "arrived"
    # and a visit of one office cannot be touched from the other
    with pytest.raises(Exception, match="unknown or finished visit"):
        south.end_visit(first.visit_id)


def test_staff_of_one_office_cannot_log_in_to_or_use_a_session_at_another(engine, clock):
    north, south = StaffAuth(engine, clock=clock, office_id="rinkeby"), StaffAuth(engine, clock=clock, office_id="skarholmen")
    north.add_staff("guide", "rinkeby-password")
    assert not south.has_staff() and north.has_staff()
    assert south.login("guide", "rinkeby-password") is None
    token = north.login("guide", "rinkeby-password")
    assert north.user(token) == "guide" and south.user(token) is None
    south.add_staff("guide", "skarholmen-password")  # the same name is another person at another office
    assert north.login("guide", "skarholmen-password") is None and south.login("guide", "skarholmen-password")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(staff)).scalar() == 2


def test_each_office_sender_delivers_its_own_mail_once(engine, kiosk_model, content, clock):
    north = _office(engine, kiosk_model, content, clock, "rinkeby")
    south = _office(engine, kiosk_model, content, clock, "skarholmen")
    _arrive(north, "AB12CD")
    _arrive(south, "AB12CD")
    smtp = SmtpCapture().start()
    try:
        sender = OutboxSender(engine, smtp.transport(), clock=clock, on_sent=south.notified, office_id="skarholmen")
        assert sender.run_once() == 1 and sender.run_once() == 0
        assert [m["To"] for m in smtp.wait_for(1)] == ["anna@skarholmen.invalid"]
        with engine.connect() as conn:
            assert dict(conn.execute(select(outbox.c.office, outbox.c.status)).all()) == {
                "rinkeby": "pending", "skarholmen": "sent"}
    finally:
        smtp.stop()


def test_purge_of_one_office_leaves_the_other(engine, kiosk_model, content, clock):
    north = _office(engine, kiosk_model, content, clock, "rinkeby")
    south = _office(engine, kiosk_model, content, clock, "skarholmen")
    _register(north)
    _register(south)
    report = purge(engine, date(2026, 12, 31), keep_days=0, office="rinkeby")
    assert report.visits_aggregated == 1
    with engine.connect() as conn:
        assert conn.execute(select(visits.c.office)).scalars().all() == ["skarholmen"]
        assert conn.execute(select(daily_stats.c.office)).scalars().all() == ["rinkeby"]


def test_survey_stores_only_counts_per_office_day_and_answer(engine, kiosk_model, content, clock):
    """Read every row of every table back: the gender answer is in survey_counts and nowhere else."""
    office = _office(engine, kiosk_model, content, clock, "rinkeby")
    answers = [("yes", "no", "kvinna"), ("no", "yes", "man"), ("yes", "", "annat"), ("", "yes", "vill_inte_svara"),
               ("yes", "yes", ""), ("yes", "yes", "kvinna")]
    for learned, alone, gender in answers:
        s = KioskSession(office)
        s.act("language", {"value": "so"})
        s.act("categories", {})
        s.act("choose", {"value": "housing"})
        s.act("managed", {})
        clock.advance(minutes=7)
        s.act("survey", {"learned": learned, "can_alone": alone, **({"gender": gender} if gender else {})})
    with engine.connect() as conn:
        assert [c["name"] for c in inspect(conn).get_columns("survey_counts")] == [
            "office", "day", "gender", "answers", "learned_answers", "learned_yes", "can_alone_answers", "can_alone_yes"]
        rows = {r["gender"]: dict(r) for r in conn.execute(select(survey_counts)).mappings()}
        found = []
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                found += [(table.name, column) for column, value in row.items()
                          if isinstance(value, str) and value in ("kvinna", "man", "annat", "vill_inte_svara", "obesvarad")]
        survey_events = conn.execute(text("SELECT count(*) FROM events WHERE event LIKE 'survey%'")).scalar()
        answered_visits = conn.execute(select(func.count()).where(
            visits.c.learned.is_not(None) | visits.c.can_alone.is_not(None))).scalar()
    assert set(found) == {("survey_counts", "gender")} and len(found) == 5
    assert (survey_events, answered_visits) == (0, 0)  # no row says which visit answered, or when
    assert rows["kvinna"] == {"office": "rinkeby", "day": "2026-11-23", "gender": "kvinna", "answers": 2,
                              "learned_answers": 2, "learned_yes": 2, "can_alone_answers": 2, "can_alone_yes": 1}
    assert {g: r["answers"] for g, r in rows.items()} == {
        "kvinna": 2, "man": 1, "annat": 1, "vill_inte_svara": 1, "obesvarad": 1}


def test_survey_summary_hides_every_figure_under_five_visitors(engine):
    from prototypes.survey import record_answer, survey_summary

    with engine.begin() as conn:
        for day, gender, n in (("2026-11-02", "kvinna", 7), ("2026-11-03", "kvinna", 2), ("2026-11-02", "man", 6),
                               ("2026-11-02", "annat", 2), ("2026-11-02", "obesvarad", 1)):
            for i in range(n):
                record_answer(conn, "rinkeby", day, gender, learned=i % 3 != 0, can_alone=i % 2 == 0)
        record_answer(conn, "skarholmen", "2026-11-02", "kvinna", True, True)
    city = survey_summary(engine)
    assert city.offices == ("rinkeby", "skarholmen") and city.total == 19
    # annat 2 and obesvarad 1 are hidden; together they are 3, so the smallest shown (man 6) goes too
    assert city.respondents == {"kvinna": 10, "man": None, "annat": None, "vill_inte_svara": None, "obesvarad": None}
    week = survey_summary(engine, "rinkeby", "2026-11-02", "2026-11-02")
    # kvinna 7, man 6, annat 2, obesvarad 1: the hidden ones are 3, so man goes too; all - kvinna is 9: kept
    assert week.total == 16 and week.respondents == {"kvinna": 7, "man": None, "annat": None, "vill_inte_svara": None,
                                                     "obesvarad": None}
    assert week.indicators["all"]["learned"].share == pytest.approx((4 + 4 + 1 + 0) / 16)
    assert week.indicators["kvinna"]["learned"] == type(week.indicators["kvinna"]["learned"])(7, 4 / 7, 0.60)
    # all - women - men rests on the 3 others: the men's smaller group is hidden so they cannot be worked out
    assert week.indicators["man"]["can_alone"].share is None
    both = survey_summary(engine, "rinkeby", "2026-11-02", "2026-11-03")  # 9 women, 6 men, 3 others
    assert both.indicators["kvinna"]["can_alone"].answers == 9 and both.indicators["man"]["can_alone"].answers is None
    small = survey_summary(engine, "skarholmen")
    assert small.total is None and set(small.respondents.values()) == {None}
    assert all(i.share is None and i.answers is None for g in small.indicators.values() for i in g.values())
    assert small.as_dict()["indicators"]["all"]["learned"] == {"answers": None, "share": None, "target": 0.6}


def _first_release_database(url: str) -> None:
    """A database as the first release left it: its tables, its rows, no alembic_version."""
    engine = create_kiosk_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), FIRST_RELEASE)
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text(
            "INSERT INTO visits (id, day, started_at, language, errand, step, status, number, learned, can_alone) "
            "VALUES ('old1', '2026-11-20', '2026-11-20 09:00:00', 'sv', 'housing', '', 'done', 1, :t, :f)"
        ), {"t": True, "f": False})
        conn.execute(text("INSERT INTO caseworkers (id, name, email) VALUES ('cw1', 'Anna L.', 'anna@x.invalid')"))
        conn.execute(text("INSERT INTO appointments (code, caseworker_id, starts_at) VALUES "
                          "('AB12CD', 'cw1', '2026-11-23 10:30:00'), ('OLD999', 'cw1', '2026-11-20 10:00:00')"))
        conn.execute(text("INSERT INTO staff (username, password_hash, created_at) VALUES ('guide', :h, '2026-11-01')"),
                     {"h": hash_password("first-release-pw")})
        conn.execute(text("INSERT INTO daily_stats (day, errand, language, visits, self_served, surveyed, learned, can_alone)"
                          " VALUES ('2026-10-01', 'housing', 'sv', 9, 4, 6, 5, 2)"))
    engine.dispose()


def test_a_first_release_database_upgrades_cleanly_and_keeps_its_data(db_url, kiosk_model, content, clock):
    _first_release_database(db_url)
    engine = open_engine(db_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            # the migrated schema is exactly the one the code declares
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            assert conn.execute(select(visits.c.office, visits.c.learned)).all() == [("default", None)]
            counts = {r["day"]: (r["gender"], r["answers"], r["learned_yes"], r["can_alone_yes"])
                      for r in conn.execute(select(survey_counts)).mappings()}
        assert counts == {"2026-10-01": ("obesvarad", 6, 5, 2), "2026-11-20": ("obesvarad", 1, 1, 0)}
        assert StaffAuth(engine, clock=clock).login("guide", "first-release-pw")
        office = Office(engine, KioskFlow.from_model(kiosk_model), content, clock=clock)
        assert _arrive(office, "AB12CD").screen == "arrived"  # the old booking, in the default office
        with engine.begin() as conn:  # new rows get ids after the copied ones (PostgreSQL's sequence moved on)
            conn.execute(appointments.insert().values(code="NEW001", caseworker_id="cw1", starts_at=clock()))
            assert sorted(conn.execute(select(appointments.c.id)).scalars()) == [1, 2, 3]
        open_engine(db_url).dispose()  # a second start has nothing to do
    finally:
        engine.dispose()


def test_an_empty_database_gets_the_newest_schema_stamped(db_url):
    engine = open_engine(db_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("db, message", [
    ("mysql://kiosk@127.0.0.1/kiosk", "unsupported database; expected a SQLite file path or postgresql://"),
    ("postgresql://kiosk:secret@127.0.0.1:1/kiosk", "cannot open the database (connection failed"),
    ("postgresql://kiosk@127.0.0.1:notaport/kiosk", "not a database URL"),
])
def test_a_wrong_db_url_or_a_server_that_is_down_is_one_line_naming_db(db, message, capsys):
    assert main(["kiosk", "purge", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --db ") and message in err, err
    assert "secret" not in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_bad_office_id_is_refused(tmp_path, capsys):
    assert main(["kiosk", "serve", "--db", str(tmp_path / "k.sqlite"), "--office", "Rinkeby Office", "--no-demo"]) == 2
    assert "--office: expected 1-32 lower-case letters, digits or '-'" in capsys.readouterr().err
    assert not (tmp_path / "k.sqlite").exists()


def test_a_visit_answers_the_survey_once_though_nothing_in_the_database_says_it_did(office):
    from prototypes.office import RequestError

    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    office.answer_survey(s.visit_id, True, None, "man")
    with pytest.raises(RequestError, match="already answered"):
        office.answer_survey(s.visit_id, False, False, "kvinna")
    with pytest.raises(RequestError, match="gender: expected one of"):
        office.answer_survey(s.visit_id, True, True, "woman")
    t = KioskSession(office)
    for action, form in (("language", {"value": "sv"}), ("categories", {}), ("choose", {"value": "housing"}),
                         ("managed", {})):
        t.act(action, form)
    with pytest.raises(RequestError, match="gender: expected one of"):
        t.act("survey", {"learned": "yes", "gender": "Kvinna"})  # the code, not the label; nothing changed
    assert t.screen == "survey"
    with office.engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(survey_counts))] == [("default", "2026-11-23", "man", 1, 1, 1, 0, 0)]


def _http(base: str, path: str, form: dict | None = None, cookie: str = "") -> tuple[int, str, str]:
    """(status, body, Set-Cookie) of one request that follows no redirect."""
    import urllib.error
    import urllib.request
    from urllib.parse import urlencode

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **kw):
            return None

    req = urllib.request.Request(base + path, data=urlencode(form).encode() if form else None,
                                 headers={"Accept": "application/json", "Cookie": cookie})
    try:
        with urllib.request.build_opener(NoRedirect()).open(req, timeout=10) as r:
            return r.status, r.read().decode(), r.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers.get("Set-Cookie", "")


def test_two_office_servers_on_one_database_keep_staff_and_floor_apart(db_url, smtp):
    """Over HTTP: a login or a staff cookie of one office is nothing at the other; each floor shows its own."""
    from .kiosk_support import STAFF_PASSWORD, STAFF_USER, LiveKiosk

    north, south = LiveKiosk(db_url, smtp, office="rinkeby"), LiveKiosk(db_url, smtp, office="skarholmen")
    try:
        status, _, cookie = _http(north.url, "/login", {"username": STAFF_USER, "password": STAFF_PASSWORD})
        assert status == 303 and "mbk_staff=" in cookie
        staff_cookie = cookie.split(";")[0]
        status, _, visitor = _http(north.url, "/kiosk", {"action": "language", "value": "sv"})
        _http(north.url, "/kiosk", {"action": "choose", "value": "computer_support"}, visitor.split(";")[0])
        status, body, _ = _http(north.url, "/api/floor", cookie=staff_cookie)
        assert status == 200 and [r["errand"] for r in __import__("json").loads(body)] == ["computer_support"]
        assert _http(south.url, "/api/floor", cookie=staff_cookie)[0] == 401  # rinkeby's session, skarholmen's server
        with north.app.office.engine.begin() as conn:  # skarholmen's own "guide" goes: rinkeby's does not let one in
            conn.execute(staff.delete().where(staff.c.office == "skarholmen"))
        assert _http(south.url, "/login", {"username": STAFF_USER, "password": STAFF_PASSWORD})[0] == 401
        south_visits = south.app.office.floor_rows()
        assert south_visits == [] and len(north.app.office.floor_rows()) == 1
    finally:
        north.stop()
        south.stop()


def test_mbk_kiosk_survey_prints_the_city_with_small_figures_hidden(db_url, capsys):
    import json

    from prototypes.survey import record_answer

    engine = open_engine(db_url)
    with engine.begin() as conn:
        for i in range(6):
            record_answer(conn, "rinkeby", "2026-11-02", "kvinna", learned=i < 4, can_alone=None)
            if i < 5:
                record_answer(conn, "rinkeby", "2026-11-03", "annat", learned=True, can_alone=None)
        record_answer(conn, "tensta", "2026-11-02", "man", learned=True, can_alone=True)
    engine.dispose()
    assert main(["kiosk", "survey", "--db", db_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["offices"] == ["rinkeby", "tensta"] and data["total"] == 12
    # the one man is hidden, and so is annat (5), or the total would give him away
    assert (data["respondents"]["kvinna"], data["respondents"]["man"], data["respondents"]["annat"]) == (6, None, None)
    assert data["indicators"]["kvinna"]["learned"] == {"answers": 6, "share": 4 / 6, "target": 0.6}
    assert data["indicators"]["all"]["can_alone"]["share"] is None  # one answer
    assert main(["kiosk", "survey", "--db", db_url, "--office", "tensta"]) == 0
    out = capsys.readouterr().out
    assert "answers – (– hidden: fewer than 5 visitors)" in out and "man –" in out
    assert main(["kiosk", "survey", "--db", db_url, "--from", "2.11.2026"]) == 2
    assert "--from: expected YYYY-MM-DD, got '2.11.2026'" in capsys.readouterr().err
