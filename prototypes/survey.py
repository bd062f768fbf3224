"""The kiosk's survey, stored as counts only, and read back with small figures suppressed.

The survey asks the brief's two indicators (learned something new; can handle the errand
alone next time) and, optionally, the visitor's gender, so that the indicators can be
reported for women and men as the brief counts them. Nothing of an answer is kept with the
visit: one row per office, day and gender answer holds how many answered and how many said
yes (`storage.survey_counts`). Every figure read back over fewer than `MIN_VISITORS`
visitors is suppressed (None), also where it could be worked out by subtraction.

`survey_summary` is the public reader (the benefits plan's "measured so far" reads it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select, update
from sqlalchemy.engine import Connection, Engine

from process_models.disclosure import MIN_VISITORS

from .storage import survey_counts

__all__ = [
    "WOMAN",
    "MAN",
    "OTHER",
    "DECLINED",
    "UNANSWERED",
    "GENDER_ANSWERS",
    "GENDERS",
    "MIN_VISITORS",
    "INDICATORS",
    "Indicator",
    "SurveySummary",
    "record_answer",
    "survey_summary",
]

# the gender question's answers, stored as these codes (Swedish, the reference language)
WOMAN = "kvinna"
MAN = "man"
OTHER = "annat"
DECLINED = "vill_inte_svara"  # "vill inte svara": an answer, unlike skipping the question
UNANSWERED = "obesvarad"  # the question was left out (it is optional)
#: what a visitor can pick, in the order shown
GENDER_ANSWERS = (WOMAN, MAN, OTHER, DECLINED)
#: every code a row can carry
GENDERS = GENDER_ANSWERS + (UNANSWERED,)
# MIN_VISITORS (5): one threshold for the survey, the simulation and every export (process_models/disclosure.py)
#: the two indicators and the brief's targets
INDICATORS = {"learned": 0.60, "can_alone": 0.40}
#: the groups the indicators are reported for: everyone, women, men
GROUPS = ("all", WOMAN, MAN)


def record_answer(
    conn: Connection, office: str, day: str, gender: str, learned: bool | None, can_alone: bool | None
) -> None:
    """Add one visitor's answers to the counts of their office, day and gender answer (in the caller's transaction)."""
    if gender not in GENDERS:
        raise ValueError(f"gender: expected one of {GENDERS}, got {gender!r}")
    add = {
        "answers": 1,
        "learned_answers": int(learned is not None),
        "learned_yes": int(bool(learned)),
        "can_alone_answers": int(can_alone is not None),
        "can_alone_yes": int(bool(can_alone)),
    }
    key = and_(survey_counts.c.office == office, survey_counts.c.day == day, survey_counts.c.gender == gender)
    done = conn.execute(
        update(survey_counts).where(key).values({name: survey_counts.c[name] + n for name, n in add.items()})
    ).rowcount
    if not done:
        conn.execute(survey_counts.insert().values(office=office, day=day, gender=gender, **add))


@dataclass(frozen=True)
class Indicator:
    """One indicator for one group: how many answered it, and the share who said yes (None: suppressed)."""

    answers: int | None
    share: float | None
    target: float


@dataclass(frozen=True)
class SurveySummary:
    """The survey over a period, with every figure over fewer than MIN_VISITORS visitors set to None.

    `respondents[gender]`: how many answered the survey with that gender answer (UNANSWERED:
    skipped the question); `total`: everyone who answered the survey. `indicators[group][name]`:
    group "all", WOMAN or MAN; name "learned" or "can_alone".
    """

    offices: tuple[str, ...]
    start: str | None
    end: str | None
    total: int | None
    respondents: dict[str, int | None]
    indicators: dict[str, dict[str, Indicator]] = field(default_factory=dict)
    min_visitors: int = MIN_VISITORS

    def as_dict(self) -> dict:
        """Plain data (for JSON or a table); suppressed figures are None."""
        return {
            "offices": list(self.offices), "start": self.start, "end": self.end, "total": self.total,
            "respondents": dict(self.respondents), "min_visitors": self.min_visitors,
            "indicators": {g: {k: vars(v) for k, v in ind.items()} for g, ind in self.indicators.items()},
        }


def _suppress(counts: dict[str, int], total: int) -> dict[str, int | None]:
    """Counts below MIN_VISITORS become None; more go until the hidden ones cannot be worked out as 1 to 4."""
    shown = {k: (v if v >= MIN_VISITORS else None) for k, v in counts.items()}
    if total < MIN_VISITORS:
        return dict.fromkeys(counts)
    hidden = lambda: sum(counts[k] for k, v in shown.items() if v is None)  # noqa: E731
    while 0 < hidden() < MIN_VISITORS:
        smallest = min((k for k, v in shown.items() if v is not None), key=lambda k: counts[k], default=None)
        if smallest is None:
            break
        shown[smallest] = None
    return shown


def _indicators(sums: dict[str, dict[str, int]]) -> dict[str, dict[str, Indicator]]:
    """Shares per group; a group with fewer than MIN_VISITORS answers, or one that would give away the rest, is None."""
    out: dict[str, dict[str, Indicator]] = {g: {} for g in GROUPS}
    for name, target in INDICATORS.items():
        n = {g: sums[g][f"{name}_answers"] for g in GROUPS}
        show = {g: n[g] >= MIN_VISITORS for g in GROUPS}
        # all minus women minus men is everyone else: if that rests on 1-4 visitors, hide the smaller group too
        rest = n["all"] - n[WOMAN] - n[MAN]
        if show["all"] and 0 < rest < MIN_VISITORS and show[WOMAN] and show[MAN]:
            show[min((WOMAN, MAN), key=lambda g: n[g])] = False
        # all minus one shown group is the other: hide it too when the other is hidden but not empty
        for g, other in ((WOMAN, MAN), (MAN, WOMAN)):
            if show["all"] and show[g] and not show[other] and 0 < n["all"] - n[g] < MIN_VISITORS:
                show[g] = False
        for g in GROUPS:
            yes = sums[g][f"{name}_yes"]
            out[g][name] = Indicator(n[g] if show[g] else None, yes / n[g] if show[g] else None, target)
    return out


def survey_summary(
    engine: Engine, office: str | list[str] | None = None, start: date | str | None = None, end: date | str | None = None
) -> SurveySummary:
    """The survey's counts per gender answer and the two indicators for everyone, women and men, suppressed below 5.

    Args:
        office: one office id, several, or None for every office in the database.
        start, end: first and last day (inclusive, YYYY-MM-DD or a date); None: open-ended.
    """
    start, end = (d.isoformat() if isinstance(d, date) else d for d in (start, end))
    offices = [office] if isinstance(office, str) else office
    query = select(
        survey_counts.c.gender,
        *(func.sum(survey_counts.c[c]).label(c) for c in
          ("answers", "learned_answers", "learned_yes", "can_alone_answers", "can_alone_yes")),
    ).group_by(survey_counts.c.gender)
    if offices is not None:
        query = query.where(survey_counts.c.office.in_(offices))
    if start:
        query = query.where(survey_counts.c.day >= start)
    if end:
        query = query.where(survey_counts.c.day <= end)
    with engine.connect() as conn:
        rows = {r["gender"]: {k: int(v or 0) for k, v in r.items() if k != "gender"} for r in conn.execute(query).mappings()}
        if offices is None:
            offices = sorted(conn.execute(select(survey_counts.c.office).distinct()).scalars())
    zero = dict.fromkeys(("answers", "learned_answers", "learned_yes", "can_alone_answers", "can_alone_yes"), 0)
    by_gender = {g: rows.get(g, zero) for g in GENDERS}
    everyone = {k: sum(by_gender[g][k] for g in GENDERS) for k in zero}
    total = everyone["answers"]
    sums = {"all": everyone, WOMAN: by_gender[WOMAN], MAN: by_gender[MAN]}
    return SurveySummary(
        offices=tuple(offices), start=start, end=end, total=total if total >= MIN_VISITORS else None,
        respondents=_suppress({g: by_gender[g]["answers"] for g in GENDERS}, total),
        indicators=_indicators(sums),
    )
