"""A workshop session: participants, their notes on steps, dot votes, saved scenarios and results.

Written by the workshop app, read by the exports (requirements, report). It lives here,
beside the model schema, so both sides import it without importing each other.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from .json_file import read_json_model
from .errors import UserError
from .schema import Annotation, Strict

__all__ = [
    "SESSION_VERSION",
    "Timer",
    "Participant",
    "Note",
    "Vote",
    "SavedScenario",
    "Estimate",
    "ScenarioResult",
    "VariantEdit",
    "Variant",
    "Difference",
    "ComparedScenario",
    "ComparisonRecord",
    "SweepCell",
    "SweepRecord",
    "WorkshopSession",
    "load_session",
    "save_session",
    "session_annotations",
    "find_variant",
    "variant_document",
    "load_variant_model",
    "split_variant_ref",
]

SESSION_VERSION = 1
Role = Literal["visitor", "staff", "facilitator"]


class Participant(Strict):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=80)
    role: Role


class Note(Strict):
    """A pain point, idea or question a participant put on a step of a model."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    model: str
    step: str
    kind: Literal["pain_point", "idea", "question"]
    text: str = Field(min_length=1, max_length=2000)
    author: str
    author_role: Role
    created: datetime
    anonymous: bool = Field(default=False, description="shown without the author's name")
    edited: datetime | None = None


class Vote(Strict):
    """One dot of a participant's vote budget, placed on a note."""

    participant: str
    note: str


class SavedScenario(Strict):
    """A named scenario: a library model (or path) plus dotted-path overrides."""

    name: str = Field(min_length=1, max_length=80)
    model: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    description: str = ""


class Estimate(Strict):
    """A KPI's mean with its 95 % confidence interval over replications."""

    mean: float
    low: float
    high: float
    n: int = Field(ge=1)


class ScenarioResult(Strict):
    scenario: str
    replications: int = Field(ge=1)
    seed: int
    weeks: int = 1
    kpis: dict[str, Estimate]
    baseline: str | None = None


class Difference(Strict):
    """A scenario's KPI minus the baseline's, paired per replication, with its 95 % interval."""

    mean: float
    low: float
    high: float
    verdict: Literal["better", "worse", "same", ""] = ""


class ComparedScenario(Strict):
    """One scenario of a comparison: what was run, its KPIs, differences and per-step waits."""

    name: str
    label: dict[str, str] = Field(default_factory=dict, description="name shown, per language")
    model: str
    model_id: str = ""
    overrides: dict[str, Any] = Field(default_factory=dict)
    kpis: dict[str, Estimate]
    differences: dict[str, Difference] = Field(default_factory=dict)
    step_waits: dict[str, float] = Field(default_factory=dict, description="step id -> mean wait (min)")


class ComparisonRecord(Strict):
    """A finished comparison as the room saw it: scenarios, replications, seed, figures and chart data."""

    id: str = Field(pattern=r"^cmp_\d+$")
    created: datetime
    author: str = ""
    baseline: str
    replications: int = Field(ge=1)
    seed: int
    scenarios: list[ComparedScenario]
    charts: dict[str, Any] = Field(default_factory=dict, description="the charts' data, already aggregated")

    def scenario(self, name: str) -> ComparedScenario:
        return next(s for s in self.scenarios if s.name == name)


class SweepCell(Strict):
    """One combination of a sweep: its KPIs, or why the model could not be built."""

    x: int
    y: int
    kpis: dict[str, Estimate] = Field(default_factory=dict)
    problem: str = Field(default="", description="a UI text key when the cell could not be built")


class SweepRecord(Strict):
    """A finished sweep of two pools' capacities over one scenario."""

    id: str = Field(pattern=r"^swp_\d+$")
    created: datetime
    author: str = ""
    scenario: str
    model: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    x_pool: str
    y_pool: str
    labels: dict[str, dict[str, str]] = Field(default_factory=dict, description="pool id -> label per language")
    replications: int = Field(ge=1)
    seed: int
    cells: list[SweepCell]


class Timer(Strict):
    """The facilitator's countdown: when it rings (UTC) and how long it was set for."""

    ends: datetime
    minutes: float = Field(gt=0)


class VariantEdit(Strict):
    """One change to a variant: who made it, when, and the Puts that made and undo it."""

    n: int = Field(ge=1, description="the variant's version after this edit")
    action: str
    target: str = ""
    author: str = ""
    at: datetime
    puts: list[dict[str, Any]]
    undo: list[dict[str, Any]]
    undoes: int | None = Field(default=None, description="the version an undo took back")
    detail: dict[str, Any] = Field(default_factory=dict)


