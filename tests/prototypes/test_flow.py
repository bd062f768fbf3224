"""The kiosk is generated from the model: its choices and next steps follow the YAML."""

from __future__ import annotations

import yaml

from process_models import load_model
from prototypes.content import load_content
from prototypes.flow import KioskFlow, waiting_range
from prototypes.office import Office
from prototypes.state import KioskSession
from prototypes.storage import open_engine
from prototypes.web import render_kiosk


def test_choices_come_from_the_decision_steps_flows(kiosk_model):
    flow = KioskFlow.from_model(kiosk_model)
    got = [(c.errand, c.target, c.screen, c.group) for c in flow.choices]
    assert got == [
        ("booked_meeting", "kiosk_register_arrival", "booking", "top"),
        ("preschool", "kiosk_instructions", "instructions", "errand_help"),
        ("financial_assistance", "kiosk_instructions", "instructions", "errand_help"),
        ("migration", "kiosk_instructions", "instructions", "errand_help"),
        ("housing", "kiosk_instructions", "instructions", "errand_help"),
        ("computer_support", "kiosk_register_errand", "register", "top"),
        ("borrow_computer", "use_computer", "computer", "top"),
        ("area_info", "kiosk_area_info", "instructions", "top"),
        ("other", "guide_on_floor", "guide", "errand_help"),
        ("duty_lawyer", "kiosk_lawyer_hours", "hours", "top"),
    ]
    assert flow.choice("housing").label == {"sv": "Bostad", "en": "Housing"}
    assert flow.computer_step("kiosk_register_errand") == ("wait_computer", "start_at_computer")
    assert flow.computer_count() == 10
    assert flow.roster_pool("kiosk_lawyer_hours").id == "duty_lawyer"
    assert flow.next_step("kiosk_instructions", "success") == "leave_self_served"
    assert flow.next_step("kiosk_instructions", "failure") == "kiosk_register_errand"


def test_waiting_range_is_rounded_to_five_minutes():
    assert waiting_range(0, 10, 15.0) == (5, 10)  # 1.5 min expected -> at least 5-10
    assert waiting_range(19, 10, 15.0) == (15, 45)  # 30 min expected
    assert waiting_range(3, 2, 32.0) == (30, 100)  # 64 min expected
    assert waiting_range(5, 0, 15.0) == (0, 0)


def _edited_model(tmp_path, kiosk_model_path, edit):
    data = yaml.safe_load(kiosk_model_path.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "edited-kiosk.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_model(path)


def _page(model, tmp_path, screen_actions):
    """Render the kiosk page after some actions, through the same code the server uses."""
    office = Office(open_engine(tmp_path / f"{model.id}-{len(screen_actions)}.sqlite"), KioskFlow.from_model(model), load_content())

    class App:  # the two attributes render_kiosk reads besides office
        pass

    app = App()
    app.office, app.content, app.flow = office, office.content, office.flow
    from prototypes.config import KioskConfig

    app.config = KioskConfig()
    session = KioskSession(office)
    for action, form in screen_actions:
        session.act(action, form)
    return render_kiosk(app, session)


def test_editing_the_model_changes_the_kiosk(tmp_path):
    from process_models.library import library_path

    original = load_model("skarholmen-kiosk")

    def remove_housing_add_parking(data):
        for f in data["flows"]:
            if f["from"] == "kiosk_purpose" and "when" in f and "housing" in f["when"]["errands"]:
                f["when"]["errands"] = [e for e in f["when"]["errands"] if e != "housing"] + ["parking"]
        data["errands"] = [e for e in data["errands"] if e["id"] != "housing"] + [
            {"id": "parking", "label": {"sv": "Parkeringstillstånd", "en": "Parking permit"}, "share": 0.09,
             "source": {"assumption": "test"}}
        ]
        for pool in data["pools"]:
            for skill in pool.get("skills", []):
                skill["areas"] = [a for a in skill.get("areas", []) if a != "housing"]

    edited = _edited_model(tmp_path, library_path("skarholmen-kiosk"), remove_housing_add_parking)
    before = _page(original, tmp_path, [("language", {"value": "sv"}), ("categories", {})])
    after = _page(edited, tmp_path, [("language", {"value": "sv"}), ("categories", {})])
    assert 'data-errand="housing"' in before and ">Bostad<" in before
    assert 'data-errand="housing"' not in after and "Bostad" not in after
    assert 'data-errand="parking"' in after and ">Parkeringstillstånd<" in after
    # the new errand has no instruction file yet: the kiosk says so instead of inventing one
    page = _page(edited, tmp_path, [("language", {"value": "en"}), ("categories", {}), ("choose", {"value": "parking"})])
    assert "There are no instructions here yet" in page and "I want help" in page


def test_removing_the_lawyer_flow_removes_the_button(tmp_path):
    from process_models.library import library_path

    def drop_lawyer(data):
        data["flows"] = [f for f in data["flows"] if f.get("to") != "kiosk_lawyer_hours"
                         and f.get("from") not in ("kiosk_lawyer_hours", "wait_lawyer", "lawyer_session")]
        gone = {"kiosk_lawyer_hours", "wait_lawyer", "lawyer_session"}
        data["steps"] = [s for s in data["steps"] if s["id"] not in gone]
        data["errands"] = [e for e in data["errands"] if e["id"] != "duty_lawyer"]
        data["errands"][0]["share"] += 0.02
        data["pools"] = [p for p in data["pools"] if p["id"] != "duty_lawyer"]

    edited = _edited_model(tmp_path, library_path("skarholmen-kiosk"), drop_lawyer)
    page = _page(edited, tmp_path, [("language", {"value": "sv"})])
    assert 'data-errand="duty_lawyer"' not in page
    assert 'data-errand="borrow_computer"' in page
