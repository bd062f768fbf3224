"""The plan's "measured so far" read from a kiosk database on SQLite and on a real PostgreSQL server
(tests/conftest.py starts it on 127.0.0.1), through the kiosk's storage layer: the waits the kiosk's
own Office logged under a fixed clock, figures under 5 visits suppressed, and bad databases or
URLs said in one line naming --kiosk-db, with nothing created."""

from datetime import datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import create_engine, inspect

from process_models import load_model
from process_models.session import Estimate, ScenarioResult, WorkshopSession, save_session
from prototypes.content import load_content
from prototypes.flow import KioskFlow
from prototypes.office import Office
from prototypes.storage import db_url as sqlalchemy_url
from prototypes.storage import open_engine
from prototypes.waits import visit_wait

from exports.benefits import build_plan, write_plan
from exports.measured import read_follow_up

START = datetime(2026, 11, 24, 10, 0)
QUEUES = frozenset({"wait_computer", "wait_caseworker", "wait_lawyer"})
WAITS = "Kortare väntan"


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


# --- one visit's wait, from its rows -------------------------------------------------------


def test_a_queue_step_is_waiting_and_the_steps_around_it_are_not():
    rows = [("arrived", "", at(0)), ("step_started", "kiosk_purpose", at(0)), ("step_finished", "kiosk_purpose", at(1)),
            ("step_started", "wait_computer", at(1)), ("step_finished", "wait_computer", at(8)),
            ("step_started", "start_at_computer", at(8)), ("step_finished", "start_at_computer", at(20)), ("left", "", at(20))]
    assert visit_wait(rows, QUEUES) == 7


def test_a_step_started_twice_waited_from_the_first_start_to_the_second():
    """The floor guide's step: started when the visitor asks at the kiosk, again when the guide comes."""
    rows = [("arrived", "", at(0)), ("step_started", "guide_on_floor", at(2)), ("step_started", "guide_on_floor", at(8)),
            ("step_finished", "guide_on_floor", at(12)), ("left", "", at(12))]
    assert visit_wait(rows, QUEUES) == 8  # 0-2 before any step, 2-8 until the guide came


def test_time_between_steps_is_waiting_and_an_unfinished_last_step_is_not():
    """A simulated log (write_event_log) leaves queues out: the gap is the wait; a meeting never finished ends the visit."""
    rows = [("arrived", "", at(0)), ("step_started", "kiosk_register_arrival", at(0)),
            ("step_finished", "kiosk_register_arrival", at(1)), ("step_started", "caseworker_meeting", at(4.5)),
            ("step_started", "noted", at(30))]
    assert visit_wait(rows, QUEUES) == 3.5
    assert visit_wait([("step_started", "kiosk_purpose", at(0))], QUEUES) is None  # no arrival: not counted


# --- a kiosk database the kiosk wrote ------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def to(self, minutes: float) -> None:
        self.now = at(minutes)


def _office(engine, clock, office_id: str) -> Office:
    ids = iter(f"{office_id[:2]}{i:03d}" for i in range(1, 1000))
    return Office(engine, KioskFlow.from_model(load_model("skarholmen-kiosk")), load_content(), clock=clock,
                  new_id=lambda: next(ids), office_id=office_id)


def _visit(office: Office, errand: str) -> str:
    v = office.start_visit("sv")
    office.choose(v, errand)
    return v


def _busy_morning(engine) -> None:
    """Skärholmen, 10:00: ten borrow all ten computers, one more waits for a computer (7 min: a borrower
    leaves at 10:07), one for a floor guide (6 min), one borrower in line from 10:01 (10 min: the next
    borrower leaves at 10:11); one is still at the kiosk. Rinkeby: three self-served visits."""
    clock = Clock()
    office = _office(engine, clock, "skarholmen")
    borrowers = [_visit(office, "borrow_computer") for _ in range(10)]
    for v in borrowers:
        office.borrow_computer(v)
    queued = _visit(office, "computer_support")
    assert office.register_errand(queued).computer is None
    guide = _visit(office, "other")
    office.ask_guide(guide)
    clock.to(1)
    in_line = _visit(office, "borrow_computer")
    assert office.borrow_computer(in_line).computer is None
    _visit(office, "preschool")  # never ends: not counted
    clock.to(6)
    office.start_helping(guide, "g1")
    clock.to(7)
    office.end_visit(borrowers[0])  # its computer goes to the first in line
    clock.to(9)
    office.end_visit(guide)
    clock.to(4 + 7)
    office.end_visit(borrowers[1])  # the borrower in line gets it, at 10:11 after 10 minutes
    for v in borrowers[2:]:
        office.end_visit(v)
    clock.to(12)
    office.end_visit(queued)
    office.end_visit(in_line)
    other = _office(engine, clock, "rinkeby")
    for _ in range(3):
        v = _visit(other, "preschool")
        other.self_service_result(v, True)
        other.finish(v)


