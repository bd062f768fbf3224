"""One kiosk screen's state: which screen, in which language, for which visit (no layout here).

Unit tests drive it without a browser; the web page only renders it and posts actions.
A kiosk session only ever knows its own visit id, so it cannot reach other visitors' data.
"""

from __future__ import annotations

import re

import param

from .office import Office, Registration, RequestError
from .survey import GENDER_ANSWERS, UNANSWERED

__all__ = ["KioskSession", "SCREENS", "ACTIONS", "ACTION_FIELDS", "APPOINTMENT_ID"]

SCREENS = (
    "language", "purpose", "categories", "booking", "instructions", "register", "computer", "guide",
    "hours", "arrived", "survey", "thanks",
)
ACTIONS = (
    "language", "choose", "categories", "back", "managed", "want_help", "code", "appointment", "phone",
    "finish", "survey", "skip", "textsize", "reset",
)
# the fields each action reads; any other field posted with it is a malformed request
ACTION_FIELDS: dict[str, frozenset[str]] = {
    **{action: frozenset() for action in ACTIONS},
    "language": frozenset({"value"}), "choose": frozenset({"value"}), "appointment": frozenset({"value"}),
    "code": frozenset({"code"}), "phone": frozenset({"phone"}), "survey": frozenset({"learned", "can_alone", "gender"}),
}
# an appointment id from today's list: ASCII digits only (str.isdigit also takes '²', '①' and
# Arabic-Indic digits), at most 9 so that it is always a valid database integer
APPOINTMENT_ID = re.compile(r"[0-9]{1,9}")


