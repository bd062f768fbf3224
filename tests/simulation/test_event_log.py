"""Tiny scenarios with explicit arrivals: the exact event log, worked out by hand."""

from __future__ import annotations

import numpy as np

from simulation.kpis import replication_kpis
from simulation.records import Outcome, VisitStatus

from .conftest import MON_9, fixed, kiosk_then_clerk, line, step, tiny, week

WAIT, SERVE = "wait", "serve"
DONE, GAVE_UP, BALKED, SENT_HOME = VisitStatus.DONE, VisitStatus.GAVE_UP, VisitStatus.BALKED, VisitStatus.SENT_HOME
SERVED, SELF_SERVED = Outcome.SERVED, Outcome.SELF_SERVED


def test_fifo_queue_with_patience_exact_log():
    # one clerk, 5-minute service, 10 minutes' patience; v4 (arrives 9:03) would be served
    # at 9:15 but gives up at 9:13.
    times = [MON_9, MON_9 + 1, MON_9 + 2, MON_9 + 3, MON_9 + 20]
    c, visits, busy, visitors = week(tiny(), times)
    assert visits == [
        (0, WAIT, 540, 540, 540, DONE), (0, SERVE, 540, 540, 545, DONE),
        (1, WAIT, 541, 545, 545, DONE), (1, SERVE, 545, 545, 550, DONE),
        (2, WAIT, 542, 550, 550, DONE), (2, SERVE, 550, 550, 555, DONE),
        (3, WAIT, 543, 553, 553, GAVE_UP),
        (4, WAIT, 560, 560, 560, DONE), (4, SERVE, 560, 560, 565, DONE),
    ]
    assert busy == [
        ("clerks", 0, SERVE, 0, 540, 545), ("clerks", 0, SERVE, 1, 545, 550),
        ("clerks", 0, SERVE, 2, 550, 555), ("clerks", 0, SERVE, 4, 560, 565),
    ]
    # visitor, day, arrival, departure, errand, segment, outcome, waited
    assert visitors == [
        (0, 0, 540, 545, 0, 0, SERVED, 0), (1, 0, 541, 550, 0, 0, SERVED, 4), (2, 0, 542, 555, 0, 0, SERVED, 8),
        (3, 0, 543, 553, 0, 0, Outcome.GAVE_UP, 10), (4, 0, 560, 565, 0, 0, SERVED, 0),
    ]


def test_booked_meetings_go_first_with_priority_discipline():
    data = tiny()
    data["steps"][2]["discipline"] = "priority"
    data["steps"][1].pop("patience")
    # v0 occupies the clerk; v1 walk-in waits from 9:01, v2 booked from 9:02 and is served first
    _, visits, _, _ = week(data, [MON_9, MON_9 + 1, MON_9 + 2], errands=[0, 0, 1])
    serve = {v: (start, end) for v, s, _, start, end, _ in visits if s == SERVE}
    assert serve == {0: (540, 545), 2: (545, 550), 1: (550, 555)}
    # without the priority discipline it is first come, first served
    data["steps"][2]["discipline"] = "fifo"
    _, visits, _, _ = week(data, [MON_9, MON_9 + 1, MON_9 + 2], errands=[0, 0, 1])
    assert {v: start for v, s, _, start, _, _ in visits if s == SERVE} == {0: 540, 1: 545, 2: 550}


def test_skills_prefer_a_member_who_speaks_the_language_then_fall_back():
    data = tiny()
    data["pools"][0].update(capacity=2, skills=[{"count": 1, "languages": ["ar"]}])
    data["pools"][0]["skills"] = [{"count": 1, "languages": ["ar"]}]
    # member 0 speaks Arabic. v0 (sv) takes member 0 (no preference, lowest free);
    # v1 (ar) finds member 0 busy and falls back to member 1; v2 (ar) at 9:10 gets member 0
    # although member 1 is also free
    _, _, busy, _ = week(data, [MON_9, MON_9 + 1, MON_9 + 10], segments=[0, 1, 1])
    assert sorted((v, m) for _, m, _, v, _, _ in busy) == [(0, 0), (1, 1), (2, 0)]
    # the Arabic speaker's preference also wins when the Swede came after: v0 (ar) member 0, v1 (sv) member 1
    _, _, busy, _ = week(data, [MON_9, MON_9 + 1], segments=[1, 0])
    assert sorted((v, m) for _, m, _, v, _, _ in busy) == [(0, 0), (1, 1)]


