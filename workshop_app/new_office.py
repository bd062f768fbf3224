"""State of "Nytt kontor": the template's answers as typed, checked, and turned into two proposals of the session.

The same template as `mbk new office` (`process_models.office_template`); no layout here, so
tests fill it in and create the office without a browser.
"""

from __future__ import annotations

import param

from process_models.office_template import DEFAULTS, FIELDS, AnswerError, answers_from_texts, build_office, parse_answer
from process_models.schema import ProcessModel
from process_models.session import Variant

from .shared_session import SharedSession
from .texts import DEFAULT_LANG, LANGS, text

__all__ = ["NewOfficeState", "TEMPLATE_BASE", "PARAM_OF"]

#: What a variant made here was "forked from", as a session records it.
TEMPLATE_BASE = "template:new-office"
#: The state's parameter of each answer (every Parameterized has a `name` of its own).
PARAM_OF = {f: "office_name" if f == "name" else f for f in FIELDS}


class NewOfficeState(param.Parameterized):
    """The answers (text as typed, the CLI's defaults), the problems of the last try, the proposals made."""

    lang = param.Selector(default=DEFAULT_LANG, objects=list(LANGS))
    office_name = param.String(default="")
    weekly_visitors = param.String(default=DEFAULTS["weekly_visitors"])
    opening_hours = param.String(default=DEFAULTS["opening_hours"])
    public_computers = param.String(default=DEFAULTS["public_computers"])
    kiosks = param.String(default=DEFAULTS["kiosks"])
    guides = param.String(default=DEFAULTS["guides"])
    desk_staff = param.String(default=DEFAULTS["desk_staff"])
    languages = param.String(default=DEFAULTS["languages"])
    errand_mix = param.String(default=DEFAULTS["errand_mix"])
    queue = param.Selector(default=DEFAULTS["queue"], objects=["ticket", "floorwalk"])
    problems = param.Dict(default={}, doc="field -> what is wrong with its answer, by its label, in the UI language.")
    created = param.List(default=[], doc="Names of the proposals the last creation made (today's, the kiosk's).")

    def __init__(self, shared: SharedSession, **params):
        super().__init__(**params)
        self.shared = shared
        self._errors: dict[str, AnswerError] = {}

    def texts(self) -> dict[str, str]:
        return {f: getattr(self, PARAM_OF[f]) for f in FIELDS}

    @param.depends("lang", watch=True)
    def _relabel(self) -> None:
        self.problems = {f: e.message(self.lang, text(self.lang, f"no_f_{f}")) for f, e in self._errors.items()}

    def check(self) -> bool:
        """Read every answer; each bad one is named in `problems` with what was expected."""
        self._errors = {}
        for f, value in self.texts().items():
            try:
                parse_answer(f, value)
            except AnswerError as exc:
                self._errors[f] = exc
        self._relabel()
        return not self._errors

    def create(self) -> list[Variant]:
        """Build today's model and the kiosk variant and add both to the session; [] when an answer is wrong."""
        self.created = []
        if not self.check():
            return []
        answers = answers_from_texts(self.texts())
        made = [self.shared.fork_variant(m, TEMPLATE_BASE, self._free_name(m)) for m in build_office(answers)]
        self.created = [v.name for v in made]
        return made

    def _free_name(self, model: ProcessModel) -> str:
        """The model's name in the UI language, numbered when the session already has a proposal by that name."""
        taken = {v.name.casefold() for v in self.shared.variants()}
        base = model.name.get(self.lang)[:76]
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base} {n}", n + 1
        return name
