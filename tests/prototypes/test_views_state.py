"""The staff boards' state, without a browser: login checked on every read and action, indicators."""

from __future__ import annotations

from datetime import timedelta

from prototypes.auth import StaffAuth
from prototypes.state import KioskSession
from prototypes.views import DisplayBoard, FloorBoard, ReceptionBoard


def _waiting(office, errand="other", lang="so"):
    s = KioskSession(office)
    s.act("language", {"value": lang})
    s.act("categories", {})
    s.act("choose", {"value": errand})
    return s


def test_floor_board_actions_and_expiry(office, engine, clock):
    auth = StaffAuth(engine, clock=clock, ttl=timedelta(minutes=10))
    auth.add_staff("lina", "long enough pw")
    board = FloorBoard(office, auth, auth.login("lina", "long enough pw"))
    s = _waiting(office)
    board.refresh()
    assert [(r["number"], r["errand"], r["status"]) for r in board.rows] == [(1, "other", "waiting")]
    assert "Soomaali" in board.describe(board.rows[0]) and "väntar på vägledare" in board.describe(board.rows[0])
    board.helping(s.visit_id)
    assert board.rows[0]["status"] == "helping" and board.rows[0]["guide"] == "lina"
    board.needs_booking(s.visit_id)
    assert board.rows == [] and office.visit(s.visit_id)["outcome"] == "referred"
    board.done(s.visit_id)  # already gone: a clear error, nothing changes
    assert "not on the floor" in board.error
    _waiting(office)
    clock.advance(minutes=10)
    board.refresh()
    assert board.expired and board.rows == []
    board.done(office.floor_rows()[0]["visit_id"])
    assert len(office.floor_rows()) == 1  # an expired login cannot act


def test_reception_board_meet_and_display_numbers(office, engine, clock):
    auth = StaffAuth(engine, clock=clock)
    auth.add_staff("omar", "long enough pw")
    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("choose", {"value": "booked_meeting"})
    s.act("code", {"code": "AB12CD"})
    board = ReceptionBoard(office, auth, auth.login("omar", "long enough pw"))
    board.refresh()
    assert [(r["time"], r["arrived"], r["mail"], r["met"]) for r in board.rows] == [
        ("10:30", "10:00", "pending", False), ("14:00", "", "", False)]
    board.met(board.rows[0]["id"])
    assert board.rows[0]["met"] and office.visit(s.visit_id)["step"] == "caseworker_meeting"
    _waiting(office)
    display = DisplayBoard(office)
    display.refresh()
    assert display.numbers == {"computer": [], "waiting": [1], "helping": []}


def _surveyed(office, learned: str, alone: str, gender: str = "") -> None:
    s = KioskSession(office)
    s.act("language", {"value": "en"})
    s.act("categories", {})
    s.act("choose", {"value": "housing"})
    s.act("managed", {})
    s.act("survey", {"learned": learned, "can_alone": alone, **({"gender": gender} if gender else {})})


WOMEN = [("yes", "yes"), ("yes", "no"), ("yes", "no"), ("no", "yes"), ("yes", "yes"), ("yes", "")]
MEN = [("yes", "yes"), ("no", "yes"), ("no", "no"), ("yes", "no"), ("yes", "no")]


def test_indicators_are_shares_of_answers_for_everyone_women_and_men(office):
    for gender, answers in (("kvinna", WOMEN), ("man", MEN)):
        for learned, alone in answers:
            _surveyed(office, learned, alone, gender)
    ind = office.indicators("2026-11-23")
    assert (ind["answers"], ind["learned"], ind["can_alone"]) == (11, 8 / 11, 5 / 10)
    assert ind["women"] == {"learned": 5 / 6, "can_alone": 3 / 5}
    assert ind["men"] == {"learned": 3 / 5, "can_alone": 2 / 5}


def test_a_group_that_would_give_away_fewer_than_five_others_by_subtraction_is_hidden(office):
    for gender, answers in (("kvinna", WOMEN), ("man", MEN), ("annat", [("no", "no")])):
        for learned, alone in answers:
            _surveyed(office, learned, alone, gender)
    ind = office.indicators("2026-11-23")
    # all - women - men would be the one "annat" answer: per question the smaller group is hidden as well
    # (learned: 6 women, 5 men; can_alone: 5 and 5, and a tie hides the women's)
    assert (ind["answers"], ind["learned"], ind["can_alone"]) == (12, 8 / 12, 5 / 11)
    assert ind["women"] == {"learned": 5 / 6, "can_alone": None}
    assert ind["men"] == {"learned": None, "can_alone": 2 / 5}


def test_indicators_over_fewer_than_five_visitors_are_not_shown(office):
    for learned, alone in (("yes", "yes"), ("yes", "no"), ("no", "no"), ("yes", "")):
        _surveyed(office, learned, alone)
    ind = office.indicators("2026-11-23")
    assert (ind["answers"], ind["learned"], ind["can_alone"]) == (None, None, None)
    _surveyed(office, "yes", "yes")
    ind = office.indicators("2026-11-23")
    # the fifth answer shows the first question (5 answers); the second has 4 answers and stays hidden
    assert (ind["answers"], ind["learned"], ind["can_alone"]) == (5, 4 / 5, None)
