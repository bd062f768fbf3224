"""The answers of a new office (`mbk new office`, "Nytt kontor"): what each expects, its default, how it is read.

Pure functions: `parse_answer` reads one typed answer (the CLI's prompts and options and the
workshop's form all go through it) or raises AnswerError naming the field and what it expects,
in Swedish or English; `answers_from_texts` reads a whole set into `OfficeAnswers`. The models
made from them are `office_template`'s.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .errors import UserError
from .limits import MAX_CAPACITY, MAX_WEEKLY_VISITORS
from .schema import WEEKDAYS

__all__ = [
    "Route",
    "FIELDS",
    "EXPECTED",
    "DEFAULTS",
    "START_MIXES",
    "AnswerError",
    "ErrandAnswer",
    "OfficeAnswers",
    "parse_answer",
    "answers_from_texts",
    "format_answer",
]

class Route(str, Enum):
    """How an errand goes through the template's office: the route decides the steps it takes."""

    BOOKED = "booked"               # registers arrival, meets a caseworker from another unit
    QUESTION = "question"           # a short answer at the desk (tomorrow: on the kiosk screen)
    GUIDANCE = "guidance"           # the desk, and about 2 in 5 on to a citizen guide
    COMPUTER_HELP = "computer_help"  # a guide helps at a public computer
    OWN_COMPUTER = "own_computer"   # borrows a public computer and does it alone


#: The answers, in the order the prompts ask them.
FIELDS = ("name", "weekly_visitors", "opening_hours", "public_computers", "kiosks", "guides", "desk_staff",
          "languages", "errand_mix", "queue")

#: What each answer expects, said to the person typing it.
EXPECTED = {
    "name": {"sv": "ett namn på 1–60 tecken", "en": "a name of 1-60 characters"},
    "weekly_visitors": {"sv": f"ett heltal från 1 till {MAX_WEEKLY_VISITORS:,}".replace(",", " "),
                        "en": f"a whole number from 1 to {MAX_WEEKLY_VISITORS:,}"},
    "opening_hours": {"sv": "dagar och tider som 'mon-fri 09:00-16:00; wed 09:00-18:00'",
                      "en": "days and times like 'mon-fri 09:00-16:00; wed 09:00-18:00'"},
    "public_computers": {"sv": f"ett heltal från 1 till {MAX_CAPACITY}", "en": f"a whole number from 1 to {MAX_CAPACITY}"},
    "kiosks": {"sv": f"ett heltal från 1 till {MAX_CAPACITY}", "en": f"a whole number from 1 to {MAX_CAPACITY}"},
    "guides": {"sv": f"ett heltal från 1 till {MAX_CAPACITY}", "en": f"a whole number from 1 to {MAX_CAPACITY}"},
    "desk_staff": {"sv": f"ett heltal från 0 till {MAX_CAPACITY}", "en": f"a whole number from 0 to {MAX_CAPACITY}"},
    "languages": {"sv": "språkkoder med andelar som 'sv=0.55,ar=0.2,so=0.1,en=0.15' (eller bara 'sv,ar')",
                  "en": "language codes with shares like 'sv=0.55,ar=0.2,so=0.1,en=0.15' (or just 'sv,ar')"},
    "errand_mix": {"sv": "skarholmen, rinkeby eller ärenden med andelar och väg som "
                         "'bostad=0.3:guidance,lana_dator=0.7:own_computer' (vägar: " + ", ".join(r.value for r in Route) + ")",
                   "en": "skarholmen, rinkeby or errands with shares and route like "
                         "'housing=0.3:guidance,borrow=0.7:own_computer' (routes: " + ", ".join(r.value for r in Route) + ")"},
    "queue": {"sv": "ticket (kölapp) eller floorwalk", "en": "ticket or floorwalk"},
}

