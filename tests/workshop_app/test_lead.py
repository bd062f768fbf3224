"""Follow the facilitator (issue 13, item 2), headless: two browsers' states over one shared session."""

from __future__ import annotations

import pytest

from workshop_app.access import RoomAccess
from workshop_app.state import StudioState
from workshop_app.texts import UiError

PAIR = ["skarholmen-current", "skarholmen-kiosk"]


def _browser(shared, name: str, role: str, code: str = "") -> StudioState:
    st = StudioState(shared=shared)
    st.workshop.param.update(participant_name=name, role=role, code=code)
    st.workshop.join()
    return st


def test_a_follower_shows_the_facilitators_tab_model_map_area_and_comparison(shared):
    lead, staff = _browser(shared, "Fia", "facilitator"), _browser(shared, "Ida", "staff")
    assert not staff.follow_lead()  # nobody leads yet: nothing moves
    lead.start_leading()
    assert shared.lead.by == lead.workshop.participant_id and not lead.following
    lead.maps.model_ref = "skarholmen-kiosk"
    lead.maps.view = [100, 50, 900, 450]
    lead.compare.param.update(chosen=PAIR, baseline="skarholmen-current", replications=2, seed=4)
    record = lead.compare.run()
    lead.tab = 2
    assert lead.compare.shown == record.id and shared.lead.comparison == record.id
    assert staff.follow_lead()
    assert (staff.tab, staff.maps.model_ref, staff.maps.view) == (2, "skarholmen-kiosk", [100, 50, 900, 450])
    assert staff.compare.shown == record.id
    kiosk_id = next(s.model_id for s in record.scenarios if s.name == "skarholmen-kiosk")
    assert staff.maps.waits[kiosk_id] == dict(next(s for s in record.scenarios if s.model_id == kiosk_id).step_waits)
    assert not staff.follow_lead()  # applied once per move, so the follower can still scroll in between


def test_stop_following_explore_then_follow_again_with_one_click(shared):
    lead, staff = _browser(shared, "Fia", "facilitator"), _browser(shared, "Ida", "staff")
    lead.start_leading()
    lead.tab = 1
    staff.follow_lead()
    staff.unfollow()
    staff.tab = 3  # exploring
    lead.tab = 4
    assert not staff.follow_lead() and staff.tab == 3
    staff.follow()
    assert staff.following and staff.tab == 4
    lead.stop_leading()
    lead.tab = 0
    assert shared.lead is None and not staff.follow_lead() and staff.tab == 4


def test_only_a_facilitator_leads_and_the_server_checks_the_code(shared):
    staff = _browser(shared, "Ida", "staff")
    with pytest.raises(UiError) as refused:
        staff.start_leading()
    assert refused.value.in_lang("sv") == "Bara en facilitator kan leda rummet."
    with pytest.raises(UiError):
        shared.set_lead(staff.workshop.participant_id, tab=3)
    assert shared.lead is None and not staff.leading
    shared.access = RoomAccess("ABC346", "FACE7777")
    with pytest.raises(UiError):
        _browser(shared, "Bo", "facilitator", code="ABC346")
    fia = _browser(shared, "Fia", "facilitator", code="FACE7777")
    fia.start_leading()
    assert shared.lead.by == fia.workshop.participant_id
