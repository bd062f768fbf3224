"""What happens in the office when a visitor or a staff member acts: one transaction per action.

Each method changes the database and writes its event-log rows (and outbox rows) in the
same transaction, so a crash never leaves a check-in without its notification.
"""

from __future__ import annotations

import re
import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterator

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Connection, Engine

from .content import Content
from .event_names import ARRIVED, LANGUAGE_CHANGED, LEFT, REFERRED_TO_BOOKING, STEP_FINISHED, STEP_STARTED
from .flow import DECISION_STEP, LANGUAGE_STEP, KioskFlow, waiting_range
from .survey import GENDER_ANSWERS, GENDERS, MAN, MIN_VISITORS, UNANSWERED, WOMAN, record_answer, survey_summary
from .storage import DEFAULT_OFFICE, OFFICE_ID, add_event, appointments, caseworkers, event_row, events, outbox, visits

__all__ = ["Office", "RequestError", "Registration", "ACTIVE", "normalise_phone"]

ACTIVE = ("queue", "at_computer", "borrowing", "waiting", "helping")
_PENDING_EVENTS = "mbk_pending_events"  # key in Connection.info: the open action's event rows
# ASCII digits only: \d would also take Arabic-Indic and other digits, which no SMS gateway dials
_PHONE = re.compile(r"^(?:\+46|0046|0)(7[0-9]{8})\Z")
_PHONE_SEPARATORS = re.compile(r"[ \-()]")
_CODE = re.compile(r"^[A-Z0-9]{4,12}\Z")  # checked on ASCII input: upper() makes 'ß' 'SS' and 'ﬁ' 'FI'


class RequestError(ValueError):
    """A malformed or impossible request: nothing was changed; the message says what was expected."""


@dataclass(frozen=True)
class Registration:
    """What the visitor is told after registering: their number and a computer or a waiting range."""

    number: int
    computer: int | None
    wait_low: int = 0
    wait_high: int = 0


def normalise_phone(text: str) -> str:
    """A Swedish mobile number as +467XXXXXXXX, or RequestError."""
    digits = _PHONE_SEPARATORS.sub("", text or "")
    m = _PHONE.match(digits)
    if not m:
        raise RequestError("phone: expected a Swedish mobile number such as 070 123 45 67")
    return "+46" + m.group(1)