#: Every answer's default, as typed: Skärholmen's visitors, hours, languages and errands, with one more of
#: each staff and equipment than skarholmen-current so that its busiest hour keeps up (no load-check warning).
DEFAULTS = {
    "name": "",
    "weekly_visitors": "1473",
    "opening_hours": "mon-fri 09:00-16:00; wed 09:00-18:00; fri 09:00-15:00",
    "public_computers": "8",
    "kiosks": "3",
    "guides": "4",
    "desk_staff": "4",
    "languages": "sv=0.55,ar=0.2,so=0.1,en=0.15",
    "errand_mix": "skarholmen",
    "queue": "ticket",
}

@dataclass(frozen=True)
class _StartMix:
    """A library model whose errand mix a new office can start from, and each errand's route."""

    model: str
    routes: dict[str, Route]
    note: dict[str, str] = field(default_factory=dict)  # errand -> why the template routes it so


START_MIXES = {
    "skarholmen": _StartMix(
        "skarholmen-current",
        {"booked_meeting": Route.BOOKED, "area_info": Route.QUESTION, "preschool": Route.GUIDANCE,
         "financial_assistance": Route.GUIDANCE, "migration": Route.GUIDANCE, "housing": Route.GUIDANCE,
         "computer_support": Route.COMPUTER_HELP, "borrow_computer": Route.OWN_COMPUTER,
         "duty_lawyer": Route.GUIDANCE, "other": Route.GUIDANCE},
        {"duty_lawyer": "The template has no duty lawyer: these visitors are guided like other questions, all week."},
    ),
    "rinkeby": _StartMix(
        "rinkeby-2006",
        {"own_computer_use": Route.OWN_COMPUTER, "fax_copy": Route.QUESTION, "social_services": Route.GUIDANCE,
         "migration": Route.GUIDANCE, "housing": Route.GUIDANCE, "childcare": Route.GUIDANCE,
         "consumer": Route.GUIDANCE, "social_insurance": Route.GUIDANCE, "tax": Route.GUIDANCE,
         "work_education": Route.GUIDANCE, "computers_internet": Route.COMPUTER_HELP, "other": Route.GUIDANCE},
        {"fax_copy": "The template has no copier: the desk helps with fax and copying "
                     "(rinkeby-quality-award-2007.txt, Lokal: the guides at the desk help at computers, fax, copier)."},
    ),
}

#: How far typed shares may be from summing to 1 before they are refused (then they are scaled).
SHARE_TOLERANCE = 0.005
#: Characters of an office name (it becomes model names and ids).
MAX_NAME = 60


class AnswerError(UserError):
    """An answer that cannot be used: which field, what was expected, what was given."""

    def __init__(self, field_name: str, value: Any, detail: dict[str, str] | None = None):
        self.field, self.value, self.detail = field_name, value, detail or {}
        super().__init__(self.message("en"))

    def message(self, lang: str = "sv", name: str | None = None) -> str:
        """The error in the UI language: `field: expected ..., got '...'` (plus what is wrong, where known).

        `name` stands for the field's id where a form shows the field by its label.
        """
        got = "fick" if lang == "sv" else "got"
        expected = "väntade" if lang == "sv" else "expected"
        text = f"{name or self.field}: {expected} {EXPECTED[self.field][lang]}, {got} {_cut(self.value)!r}"
        if self.detail:
            text += f" ({self.detail.get(lang) or self.detail.get('en')})"
        return text


def _cut(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class ErrandAnswer:
    """One errand of a mix the office typed in: id, share and route."""

    id: str
    share: float
    route: Route


@dataclass(frozen=True)
class OfficeAnswers:
    """Everything the template asks, parsed and checked."""

    name: str
    weekly_visitors: int
    opening_hours: dict[str, tuple[str, str]]
    public_computers: int
    kiosks: int
    guides: int
    desk_staff: int
    languages: dict[str, float]
    errand_mix: str | tuple[ErrandAnswer, ...]
    queue: str

    def texts(self) -> dict[str, str]:
        """The answers as they would be typed: `answers_from_texts(a.texts())` gives `a` back."""
        return {f: format_answer(f, getattr(self, f)) for f in FIELDS}


# --- reading typed answers ---------------------------------------------------------------

_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2,3}$")


