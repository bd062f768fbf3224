"""The benefits plan for women and men: split expectations, figures under 5 visitors suppressed, and
"measured so far" from a kiosk database the kiosk's own code wrote (read back from XLSX and DOCX)."""

from datetime import datetime

import docx
import openpyxl
import pytest

from process_models import load_model
from process_models.session import Estimate, ScenarioResult
from prototypes.content import load_content
from prototypes.flow import KioskFlow
from prototypes.office import Office
from prototypes.storage import open_engine

from exports.benefits import build_plan, write_plan
from exports.measured import read_follow_up

COLUMNS = ["Nytta", "Ägare", "Indikator", "Nuläge", "Mål", "Hur det mäts", "När det mäts", "Förväntat (simulerat)",
           "Förväntat, kvinnor", "Förväntat, män", "Mätt hittills", "Mätt hittills, kvinnor", "Mätt hittills, män"]


def _e(mean, low, high):
    return Estimate(mean=mean, low=low, high=high, n=3)


def _results(men_per_week: float):
    """A scenario whose model gives shares of women: 12 women a week, and `men_per_week` men."""
    mine = {"self_served_share": _e(0.45, 0.40, 0.50), "arrived.women": _e(12.0, 10.0, 14.0),
            "arrived.men": _e(men_per_week, men_per_week - 1, men_per_week + 1),
            "self_served_share.women": _e(0.5, 0.4, 0.6), "self_served_share.men": _e(0.25, 0.0, 0.5)}
    return (ScenarioResult(scenario="kiosk", replications=3, seed=1, kpis=mine, baseline="idag"),
            ScenarioResult(scenario="idag", replications=3, seed=1, kpis={"self_served_share": _e(0.1, 0.05, 0.15)}))


