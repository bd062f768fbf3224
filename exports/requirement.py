"""The requirement model of a procurement specification (kravställning) and its lossless JSON master.

A requirement is SKA (mandatory), BÖR (evaluated) or INFO, in Swedish and English, with
the evidence a bidder gives, how it is verified, and where it came from (process steps,
workshop notes, legal references) so every line of the specification can be traced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from process_models.json_file import read_json_model
from process_models.schema import Label, Strict

__all__ = [
    "SCHEMA_VERSION",
    "KINDS",
    "AREAS",
    "VERIFICATIONS",
    "PHASES",
    "Evaluation",
    "Sources",
    "Link",
    "Requirement",
    "RequirementSet",
    "load_requirements",
    "save_requirements",
]

SCHEMA_VERSION = 1
KINDS = ("SKA", "BÖR", "INFO")
AREAS = ("function", "accessibility", "language", "data_protection", "security", "operations")
VERIFICATIONS = ("inspection", "analysis", "demonstration", "test")
PHASES = ("tender", "delivery", "operation")
ReqId = Field(pattern=r"^[A-ZÅÄÖ]+(-[A-Z0-9ÅÄÖ]+)+$", max_length=64)


class Evaluation(Strict):
    """How a requirement is judged: yes/no (SKA), or points with a weight (BÖR)."""

    method: Literal["yes_no", "points"] = "yes_no"
    max_points: int | None = Field(default=None, ge=1)
    weight: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _points_need_a_scale(self) -> "Evaluation":
        if self.method == "points" and self.max_points is None:
            raise ValueError("an evaluation by points needs `max_points`")
        return self


class Sources(Strict):
    """Where a requirement came from: steps of the model, workshop notes, laws and standards."""

    steps: list[str] = Field(default_factory=list)
    annotations: list[str] = Field(default_factory=list)
    legal: list[str] = Field(default_factory=list)
    scenario: str | None = None

    def empty(self) -> bool:
        return not (self.steps or self.annotations or self.legal or self.scenario)


class Link(Strict):
    """A trace link: this requirement is derived from, or verified by, another requirement."""

    kind: Literal["derived_from", "verified_by"]
    target: str


class Requirement(Strict):
    """One line of the specification."""

    id: str = ReqId
    title: Label
    statement: Label
    kind: Literal["SKA", "BÖR", "INFO"]
    evaluation: Evaluation = Field(default_factory=Evaluation)
    rationale: Label | None = None
    evidence: Label | None = None
    verification: Literal["inspection", "analysis", "demonstration", "test"] = "inspection"
    phase: Literal["tender", "delivery", "operation"] = "tender"
    area: Literal["function", "accessibility", "language", "data_protection", "security", "operations"]
    sources: Sources = Field(default_factory=Sources)
    links: list[Link] = Field(default_factory=list)
    status: Literal["draft", "reviewed", "approved"] = "draft"
    version: int = Field(default=1, ge=1)


class RequirementSet(Strict):
    """A whole specification: what it was generated from and its requirements in order."""

    schema_version: Literal[1] = SCHEMA_VERSION
    title: Label
    model: str | None = None
    session: str | None = None
    scenario: str | None = None
    requirements: list[Requirement] = Field(default_factory=list)

    def by_id(self) -> dict[str, Requirement]:
        return {r.id: r for r in self.requirements}


def save_requirements(reqs: RequirementSet, path: str | Path) -> Path:
    """Write the JSON master (UTF-8, ids in order, Swedish letters unescaped)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(reqs.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return p


def load_requirements(path: str | Path) -> RequirementSet:
    """Read a JSON master; a broken one is a UserError naming the file and field."""
    return read_json_model(path, RequirementSet, "requirements file")