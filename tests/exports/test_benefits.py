"""The benefits realisation plan, written as XLSX, DOCX and Markdown and read back by openpyxl and python-docx."""

import docx
import openpyxl
import pytest

from process_models.session import ScenarioResult, WorkshopSession, save_session

from exports.benefits import PLAN_KPIS, plan_from_comparison, plan_from_session, write_plan

NAMES_SV = ["Besökare lär sig något nytt", "Besökare kan hantera ärendet själva nästa gång", "Kortare väntan",
            "Personaltid flyttas från enkla frågor till vägledning", "Datorerna räcker till"]
BENEFIT_HEADER = ["Nytta", "Ägare", "Indikator", "Nuläge", "Mål", "Hur det mäts", "När det mäts", "Förväntat (simulerat)",
                  "Förväntat, kvinnor", "Förväntat, män", "Mätt hittills", "Mätt hittills, kvinnor", "Mätt hittills, män"]


@pytest.fixture(scope="module")
def plan():
    return plan_from_comparison("skarholmen-kiosk", "skarholmen-current", replications=3, seed=7)


def test_the_plan_holds_every_benefit_with_the_briefs_targets(plan):
    assert [b.name.sv for b in plan.benefits] == NAMES_SV
    by_id = {b.id: b for b in plan.benefits}
    assert by_id["learned"].target.sv == "60,0 %" and by_id["handle_next_time"].target.en == "40.0 %"
    assert all(b.owner.sv and b.indicator.sv and b.baseline.sv and b.how.sv and b.when.sv for b in plan.benefits)
    assert "kvinnor och män" in by_id["learned"].indicator.sv
    assert by_id["handle_next_time"].expected.en.startswith("47.5 % (44.7 %–50.4 %)")
    assert by_id["handle_next_time"].baseline.sv.startswith("14,4 %")
    assert by_id["staff_time"].expected.sv == "83 timmar per vecka (72–93)"


def test_the_nyttokalkyl_adds_up_over_five_years(plan):
    assert [r.year for r in plan.years] == [1, 2, 3, 4, 5]
    first, last = plan.years[0], plan.years[-1]
    assert first.one_off == pytest.approx(957859.2) and last.one_off == 0
    assert first.saving == pytest.approx(1642771.656194, rel=1e-9)
    assert first.net == pytest.approx(1281700.576018, rel=1e-9)
    assert last.cumulative == pytest.approx(5 * first.net - first.one_off)
    assert last.cumulative_low < last.cumulative < last.cumulative_high


def test_effect_chains_follow_the_changes_in_the_model(plan):
    changes = [c.change.sv for c in plan.chains]
    assert changes == ["Kölappen tas bort; vägledarna går på golvet", "Ny utrustning: Pekskärm i entrén (2 st)",
                       "Informationsdisk tas bort", "Publika datorer och paddor: 7 → 10"]
    assert all(c.goal.sv.startswith("Medborgarkontorets besökare, kvinnor och män") for c in plan.chains)


def test_xlsx_reads_back_with_openpyxl(plan, tmp_path):
    path = write_plan(plan, tmp_path / "nytta.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Om planen", "Nyttor", "Nyttokalkyl", "Effektkedjor"]
    rows = list(wb["Nyttor"].iter_rows(values_only=True))
    assert list(rows[0]) == BENEFIT_HEADER
    assert [r[0] for r in rows[1:]] == NAMES_SV
    for row, b in zip(rows[1:], plan.benefits):
        assert list(row) == [b.name.sv, b.owner.sv, b.indicator.sv, b.baseline.sv, b.target.sv, b.how.sv, b.when.sv,
                             b.expected.sv, b.expected_women.sv, b.expected_men.sv, b.measured.sv, b.measured_women.sv,
                             b.measured_men.sv]
    calc = list(wb["Nyttokalkyl"].iter_rows(values_only=True))
    assert calc[1][:2] == (1, 957859) and calc[5][5] == round(plan.years[-1].cumulative)
    assert len(list(wb["Effektkedjor"].iter_rows())) == 1 + len(plan.chains)


def test_docx_reads_back_with_python_docx(plan, tmp_path):
    path = write_plan(plan, tmp_path / "nytta.docx", lang="en")
    d = docx.Document(path)
    assert [p.text for p in d.paragraphs if p.style.name.startswith("Heading")] == [
        "Benefits realisation plan: skarholmen-kiosk", "Benefits", "Benefit calculation", "Effect chains"]
    benefits, calc, chains = d.tables
    assert [c.text for c in benefits.rows[0].cells] == ["Benefit", "Owner", "Indicator", "Baseline", "Target",
                                                         "How measured", "When measured", "Expected (simulated)",
                                                         "Expected, women", "Expected, men", "Measured so far",
                                                         "Measured so far, women", "Measured so far, men"]
    for row, b in zip(benefits.rows[1:], plan.benefits):
        assert [c.text for c in row.cells] == [b.name.en, b.owner.en, b.indicator.en, b.baseline.en, b.target.en,
                                               b.how.en, b.when.en, b.expected.en, b.expected_women.en, b.expected_men.en,
                                               b.measured.en, b.measured_women.en, b.measured_men.en]
    assert calc.rows[1].cells[1].text == "957 859" and len(calc.rows) == 6
    assert len(chains.rows) == 1 + len(plan.chains)


def test_from_a_session_and_as_markdown(tmp_path, mbk):
    from simulation import compare

    c = compare(["skarholmen-current", "skarholmen-kiosk"], replications=2, seed=3)
    results = [ScenarioResult(scenario=n, replications=2, seed=3, baseline=None if i == 0 else "skarholmen-current",
                              kpis={k: v for k, v in e.items() if k in PLAN_KPIS})
               for i, (n, e) in enumerate(zip(c.names, c.kpis()))]
    save_session(WorkshopSession(title="t", results=results), tmp_path / "s.json")
    plan = plan_from_session(tmp_path / "s.json", years=2)
    assert plan.scenario == "skarholmen-kiosk" and len(plan.years) == 2 and len(plan.chains) == 4
    code, out, err = mbk("export", "benefits", tmp_path / "s.json", "-o", tmp_path / "nytta.md", "--years", "3")
    assert code == 0, err
    text = (tmp_path / "nytta.md").read_text(encoding="utf-8")
    assert text.startswith("# Nyttorealiseringsplan: skarholmen-kiosk")
    assert all(f"| {n} |" in text for n in NAMES_SV)
    assert text.count("\n| 3 |") == 1 and "\n| 4 |" not in text


@pytest.mark.parametrize("args,message", [
    (["{tmp}/s.json", "-o", "{tmp}/n.pdf"], "unknown format 'pdf'; expected .xlsx, .docx or .md"),
    (["{tmp}/s.json", "-o", "{tmp}/no/n.md"], "does not exist"),
    (["{tmp}/s.json", "-o", "{tmp}/n.md"], "no result compared with a baseline; expected one of: none"),
    (["{tmp}/s.json", "-o", "{tmp}/n.md", "--years", "6"], "--years: expected 1 to 5, got 6"),
])
def test_bad_input_exits_2(tmp_path, mbk, args, message):
    save_session(WorkshopSession(title="t"), tmp_path / "s.json")
    code, out, err = mbk("export", "benefits", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2 and message in " ".join(err.split()) and "Traceback" not in err
    assert not (tmp_path / "n.md").exists()
