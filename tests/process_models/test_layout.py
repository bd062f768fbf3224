"""The blueprint's geometry: queues above their staff, a decision's branches apart, labels on their arrows.

The canvas, `mbk render` and the diff picture all draw from `process_models.layout`; these
tests pin what makes Skärholmen's maps read without a tangle on a laptop.
"""

from __future__ import annotations

import pytest

from process_models import library_names, load_model
from process_models.layout import BRANCH_LABEL_MIN_PX, column_under, layout


def _through(a, b, box) -> bool:
    """Whether the straight segment a-b passes through the inside of `box` (Liang-Barsky)."""
    (x1, y1), (x2, y2) = a, b
    cx, cy, w, h = box
    lo_x, hi_x, lo_y, hi_y = cx - w / 2 + 4, cx + w / 2 - 4, cy - h / 2 + 4, cy + h / 2 - 4
    dx, dy, t0, t1 = x2 - x1, y2 - y1, 0.0, 1.0
    for p, q in ((-dx, x1 - lo_x), (dx, hi_x - x1), (-dy, y1 - lo_y), (dy, hi_y - y1)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0 < t1


def test_skarholmen_today_draws_each_queue_straight_above_the_staff_who_serve_it():
    geo = layout(load_model("skarholmen-current"))
    assert geo.stacked == {"take_ticket": "arrive", "guide_session": "wait_guide", "guide_at_computer": "wait_guide",
                           "use_computer": "wait_computer", "caseworker_meeting": "wait_caseworker",
                           "lawyer_session": "wait_lawyer"}
    for below, above in geo.stacked.items():
        a, b = geo.steps[above], geo.steps[below]
        assert a.column == b.column
        assert abs(a.x - b.x) <= (a.width + b.width) / 2


@pytest.mark.parametrize("name", ["skarholmen-current", "skarholmen-kiosk"])
def test_no_arrow_between_a_queue_and_its_staff_runs_through_another_step(name):
    geo = layout(load_model(name))
    for below, above in geo.stacked.items():
        a, b = geo.steps[above], geo.steps[below]
        for sid, p in geo.steps.items():
            if sid not in (above, below):
                assert not _through((a.x, a.y), (b.x, b.y), (p.x, p.y, p.width, p.height)), (above, below, sid)


def test_a_decisions_branches_within_its_own_lane_stand_one_above_the_other():
    """The kiosk's "what do you want to do today?" leads to four kiosk screens: side by side the
    arrows would run through each other's steps, one above the other each has its own way."""
    geo = layout(load_model("skarholmen-kiosk"))
    screens = ["kiosk_lawyer_hours", "kiosk_instructions", "kiosk_area_info", "kiosk_register_arrival"]
    places = [geo.steps[s] for s in screens]
    assert len({p.column for p in places}) == 1 and len({p.x for p in places}) == 1
    ys = [p.y for p in places]
    assert ys == sorted(ys)  # the lawyer's hours on top (its queue is above), the booked arrival at the bottom
    decision = geo.steps["kiosk_purpose"]
    for s in screens:
        for other in screens:
            if other != s:
                p = geo.steps[other]
                assert not _through((decision.x, decision.y), (geo.steps[s].x, geo.steps[s].y),
                                    (p.x, p.y, p.width, p.height)), (s, other)


@pytest.mark.parametrize("name", library_names())
def test_steps_never_overlap_and_stay_in_their_lane(name):
    model = load_model(name)
    geo = layout(model)
    places = list(geo.steps.items())
    for i, (a_id, a) in enumerate(places):
        band = geo.lanes[model.step(a_id).lane]
        assert band.y <= a.y - a.height / 2 and a.y + a.height / 2 <= band.y + band.height, a_id
        for b_id, b in places[i + 1:]:
            apart = abs(a.x - b.x) >= (a.width + b.width) / 2 or abs(a.y - b.y) >= (a.height + b.height) / 2
            assert apart, (a_id, b_id)


def test_branch_labels_of_one_decision_sit_apart_near_their_targets():
    geo = layout(load_model("skarholmen-current"))
    targets = ["wait_guide", "wait_caseworker", "wait_lawyer", "wait_computer"]
    points = [geo.label_point("desk_route", t) for t in targets]
    xs = sorted(x for x, _y in points)
    assert min(b - a for a, b in zip(xs, xs[1:])) > 80  # not piled at the decision
    for t in targets:
        assert geo.label_offset("desk_route", t) > BRANCH_LABEL_MIN_PX
    # a short arrow (the desk's own answer, one column on) gets its label in its middle, clear of both steps
    d, answer = geo.steps["desk_route"], geo.steps["desk_answer"]
    assert d.y == answer.y
    gap = (answer.x - answer.width / 2) - (d.x + d.width / 2)
    assert geo.label_offset("desk_route", "desk_answer", label_px=150) == pytest.approx(gap / 2)


def test_a_point_belongs_to_the_column_whose_band_holds_it():
    spans = [(0.0, 100.0), (100.0, 400.0), (400.0, 500.0)]
    assert [column_under(spans, x) for x in (50, 120, 390, 450, 900, -40)] == [0, 1, 1, 2, 2, 0]
    geo = layout(load_model("skarholmen-current"))
    for sid, place in geo.steps.items():
        assert geo.column_at(place.x) == place.column, sid
