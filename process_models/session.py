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
    "Difference",
    "ComparedScenario",
    "ComparisonRecord",
    "SweepCell",
    "SweepRecord",
    "WorkshopSession",
    "load_session",
    "save_session",
    "session_annotations",
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

    def votes_for(self, note_id: str) -> int:
        return sum(1 for v in self.votes if v.note == note_id)


def load_session(path: str | Path) -> WorkshopSession:
    """Read a session file; a broken one is a UserError that names the file and field."""
    return read_json_model(path, WorkshopSession, "session file")


def save_session(session: WorkshopSession, path: str | Path) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a session."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=p.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(session.model_dump_json(indent=2))
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