class Variant(Strict):
    """A model the room edits: forked from a library model, an upload or another variant.

    `document` is the current draft (model data, layout hints, notes of deleted steps);
    `base_document` is version 0 and `history` the edits since, so every version can be rebuilt.
    The model inside has the variant's own id, never its base's.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)
    name: str = Field(min_length=1, max_length=80)
    base: str
    base_model_id: str = ""
    author: str = ""
    created: datetime
    base_document: dict[str, Any]
    document: dict[str, Any]
    history: list[VariantEdit] = Field(default_factory=list)

    @property
    def version(self) -> int:
        return len(self.history)


class WorkshopSession(Strict):
    version: Literal[1] = SESSION_VERSION
    title: str = "Workshop"
    models: list[str] = Field(default_factory=list)
    vote_budget: int = Field(default=5, ge=0)
    participants: list[Participant] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    votes: list[Vote] = Field(default_factory=list)
    scenarios: list[SavedScenario] = Field(default_factory=list)
    results: list[ScenarioResult] = Field(default_factory=list)
    comparisons: list[ComparisonRecord] = Field(default_factory=list)
    sweeps: list[SweepRecord] = Field(default_factory=list)
    timer: Timer | None = None
    variants: list[Variant] = Field(default_factory=list)

    def votes_for(self, note_id: str) -> int:
        return sum(1 for v in self.votes if v.note == note_id)


def load_session(path: str | Path) -> WorkshopSession:
    """Read a session file; a broken one is a UserError that names the file and field."""
    return read_json_model(path, WorkshopSession, "session file")


def save_session(session: WorkshopSession, path: str | Path, *, durable: bool = True) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a session.

    Args:
        durable: wait until the disk has the file (fsync), so a power cut cannot lose it either.
            Without it the write takes a fraction of a millisecond instead of several: the file is
            complete for every reader at once, and a power cut may lose the last change only.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=p.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(session.model_dump_json(indent=2))
        if durable:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, p)


def session_annotations(session: WorkshopSession, model_id: str) -> list[Annotation]:
    """The session's notes on one model as model annotations, with their vote counts."""
    return [
        Annotation(
            id=n.id,
            step=n.step,
            kind=n.kind,
            text=n.text,
            author_role=n.author_role,
            votes=session.votes_for(n.id),
        )
        for n in session.notes
        if n.model == model_id
    ]


def split_variant_ref(ref: str) -> tuple[str, str, int | None]:
    """`session.json#name@7` -> ('session.json', 'name', 7); the version is optional."""
    path, _, rest = str(ref).partition("#")
    name, at, version = rest.rpartition("@") if "@" in rest else (rest, "", "")
    if at and not (version.isascii() and version.isdigit()):
        raise UserError(f"{ref}: expected SESSION.json#VARIANT or SESSION.json#VARIANT@VERSION")
    return path, name, int(version) if at else None


def find_variant(session: WorkshopSession, id_or_name: str) -> Variant:
    """The variant with this id, or else this name (case-insensitive); a UserError listing them if none."""
    for v in session.variants:
        if v.id == id_or_name:
            return v
    for v in session.variants:
        if v.name.casefold() == id_or_name.casefold():
            return v
    known = ", ".join(f"{v.id} ({v.name})" for v in session.variants) or "none"
    raise UserError(f"no variant {id_or_name!r} in the session; it has: {known}")


def variant_document(variant: Variant, version: int | None = None) -> dict:
    """The variant's document at `version` (0 = as forked; None = the current one)."""
    from .edit import Put, apply_puts

    if version is None or version == variant.version:
        return variant.document
    if not 0 <= version <= variant.version:
        raise UserError(f"variant {variant.id!r} has versions 0 to {variant.version}; got {version}")
    puts = [Put.from_data(p) for e in variant.history[:version] for p in e.puts]
    return apply_puts(variant.base_document, puts)


def load_variant_model(ref: str):
    """The checked model of `SESSION.json#VARIANT[@VERSION]` (a ModelError names what is wrong)."""
    from .errors import ModelError
    from .io import validate_data

    path, name, version = split_variant_ref(ref)
    if not name:
        raise UserError(f"{ref}: expected SESSION.json#VARIANT (a variant's id or name after '#')")
    variant = find_variant(load_session(path), name)
    data = variant_document(variant, version)["model"]
    try:
        return validate_data(data, file=f"{path}#{variant.id}")
    except ModelError as exc:
        raise ModelError(exc.problems) from None
