"""The pydantic schema of a visitor process at a citizen office (medborgarkontor).

A model is a service blueprint: lanes (visitor, frontstage, backstage, support), steps in
those lanes, flows between steps with probabilities, the resource pools steps request,
the visitors' errands and segments, opening hours, demand, and workshop annotations.
Everything is data; the checks in `checks.py` go beyond types.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "SEED_DOCUMENTS",
    "WEEKDAYS",
    "Strict",
    "Text",
    "Source",
    "Label",
    "Fixed",
    "Exponential",
    "Triangular",
    "Lognormal",
    "Empirical",
    "Distribution",
    "Lane",
    "Request",
    "SuccessRate",
    "Step",
    "Skill",
    "RosterShift",
    "PoolCost",
    "OneOffCost",
    "ModelCosts",
    "Pool",
    "Condition",
    "Flow",
    "Errand",
    "GenderShare",
    "Segment",
    "OpeningHours",
    "Demand",
    "Policy",
    "Annotation",
    "ProcessModel",
]

#: The source documents in shared/seeds/ a `source` may cite.
SEED_DOCUMENTS = (
    "skarholmen-prestudy-application.txt",
    "spanga-tensta-quality-award-2017.txt",
    "rinkeby-quality-award-2007.txt",
    "stockholm-e-services-2007-2010.txt",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]

#: Characters no text of a model may hold: control characters but tab and line breaks, lone
#: surrogates and the two non-characters U+FFFE/U+FFFF. No person writes them, and the exports
#: cannot (XML, Word and Excel refuse them); they come from `!!binary` values or "\\0" escapes.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _plain_text(value: str) -> str:
    bad = _NOT_TEXT.search(value)
    if bad:
        raise PydanticCustomError("text_character", "character {code} at position {position} cannot be in a text; expected plain text",
                                  {"code": f"U+{ord(bad.group()):04X}", "position": bad.start() + 1})
    return value


#: A text a person reads (a label, a source, a note): any characters but those of `_NOT_TEXT`.
Text = Annotated[str, AfterValidator(_plain_text)]


class Strict(BaseModel):
    """Base for every schema class: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Source(Strict):
    """Where a figure comes from: a seed document and its section, or a stated assumption."""

    doc: Literal[
        "skarholmen-prestudy-application.txt",
        "spanga-tensta-quality-award-2017.txt",
        "rinkeby-quality-award-2007.txt",
        "stockholm-e-services-2007-2010.txt",
    ] | None = None
    section: Text | None = None
    quote: Text | None = None
    assumption: Text | None = None

    @model_validator(mode="after")
    def _doc_or_assumption(self) -> "Source":
        if self.doc is None and self.assumption is None:
            raise ValueError("a source needs `doc` and `section`, or an `assumption` that says why")
        if self.doc is not None and not self.section:
            raise ValueError("a source that names a `doc` must also name its `section`")
        return self


class Label(Strict):
    """A text in Swedish (the reference language) and English."""

    sv: Text = Field(min_length=1)
    en: Text = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


# --- duration distributions (minutes) -------------------------------------------------

Positive = Annotated[float, Field(gt=0)]


class Fixed(Strict):
    kind: Literal["fixed"]
    value: Positive
    source: Source | None = None

    def mean(self) -> float:
        return self.value


class Exponential(Strict):
    kind: Literal["exponential"]
    mean_minutes: Positive = Field(alias="mean")
    source: Source | None = None

    def mean(self) -> float:
        return self.mean_minutes


class Triangular(Strict):
    kind: Literal["triangular"]
    low: Positive
    mode: Positive
    high: Positive
    source: Source | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Triangular":
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"expected low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self

    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Lognormal(Strict):
    """Lognormal given by the mean and standard deviation of the duration itself."""

    kind: Literal["lognormal"]
    mean_minutes: Positive = Field(alias="mean")
    sd: Positive
    source: Source | None = None

    def mean(self) -> float:
        return self.mean_minutes


class Empirical(Strict):
    """Observed durations, drawn with equal weight unless `weights` are given."""

    kind: Literal["empirical"]
    values: list[Positive] = Field(min_length=1)
    weights: list[Annotated[float, Field(ge=0)]] | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> "Empirical":
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"expected one weight per value ({len(self.values)}), got {len(self.weights)}"
                )
            if sum(self.weights) <= 0:
                raise ValueError("expected weights with a positive sum")
        return self

    def mean(self) -> float:
        if self.weights is None:
            return sum(self.values) / len(self.values)
        return sum(v * w for v, w in zip(self.values, self.weights)) / sum(self.weights)


