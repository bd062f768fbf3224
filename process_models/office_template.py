"""A new office from a template: the office's answers turned into today's model and a kiosk variant.

Pure functions, no prompts: `build_office` makes the two models from `OfficeAnswers` (read by
`office_answers`), checked like `mbk validate`; `office_yaml` writes one with its answers in a
header. Every figure the template puts in a model carries a `source`: the office's own answer
as an assumption, or the library model and seed document it was taken from.
"""

from __future__ import annotations

import math
import re
import unicodedata

import yaml

from .io import load_model, model_to_data, validate_data
from .office_answers import (DEFAULTS, FIELDS, START_MIXES, AnswerError, ErrandAnswer, OfficeAnswers, Route,
                             answers_from_texts, format_answer, parse_answer)
from .schema import ProcessModel

__all__ = [
    "Route",
    "FIELDS",
    "START_MIXES",
    "DEFAULTS",
    "AnswerError",
    "OfficeAnswers",
    "ErrandAnswer",
    "parse_answer",
    "answers_from_texts",
    "format_answer",
    "build_office",
    "office_yaml",
    "office_slug",
]

_SKARHOLMEN = {"doc": "skarholmen-prestudy-application.txt", "section": "Nuläge"}


#: Language names for segment labels; other ISO 639 codes are shown as the code.
LANGUAGE_NAMES = {
    "sv": ("svenska", "Swedish"), "en": ("engelska", "English"), "ar": ("arabiska", "Arabic"),
    "so": ("somaliska", "Somali"), "fa": ("persiska", "Persian"), "ti": ("tigrinja", "Tigrinya"),
    "tr": ("turkiska", "Turkish"), "fi": ("finska", "Finnish"), "pl": ("polska", "Polish"),
    "uk": ("ukrainska", "Ukrainian"), "ru": ("ryska", "Russian"), "es": ("spanska", "Spanish"),
    "ku": ("kurdiska", "Kurdish"), "bs": ("bosniska", "Bosnian"), "sr": ("serbiska", "Serbian"),
    "am": ("amharinja", "Amharic"), "dar": ("dari", "Dari"), "prs": ("dari", "Dari"),
}

#: Skärholmen's arrival weight per clock hour (skarholmen-current); other hours take the nearest one's.
SKARHOLMEN_HOURLY = {9: 0.8, 10: 1.2, 11: 1.3, 12: 1.0, 13: 1.3, 14: 1.2, 15: 0.9, 16: 0.6, 17: 0.4}
#: Share of guidance errands the desk sends on to a guide: 20,270 guide errands of 76,580 visits.
GUIDE_SHARE = 0.42
#: Minutes at a public computer per visitor of a route, today and with the kiosk (the template's flows):
#: today half of the guide errands are done at a computer (14 min) and borrowing takes 36 min; with the
#: kiosk, who does not manage on the screen starts at a computer (15 min), 7 in 10 of them get a guide
#: there (12 min), and borrowing takes 32 min.
COMPUTER_MINUTES_TODAY = {Route.GUIDANCE: GUIDE_SHARE * 0.5 * 14, Route.COMPUTER_HELP: 0.5 * 14,
                          Route.OWN_COMPUTER: 36}
COMPUTER_MINUTES_FUTURE = {Route.GUIDANCE: (1 - 0.35) * (15 + 0.7 * 12), Route.COMPUTER_HELP: 15 + 0.7 * 12,
                           Route.OWN_COMPUTER: 32}
#: Share of women among every segment's visitors: no seed counts visitors by gender, so an even split that the
#: office replaces once the kiosk's survey has asked (as the Skärholmen models assume).
WOMEN_SHARE = 0.5
_WOMEN_SOURCE = {"assumption": "The template gives no visitors by gender (no seed counts them); an even split is an "
                               "assumption for the office to replace with what the kiosk's survey measures."}