def _sheet(path):
    rows = list(openpyxl.load_workbook(path)["Nyttor"].iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    return {r[0]: dict(zip(COLUMNS, r)) for r in rows[1:]}


HANDLE = "Besökare kan hantera ärendet själva nästa gång"
LEARNED = "Besökare lär sig något nytt"


def test_men_under_five_a_week_are_suppressed_in_xlsx_docx_and_markdown(tmp_path):
    plan = build_plan(*_results(men_per_week=4.6))
    rows = _sheet(write_plan(plan, tmp_path / "nytta.xlsx"))
    assert rows[HANDLE]["Förväntat, kvinnor"] == "50,0 % (40,0 %–60,0 %)"
    assert rows[HANDLE]["Förväntat, män"] == "– (färre än 5 besökare)"
    assert rows[LEARNED]["Förväntat, män"] == "Simuleras inte: följs upp med enkäten"
    # no kiosk database: nothing measured yet, and the plan says why small figures are dashes
    assert rows[HANDLE]["Mätt hittills"] == rows[HANDLE]["Mätt hittills, kvinnor"] == "Inte mätt ännu"
    assert rows["Kortare väntan"]["Mätt hittills"] == "Inte mätt ännu"
    about = [r[0] for r in openpyxl.load_workbook(tmp_path / "nytta.xlsx")["Om planen"].iter_rows(values_only=True)]
    assert "Siffror över färre än 5 besökare visas som –." in about[1]
    assert "Ingen kioskdatabas angavs: inget är mätt ännu." in about[1]

    table = docx.Document(write_plan(plan, tmp_path / "nytta.docx", lang="en")).tables[0]
    header = [c.text for c in table.rows[0].cells]
    row = next(r for r in table.rows if r.cells[0].text == "Visitors can handle the errand themselves next time")
    cells = dict(zip(header, (c.text for c in row.cells)))
    assert cells["Expected, women"] == "50.0 % (40.0 %–60.0 %)"
    assert cells["Expected, men"] == "– (fewer than 5 visitors)"
    assert cells["Measured so far"] == "Not measured yet"

    md = write_plan(plan, tmp_path / "nytta.md").read_text(encoding="utf-8")
    assert "| 50,0 % (40,0 %–60,0 %) | – (färre än 5 besökare) |" in md


def test_five_men_a_week_are_shown(tmp_path):
    rows = _sheet(write_plan(build_plan(*_results(men_per_week=5.0)), tmp_path / "nytta.xlsx"))
    assert rows[HANDLE]["Förväntat, män"] == "25,0 % (0,0 %–50,0 %)"


def test_a_model_without_shares_says_so():
    mine, base = _results(5.0)
    plain = mine.model_copy(update={"kpis": {"self_served_share": mine.kpis["self_served_share"]}})
    b = {x.id: x for x in build_plan(plain, base).benefits}["handle_next_time"]
    assert b.expected_women.sv == "– (modellen anger ingen andel kvinnor)"


def _kiosk(path, office_id: str, visitors: list[tuple[str, bool, bool, bool]]) -> None:
    """Visits through the kiosk's own Office: (gender answer, managed alone, learned, can alone)."""
    engine = open_engine(path)
    ids = iter(f"{office_id[:2]}{i:03d}" for i in range(1, 1000))
    office = Office(engine, KioskFlow.from_model(load_model("skarholmen-kiosk")), load_content(),
                    clock=lambda: datetime(2026, 11, 24, 10, 0), new_id=lambda: next(ids), office_id=office_id)
    for gender, managed, learned, can_alone in visitors:
        v = office.start_visit("sv")
        office.choose(v, "preschool")
        office.self_service_result(v, managed)
        if managed:
            office.finish(v)
        office.answer_survey(v, learned, can_alone, gender)
    engine.dispose()


@pytest.fixture
def kiosk_db(tmp_path):
    """Skärholmen: 8 women (6 learned, 4 can alone, 5 managed) and 6 men (3, 2, 3); Rinkeby: 6 women, 4 men."""
    path = tmp_path / "kiosk.sqlite"
    women = [("kvinna", i < 5, i < 6, i < 4) for i in range(8)]
    men = [("man", i < 3, i < 3, i < 2) for i in range(6)]
    _kiosk(path, "skarholmen", women + men)
    _kiosk(path, "rinkeby", [("kvinna", True, True, True)] * 6 + [("man", True, True, True)] * 4)
    return path


def test_measured_so_far_comes_from_the_kiosks_survey_and_log(kiosk_db, tmp_path):
    plan = build_plan(*_results(5.0), follow_up=read_follow_up(kiosk_db, "skarholmen"))
    rows = _sheet(write_plan(plan, tmp_path / "nytta.xlsx"))
    assert rows[LEARNED]["Mätt hittills"] == "64,3 % av 14 svar"  # 9 of 14
    assert rows[LEARNED]["Mätt hittills, kvinnor"] == "75,0 % av 8 svar"
    assert rows[LEARNED]["Mätt hittills, män"] == "50,0 % av 6 svar"
    # 6 of 14 can alone; the log: the 8 who managed ended their visit on their own
    assert rows[HANDLE]["Mätt hittills"] == (
        "42,9 % av 14 svar; kioskens logg: 100,0 % av 8 avslutade besök klarade sig själva")
    assert (rows[HANDLE]["Mätt hittills, kvinnor"], rows[HANDLE]["Mätt hittills, män"]) == (
        "50,0 % av 8 svar", "33,3 % av 6 svar")
    # the 8 who managed ended their visits at once (the 6 who wanted help are still at the kiosk): no wait
    assert rows["Kortare väntan"]["Mätt hittills"] == (
        "Medelväntan 0,0 min över 8 avslutade besök, 2026-11-24 – 2026-11-24 (kioskens logg); "
        "90:e percentilen visas från 10 besök")
    assert rows["Datorerna räcker till"]["Mätt hittills"] == "Mäts inte av kiosken"


def test_measured_so_far_is_suppressed_below_five(kiosk_db, tmp_path):
    """Rinkeby's 4 men are hidden, and its 6 women too: everyone minus the women would give the men away."""
    rows = _sheet(write_plan(build_plan(*_results(5.0), follow_up=read_follow_up(kiosk_db, "rinkeby")),
                             tmp_path / "nytta.xlsx"))
    assert rows[LEARNED]["Mätt hittills"] == "100,0 % av 10 svar"
    assert rows[LEARNED]["Mätt hittills, män"] == "– (färre än 5 besökare)"
    assert rows[LEARNED]["Mätt hittills, kvinnor"] == "– (färre än 5 besökare)"


def test_the_cli_reads_the_kiosk_db_into_the_plan(kiosk_db, tmp_path, mbk):
    from process_models.session import WorkshopSession, save_session

    save_session(WorkshopSession(title="t", results=list(_results(5.0))), tmp_path / "s.json")
    code, _, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", kiosk_db,
                       "--office", "skarholmen")
    assert code == 0, err
    assert _sheet(tmp_path / "n.xlsx")[LEARNED]["Mätt hittills, kvinnor"] == "75,0 % av 8 svar"


@pytest.mark.parametrize("make,message", [
    (lambda p: None, "no such file"),
    (lambda p: p.mkdir(), "is a folder"),
    (lambda p: p.write_text("not a database, just text " * 40), "not an SQLite database"),
    (lambda p: __import__("sqlite3").connect(p).execute("CREATE TABLE x (a)").connection.commit(),
     "not a kiosk database (no table visits, events, survey_counts)"),
    (lambda p: __import__("sqlite3").connect(p).execute("CREATE TABLE visits (id)").connection.commit(),
     "a kiosk database of an older release (schema 0001, this one reads 0002)"),
])
def test_a_bad_kiosk_db_exits_2_naming_it_and_writes_nothing(tmp_path, mbk, make, message):
    from process_models.session import WorkshopSession, save_session

    save_session(WorkshopSession(title="t", results=list(_results(5.0))), tmp_path / "s.json")
    bad = tmp_path / "kiosk.sqlite"
    make(bad)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "n.xlsx", "--kiosk-db", bad)
    text = " ".join(err.split())
    assert code == 2 and f"--kiosk-db {bad}" in text and message in text and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no plan, no database, no -wal file