@pytest.fixture
def kiosk_db(db_url):
    """The busy morning in a fresh database: a SQLite file, or a new database on the test's PostgreSQL server."""
    engine = open_engine(db_url)
    _busy_morning(engine)
    engine.dispose()
    return db_url


def _results():
    e = lambda m: Estimate(mean=m, low=m * 0.9, high=m * 1.1, n=3)  # noqa: E731
    mine = {"self_served_share": e(0.45), "mean_wait": e(4.0), "p90_wait": e(12.5)}
    return (ScenarioResult(scenario="kiosk", replications=3, seed=1, kpis=mine, baseline="idag"),
            ScenarioResult(scenario="idag", replications=3, seed=1, kpis={"p90_wait": e(30.0)}))


def _rows(path):
    rows = list(openpyxl.load_workbook(path)["Nyttor"].iter_rows(values_only=True))
    return {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}


def test_the_logged_waits_stand_beside_the_simulated_ones(kiosk_db, tmp_path):
    follow_up = read_follow_up(kiosk_db, "skarholmen")
    # 13 ended: 9 borrowers with no wait, 10 (in line), 7 (queue), 6 (guide) and 0 for the first borrower
    w = follow_up.waits
    assert (w.visits, w.first_day, w.last_day) == (13, "2026-11-24", "2026-11-24")
    assert w.mean == pytest.approx(23 / 13)
    assert w.p90 == pytest.approx(6.8)  # sorted 0 x 10, 6, 7, 10: numpy's linear 90th percentile, as the simulation
    waits = _rows(write_plan(build_plan(*_results(), follow_up=follow_up), tmp_path / "nytta.xlsx"))[WAITS]
    assert waits["Förväntat (simulerat)"] == ("90:e percentilen 12,5 min (11,2–13,8); "
                                              "medelväntan 4,0 min (3,6–4,4)")
    assert waits["Mätt hittills"] == ("90:e percentilen 6,8 min; medelväntan 1,8 min över 13 avslutade besök, "
                                      "2026-11-24 – 2026-11-24 (kioskens logg)")
    assert waits["Hur det mäts"].startswith("Kioskens händelselogg: tiden från ankomst till besökets slut")


def test_under_ten_visits_the_mean_alone_and_under_five_a_dash(kiosk_db, tmp_path):
    everyone = read_follow_up(kiosk_db).waits
    assert everyone.visits == 16 and everyone.p90 is not None
    rinkeby = build_plan(*_results(), follow_up=read_follow_up(kiosk_db, "rinkeby"))
    waits = {b.id: b for b in rinkeby.benefits}["waits"]
    assert waits.measured.sv == "kioskens logg: – (färre än 5 besökare)"
    assert waits.measured.en == "the kiosk's log: – (fewer than 5 visitors)"


def test_a_log_with_no_ended_visit_says_so(db_url):
    open_engine(db_url).dispose()
    plan = build_plan(*_results(), follow_up=read_follow_up(db_url))
    assert {b.id: b for b in plan.benefits}["waits"].measured.sv == (
        "Inte mätt: kioskens logg har inget avslutat besök med ankomsttid")


def test_the_cli_reads_a_postgresql_kiosk(pg_server, tmp_path, mbk):
    url = pg_server.database()
    try:
        engine = open_engine(url)
        _busy_morning(engine)
        engine.dispose()
        save_session(WorkshopSession(title="t", results=list(_results())), tmp_path / "s.json")
        code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", url,
                             "--office", "skarholmen")
        assert code == 0, err
        assert _rows(tmp_path / "n.xlsx")[WAITS]["Mätt hittills"].startswith("90:e percentilen 6,8 min; medelväntan 1,8 min")
        about = [r[0] for r in openpyxl.load_workbook(tmp_path / "n.xlsx")["Om planen"].iter_rows(values_only=True)]
        assert f"kioskens enkät och logg i {url}." in about[1]
    finally:
        pg_server.drop(url)