Distribution = Annotated[
    Union[Fixed, Exponential, Triangular, Lognormal, Empirical], Field(discriminator="kind")
]


# --- blueprint structure ----------------------------------------------------------------


class Lane(Strict):
    """A swimlane of the service blueprint."""

    id: Ident
    label: Label
    kind: Literal["visitor", "frontstage", "backstage", "support"]


class Request(Strict):
    """A step holds `count` units of a pool while it runs."""

    pool: Ident
    count: int = Field(default=1, ge=1)


class SuccessRate(Strict):
    """Chance that a visitor finishes a self-service step on their own, by segment."""

    default: float = Field(ge=0, le=1)
    by_segment: dict[Ident, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    source: Source | None = None

    def for_segment(self, segment: str) -> float:
        return self.by_segment.get(segment, self.default)


StepKind = Literal["start", "end", "task", "queue", "decision", "self_service"]


class Step(Strict):
    """One step of the visitor's journey, in one lane."""

    id: Ident
    label: Label
    lane: Ident
    kind: StepKind
    duration: Distribution | None = None
    requests: list[Request] = Field(default_factory=list)
    discipline: Literal["fifo", "priority"] = "fifo"
    patience: Distribution | None = None
    balk_at: int | None = Field(default=None, ge=1, description="queue length at which visitors turn away")
    success: SuccessRate | None = None
    outcome: Literal["served", "self_served", "referred", "left"] | None = None
    notes: Label | None = None
    source: Source | None = None


class Skill(Strict):
    """`count` members of a staff pool speak these languages and know these errand areas."""

    count: int = Field(ge=1)
    languages: list[str] = Field(default_factory=list)
    areas: list[Ident] = Field(default_factory=list)


class RosterShift(Strict):
    """From `start` to `end` on a weekday, the pool has `capacity` units."""

    start: Clock
    end: Clock
    capacity: int = Field(ge=0)


# --- costs (optional: a model without them simulates as before) -------------------------

Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class PoolCost(Strict):
    """What a pool costs: staff per staffed hour (wage plus on-costs), equipment and rooms per unit and year.

    `on_costs` are the employer's contributions, pensions and insurances as a share of the
    wage (personalomkostnader). `per_unit_year` is leasing, or the purchase price spread
    over the unit's life, plus its support and licences.
    """

    hourly_wage: Money | None = None
    on_costs: float = Field(default=0.0, ge=0, le=2)
    per_unit_year: Money | None = None
    source: Source

    @model_validator(mode="after")
    def _one_basis(self) -> "PoolCost":
        if (self.hourly_wage is None) == (self.per_unit_year is None):
            raise ValueError("a cost needs `hourly_wage` (staff) or `per_unit_year` (equipment, rooms), not both")
        if self.on_costs and self.hourly_wage is None:
            raise ValueError("`on_costs` apply to an `hourly_wage`; equipment has none")
        return self

    def per_hour(self) -> float:
        """SEK per staffed hour with on-costs (0 for equipment)."""
        return (self.hourly_wage or 0.0) * (1 + self.on_costs)


class OneOffCost(Strict):
    """A one-off cost of making the change: an `amount` in SEK, or staff `hours` at a pool's hourly cost."""

    id: Ident
    label: Label
    kind: Literal["process", "procurement", "equipment", "renovation", "training", "other"]
    amount: Money | None = None
    hours: Money | None = None
    pool: Ident | None = None
    source: Source

    @model_validator(mode="after")
    def _amount_or_hours(self) -> "OneOffCost":
        if self.amount is not None and (self.hours is not None or self.pool is not None):
            raise ValueError("a one-off cost is an `amount`, or `hours` of a staff `pool`, not both")
        if self.amount is None and (self.hours is None or self.pool is None):
            raise ValueError("a one-off cost needs an `amount` in SEK, or `hours` and the staff `pool` they are paid at")
        return self


class ModelCosts(Strict):
    """The model's own cost figures: open weeks a year (to turn weeks into years) and one-off costs."""

    weeks_per_year: int = Field(default=52, ge=1, le=53)
    one_off: list[OneOffCost] = Field(default_factory=list)
    source: Source | None = None


class Pool(Strict):
    """A resource pool: staff, equipment (computers, kiosks, tables) or rooms."""

    id: Ident
    label: Label
    kind: Literal["staff", "equipment", "room"]
    capacity: int
    roster: dict[Weekday, list[RosterShift]] | None = None
    skills: list[Skill] = Field(default_factory=list)
    cost: PoolCost | None = None
    source: Source | None = None


class Condition(Strict):
    """A flow applies only to these errands and/or segments (empty = all)."""

    errands: list[Ident] = Field(default_factory=list)
    segments: list[Ident] = Field(default_factory=list)

    def matches(self, errand: str, segment: str) -> bool:
        return (not self.errands or errand in self.errands) and (
            not self.segments or segment in self.segments
        )


class Flow(Strict):
    """An edge of the journey: from one step to the next with a probability."""

    source_step: Ident = Field(alias="from")
    target_step: Ident = Field(alias="to")
    probability: float = Field(default=1.0, ge=0, le=1)
    when: Condition | None = None
    outcome: Literal["success", "failure"] | None = None
    source: Source | None = None

    def applies(self, errand: str, segment: str) -> bool:
        return self.when is None or self.when.matches(errand, segment)


class Errand(Strict):
    """An errand category (ärendeslag) with its share of visitors.

    `arrival_hours` confines its visitors to some hours of the week (the duty lawyer's
    Wednesday afternoon); its weekly share stays the same, the other errands fill the rest.
    """

    id: Ident
    label: Label
    share: float = Field(ge=0, le=1)
    booked: bool = False
    arrival_hours: "dict[Weekday, OpeningHours] | None" = None
    source: Source | None = None


class GenderShare(Strict):
    """The share of a segment's visitors who are women (the rest are men), with where it comes from.

    Optional: with it the simulated KPIs are split for women and men, as the brief counts
    its indicators ("kvinnor och män"); without it nothing changes.
    """

    women_share: float = Field(ge=0, le=1)
    source: Source


class Segment(Strict):
    """A visitor segment by Swedish and digital skills, with its share and language (and, optionally, gender)."""

    id: Ident
    label: Label
    share: float = Field(ge=0, le=1)
    swedish: Literal["low", "medium", "high"]
    digital: Literal["low", "medium", "high"]
    language: str = "sv"
    gender: GenderShare | None = None
    source: Source | None = None


class OpeningHours(Strict):
    open: Clock
    close: Clock

    @model_validator(mode="after")
    def _open_before_close(self) -> "OpeningHours":
        if self.open >= self.close:
            raise ValueError(f"expected open before close, got {self.open}-{self.close}")
        return self


class Demand(Strict):
    """Weekly visitor volume and how arrivals spread over weekdays and hours."""

    weekly_visitors: int = Field(gt=0)
    weekly_range: tuple[int, int] | None = None
    weekday_profile: dict[Weekday, Annotated[float, Field(ge=0)]]
    hourly_profile: dict[Annotated[int, Field(ge=0, le=23)], Annotated[float, Field(ge=0)]]
    source: Source | None = None


class Policy(Strict):
    """How the office works: ticket queue or floorwalk, and what happens at closing."""

    queue: Literal["ticket", "floorwalk"] = "ticket"
    at_closing: Literal["serve", "send_home"] = "serve"


class Annotation(Strict):
    """A pain point, idea or question a workshop participant attached to a step."""

    id: Ident
    step: Ident
    kind: Literal["pain_point", "idea", "question"]
    text: Text = Field(min_length=1)
    author_role: Literal["visitor", "staff", "facilitator"]
    votes: int = Field(default=0, ge=0)
    source: Source | None = None


class ProcessModel(Strict):
    """A whole visitor process of one office, today's or a future variant."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
    name: Label
    description: Label | None = None
    office: Text
    variant: Literal["current", "future"]
    lanes: list[Lane] = Field(min_length=1)
    pools: list[Pool] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=2)
    flows: list[Flow] = Field(min_length=1)
    errands: list[Errand] = Field(min_length=1)
    segments: list[Segment] = Field(min_length=1)
    opening_hours: dict[Weekday, OpeningHours]
    demand: Demand
    policy: Policy = Field(default_factory=Policy)
    annotations: list[Annotation] = Field(default_factory=list)
    costs: ModelCosts | None = None

    @field_validator("opening_hours")
    @classmethod
    def _some_day_open(cls, v: dict) -> dict:
        if not v:
            raise ValueError("expected at least one weekday with opening hours")
        return v

    # Lookups used by checks, the simulation and the apps.
    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def pool(self, pool_id: str) -> Pool:
        return next(p for p in self.pools if p.id == pool_id)

    def outgoing(self, step_id: str) -> list[Flow]:
        return [f for f in self.flows if f.source_step == step_id]

    def starts(self) -> list[Step]:
        return [s for s in self.steps if s.kind == "start"]