def _int(field_name: str, text: str, low: int, high: int = MAX_CAPACITY) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        raise AnswerError(field_name, text) from None
    if not low <= value <= high:
        raise AnswerError(field_name, text)
    return value


def _name(text: str) -> str:
    name = " ".join(str(text).split())
    if not name or len(name) > MAX_NAME or any(unicodedata.category(ch).startswith("C") for ch in name):
        raise AnswerError("name", text)
    return name


def _days(field_name: str, text: str, spec: str) -> list[str]:
    days: list[str] = []
    for part in spec.split(","):
        a, _, b = part.strip().partition("-")
        if a not in WEEKDAYS or (b and b not in WEEKDAYS):
            raise AnswerError(field_name, text, {"sv": f"okänd veckodag i {part.strip()!r}; "
                                                       f"veckodagar: {', '.join(WEEKDAYS)}",
                                                 "en": f"unknown weekday in {part.strip()!r}; "
                                                       f"weekdays: {', '.join(WEEKDAYS)}"})
        i, j = WEEKDAYS.index(a), WEEKDAYS.index(b or a)
        if j < i:
            raise AnswerError(field_name, text, {"sv": f"{part.strip()!r} går baklänges",
                                                 "en": f"{part.strip()!r} runs backwards"})
        days += WEEKDAYS[i:j + 1]
    return days


def _opening_hours(text: str) -> dict[str, tuple[str, str]]:
    """'mon-fri 09:00-16:00; wed 09:00-18:00': later parts override earlier ones for their days."""
    hours: dict[str, tuple[str, str]] = {}
    for part in (p.strip() for p in str(text).split(";")):
        if not part:
            continue
        bits = part.split()
        if len(bits) != 2 or bits[1].count("-") != 1:
            raise AnswerError("opening_hours", text)
        opens, closes = bits[1].split("-")
        if not (_CLOCK.match(opens) and _CLOCK.match(closes)) or opens >= closes:
            raise AnswerError("opening_hours", text, {"sv": f"{bits[1]!r} är inga tider där öppning kommer före stängning",
                                                      "en": f"{bits[1]!r} is not an opening time before a closing time"})
        for day in _days("opening_hours", text, bits[0]):
            hours[day] = (opens, closes)
    if not hours:
        raise AnswerError("opening_hours", text)
    return {d: hours[d] for d in WEEKDAYS if d in hours}


def _shares(field_name: str, text: str, items: list[tuple[str, str | None]]) -> list[float]:
    """Shares as typed (all given, or none: then equal), checked to sum to 1 and normalised."""
    given = [s for _, s in items if s is not None]
    if given and len(given) != len(items):
        raise AnswerError(field_name, text, {"sv": "ge en andel till alla eller till ingen",
                                             "en": "give a share to all or to none"})
    if not given:
        return [1 / len(items)] * len(items)
    try:
        shares = [float(s) for s in given]
    except ValueError:
        raise AnswerError(field_name, text) from None
    if any(not math.isfinite(s) or s <= 0 or s > 1 for s in shares):
        raise AnswerError(field_name, text, {"sv": "andelar ligger mellan 0 och 1", "en": "shares lie between 0 and 1"})
    total = sum(shares)
    if abs(total - 1) > SHARE_TOLERANCE:
        raise AnswerError(field_name, text, {"sv": f"andelarna summerar till {total:.3g}, inte 1",
                                             "en": f"the shares add up to {total:.3g}, not 1"})
    return [s / total for s in shares]


def _pairs(field_name: str, text: str) -> list[tuple[str, str | None]]:
    out = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        key, eq, value = part.partition("=")
        out.append((key.strip().lower(), value.strip() if eq else None))
    if not out:
        raise AnswerError(field_name, text)
    keys = [k for k, _ in out]
    dup = next((k for k in keys if keys.count(k) > 1), None)
    if dup:
        raise AnswerError(field_name, text, {"sv": f"{dup!r} står två gånger", "en": f"{dup!r} is given twice"})
    return out