def _guided(policy: str) -> dict:
    data = tiny()
    data["pools"] = [{"id": "guides", "label": data["name"], "kind": "staff", "capacity": 1},
                     {"id": "computers", "label": data["name"], "kind": "equipment", "capacity": 2}]
    data["steps"][2] = step("help", "task", duration=fixed(10), requests=[{"pool": "guides"}, {"pool": "computers"}])
    data["steps"][1].pop("patience")
    data["flows"] = line("arrive", "wait", "help", "leave")
    data["policy"] = {"queue": policy}
    return data


def test_ticket_queue_waits_for_the_guide_first_floorwalk_sits_down_at_a_computer():
    _, visits, busy, _ = week(_guided("ticket"), [MON_9, MON_9 + 1])
    # takes a computer (the one v0 just left) only when the guide comes
    assert ("computers", 0, "help", 1, 550, 560) in busy
    _, visits, busy, _ = week(_guided("floorwalk"), [MON_9, MON_9 + 1])
    assert ("computers", 1, "help", 1, 541, 560) in busy  # at the computer from arrival
    assert ("guides", 0, "help", 1, 550, 560) in busy
    assert (1, "wait", 541, 550, 550, DONE) in visits


def test_a_unit_is_kept_into_the_next_step_that_requests_the_same_pool():
    data = tiny()
    data["pools"].append({"id": "computers", "label": data["name"], "kind": "equipment", "capacity": 1})
    data["steps"][2:3] = [
        step("start_at_computer", "task", duration=fixed(4), requests=[{"pool": "computers"}]),
        step("guide_at_computer", "task", duration=fixed(6), requests=[{"pool": "clerks"}, {"pool": "computers"}]),
    ]
    data["steps"][1].pop("patience")
    data["flows"] = line("arrive", "wait", "start_at_computer", "guide_at_computer", "leave")
    # v1 arrives at 9:02 and waits for the computer until v0 is done with both steps (9:10)
    _, visits, busy, _ = week(data, [MON_9, MON_9 + 2])
    assert busy == [
        ("clerks", 0, "guide_at_computer", 0, 544, 550), ("clerks", 0, "guide_at_computer", 1, 554, 560),
        ("computers", 0, "guide_at_computer", 0, 544, 550), ("computers", 0, "guide_at_computer", 1, 554, 560),
        ("computers", 0, "start_at_computer", 0, 540, 544), ("computers", 0, "start_at_computer", 1, 550, 554),
    ]
    assert (1, "wait", 542, 550, 550, DONE) in visits


def test_balking_at_a_long_queue():
    data = tiny()
    data["steps"][1] = step("wait", "queue", balk_at=1)
    # v0 in service, v1 waits (queue length 1), v2 sees one waiting and turns away
    _, visits, _, visitors = week(data, [MON_9, MON_9 + 1, MON_9 + 2])
    assert (2, WAIT, 542, 542, 542, BALKED) in visits
    assert [v[6] for v in visitors] == [SERVED, SERVED, Outcome.BALKED]


def test_closing_time_serve_or_send_home():
    data = tiny()
    data["steps"][1].pop("patience")
    close = 17 * 60
    times = [close - 6, close - 4, close - 2]  # v1 starts at 16:59 and is in service at closing; v2 waits
    _, visits, _, visitors = week(data, times)
    assert [v[6] for v in visitors] == [SERVED, SERVED, SERVED]  # serve: everyone inside is still served
    assert [v[3] for v in visitors] == [close - 1, close + 4, close + 9]
    c, _, _, _ = week(data, times)
    rep = {"visitors": np.column_stack([np.array(visitors), np.zeros(3)]), "visits": np.zeros((0, 7)),
           "busy": np.zeros((0, 7))}
    assert replication_kpis(c, rep, 1)["served_after_closing"] == 2
    data["policy"] = {"at_closing": "send_home"}
    _, visits, _, visitors = week(data, times)
    assert [v[6] for v in visitors] == [SERVED, SERVED, Outcome.SENT_HOME]  # the one in service finishes, the one waiting goes home
    assert (2, WAIT, close - 2, close, close, SENT_HOME) in visits
    assert [v[3] for v in visitors] == [close - 1, close + 4, close]


