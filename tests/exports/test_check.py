"""The checker finds each kind of finding in a purpose-built bad set and nothing in the generated one."""

import json

from process_models.session import load_session, session_annotations

from exports import check_requirements, generate, scenario_figures
from exports.requirement import Requirement, RequirementSet

from .conftest import SCENARIO, SESSION


def req(id, kind="SKA", sv="Kiosken ska visa tiden.", en="The kiosk shall show the time.", evidence=True, **extra):
    data = dict(id=id, kind=kind, area="function", title={"sv": f"Rubrik {id}", "en": f"Title {id}"},
                statement={"sv": sv, "en": en}, **extra)
    if evidence:
        data["evidence"] = {"sv": "Demonstration.", "en": "A demonstration."}
    return Requirement.model_validate(data)


BAD = [
    req("BAD-001", evidence=False),
    req("BAD-002", sv="Kiosken ska vara användarvänlig.", en="The kiosk shall be easy to use."),
    req("BAD-003", sv="Svaret ska komma snabbt, inom 2 sekunder.", en="The answer shall come fast, within 2 seconds."),
    req("BAD-004", sv="Gränssnittet ska följa EN 301 549.", en="The interface shall follow EN 301 549 or equivalent."),
    req("BAD-005"),
    req("BAD-005", sv="Kiosken ska ha en skrivare.", en="The kiosk shall have a printer."),
    req("BAD-006", sv="Kiosken ska ha en ljudslinga.", en="The kiosk shall have a hearing loop."),
    req("BAD-007", kind="BÖR", sv="Kiosken bör ha en ljudslinga.", en="The kiosk should have a hearing loop."),
    req("BAD-008", sv="Kiosken ska ha en karta.", en="The kiosk shall have a map.",
        links=[{"kind": "derived_from", "target": "FUNK-NOPE"}]),
    req("BAD-009", sv="Kiosken ska visa bussar.", en="The kiosk shall show buses.",
        sources={"steps": ["no_such_step"], "annotations": ["no_such_note"]}),
]


def test_each_kind_of_finding_in_the_bad_set(kiosk):
    found = [(f.requirement, f.kind) for f in check_requirements(BAD, kiosk)]
    assert found == [
        ("BAD-001", "ska_without_evidence"),
        ("BAD-002", "vague_word"),
        ("BAD-002", "vague_word"),
        ("BAD-004", "standard_without_equivalent"),
        ("BAD-005", "duplicate_id"),
        ("BAD-007", "ska_and_bor"),
        ("BAD-008", "broken_trace"),
        ("BAD-009", "broken_trace"),
        ("BAD-009", "broken_trace"),
    ]


def test_messages_say_what_and_where(kiosk):
    text = "\n".join(str(f) for f in check_requirements(BAD, kiosk))
    assert "BAD-002: statement.sv: 'användarvänlig' without a number" in text
    assert "BAD-002: statement.en: 'easy to use' without a number" in text
    assert "BAD-004: statement.sv: cites 'EN 301 549' without 'eller likvärdig'" in text
    assert "BAD-007: says the same as BAD-006 but is BÖR, BAD-006 is SKA" in text
    assert "links (derived_from) to FUNK-NOPE, which is not in the set" in text
    assert "step 'no_such_step', which model skarholmen-kiosk does not have" in text


def test_a_number_makes_a_speed_word_verifiable(kiosk):
    assert check_requirements([BAD[2]], kiosk) == []


def test_generated_kiosk_set_has_no_findings(kiosk):
    assert check_requirements(generate(kiosk), kiosk) == []
    notes = session_annotations(load_session(SESSION), kiosk.id)
    full = generate(kiosk, notes=notes, scenario=scenario_figures(SCENARIO), vote_threshold=2)
    assert check_requirements(full, kiosk, {a.id for a in notes} | {a.id for a in kiosk.annotations}) == []


def test_cli_check_exits_1_and_lists_findings_of_a_json_set(tmp_path, mbk):
    bad = RequirementSet(title={"sv": "Dålig", "en": "Bad"}, model="skarholmen-kiosk", requirements=BAD)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8")
    code, out, err = mbk("export", "requirements", path, "--check")
    assert code == 1
    assert "9 finding(s) in 10 requirements" in err
    assert "[ska_without_evidence]" in out and "[broken_trace]" in out


def test_cli_check_passes_for_the_kiosk_model(mbk):
    code, out, _ = mbk("export", "requirements", "skarholmen-kiosk", "--check", "--session", SESSION,
                       "--scenario", SCENARIO)
    assert code == 0, out
    assert "ok: 36 requirements, no findings" in out