class Office:
    """The kiosk's business rules over the database for one office (clock and id factory are seams).

    Several offices may share a database: every read and write names `office_id`, so an
    office never sees or changes another's visits, meetings, e-mails or numbers.
    """

    def __init__(
        self,
        engine: Engine,
        flow: KioskFlow,
        content: Content,
        clock: Callable[[], datetime] = datetime.now,
        new_id: Callable[[], str] = lambda: secrets.token_hex(8),
        office_id: str = DEFAULT_OFFICE,
    ):
        if not OFFICE_ID.match(office_id or ""):
            raise RequestError(f"office: expected 1-32 lower-case letters, digits or '-', got {office_id!r}")
        self.engine, self.flow, self.content, self.office_id = engine, flow, content, office_id
        self.clock, self.new_id = clock, new_id
        self._lock = threading.Lock()  # one writer at a time: computer and number assignment
        # visits that answered the survey today, in memory only (never stored with the visit); a new day starts afresh
        self._surveyed: set[str] = set()
        self._surveyed_day = ""

    def now(self) -> datetime:
        return self.clock()

    # --- helpers -------------------------------------------------------------
    def _here(self, table):
        """The condition "this office's row" on a table."""
        return table.c.office == self.office_id

    def _caseworker_join(self):
        return and_(caseworkers.c.office == appointments.c.office, caseworkers.c.id == appointments.c.caseworker_id)

    def _visit(self, conn: Connection, visit_id: str):
        row = conn.execute(select(visits).where(visits.c.id == visit_id, self._here(visits))).mappings().first()
        if row is None:
            raise RequestError("visit: unknown or finished visit; start over at the kiosk")
        return row

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One action's transaction, one writer at a time; its event rows go in as one batch at the end.

        One INSERT for all of an action's events instead of one each saves a round trip per event
        (on PostgreSQL a check-in writes two to four).
        """
        with self._lock, self.engine.begin() as conn:
            pending: list[dict] = []
            conn.info[_PENDING_EVENTS] = pending
            try:
                yield conn
                if pending:
                    conn.execute(events.insert(), pending)
            finally:
                conn.info.pop(_PENDING_EVENTS, None)

    def _event(self, conn, v, name: str, step: str, at: datetime, **override) -> None:
        errand, language = override.get("errand", v["errand"]), override.get("language", v["language"])
        pending = conn.info.get(_PENDING_EVENTS)
        if pending is None:  # another's transaction (the sender's, in notified): written at once
            add_event(conn, v["id"], name, step, at, errand, language, office=self.office_id)
        else:
            pending.append(event_row(v["id"], name, step, at, errand, language, office=self.office_id))

    def _next_number(self, conn: Connection, day: str) -> int:
        current = conn.execute(select(func.max(visits.c.number)).where(visits.c.day == day, self._here(visits))).scalar()
        return (current or 0) + 1

    def _free_computer(self, conn: Connection) -> int | None:
        used = {
            r[0]
            for r in conn.execute(
                select(visits.c.computer).where(
                    self._here(visits), visits.c.status.in_(ACTIVE), visits.c.computer.is_not(None)
                )
            )
        }
        return next((n for n in range(1, self.flow.computer_count() + 1) if n not in used), None)

    def _queue_length(self, conn: Connection) -> int:
        return conn.execute(select(func.count()).select_from(visits).where(self._here(visits), visits.c.status == "queue")).scalar() or 0

    # --- the visitor at the kiosk -------------------------------------------
    def start_visit(self, language: str) -> str:
        """A visitor picked a language: the visit begins at the decision step."""
        if language not in self.content.codes():
            raise RequestError(f"language: expected one of {self.content.codes()}, got {language!r}")
        at, visit_id = self.now(), self.new_id()
        with self._write() as conn:
            conn.execute(
                visits.insert().values(
                    id=visit_id, office=self.office_id, day=at.date().isoformat(), started_at=at, language=language, errand="",
                    step=DECISION_STEP, status="kiosk",
                )
            )
            v = {"id": visit_id, "errand": "", "language": language}
            self._event(conn, v, ARRIVED, "", at)
            self._event(conn, v, STEP_STARTED, LANGUAGE_STEP, at)
            self._event(conn, v, STEP_FINISHED, LANGUAGE_STEP, at)
            self._event(conn, v, STEP_STARTED, DECISION_STEP, at)
        return visit_id

    def change_language(self, visit_id: str, language: str) -> None:
        if language not in self.content.codes():
            raise RequestError(f"language: expected one of {self.content.codes()}, got {language!r}")
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["language"] == language:
                return
            conn.execute(update(visits).where(visits.c.id == visit_id).values(language=language))
            self._event(conn, v, LANGUAGE_CHANGED, v["step"], self.now(), language=language)

    def choose(self, visit_id: str, errand: str) -> str:
        """The visitor picked an errand at the decision step; returns the next step id."""
        choice = self.flow.choice(errand)
        if choice is None:
            raise RequestError(f"errand: expected one of {[c.errand for c in self.flow.choices]}, got {errand!r}")
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["step"] != DECISION_STEP or v["status"] != "kiosk":
                raise RequestError(f"errand: already chosen ({v['errand']}); start over to choose again")
            conn.execute(update(visits).where(visits.c.id == visit_id).values(errand=errand, step=choice.target))
            self._event(conn, v, STEP_FINISHED, DECISION_STEP, at, errand=errand)
            self._event(conn, v, STEP_STARTED, choice.target, at, errand=errand)
        return choice.target

    def self_service_result(self, visit_id: str, managed: bool) -> str | None:
        """'I managed' or 'I want help' after self-service; returns the next step id (None at the end)."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            step = self.flow.step(v["step"]) if self.flow.has_step(v["step"]) else None
            if step is None or step.success is None or v["status"] != "kiosk":
                raise RequestError("answer: this screen has no 'I managed / I want help' question")
            nxt = self.flow.next_step(v["step"], "success" if managed else "failure")
            self._event(conn, v, STEP_FINISHED, v["step"], at)
            status = "self" if managed else "kiosk"
            conn.execute(
                update(visits).where(visits.c.id == visit_id).values(
                    step=nxt or "", status=status, outcome="self_served" if managed else None
                )
            )
            if not managed and nxt:
                self._event(conn, v, STEP_STARTED, nxt, at)
        return nxt

    def register_errand(self, visit_id: str) -> Registration:
        """Register the errand (a check-in): a number, and a free computer or an honest wait."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] != "kiosk" or self.flow.screen_for(v["step"]) != "register":
                raise RequestError("register: this visit is not at the registering step")
            queue_step, work_step = self.flow.computer_step(v["step"])
            number = self._next_number(conn, v["day"])
            computer = self._free_computer(conn)
            self._event(conn, v, STEP_FINISHED, v["step"], at)
            if computer is not None:
                status, step = "at_computer", work_step
                self._event(conn, v, STEP_STARTED, work_step, at)
                low = high = 0
            else:
                status, step = "queue", queue_step
                self._event(conn, v, STEP_STARTED, queue_step, at)
                low, high = waiting_range(self._queue_length(conn), self.flow.computer_count(), self.flow.mean_minutes(work_step))
            conn.execute(
                update(visits).where(visits.c.id == visit_id).values(
                    status=status, step=step, number=number, computer=computer, waiting_since=at
                )
            )
        return Registration(number, computer, low, high)

    def borrow_computer(self, visit_id: str) -> Registration:
        """Borrow a computer: one is assigned now, or the visitor queues with a waiting range."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] != "kiosk" or self.flow.screen_for(v["step"]) != "computer":
                raise RequestError("borrow: this visit did not choose to borrow a computer")
            number = self._next_number(conn, v["day"])
            computer = self._free_computer(conn)
            low = high = 0
            status = "borrowing" if computer is not None else "queue"
            if computer is None:
                low, high = waiting_range(
                    self._queue_length(conn), self.flow.computer_count(), self.flow.mean_minutes(v["step"])
                )
            conn.execute(
                update(visits).where(visits.c.id == visit_id).values(
                    status=status, number=number, computer=computer, waiting_since=at
                )
            )
        return Registration(number, computer, low, high)

    def ask_guide(self, visit_id: str) -> Registration:
        """The visitor waits for a guide on the floor (step started when a guide comes)."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] != "kiosk" or self.flow.screen_for(v["step"]) != "guide":
                raise RequestError("guide: this visit is not waiting for a guide")
            number = self._next_number(conn, v["day"])
            conn.execute(
                update(visits).where(visits.c.id == visit_id).values(status="waiting", number=number, waiting_since=at)
            )
        return Registration(number, None)

    def set_phone(self, visit_id: str, phone: str) -> None:
        number = normalise_phone(phone)
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] not in ACTIVE:
                raise RequestError("phone: only a visitor who waits for help can leave a number")
            conn.execute(update(visits).where(visits.c.id == visit_id).values(phone=number))

    def today_appointments(self) -> list[dict]:
        """Today's booked meetings not yet arrived: time and caseworker only (nothing about visitors)."""
        start = self.now().replace(hour=0, minute=0, second=0, microsecond=0)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(appointments.c.id, appointments.c.starts_at, caseworkers.c.name)
                .join(caseworkers, self._caseworker_join())
                .where(
                    self._here(appointments),
                    appointments.c.starts_at >= start,
                    appointments.c.starts_at < start + timedelta(days=1),
                    appointments.c.arrived_at.is_(None),
                )
                .order_by(appointments.c.starts_at, caseworkers.c.name)
            ).mappings()
            return [dict(r) for r in rows]

    def register_arrival(self, visit_id: str, code: str | None = None, appointment_id: int | None = None) -> datetime:
        """A booked visitor arrived (a check-in): mark it and queue the caseworker's e-mail, atomically."""
        if code is not None:
            ascii_input = code.isascii()
            code = code.strip().upper().replace(" ", "")
            if not ascii_input or not _CODE.match(code):
                raise RequestError("code: expected 4 to 12 letters or digits")
        elif appointment_id is None:
            raise RequestError("arrival: expected a booking code or an appointment from today's list")
        at = self.now()
        start = at.replace(hour=0, minute=0, second=0, microsecond=0)
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] != "kiosk" or self.flow.screen_for(v["step"], booked=True) != "booking" or not v["errand"]:
                raise RequestError("arrival: this visit did not choose a booked meeting")
            if self.flow.choice(v["errand"]) is None or not self.flow.choice(v["errand"]).booked:
                raise RequestError("arrival: this visit did not choose a booked meeting")
            cond = appointments.c.code == code if code is not None else appointments.c.id == appointment_id
            appt = conn.execute(
                select(appointments, caseworkers.c.name, caseworkers.c.email)
                .join(caseworkers, self._caseworker_join())
                .where(cond, self._here(appointments), appointments.c.starts_at >= start, appointments.c.starts_at < start + timedelta(days=1))
            ).mappings().first()
            if appt is None or appt["arrived_at"] is not None:
                raise RequestError("arrival: no booked meeting today with that code or in today's list")
            conn.execute(
                update(appointments).where(appointments.c.id == appt["id"]).values(visit_id=visit_id, arrived_at=at)
            )
            notify = self.flow.next_step(v["step"])
            conn.execute(update(visits).where(visits.c.id == visit_id).values(status="booked", step=notify or ""))
            self._event(conn, v, STEP_FINISHED, v["step"], at)
            if notify:
                self._event(conn, v, STEP_STARTED, notify, at)
            time = appt["starts_at"].strftime("%H:%M")
            mail = self.content.email
            conn.execute(
                outbox.insert().values(
                    office=self.office_id,
                    message_id=f"<arrival-{appt['id']}-{visit_id}@mbk-kiosk.invalid>",
                    visit_id=visit_id,
                    recipient=appt["email"],
                    subject=mail["arrived_subject"].format(time=time),
                    body=mail["arrived_body"].format(time=time, name=appt["name"]),
                    status="pending",
                    attempts=0,
                    next_attempt_at=at,
                    created_at=at,
                )
            )
        return appt["starts_at"]

    def notified(self, conn: Connection, visit_id: str, at: datetime) -> None:
        """The caseworker's e-mail went out (called by the sender inside its transaction)."""
        v = conn.execute(select(visits).where(visits.c.id == visit_id, self._here(visits))).mappings().first()
        if v is None or v["status"] != "booked" or not v["step"] or not self.flow.has_step(v["step"]):
            return  # already collected by the caseworker: the meeting's steps are logged by meet()
        nxt = self.flow.next_step(v["step"])
        self._event(conn, v, STEP_FINISHED, v["step"], at)
        if nxt:
            self._event(conn, v, STEP_STARTED, nxt, at)
        conn.execute(update(visits).where(visits.c.id == visit_id).values(step=nxt or ""))

    def finish(self, visit_id: str) -> None:
        """The visitor is done at the kiosk; a visit that needs nobody else has left."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] == "kiosk":
                if v["step"] and v["step"] != DECISION_STEP:
                    self._event(conn, v, STEP_FINISHED, v["step"], at)
                conn.execute(update(visits).where(visits.c.id == visit_id).values(status="self", step=""))
                v = self._visit(conn, visit_id)
            if v["status"] == "self" and v["ended_at"] is None:
                self._event(conn, v, LEFT, "", at)
                conn.execute(update(visits).where(visits.c.id == visit_id).values(status="done", ended_at=at))

    def answer_survey(
        self, visit_id: str, learned: bool | None, can_alone: bool | None, gender: str = UNANSWERED
    ) -> None:
        """Count the visitor's answers into the office's day (survey.py); nothing is written to the visit.

        A visit answers once: the kiosk session leaves the survey screen, and this process
        remembers the visits that answered (in memory only, so the database cannot tie them).
        """
        if gender not in GENDERS:
            raise RequestError(f"gender: expected one of {list(GENDER_ANSWERS)} or nothing, got {gender!r}")
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["day"] != self._surveyed_day:
                self._surveyed, self._surveyed_day = set(), v["day"]
            if visit_id in self._surveyed:
                raise RequestError("survey: already answered for this visit")
            record_answer(conn, self.office_id, v["day"], gender, learned, can_alone)
        self._surveyed.add(visit_id)

    def visit(self, visit_id: str) -> dict:
        with self.engine.connect() as conn:
            return dict(self._visit(conn, visit_id))

    # --- the guides on the floor --------------------------------------------
    def floor_rows(self) -> list[dict]:
        """Who waits, for what, in which language, for how long, at which computer (no names)."""
        at = self.now()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(visits).where(self._here(visits), visits.c.status.in_(ACTIVE)).order_by(visits.c.waiting_since)
            ).mappings().all()
        out = []
        for r in rows:
            out.append(
                {
                    "visit_id": r["id"], "number": r["number"], "errand": r["errand"], "language": r["language"],
                    "status": r["status"], "computer": r["computer"], "guide": r["guide"] or "",
                    "waiting_minutes": int((at - r["waiting_since"]).total_seconds() // 60) if r["waiting_since"] else 0,
                    "has_phone": bool(r["phone"]),
                }
            )
        return out

    def start_helping(self, visit_id: str, guide: str) -> None:
        """A guide says "I'm helping": the guide's step starts (at the computer or on the floor)."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] not in ("at_computer", "waiting", "queue", "borrowing"):
                raise RequestError(f"help: visit is {v['status']}, not waiting for help")
            if v["status"] == "at_computer":
                nxt = self.flow.next_step(v["step"], "failure")
                self._event(conn, v, STEP_FINISHED, v["step"], at)
            elif v["status"] == "queue":
                self._event(conn, v, STEP_FINISHED, v["step"], at)
                nxt = next((c.target for c in self.flow.choices if c.screen == "guide"), v["step"])
            else:  # waiting for a guide on the floor (the guide's step starts now) or borrowing
                nxt = v["step"]
            if v["status"] != "borrowing":
                self._event(conn, v, STEP_STARTED, nxt, at)
            conn.execute(update(visits).where(visits.c.id == visit_id).values(status="helping", step=nxt, guide=guide))

    def end_visit(self, visit_id: str, referred: bool = False) -> None:
        """"done" or "needs a booked time": the visit leaves and its computer goes to the next in line."""
        at = self.now()
        with self._write() as conn:
            v = self._visit(conn, visit_id)
            if v["status"] not in ACTIVE:
                raise RequestError(f"done: visit is {v['status']}, not on the floor")
            if v["step"]:
                self._event(conn, v, STEP_FINISHED, v["step"], at)
            if referred:
                self._event(conn, v, REFERRED_TO_BOOKING, v["step"], at)
            self._event(conn, v, LEFT, "", at)
            conn.execute(
                update(visits).where(visits.c.id == visit_id).values(
                    status="referred" if referred else "done", outcome="referred" if referred else "served", ended_at=at
                )
            )
            if v["computer"] is not None:
                self._hand_over_computer(conn, v["computer"], at)

    def _hand_over_computer(self, conn: Connection, computer: int, at: datetime) -> None:
        nxt = conn.execute(
            select(visits).where(self._here(visits), visits.c.status == "queue").order_by(visits.c.waiting_since).limit(1)
        ).mappings().first()
        if nxt is None:
            return
        if nxt["step"] and self.flow.has_step(nxt["step"]) and self.flow.step(nxt["step"]).kind == "queue":
            work = self.flow.next_step(nxt["step"])
            self._event(conn, nxt, STEP_FINISHED, nxt["step"], at)
            self._event(conn, nxt, STEP_STARTED, work, at)
            conn.execute(update(visits).where(visits.c.id == nxt["id"]).values(status="at_computer", step=work, computer=computer))
        else:
            # a borrower in line: their step was started when they joined it; started again now that it begins
            # (as a floor guide's), so the log shows the wait and calibration the time at the computer alone
            if nxt["step"]:
                self._event(conn, nxt, STEP_STARTED, nxt["step"], at)
            conn.execute(update(visits).where(visits.c.id == nxt["id"]).values(status="borrowing", computer=computer))

    # --- reception and the waiting-room display ----------------------------
    def reception_rows(self) -> list[dict]:
        """Today's booked meetings: time, caseworker, arrived, caseworker e-mailed."""
        start = self.now().replace(hour=0, minute=0, second=0, microsecond=0)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(appointments, caseworkers.c.name, outbox.c.status.label("mail"))
                .join(caseworkers, self._caseworker_join())
                .outerjoin(outbox, and_(outbox.c.visit_id == appointments.c.visit_id, appointments.c.visit_id.is_not(None)))
                .where(self._here(appointments), appointments.c.starts_at >= start, appointments.c.starts_at < start + timedelta(days=1))
                .order_by(appointments.c.starts_at)
            ).mappings().all()
        return [
            {"id": r["id"], "time": r["starts_at"].strftime("%H:%M"), "caseworker": r["name"],
             "arrived": r["arrived_at"].strftime("%H:%M") if r["arrived_at"] else "",
             "mail": r["mail"] or "", "met": bool(r["met_at"])}
            for r in rows
        ]

    def meet(self, appointment_id: int) -> None:
        """The caseworker collected the visitor: the meeting starts."""
        at = self.now()
        with self._write() as conn:
            appt = conn.execute(select(appointments).where(appointments.c.id == appointment_id, self._here(appointments))
            ).mappings().first()
            if appt is None or appt["visit_id"] is None or appt["met_at"] is not None:
                raise RequestError("meet: expected an arrived visitor who has not been collected yet")
            v = self._visit(conn, appt["visit_id"])
            conn.execute(update(appointments).where(appointments.c.id == appointment_id).values(met_at=at))
            if v["step"]:
                self._event(conn, v, STEP_FINISHED, v["step"], at)
            # the meeting is the first later step that needs someone (a pool), even if the mail is still queued
            meeting = next((s for s in self.flow.downstream(v["step"]) if self.flow.step(s).requests), None) if v["step"] else None
            if meeting:
                self._event(conn, v, STEP_STARTED, meeting, at)
            conn.execute(update(visits).where(visits.c.id == v["id"]).values(
                status="done", outcome="served", step=meeting or "", ended_at=at
            ))

    def indicators(self, day: str | None = None) -> dict:
        """The office's two survey indicators for a day (default today), for everyone, women and men.

        Shares of those who answered each question; None where a figure would rest on fewer than
        MIN_VISITORS visitors. Targets from the brief: 60 % learned something new, 40 % can do it
        themselves next time.
        """
        day = day or self.now().date().isoformat()
        summary = survey_summary(self.engine, self.office_id, day, day)
        ind = summary.indicators
        return {
            "answers": summary.total, "learned": ind["all"]["learned"].share, "can_alone": ind["all"]["can_alone"].share,
            "learned_target": 0.60, "can_alone_target": 0.40, "min_visitors": MIN_VISITORS,
            "women": {k: ind[WOMAN][k].share for k in ("learned", "can_alone")},
            "men": {k: ind[MAN][k].share for k in ("learned", "can_alone")},
        }

    def display_numbers(self) -> dict:
        """Numbers only, never names: who is at which computer, who is being helped, who waits."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(visits.c.number, visits.c.status, visits.c.computer)
                .where(self._here(visits), visits.c.status.in_(ACTIVE), visits.c.number.is_not(None))
                .order_by(visits.c.number)
            ).all()
        return {
            "computer": [(n, c) for n, s, c in rows if c is not None],
            "waiting": [n for n, s, c in rows if c is None and s in ("queue", "waiting")],
            "helping": [n for n, s, c in rows if s == "helping"],
        }