class KioskSession(param.Parameterized):
    """The state machine of one kiosk screen; each action calls the Office, then moves the screen."""

    screen = param.Selector(default="language", objects=list(SCREENS))
    language = param.String(default="sv")
    visit_id = param.String(default="")
    errand = param.String(default="")
    large_text = param.Boolean(default=False)
    notice = param.String(default="", doc="a key of the ui texts, shown once (e.g. a wrong code)")
    registration = param.Parameter(default=None)
    arrival_time = param.String(default="")
    phone_saved = param.Boolean(default=False)

    def __init__(self, office: Office, **params):
        super().__init__(**params)
        self.office = office

    # --- one entry point for the web layer --------------------------------
    def act(self, action: str, form: dict[str, str]) -> None:
        """Apply a posted action; RequestError (nothing changed) for a malformed one."""
        if action not in ACTIONS:
            raise RequestError(f"action: expected one of {list(ACTIONS)}, got {action!r}")
        extra = sorted(set(form) - ACTION_FIELDS[action])
        if extra:
            raise RequestError(f"{extra[0]}: not a field of action {action!r}; expected {sorted(ACTION_FIELDS[action])}")
        self.notice = ""
        getattr(self, f"_do_{action}")(form)

    @staticmethod
    def _field(form: dict, name: str) -> str:
        value = form.get(name)
        if value is None or value == "":
            raise RequestError(f"{name}: missing")
        return value

    def _need(self, *screens: str) -> None:
        if self.screen not in screens:
            raise RequestError(f"this action is not possible on the {self.screen!r} screen")

    # --- actions ------------------------------------------------------------
    def _do_language(self, form) -> None:
        code = self._field(form, "value")
        if code not in self.office.content.codes():
            raise RequestError(f"value: expected one of {self.office.content.codes()}, got {code!r}")
        if self.visit_id:
            self.office.change_language(self.visit_id, code)
        elif self.screen == "language":
            self.visit_id = self.office.start_visit(code)
            self.screen = "purpose"
        self.language = code

    def _do_textsize(self, form) -> None:
        self.large_text = not self.large_text

    def _do_categories(self, form) -> None:
        self._need("purpose")
        self.screen = "categories"

    def _do_back(self, form) -> None:
        self._need("categories")
        self.screen = "purpose"

    def _do_choose(self, form) -> None:
        self._need("purpose", "categories")
        errand = self._field(form, "value")
        choice = self.office.flow.choice(errand)
        if choice is None or (choice.group == "errand_help") != (self.screen == "categories"):
            raise RequestError(f"value: {errand!r} is not a choice on this screen")
        self.office.choose(self.visit_id, errand)
        self.errand = errand
        self._enter(choice.screen)

    def _enter(self, screen: str) -> None:
        """Show a step's screen; registering steps register right away (a check-in)."""
        if screen == "register":
            self.registration = self.office.register_errand(self.visit_id)
        elif screen == "computer":
            self.registration = self.office.borrow_computer(self.visit_id)
        elif screen == "guide":
            self.registration = self.office.ask_guide(self.visit_id)
        self.screen = screen

    def _do_managed(self, form) -> None:
        self._need("instructions")
        self.office.self_service_result(self.visit_id, managed=True)
        self.screen = "survey"

    def _do_want_help(self, form) -> None:
        self._need("instructions")
        nxt = self.office.self_service_result(self.visit_id, managed=False)
        self._enter(self.office.flow.screen_for(nxt) if nxt else "guide")

    def _do_code(self, form) -> None:
        self._need("booking")
        try:
            at = self.office.register_arrival(self.visit_id, code=self._field(form, "code"))
        except RequestError:
            self.notice = "booking_bad_code"
            return
        self.arrival_time, self.screen = at.strftime("%H:%M"), "arrived"

    def _do_appointment(self, form) -> None:
        self._need("booking")
        raw = self._field(form, "value")
        if not APPOINTMENT_ID.fullmatch(raw):
            raise RequestError(f"value: expected an appointment number (1 to 9 digits 0-9), got {raw!r}")
        at = self.office.register_arrival(self.visit_id, appointment_id=int(raw))
        self.arrival_time, self.screen = at.strftime("%H:%M"), "arrived"

    def _do_phone(self, form) -> None:
        self._need("register", "computer", "guide")
        try:
            self.office.set_phone(self.visit_id, self._field(form, "phone"))
        except RequestError:
            self.notice = "phone_bad"
            return
        self.phone_saved = True

    def _do_finish(self, form) -> None:
        self._need("register", "computer", "guide", "hours", "arrived", "instructions")
        if self.screen == "arrived":
            self.office.finish(self.visit_id)
            self.screen = "thanks"
        else:
            if self.screen in ("hours", "instructions"):
                self.office.finish(self.visit_id)
            self.screen = "survey"

    def _do_survey(self, form) -> None:
        self._need("survey")
        answers = {}
        for name in ("learned", "can_alone"):
            value = form.get(name, "")
            if value not in ("yes", "no", ""):
                raise RequestError(f"{name}: expected yes or no, got {value!r}")
            answers[name] = None if value == "" else value == "yes"
        gender = form.get("gender", "")
        if gender not in GENDER_ANSWERS + ("",):
            raise RequestError(f"gender: expected one of {list(GENDER_ANSWERS)} or nothing, got {gender!r}")
        self.office.answer_survey(self.visit_id, answers["learned"], answers["can_alone"], gender or UNANSWERED)
        self.office.finish(self.visit_id)
        self.screen = "thanks"

    def _do_skip(self, form) -> None:
        self._need("survey")
        self.office.finish(self.visit_id)
        self.screen = "thanks"

    def _do_reset(self, form) -> None:
        self.reset()

    def reset(self) -> None:
        """Start over (also on idle): the visit is closed and nothing of it stays on screen."""
        if self.visit_id:
            try:
                self.office.finish(self.visit_id)
            except RequestError:
                pass
        self.visit_id = self.errand = self.arrival_time = self.notice = ""
        self.registration = None
        self.phone_saved = self.large_text = False
        self.language = self.office.content.reference
        self.screen = "language"

    # --- derived values for the page --------------------------------------
    def summary(self) -> dict:
        """What the kiosk may show or acknowledge: this visit's own screen, number and computer."""
        reg: Registration | None = self.registration
        return {
            "screen": self.screen, "language": self.language, "errand": self.errand,
            "number": reg.number if reg else None, "computer": reg.computer if reg else None,
            "wait": [reg.wait_low, reg.wait_high] if reg and reg.computer is None and reg.wait_high else None,
            "arrival_time": self.arrival_time or None, "notice": self.notice or None,
        }
