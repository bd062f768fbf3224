"""The built-in library: every model validates and every figure says where it comes from."""

import pytest

from process_models import diff_models, library_names, load_model
from process_models.checks import reachable_steps

LIBRARY = ["rinkeby-2006", "skarholmen-current", "skarholmen-kiosk", "spanga-tensta-floorwalk"]


def test_the_library_holds_the_four_models():
    assert library_names() == LIBRARY


@pytest.mark.parametrize("name", LIBRARY)
def test_every_model_validates_and_every_step_is_reachable(name):
    model = load_model(name)
    assert model.id == name
    assert reachable_steps(model) == {s.id for s in model.steps}


@pytest.mark.parametrize("name", LIBRARY)
def test_every_pool_errand_segment_and_demand_cites_a_source(name):
    model = load_model(name)
    for item in [*model.pools, *model.errands, *model.segments, model.demand]:
        assert item.source is not None, getattr(item, "id", "demand")
    for step in model.steps:
        if step.success is not None:
            assert step.success.source is not None, step.id


def test_skarholmen_current_carries_the_briefs_figures():
    model = load_model("skarholmen-current")
    assert model.pool("public_computers").capacity == 7
    assert model.pool("public_computers").source.quote == "Medborgarkontoret har också sju publika datorer."
    assert model.demand.weekly_range == (1300, 2000)
    assert model.demand.weekly_visitors == round(76580 / 52)
    assert model.policy.queue == "ticket"
    assert model.step("take_ticket").kind == "task"


def test_kiosk_model_is_the_briefs_future():
    model = load_model("skarholmen-kiosk")
    assert model.variant == "future" and model.policy.queue == "floorwalk"
    purposes = {f.when.errands[0] for f in model.outgoing("kiosk_purpose")}
    assert {"booked_meeting", "preschool", "borrow_computer", "duty_lawyer", "area_info", "other"} <= purposes
    assert [f.target_step for f in model.outgoing("kiosk_register_arrival")] == ["notify_caseworker"]


def test_rinkeby_errand_mix_follows_the_2006_statistics():
    model = load_model("rinkeby-2006")
    shares = {e.id: e.share for e in model.errands}
    # social services 7,121 of 33,893 listed questions, scaled to the 44 % who ask
    assert shares["social_services"] == pytest.approx(0.44 * 7121 / 33893, abs=1e-4)
    assert shares["social_services"] > shares["fax_copy"] > shares["migration"] > shares["housing"]
    assert model.pool("computers").capacity == 12 and model.pool("tables").capacity == 4


def test_current_to_kiosk_diff():
    d = diff_models(load_model("skarholmen-current"), load_model("skarholmen-kiosk"))
    assert set(d.steps_removed) == {
        "take_ticket", "wait_desk", "desk_triage", "desk_route", "desk_answer", "wait_guide", "guide_session",
    }
    assert "kiosk_purpose" in d.steps_added
    # both models end a borrowed computer as managed on one's own; only the note differs
    assert "leave_self_served" not in d.steps_added and "leave_self_served" not in d.steps_removed
    assert ("use_computer", "leave_self_served", (), (), None) not in d.flows_added
    assert d.pools_added == ["kiosk"] and d.pools_removed == ["info_desk"]
    assert d.pools_changed["public_computers"]["capacity"] == (7, 10)
    assert ("arrive", "kiosk_language", (), (), None) in d.flows_added


def test_diff_of_identical_models_is_empty():
    m = load_model("spanga-tensta-floorwalk")
    assert diff_models(m, m).empty