def test_roster_capacity_outside_shifts_is_zero():
    data = tiny()
    data["steps"][1].pop("patience")
    data["pools"][0].update(capacity=0, roster={"mon": [{"start": "10:00", "end": "11:00", "capacity": 1}]})
    # arrives 9:30, served when the shift starts at 10:00; one arriving 10:58 is served past 11:00
    # (in service when the shift ends), one arriving 10:59 waits for a clerk who has gone: sent home at closing
    _, visits, _, visitors = week(data, [570, 658, 659])
    assert (0, SERVE, 600, 600, 605, DONE) in visits
    assert (1, SERVE, 658, 658, 663, DONE) in visits
    assert (2, WAIT, 659, 1020, 1020, SENT_HOME) in visits


def test_self_service_success_by_segment_picks_the_outcome_flow():
    data = kiosk_then_clerk({"default": 1.0, "by_segment": {"ar": 0.0}})
    _, visits, _, visitors = week(data, [MON_9, MON_9 + 1], segments=[0, 1])
    assert [v[6] for v in visitors] == [SELF_SERVED, SERVED]  # sv self-served, ar needed the clerk
    assert (1, SERVE, 543, 543, 548, DONE) in visits


def test_a_step_visited_twice_draws_fresh_durations_and_two_units_are_held_together():
    data = tiny()
    data["pools"][0]["capacity"] = 2
    data["steps"][1].pop("patience")
    data["steps"][2] = step("serve", "task", duration={"kind": "exponential", "mean": 5},
                            requests=[{"pool": "clerks", "count": 2}])
    data["flows"] = [{"from": "arrive", "to": "wait"}, {"from": "wait", "to": "serve"},
                     {"from": "serve", "to": "leave", "probability": 0.5},
                     {"from": "serve", "to": "wait", "probability": 0.5}]
    _, visits, busy, visitors = week(data, [MON_9 + 10 * k for k in range(8)], seed=3)
    served = [(v, e - st) for v, s, _, st, e, _ in visits if s == SERVE]
    repeat = [v for v in range(8) if sum(1 for x, _ in served if x == v) > 1]
    assert repeat  # someone came back to the queue
    v = repeat[0]
    durations = [d for x, d in served if x == v]
    assert len(set(durations)) == len(durations)  # a fresh draw each time
    # both clerks serve each visit together: two busy records with the same interval
    for x, s, _, st, e, _ in visits:
        if s == SERVE:
            assert sorted(m for p, m, _, y, a, b in busy if y == x and a == st and b == e) == [0, 1]
    assert len(visitors) == 8 and all(o == SERVED for *_, o, _ in visitors)


def test_two_units_kept_into_a_step_that_requests_one_are_both_recorded_and_given_back():
    """Two clerks serve together, both stay for the signing (it requests a clerk): both busy
    records close when it ends and both clerks go back, so the next visitor gets the two."""
    data = tiny()
    data["pools"][0]["capacity"] = 2
    data["steps"][1].pop("patience")
    data["steps"][2:3] = [
        step("serve", "task", duration=fixed(4), requests=[{"pool": "clerks", "count": 2}]),
        step("sign", "task", duration=fixed(3), requests=[{"pool": "clerks"}]),
    ]
    data["flows"] = line("arrive", "wait", "serve", "sign", "leave")
    _, visits, busy, visitors = week(data, [MON_9, MON_9 + 1])
    assert busy == [
        ("clerks", 0, "serve", 0, 540, 544), ("clerks", 0, "serve", 1, 547, 551),
        ("clerks", 0, "sign", 0, 544, 547), ("clerks", 0, "sign", 1, 551, 554),
        ("clerks", 1, "serve", 0, 540, 544), ("clerks", 1, "serve", 1, 547, 551),
        ("clerks", 1, "sign", 0, 544, 547), ("clerks", 1, "sign", 1, 551, 554),
    ]
    assert (1, "wait", 541, 547, 547, DONE) in visits
    assert [v[6] for v in visitors] == [SERVED, SERVED]