def _languages(text: str) -> dict[str, float]:
    pairs = _pairs("languages", text)
    bad = next((k for k, _ in pairs if not _LANG.match(k)), None)
    if bad is not None:
        raise AnswerError("languages", text, {"sv": f"{bad!r} är ingen språkkod (två eller tre små bokstäver)",
                                              "en": f"{bad!r} is not a language code (two or three small letters)"})
    return dict(zip([k for k, _ in pairs], _shares("languages", text, pairs)))


def _errand_mix(text: str) -> str | tuple[ErrandAnswer, ...]:
    key = str(text).strip().lower()
    key = {"skärholmen": "skarholmen"}.get(key, key)
    if key in START_MIXES:
        return key
    items = []
    for errand, value in _pairs("errand_mix", text):
        share, _, route = (value or "").partition(":")
        route = route.strip() or (errand if errand in {r.value for r in Route} else "")
        if not _IDENT.match(errand) or len(errand) > 64:
            raise AnswerError("errand_mix", text, {"sv": f"{errand!r} är inget id (små bokstäver, siffror och _)",
                                                   "en": f"{errand!r} is no id (small letters, digits and _)"})
        if route not in {r.value for r in Route}:
            raise AnswerError("errand_mix", text, {"sv": f"{errand!r} saknar en känd väg", "en": f"{errand!r} has no known route"})
        items.append((errand, share.strip() or None, Route(route)))
    shares = _shares("errand_mix", text, [(e, s) for e, s, _ in items])
    return tuple(ErrandAnswer(e, s, r) for (e, _, r), s in zip(items, shares))


def _queue(text: str) -> str:
    key = str(text).strip().lower()
    key = {"kölapp": "ticket", "kolapp": "ticket", "nummerlapp": "ticket"}.get(key, key)
    if key not in ("ticket", "floorwalk"):
        raise AnswerError("queue", text)
    return key


_PARSERS = {
    "name": _name,
    "weekly_visitors": lambda t: _int("weekly_visitors", t, 1, MAX_WEEKLY_VISITORS),
    "opening_hours": _opening_hours,
    "public_computers": lambda t: _int("public_computers", t, 1),
    "kiosks": lambda t: _int("kiosks", t, 1),
    "guides": lambda t: _int("guides", t, 1),
    "desk_staff": lambda t: _int("desk_staff", t, 0),
    "languages": _languages,
    "errand_mix": _errand_mix,
    "queue": _queue,
}


def parse_answer(field_name: str, text: str) -> Any:
    """One typed answer read into its value, or AnswerError naming the field and what it expects."""
    if field_name not in _PARSERS:
        raise UserError(f"unknown answer {field_name!r}; expected one of: {', '.join(FIELDS)}")
    return _PARSERS[field_name](text)


def answers_from_texts(texts: dict[str, str]) -> OfficeAnswers:
    """Every answer read from its text; a missing one takes its default (the name has none)."""
    unknown = set(texts) - set(FIELDS)
    if unknown:
        raise UserError(f"unknown answers {', '.join(sorted(unknown))}; expected: {', '.join(FIELDS)}")
    values = {f: parse_answer(f, texts.get(f, DEFAULTS[f]) if texts.get(f) is not None else DEFAULTS[f])
              for f in FIELDS}
    return OfficeAnswers(**values)


def format_answer(field_name: str, value: Any) -> str:
    """A parsed value typed back as text."""
    if field_name == "opening_hours":
        return "; ".join(f"{d} {o}-{c}" for d, (o, c) in value.items())
    if field_name == "languages":
        return ",".join(f"{k}={round(v, 4):g}" for k, v in value.items())
    if field_name == "errand_mix" and not isinstance(value, str):
        return ",".join(f"{e.id}={round(e.share, 4):g}:{e.route.value}" for e in value)
    return str(value)
