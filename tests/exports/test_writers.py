"""Every requirements format is written, then opened by an independent reader and checked."""

import json
from datetime import datetime, timezone

import pytest
from docx import Document
from openpyxl import load_workbook
from reqif.parser import ReqIFParser

from process_models.session import load_session, session_annotations

from exports import generate, read_reqif, write_requirements, write_reqif
from exports.requirement import load_requirements

from .conftest import SESSION


@pytest.fixture(scope="module")
def reqs(kiosk):
    return generate(kiosk, notes=session_annotations(load_session(SESSION), kiosk.id))


def test_json_master_is_lossless_and_versioned(reqs, tmp_path):
    path = write_requirements(reqs, tmp_path / "krav.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    assert [r["id"] for r in data["requirements"]] == [r.id for r in reqs.requirements]
    assert "Lösningen ska inte fråga efter" in path.read_text(encoding="utf-8")  # not \u-escaped
    assert load_requirements(path) == reqs


def test_markdown_groups_by_area(reqs, tmp_path):
    text = write_requirements(reqs, tmp_path / "krav.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Funktion", "## Tillgänglighet", "## Språk", "## Dataskydd", "## Säkerhet",
                        "## Drift och förvaltning"]
    assert "### DATA-001 Inga personnummer" in text
    assert "GDPR art. 5.1 c" in text


def test_reqif_is_read_by_the_reqif_package_and_round_trips(reqs, tmp_path):
    path = write_reqif(reqs, tmp_path / "krav.reqif", now=datetime(2026, 9, 16, 12, 0, tzinfo=timezone.utc))
    bundle = ReqIFParser.parse(str(path))
    content = bundle.core_content.req_if_content
    objects = {o.identifier: o for o in content.spec_objects}
    assert len(objects) == len(reqs.requirements)
    names = {d.identifier: d.long_name for d in content.spec_types[0].attribute_definitions}
    data001 = {names[a.definition_ref]: a.value for a in objects["SO-DATA-001"].attributes}
    assert data001["ReqIF.ForeignID"] == "DATA-001"
    assert data001["ReqIF.Name"] == "Inga personnummer"
    assert data001["MBK.kind"] == "SKA"
    relations = [(r.source, r.target) for r in content.spec_relations]
    assert ("SO-IDE-SPEAK-ALOUD", "SO-FUNK-KIOSK-LANGUAGE") in relations
    assert bundle.req_if_header.creation_time == "2026-09-16T12:00:00+00:00"
    assert read_reqif(path) == reqs


def test_xlsx_answer_sheet_is_locked_with_a_validated_answer_column(reqs, tmp_path):
    path = write_requirements(reqs, tmp_path / "svar.xlsx")
    wb = load_workbook(path)
    ws = wb["Svarsformulär"]
    assert ws.protection.sheet is True
    assert [c.value for c in ws[1]][:3] == ["Krav-id", "Område", "Typ"]
    assert ws["H1"].value == "Svar (Ja/Nej)" and ws["I1"].value == "Kommentar"
    ids = [ws.cell(row, 1).value for row in range(2, ws.max_row + 1)]
    assert ids == [r.id for r in reqs.requirements]
    for row in range(2, ws.max_row + 1):
        assert all(ws.cell(row, col).protection.locked for col in range(1, 8))
        assert not ws.cell(row, 8).protection.locked and not ws.cell(row, 9).protection.locked
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"Ja,Nej"'
    assert str(dv.sqref) == f"H2:H{ws.max_row}"
    assert ws.cell(ids.index("DATA-001") + 2, 3).value == "Ska-krav"


def test_xlsx_round_trip_keeps_every_id_and_answer(reqs, tmp_path, mbk):
    sheet = tmp_path / "svar.xlsx"
    master = write_requirements(reqs, tmp_path / "krav.json")
    code, _, err = mbk("export", "requirements", "skarholmen-kiosk", "--session", SESSION, "-o", sheet)
    assert code == 0, err
    # the supplier fills in the sheet (openpyxl as their spreadsheet program)
    wb = load_workbook(sheet)
    ws = wb["Svarsformulär"]
    expected = {}
    for row in range(2, ws.max_row + 1):
        rid = ws.cell(row, 1).value
        answer = "Nej" if rid == "DRIFT-001" else ("Ja" if row % 5 else None)
        ws.cell(row, 8).value = answer
        ws.cell(row, 9).value = f"Kommentar om {rid}: åäö" if row % 3 == 0 else None
        expected[rid] = ({"Ja": "yes", "Nej": "no", None: None}[answer], ws.cell(row, 9).value)
    wb.save(sheet)
    code, out, err = mbk("import", "answers", sheet, "-o", tmp_path / "svar.json", "--requirements", master)
    assert code == 0, err
    assert "DRIFT-001: SKA answered No" in out
    got = json.loads((tmp_path / "svar.json").read_text(encoding="utf-8"))
    assert got["schema_version"] == 1
    assert {a["id"]: (a["answer"], a["comment"]) for a in got["answers"]} == expected
    assert [a["id"] for a in got["answers"]] == [r.id for r in reqs.requirements]


def test_import_rejects_an_answer_outside_the_list(reqs, tmp_path, mbk):
    sheet = write_requirements(reqs, tmp_path / "svar.xlsx")
    wb = load_workbook(sheet)
    wb["Svarsformulär"]["H4"] = "Kanske"
    wb.save(sheet)
    code, _, err = mbk("import", "answers", sheet, "-o", tmp_path / "svar.json")
    assert code == 2
    assert "Svarsformulär!H4: answer 'Kanske'" in err and "expected Ja/Nej or Yes/No" in err
    assert not (tmp_path / "svar.json").exists()


def test_import_of_something_that_is_not_a_sheet(tmp_path, mbk):
    fake = tmp_path / "svar.xlsx"
    fake.write_text("Ja, Nej", encoding="utf-8")
    code, _, err = mbk("import", "answers", fake, "-o", tmp_path / "svar.json")
    assert code == 2 and f"{fake}: not an XLSX answer sheet" in err
    assert not (tmp_path / "svar.json").exists()


def test_english_sheet_takes_yes_no(reqs, tmp_path):
    path = write_requirements(reqs, tmp_path / "answers.xlsx", lang="en")
    ws = load_workbook(path)["Answer sheet"]
    assert ws.data_validations.dataValidation[0].formula1 == '"Yes,No"'
    assert ws["E2"].value.startswith("The solution shall")


def test_docx_has_one_heading_per_area_and_every_requirement(reqs, tmp_path):
    path = write_requirements(reqs, tmp_path / "krav.docx")
    doc = Document(str(path))
    heading2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert heading2 == ["Funktion", "Tillgänglighet", "Språk", "Dataskydd", "Säkerhet", "Drift och förvaltning"]
    heading3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert [h.split()[0] for h in heading3] == [r.id for r in sorted(
        reqs.requirements, key=lambda r: ["function", "accessibility", "language", "data_protection", "security",
                                          "operations"].index(r.area))]
    assert "DATA-001  Inga personnummer" in heading3
    assert len(doc.tables) == len(reqs.requirements)
    first = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert first["Typ"] == "Ska-krav" and first["Spårbarhet"] == "steg: kiosk_language"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Lösningen ska inte fråga efter, lagra eller överföra personnummer" in body


def test_unknown_format_is_an_error_and_writes_nothing(tmp_path, mbk):
    code, _, err = mbk("export", "requirements", "skarholmen-kiosk", "-o", tmp_path / "krav.pdf")
    assert code == 2 and "unknown format 'pdf'" in err
    assert list(tmp_path.iterdir()) == []


def test_broken_scenario_names_the_field(tmp_path, mbk):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\nmodel: skarholmen-kiosk\noverrides:\n  pools.printers.capacity: 2\n", encoding="utf-8")
    code, _, err = mbk("export", "requirements", "skarholmen-kiosk", "--scenario", bad, "-o", tmp_path / "k.json")
    # the simulation package's message when it is importable, ours otherwise: both name file and pool
    assert code == 2 and f"{bad}: " in err and "'printers'" in err and "public_computers" in err
    assert not (tmp_path / "k.json").exists()


def test_scenario_of_another_model_is_refused(tmp_path, mbk):
    other = tmp_path / "today.yaml"
    other.write_text("name: Idag\nmodel: skarholmen-current\n", encoding="utf-8")
    code, _, err = mbk("export", "requirements", "skarholmen-kiosk", "--scenario", other, "-o", tmp_path / "k.json")
    assert code == 2 and "simulates model skarholmen-current, not skarholmen-kiosk" in err
    assert not (tmp_path / "k.json").exists()
