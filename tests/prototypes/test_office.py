"""The office's rules, driven through KioskSession without a browser: exact event logs under a fixed clock."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from prototypes.eventlog import read_events
from prototypes.office import RequestError, normalise_phone
from prototypes.state import KioskSession
from prototypes.storage import appointments, events, outbox, survey_counts, visits


def _log(office, visit_id):
    return [(r["event"], r["step_id"], r["errand"], r["language"]) for r in read_events(office.engine) if r["visit_id"] == visit_id]


def _counts(engine):
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar() for t in (visits, events, outbox, appointments))


def test_errand_help_then_want_help_gets_a_computer_and_a_floor_row(office, clock):
    s = KioskSession(office)
    s.act("language", {"value": "ar"})
    s.act("categories", {})
    s.act("choose", {"value": "migration"})
    assert s.screen == "instructions"
    clock.advance(minutes=3)
    s.act("want_help", {})
    assert (s.screen, s.summary()["number"], s.summary()["computer"]) == ("register", 1, 1)
    assert _log(office, "v001") == [
        ("arrived", "", "", "ar"),
        ("step_started", "kiosk_language", "", "ar"),
        ("step_finished", "kiosk_language", "", "ar"),
        ("step_started", "kiosk_purpose", "", "ar"),
        ("step_finished", "kiosk_purpose", "migration", "ar"),
        ("step_started", "kiosk_instructions", "migration", "ar"),
        ("step_finished", "kiosk_instructions", "migration", "ar"),
        ("step_started", "kiosk_register_errand", "migration", "ar"),
        ("step_finished", "kiosk_register_errand", "migration", "ar"),
        ("step_started", "start_at_computer", "migration", "ar"),
    ]
    clock.advance(minutes=7)
    rows = office.floor_rows()
    assert [(r["number"], r["errand"], r["language"], r["waiting_minutes"], r["computer"], r["status"]) for r in rows] == [
        (1, "migration", "ar", 7, 1, "at_computer")
    ]
    office.start_helping("v001", "guide")
    office.end_visit("v001")
    assert _log(office, "v001")[-4:] == [
        ("step_finished", "start_at_computer", "migration", "ar"),
        ("step_started", "guide_at_computer", "migration", "ar"),
        ("step_finished", "guide_at_computer", "migration", "ar"),
        ("left", "", "migration", "ar"),
    ]
    assert office.floor_rows() == []


def test_managed_then_survey_is_self_served_and_counted(office, clock):
    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("categories", {})
    s.act("choose", {"value": "preschool"})
    s.act("managed", {})
    assert s.screen == "survey"
    s.act("survey", {"learned": "yes", "can_alone": "no"})
    assert s.screen == "thanks"
    v = office.visit("v001")
    # the answers are counted for the day, never kept with the visit or logged with a time
    assert (v["outcome"], v["learned"], v["can_alone"], v["status"]) == ("self_served", None, None, "done")
    assert [e[0:2] for e in _log(office, "v001")[-3:]] == [
        ("step_started", "kiosk_instructions"), ("step_finished", "kiosk_instructions"), ("left", ""),
    ]
    with office.engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(select(survey_counts))] == [
            ("default", "2026-11-23", "obesvarad", 1, 1, 1, 1, 0)
        ]


def test_no_free_computer_gives_an_honest_range_and_the_next_free_one(office, clock):
    office.flow.model.pools  # 10 public computers in the model
    sessions = []
    for _ in range(11):
        s = KioskSession(office)
        s.act("language", {"value": "en"})
        s.act("choose", {"value": "computer_support"})
        sessions.append(s)
    assert [s.summary()["computer"] for s in sessions] == list(range(1, 11)) + [None]
    # start_at_computer has mean 15 min over 10 computers, nobody ahead: 1.5 min -> 5-10
    assert sessions[-1].summary()["wait"] == [5, 10]
    assert office.display_numbers()["waiting"] == [11]
    office.end_visit("v003")  # computer 3 frees up and goes to number 11
    assert office.visit("v011")["computer"] == 3
    assert [e[0:2] for e in _log(office, "v011")[-2:]] == [("step_finished", "wait_computer"), ("step_started", "start_at_computer")]


def test_booked_meeting_by_code_queues_one_mail_in_the_same_transaction(office, clock):
    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("choose", {"value": "booked_meeting"})
    assert [a["name"] for a in office.today_appointments()] == ["Anna L.", "Anna L."]  # yesterday's is not listed
    s.act("code", {"code": "OLD999"})  # yesterday's code
    assert (s.screen, s.notice) == ("booking", "booking_bad_code")
    s.act("code", {"code": " ab12cd "})
    assert (s.screen, s.arrival_time) == ("arrived", "10:30")
    with office.engine.connect() as conn:
        mails = conn.execute(select(outbox)).mappings().all()
    assert [(m["recipient"], m["subject"], m["status"]) for m in mails] == [
        ("anna@medborgarkontor.invalid", "Din besökare till 10:30 har kommit", "pending")
    ]
    assert "10:30" in mails[0]["body"] and "booked" not in mails[0]["body"].lower()
    assert [r["arrived"] for r in office.reception_rows()] == ["10:00", ""]


def test_pick_from_todays_list(office):
    s = KioskSession(office)
    s.act("language", {"value": "so"})
    s.act("choose", {"value": "booked_meeting"})
    second = office.today_appointments()[1]["id"]
    s.act("appointment", {"value": str(second)})
    assert s.arrival_time == "14:00"
    assert [a["starts_at"].strftime("%H:%M") for a in office.today_appointments()] == ["10:30"]


@pytest.mark.parametrize(
    "steps, action, form, message",
    [
        ([], "fly", {}, "action: expected one of"),
        ([], "language", {"value": "xx"}, "value: expected one of"),
        ([("language", {"value": "sv"})], "choose", {"value": "nonsense"}, "is not a choice on this screen"),
        ([("language", {"value": "sv"})], "choose", {"value": "housing"}, "is not a choice on this screen"),
        ([("language", {"value": "sv"})], "managed", {}, "not possible on the 'purpose' screen"),
        ([("language", {"value": "sv"}), ("choose", {"value": "booked_meeting"})], "appointment", {"value": "1; drop"}, "expected an appointment number"),
        ([("language", {"value": "sv"}), ("choose", {"value": "booked_meeting"})], "appointment", {"value": "3"}, "no booked meeting today"),
        ([("language", {"value": "sv"}), ("categories", {}), ("choose", {"value": "other"})], "survey", {}, "not possible"),
    ],
)
def test_a_malformed_request_says_what_and_changes_nothing(office, steps, action, form, message):
    s = KioskSession(office)
    for a, f in steps:
        s.act(a, f)
    before, screen = _counts(office.engine), s.screen
    with pytest.raises(RequestError, match=message):
        s.act(action, form)
    assert _counts(office.engine) == before and s.screen == screen


def test_a_kiosk_session_only_knows_its_own_visit(office):
    a, b = KioskSession(office), KioskSession(office)
    a.act("language", {"value": "sv"})
    a.act("choose", {"value": "computer_support"})
    b.act("language", {"value": "en"})
    # b's page data holds nothing of a's visit, and no action takes a visit id from the request
    assert b.summary() == {"screen": "purpose", "language": "en", "errand": "", "number": None, "computer": None,
                           "wait": None, "arrival_time": None, "notice": None}
    b.act("categories", {})
    with pytest.raises(RequestError, match="visit_id: not a field of action 'choose'"):
        b.act("choose", {"value": "other", "visit_id": a.visit_id})  # refused, not ignored
    b.act("choose", {"value": "other"})
    assert office.visit(a.visit_id)["errand"] == "computer_support" and office.visit(b.visit_id)["errand"] == "other"
    a.reset()
    assert a.visit_id == "" and a.registration is None and a.summary()["number"] is None


def test_phone_numbers_are_checked_and_normalised(office):
    assert normalise_phone("070-123 45 67") == "+46701234567"
    assert normalise_phone("+46 70 123 45 67") == "+46701234567"
    with pytest.raises(RequestError):
        normalise_phone("08 123 456")
    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("categories", {})
    s.act("choose", {"value": "other"})
    s.act("phone", {"phone": "12"})
    assert s.notice == "phone_bad" and office.visit(s.visit_id)["phone"] is None
    s.act("phone", {"phone": "0701234567"})
    assert office.visit(s.visit_id)["phone"] == "+46701234567" and office.floor_rows()[0]["has_phone"]


def test_duty_lawyer_hours_come_from_the_pool_roster(office):
    s = KioskSession(office)
    s.act("language", {"value": "sv"})
    s.act("choose", {"value": "duty_lawyer"})
    assert s.screen == "hours"
    pool = office.flow.roster_pool("kiosk_lawyer_hours")
    assert [(d, sh.start, sh.end) for d, shifts in pool.roster.items() for sh in shifts] == [("wed", "13:00", "16:00")]
    s.act("finish", {})
    s.act("skip", {})
    assert office.visit(s.visit_id)["status"] == "done"


def test_abandoned_kiosk_sessions_are_dropped_and_their_visits_closed(office):
    from prototypes.web import KioskSessions

    sessions = KioskSessions(office, max_idle=0.0)
    token, first = sessions.get(None)
    first.act("language", {"value": "ti"})
    first.act("choose", {"value": "duty_lawyer"})
    assert sessions.get(token)[1] is first  # the cookie finds the same session
    for _ in range(201):
        sessions.get(None)
    assert sessions.get(token)[1] is not first  # dropped after max_idle
    assert office.visit("v001")["status"] == "done"
    assert _log(office, "v001")[-2:] == [("step_finished", "kiosk_lawyer_hours", "duty_lawyer", "ti"),
                                          ("left", "", "duty_lawyer", "ti")]