def test_a_model_that_is_not_the_kiosks_is_refused(kiosk_db, tmp_path, mbk):
    save_session(WorkshopSession(title="t", results=list(_results())), tmp_path / "s.json")
    code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", kiosk_db,
                         "--kiosk-model", "rinkeby-2006")
    text = " ".join(err.split())
    assert code == 2 and "--kiosk-model rinkeby-2006: the kiosk's log names steps the model does not have" in text
    assert "Traceback" not in err and not (tmp_path / "n.xlsx").exists()
    code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", kiosk_db,
                         "--kiosk-model", tmp_path / "none.yaml")
    assert code == 2 and f"--kiosk-model: {tmp_path / 'none.yaml'}" in " ".join(err.split())


# --- bad URLs and servers ------------------------------------------------------------------


@pytest.mark.parametrize("url,message", [
    ("postgresql://kiosk:secret@127.0.0.1:1/kiosk", "cannot open the database (connection failed"),
    ("postgresql://kiosk@127.0.0.1:notaport/kiosk", "not a database URL"),
    ("mysql://kiosk@127.0.0.1/kiosk", "unsupported database"),
    ("sqlite:///{tmp}/none.sqlite", "no such file"),
])
def test_a_bad_url_or_a_server_that_is_down_exits_2_in_one_line(tmp_path, mbk, url, message):
    save_session(WorkshopSession(title="t", results=list(_results())), tmp_path / "s.json")
    before = sorted(p.name for p in tmp_path.iterdir())
    url = url.replace("{tmp}", str(tmp_path))
    code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", url)
    assert code == 2 and "Traceback" not in err and "secret" not in err
    assert err.startswith("error: --kiosk-db ") and message in err and len(err.strip().splitlines()) == 1, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_empty_postgresql_database_is_not_a_kiosk_and_stays_empty(pg_server, tmp_path, mbk):
    url = pg_server.database()
    try:
        save_session(WorkshopSession(title="t", results=list(_results())), tmp_path / "s.json")
        code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", url)
        text = " ".join(err.split())
        assert code == 2 and "not a kiosk database (no table visits, events, survey_counts)" in text
        engine = create_engine(sqlalchemy_url(url))
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []  # not migrated, not created
        engine.dispose()
        assert not (tmp_path / "n.xlsx").exists()
    finally:
        pg_server.drop(url)


def test_a_first_release_kiosk_database_is_named_and_left_unmigrated(db_url, tmp_path, mbk):
    from alembic import command

    from prototypes.schema import FIRST_RELEASE, alembic_config
    from prototypes.storage import create_kiosk_engine

    engine = create_kiosk_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), FIRST_RELEASE)
    engine.dispose()
    save_session(WorkshopSession(title="t", results=list(_results())), tmp_path / "s.json")
    code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", db_url)
    assert code == 2 and "a kiosk database of an older release (schema 0001, this one reads 0002); run `mbk kiosk " \
        "serve --db` on it once to migrate it" in " ".join(err.split())
    engine = create_engine(sqlalchemy_url(db_url))
    with engine.connect() as conn:
        assert "survey_counts" not in inspect(conn).get_table_names()
    engine.dispose()


def test_a_sqlite_kiosk_is_read_without_a_side_file_and_a_live_one_through_its_wal(tmp_path):
    """Closed, the file is read as it is (no -wal or -shm left behind); while the kiosk has it open, what
    is still only in its write-ahead log is read too."""
    path = tmp_path / "kiosk.sqlite"
    live = open_engine(path)
    _busy_morning(live)
    with live.connect():  # the kiosk at work: its last rows are in kiosk.sqlite-wal, not yet in the file
        assert (tmp_path / "kiosk.sqlite-wal").stat().st_size > 0
        assert read_follow_up(path, "skarholmen").waits.visits == 13
    live.dispose()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert before == ["kiosk.sqlite"]
    assert read_follow_up(path, "skarholmen").waits.visits == 13
    assert sorted(p.name for p in tmp_path.iterdir()) == before