#: Caseworkers are kept about this busy over the week (Skärholmen's six are, by the load check).
CASEWORKER_UTILISATION = 0.60
#: Training hours per guide in the new way of working (skarholmen-kiosk: two days each).
TRAINING_HOURS_PER_GUIDE = 16

_GIVEN = "Given by the office when the model was made from the template (mbk new office)"
_WAGE_NOTE = ("12 months over 1,700 hours at work a year (after holidays and absence); on-costs 40 % (employer's "
              "contributions 31.42 % plus occupational pension and insurances, about what SKR's PO-pålägg for "
              "municipalities comes to); 2024 prices, as in the library models.")


# --- building the models -------------------------------------------------------------------

def office_slug(name: str) -> str:
    """'Skärholmen Syd' -> 'skarholmen-syd': the stem of the models' ids and file names."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-")
    return slug if slug[:1].isalpha() else f"office-{slug}".strip("-")


def _label(sv: str, en: str) -> dict:
    return {"sv": sv, "en": en}


def _given(what: str) -> dict:
    return {"assumption": f"{_GIVEN}: {what}."}


def _errands(a: OfficeAnswers) -> list[tuple[dict, Route]]:
    """The errands as model data, each with its route."""
    if isinstance(a.errand_mix, str):
        start = START_MIXES[a.errand_mix]
        out = []
        for e in load_model(start.model).errands:
            data = e.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"arrival_hours", "booked"})
            route = start.routes[e.id]
            if route is Route.BOOKED:
                data["booked"] = True
            if e.id in start.note:
                data["source"] = {**data.get("source", {}), "assumption": start.note[e.id]}
            data.setdefault("source", {"assumption": f"Share as in {start.model}."})
            out.append((data, route))
    else:
        out = [({"id": e.id, "label": _label(e.id.replace("_", " "), e.id.replace("_", " ")), "share": e.share,
                 **({"booked": True} if e.route is Route.BOOKED else {}),
                 "source": _given(f"{e.id} is {round(e.share * 100, 2):g} % of the visitors, routed as {e.route.value}")},
                e.route) for e in a.errand_mix]
    _with_rounded_shares([d for d, _ in out])
    return out


def _rounded(shares: list[float]) -> list[float]:
    """Shares to four decimals, the last one taking the rest so they still sum to 1."""
    out = [round(x, 4) for x in shares]
    out[-1] = round(1 - sum(out[:-1]), 6)
    return out


def _with_rounded_shares(items: list[dict]) -> list[dict]:
    for d, share in zip(items, _rounded([d["share"] for d in items])):
        d["share"] = share
    return items


def _segments(a: OfficeAnswers) -> list[dict]:
    items = []
    for code, share in a.languages.items():
        sv, en = LANGUAGE_NAMES.get(code, (code, code))
        swedish = "high" if code == "sv" else "low"
        items.append({"id": f"lang_{code}", "label": _label(f"Talar {sv}", f"Speaks {en}"), "share": share,
                       "swedish": swedish, "digital": "medium", "language": code,
                       "gender": {"women_share": WOMEN_SHARE, "source": dict(_WOMEN_SOURCE)},
                       "source": _given(f"{round(share * 100, 2):g} % of the visitors speak {en}; "
                                        f"Swedish skills {swedish} and digital skills medium are the template's guess")})
    return _with_rounded_shares(items)


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)


def _demand(a: OfficeAnswers) -> dict:
    hours = sorted({h for o, c in a.opening_hours.values() for h in range(_minutes(o) // 60, math.ceil(_minutes(c) / 60))})
    weight = {h: SKARHOLMEN_HOURLY[min(SKARHOLMEN_HOURLY, key=lambda k: (abs(k - h), k))] for h in hours}
    # a day's share is the arrival weight of its open minutes: a long Wednesday gets its evening's few visitors
    day_weight = {d: sum(weight[h] * max(0, min(_minutes(c), 60 * h + 60) - max(_minutes(o), 60 * h)) / 60 for h in hours)
                  for d, (o, c) in a.opening_hours.items()}
    total = sum(day_weight.values())
    weekday = _rounded([w / total for w in day_weight.values()])
    return {
        "weekly_visitors": a.weekly_visitors,
        "weekday_profile": dict(zip(day_weight, weekday)),
        "hourly_profile": weight,
        "source": {"assumption": f"{_GIVEN}: {a.weekly_visitors:,} visitors a week. Hours weighted as Skärholmen's "
                                 "(skarholmen-current; an hour outside 9-18 as its nearest), each day by the weight "
                                 "of its open hours."},
    }


def _opening(a: OfficeAnswers) -> dict:
    return {d: {"open": o, "close": c} for d, (o, c) in a.opening_hours.items()}


def _staff_cost(wage: int, who: str, month: str) -> dict:
    return {"hourly_wage": wage, "on_costs": 0.40,
            "source": {"assumption": f"{who} earns about {month} SEK a month; {_WAGE_NOTE}"}}


def _computer_minutes(errands: list[tuple[dict, Route]], per_route: dict[Route, float]) -> float:
    return sum(d["share"] * per_route.get(r, 0.0) for d, r in errands)


def _future_computers(a: OfficeAnswers, errands: list[tuple[dict, Route]]) -> int:
    """Today's computers times the computer time the kiosk's flow asks for against today's (the defaults: 8 -> 15).

    Who does not manage at the kiosk registers the errand and starts at a public computer, so the
    kiosk office needs more computers or tablets, as the brief foresees.
    """
    today = _computer_minutes(errands, COMPUTER_MINUTES_TODAY)
    future = _computer_minutes(errands, COMPUTER_MINUTES_FUTURE)
    return max(a.public_computers, math.ceil(a.public_computers * future / today)) if today else a.public_computers


def _caseworkers(a: OfficeAnswers, booked_share: float) -> int:
    """Enough caseworkers to keep them about 60 % busy with the booked meetings (Skärholmen: six)."""
    open_minutes = sum(_minutes(c) - _minutes(o) for o, c in a.opening_hours.values())
    offered = a.weekly_visitors * booked_share * 35 / open_minutes  # meetings of 15-60 minutes, mode 30
    return max(1, math.ceil(offered / CASEWORKER_UTILISATION))


class _Blueprint:
    """Steps and flows collected while a model is built, so that no step is left unreachable."""

    def __init__(self) -> None:
        self.steps: list[dict] = []
        self.flows: list[dict] = []

    def step(self, id: str, sv: str, en: str, lane: str, kind: str, **extra) -> str:
        if all(s["id"] != id for s in self.steps):
            self.steps.append({"id": id, "label": _label(sv, en), "lane": lane, "kind": kind, **extra})
        return id

    def flow(self, a: str, b: str, **extra) -> None:
        self.flows.append({"from": a, "to": b, **extra})


def _dist(kind: str, source: str, **params) -> dict:
    return {"kind": kind, **params, "source": {"assumption": source}}


_AS_TODAY = "As in skarholmen-current, where the durations reproduce the brief's waits and 390 guide errands a week"
_AS_KIOSK = "As in skarholmen-kiosk (the brief's Skärholmen 2.0)"


def _by_route(errands: list[tuple[dict, Route]]) -> dict[Route, list[str]]:
    out: dict[Route, list[str]] = {}
    for data, route in errands:
        out.setdefault(route, []).append(data["id"])
    return out


def _current(a: OfficeAnswers, slug: str, errands: list[tuple[dict, Route]]) -> dict:
    routes = _by_route(errands)
    bp = _Blueprint()
    desk_pool = "info_desk" if a.desk_staff else "guides"
    desk_lane = "info_desk" if a.desk_staff else "guide"
    bp.step("arrive", "Kommer in", "Arrives", "visitor", "start")
    first = "wait_desk"
    if a.queue == "ticket":
        bp.step("take_ticket", "Tar kölapp", "Takes a queue ticket", "systems", "task",
                duration=_dist("fixed", _AS_TODAY, value=0.5))
        bp.flow("arrive", "take_ticket")
        bp.flow("take_ticket", first)
    else:
        bp.flow("arrive", first)
    bp.step(first, "Väntar på att bli mottagen", "Waits to be received", "visitor", "queue",
            patience=_dist("exponential", "As in skarholmen-current: visitors give up after an hour on average", mean=60))
    bp.step("desk_triage", "Tas emot", "Is received", desk_lane, "task", requests=[{"pool": desk_pool}],
            discipline="priority", duration=_dist("triangular", _AS_TODAY, low=0.5, mode=1.5, high=4))
    bp.step("desk_route", "Vart ska besökaren?", "Where does the visitor go?", desk_lane, "decision")
    bp.flow(first, "desk_triage")
    bp.flow("desk_triage", "desk_route")
    leave = bp.step("leave", "Går därifrån", "Leaves", "visitor", "end", outcome="served")
    answer = lambda: bp.step("desk_answer", "Svar direkt", "Answered at once", desk_lane, "task",  # noqa: E731
                             requests=[{"pool": desk_pool}],
                             duration=_dist("triangular", _AS_TODAY, low=1, mode=3, high=8))
    guide = lambda: bp.step("wait_guide", "Väntar på samhällsvägledare", "Waits for a citizen guide", "visitor",  # noqa: E731
                            "queue", patience=_dist("exponential", "As in skarholmen-current: a guide's ticket is kept "
                                                                   "longer than the desk's", mean=75))
    if Route.BOOKED in routes:
        bp.flow("desk_route", "wait_caseworker", when={"errands": routes[Route.BOOKED]})
        bp.step("wait_caseworker", "Väntar på handläggaren", "Waits for the caseworker", "visitor", "queue")
        bp.step("caseworker_meeting", "Möte med handläggare", "Meeting with the caseworker", "caseworker", "task",
                requests=[{"pool": "caseworkers"}], discipline="priority",
                duration=_dist("triangular", _AS_TODAY, low=15, mode=30, high=60))
        bp.flow("wait_caseworker", "caseworker_meeting")
        bp.flow("caseworker_meeting", leave)
    if Route.QUESTION in routes:
        bp.flow("desk_route", answer(), when={"errands": routes[Route.QUESTION]})
    if Route.GUIDANCE in routes:
        bp.flow("desk_route", answer(), probability=round(1 - GUIDE_SHARE, 2), when={"errands": routes[Route.GUIDANCE]},
                source={"assumption": "As in skarholmen-current: the rest of the guidance errands are answered at once."})
        bp.flow("desk_route", guide(), probability=GUIDE_SHARE, when={"errands": routes[Route.GUIDANCE]},
                source={**_SKARHOLMEN, "quote": "samhällsvägledarna hanterade totalt 20 270 ärenden",
                        "assumption": "The share Skärholmen's desk sends on to a guide."})
    if Route.COMPUTER_HELP in routes:
        bp.flow("desk_route", guide(), when={"errands": routes[Route.COMPUTER_HELP]})
    if any(s["id"] == "desk_answer" for s in bp.steps):
        bp.flow("desk_answer", leave)
    if any(s["id"] == "wait_guide" for s in bp.steps):
        bp.step("guide_session", "Vägledning", "Guidance", "guide", "task", requests=[{"pool": "guides"}],
                duration=_dist("lognormal", _AS_TODAY, mean=10, sd=6))
        bp.step("guide_at_computer", "Vägleder vid publik dator", "Guides at a public computer", "guide", "task",
                requests=[{"pool": "guides"}, {"pool": "public_computers"}],
                duration=_dist("lognormal", _AS_TODAY, mean=14, sd=7))
        bp.flow("wait_guide", "guide_session", probability=0.5,
                source={"assumption": "As in skarholmen-current: half the guidance is a talk without a computer."})
        bp.flow("wait_guide", "guide_at_computer", probability=0.5,
                source={"assumption": "As in skarholmen-current: half the guidance is done at a public computer."})
        bp.flow("guide_session", leave)
        bp.flow("guide_at_computer", leave)
    if Route.OWN_COMPUTER in routes:
        bp.flow("desk_route", "wait_computer", when={"errands": routes[Route.OWN_COMPUTER]})
        bp.step("wait_computer", "Väntar på en publik dator", "Waits for a public computer", "visitor", "queue",
                patience={"kind": "exponential", "mean": 45,
                          "source": {**_SKARHOLMEN, "quote": "besökare ofta får vänta på sin tur"}})
        bp.step("use_computer", "Använder publik dator", "Uses a public computer", "systems", "task",
                requests=[{"pool": "public_computers"}],
                duration=_dist("lognormal", "As in skarholmen-current: borrowed sessions last about half an hour",
                               mean=36, sd=18))
        bp.flow("wait_computer", "use_computer")
        bp.flow("use_computer", bp.step("leave_self_served", "Klarade det själv", "Managed on their own", "visitor",
                                        "end", outcome="self_served"))
    pools = []
    if a.desk_staff:
        pools.append({"id": "info_desk", "label": _label("Informationsdisk", "Information desk"), "kind": "staff",
                      "capacity": a.desk_staff, "cost": _staff_cost(219, "A member of the information-desk staff", "31,000"),
                      "source": _given(f"{a.desk_staff} at the information desk")})
    pools += _common_pools(a, errands, a.public_computers, f"{a.public_computers} public computers")
    lanes = [("visitor", "Besökaren", "Visitor", "visitor")]
    if a.desk_staff:
        lanes.append(("info_desk", "Informationsdisken", "Information desk", "frontstage"))
    lanes += [("guide", "Samhällsvägledare", "Citizen guide", "frontstage")]
    ticket = a.queue == "ticket"
    return _model(a, f"{slug}-current", "current", lanes, pools, bp, errands, {
        "sv": f"{a.name} idag – " + ("kölapp och informationsdisk" if ticket else "utan kölapp, på golvet"),
        "en": f"{a.name} today – " + ("queue ticket and information desk" if ticket else "no tickets, on the floor"),
    }, a.queue)


def _common_pools(a: OfficeAnswers, errands: list[tuple[dict, Route]], computers: int, computers_said: str) -> list[dict]:
    pools = [{"id": "guides", "label": _label("Samhällsvägledare", "Citizen guides"), "kind": "staff",
              "capacity": a.guides, "cost": _staff_cost(236, "A samhällsvägledare", "33,500"),
              "source": _given(f"{a.guides} citizen guides")},
             {"id": "public_computers", "label": _label("Publika datorer", "Public computers"), "kind": "equipment",
              "capacity": computers,
              "cost": {"per_unit_year": 6000, "source": {"assumption": "A leased public computer with screen, keyboard, "
                                                                       "support and licences: about 500 SEK a month; 2024 prices."}},
              "source": _given(computers_said) if computers == a.public_computers else {
                  "assumption": f"{_GIVEN}: {a.public_computers} public computers today; tomorrow {computers}, "
                                "today's number times the computer time the kiosk's flow asks for against today's "
                                "(more computers or tablets, as the brief foresees).",
                  **{k: v for k, v in _SKARHOLMEN.items() if k == "doc"}, "section": "Förändringar i verksamheten"}}]
    booked = sum(d["share"] for d, r in errands if r is Route.BOOKED)
    if booked:
        pools.append({"id": "caseworkers", "label": _label("Handläggare i huset", "Caseworkers in the building"),
                      "kind": "staff", "capacity": _caseworkers(a, booked),
                      "cost": {"hourly_wage": 0, "source": {"assumption": "Caseworkers belong to their own units and are "
                                                                          "paid from their budgets, not the office's: 0 here."}},
                      "source": {"assumption": "Enough caseworkers to keep them about 60 % busy with the booked "
                                               "meetings over the week, as Skärholmen's six are."}})
    return pools


def _model(a: OfficeAnswers, model_id: str, variant: str, lanes: list[tuple], pools: list[dict], bp: _Blueprint,
           errands: list[tuple[dict, Route]], name: dict, queue: str, costs: dict | None = None) -> dict:
    used = {s["lane"] for s in bp.steps}
    lanes = lanes + [("caseworker", "Handläggare", "Caseworker", "backstage")]
    if all(lane[0] != "systems" for lane in lanes):
        lanes.append(("systems", "Kölappar och publika datorer", "Tickets and public computers", "support"))
    return {
        "id": model_id,
        "name": name,
        "description": _label(f"Gjord med mallen för ett nytt medborgarkontor (mbk new office) för {a.name}.",
                              f"Made with the template for a new citizen office (mbk new office) for {a.name}."),
        "office": a.name,
        "variant": variant,
        "lanes": [{"id": i, "label": _label(sv, en), "kind": k} for i, sv, en, k in lanes if i in used],
        "pools": pools,
        "steps": bp.steps,
        "flows": bp.flows,
        "errands": [d for d, _ in errands],
        "segments": _segments(a),
        "opening_hours": _opening(a),
        "demand": _demand(a),
        "policy": {"queue": queue, "at_closing": "serve"},
        "costs": costs or {"weeks_per_year": 52, "source": {"assumption": "A year is 52 weeks like the simulated one."}},
    }


def _future(a: OfficeAnswers, slug: str, errands: list[tuple[dict, Route]]) -> dict:
    routes = _by_route(errands)
    bp = _Blueprint()
    kiosk = [{"pool": "kiosk"}]
    bp.step("arrive", "Kommer in", "Arrives", "visitor", "start")
    bp.step("kiosk_language", "Väljer språk på skärmen", "Chooses a language on the screen", "kiosk", "task",
            requests=kiosk, duration=_dist("fixed", _AS_KIOSK, value=0.3))
    bp.step("kiosk_purpose", "Vad vill du göra idag?", "What do you want to do today?", "kiosk", "decision")
    bp.flow("arrive", "kiosk_language")
    bp.flow("kiosk_language", "kiosk_purpose")
    leave = bp.step("leave", "Går därifrån", "Leaves", "visitor", "end", outcome="served")
    alone = lambda: bp.step("leave_self_served", "Klarade det själv", "Managed on their own", "visitor", "end",  # noqa: E731
                            outcome="self_served")
    floor = lambda: bp.step("guide_on_floor", "Vägledaren svarar på golvet", "The guide answers on the floor",  # noqa: E731
                            "guide", "task", requests=[{"pool": "guides"}],
                            duration=_dist("triangular", _AS_KIOSK, low=2, mode=5, high=15))

    def register() -> str:
        bp.step("kiosk_register_errand", "Registrerar ärendet", "Registers the errand", "kiosk", "task", requests=kiosk,
                duration=_dist("triangular", _AS_KIOSK, low=0.3, mode=0.6, high=1.5),
                source={"doc": "skarholmen-prestudy-application.txt", "section": "Förändringar i verksamheten",
                        "quote": "genom att de själva får registrera sitt ärende samt påbörja arbetet med det"})
        return "kiosk_register_errand"

    if Route.BOOKED in routes:
        bp.flow("kiosk_purpose", bp.step("kiosk_register_arrival", "Registrerar ankomst till bokad tid",
                                         "Registers arrival for a booked meeting", "kiosk", "task", requests=kiosk,
                                         duration=_dist("triangular", _AS_KIOSK, low=0.3, mode=0.5, high=1.5)),
                when={"errands": routes[Route.BOOKED]})
        bp.step("notify_caseworker", "Handläggaren får ett mejl", "The caseworker is e-mailed", "caseworker", "task",
                duration=_dist("fixed", _AS_KIOSK, value=0.1))
        bp.step("wait_caseworker", "Väntar på handläggaren", "Waits for the caseworker", "visitor", "queue")
        bp.step("caseworker_meeting", "Möte med handläggare", "Meeting with the caseworker", "caseworker", "task",
                requests=[{"pool": "caseworkers"}], discipline="priority",
                duration=_dist("triangular", _AS_KIOSK, low=15, mode=30, high=60))
        bp.flow("kiosk_register_arrival", "notify_caseworker")
        bp.flow("notify_caseworker", "wait_caseworker")
        bp.flow("wait_caseworker", "caseworker_meeting")
        bp.flow("caseworker_meeting", leave)
    if Route.QUESTION in routes:
        bp.flow("kiosk_purpose", bp.step(
            "kiosk_answer", "Hittar svaret på skärmen", "Finds the answer on the screen", "kiosk", "self_service",
            requests=kiosk, duration=_dist("triangular", _AS_KIOSK, low=0.5, mode=1.5, high=4),
            success={"default": 0.6, "source": {"assumption": "As skarholmen-kiosk's questions about places in the area: "
                                                              "most short questions are answered on the screen."}}),
            when={"errands": routes[Route.QUESTION]})
        bp.flow("kiosk_answer", alone(), outcome="success")
        bp.flow("kiosk_answer", floor(), outcome="failure")
    if Route.GUIDANCE in routes:
        bp.flow("kiosk_purpose", bp.step(
            "kiosk_instructions", "Läser instruktionen på skärmen", "Reads the instructions on the screen", "kiosk",
            "self_service", requests=kiosk, duration=_dist("triangular", _AS_KIOSK, low=1, mode=2.5, high=6),
            success={"default": 0.35, "source": {"assumption": "As skarholmen-kiosk: the share who manage with the "
                                                               "instructions alone; the brief's target is 40 % next time."}}),
            when={"errands": routes[Route.GUIDANCE]})
        bp.flow("kiosk_instructions", alone(), outcome="success")
        bp.flow("kiosk_instructions", register(), outcome="failure")
    if Route.COMPUTER_HELP in routes:
        bp.flow("kiosk_purpose", register(), when={"errands": routes[Route.COMPUTER_HELP]})
    if any(s["id"] == "kiosk_register_errand" for s in bp.steps):
        bp.flow("kiosk_register_errand", bp.step("wait_computer", "Väntar på en ledig dator", "Waits for a free computer",
                                                 "visitor", "queue", patience=_dist("exponential", _AS_KIOSK, mean=45)))
        bp.flow("wait_computer", bp.step(
            "start_at_computer", "Påbörjar ärendet vid publik dator", "Starts the errand at a public computer", "systems",
            "self_service", requests=[{"pool": "public_computers"}], duration=_dist("lognormal", _AS_KIOSK, mean=15, sd=8),
            success={"default": 0.3, "source": {"doc": "skarholmen-prestudy-application.txt",
                                                "section": "Förändringar i verksamheten",
                                                "assumption": "As skarholmen-kiosk: three in ten finish on their own."}}))
        bp.flow("start_at_computer", alone(), outcome="success")
        bp.flow("start_at_computer", bp.step(
            "guide_at_computer", "Vägledaren kommer till datorn", "The guide comes to the computer", "guide", "task",
            requests=[{"pool": "guides"}, {"pool": "public_computers"}],
            duration=_dist("lognormal", _AS_KIOSK, mean=12, sd=6)), outcome="failure")
        bp.flow("guide_at_computer", leave)
    if any(s["id"] == "guide_on_floor" for s in bp.steps):
        bp.flow("guide_on_floor", leave)
    if Route.OWN_COMPUTER in routes:
        bp.flow("kiosk_purpose", bp.step("use_computer", "Lånar en dator", "Borrows a computer", "systems", "task",
                                         requests=[{"pool": "public_computers"}],
                                         duration=_dist("lognormal", _AS_KIOSK, mean=32, sd=18)),
                when={"errands": routes[Route.OWN_COMPUTER]})
        bp.flow("use_computer", alone())
    computers = _future_computers(a, errands)
    pools = [{"id": "kiosk", "label": _label("Pekskärm i entrén", "Entrance touch screen"), "kind": "equipment",
              "capacity": a.kiosks,
              "cost": {"per_unit_year": 30000, "source": {"assumption": "A touch-screen kiosk: about 75,000 SEK over five "
                                                                        "years plus 15,000 a year for licence, content "
                                                                        "and service; 2024 prices."}},
              "source": {"doc": "skarholmen-prestudy-application.txt", "section": "Förändringar i verksamheten",
                         "quote": "i entrén kunna mötas av en touch-screenskärm",
                         "assumption": f"{_GIVEN}: {a.kiosks} kiosks."}}]
    pools += _common_pools(a, errands, computers, f"{computers} public computers")
    lanes = [("visitor", "Besökaren", "Visitor", "visitor"), ("kiosk", "Kiosken i entrén", "Entrance kiosk", "support"),
             ("guide", "Samhällsvägledare på golvet", "Citizen guide on the floor", "frontstage"),
             ("systems", "Publika datorer och e-tjänster", "Public computers and e-services", "support")]
    costs = {"weeks_per_year": 52, "source": {"assumption": "A year is 52 weeks like the simulated one."},
             "one_off": [
                 {"id": "kiosk_setup", "label": _label("Införande av kiosken", "Setting up the kiosk"), "kind": "equipment",
                  "amount": 250000, "source": {"assumption": "As skarholmen-kiosk: about 250 hours of a supplier at "
                                                             "1,000 SEK an hour."}},
                 {"id": "renovation", "label": _label("Ombyggnad av lokalen", "Rebuilding the room"), "kind": "renovation",
                  "amount": 200000, "source": {"assumption": "As skarholmen-kiosk: a small rebuild of one room."}},
                 {"id": "training", "label": _label("Utbildning av samhällsvägledarna", "Training the guides"),
                  "kind": "training", "hours": TRAINING_HOURS_PER_GUIDE * a.guides, "pool": "guides",
                  "source": {"assumption": f"As skarholmen-kiosk: two days ({TRAINING_HOURS_PER_GUIDE} hours) for each "
                                           f"of the {a.guides} guides, at their hourly cost."}},
             ]}
    return _model(a, f"{slug}-kiosk", "future", lanes, pools, bp, errands, {
        "sv": f"{a.name} 2.0 – kiosk i entrén och vägledare på golvet",
        "en": f"{a.name} 2.0 – entrance kiosk and guides on the floor",
    }, "floorwalk", costs)


def build_office(a: OfficeAnswers) -> tuple[ProcessModel, ProcessModel]:
    """Today's model and the kiosk variant, both checked like `mbk validate` (a ModelError if not)."""
    slug = office_slug(a.name)
    current = validate_data(_current(a, slug, _errands(a)), file=f"{slug}-current (template)")
    future = validate_data(_future(a, slug, _errands(a)), file=f"{slug}-kiosk (template)")
    return current, future


def office_yaml(model: ProcessModel, a: OfficeAnswers) -> str:
    """The model as YAML, with a header that says it came from the template and with which answers."""
    head = [f"# {model.name.en}", "# Made with `mbk new office` from these answers (every figure below carries a",
            "# source: the office's own answer as an assumption, or the library model it was taken from):"]
    head += [f"#   {f}: {t}" for f, t in a.texts().items()]
    body = yaml.safe_dump(model_to_data(model), sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n" + body
