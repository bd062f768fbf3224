"""Check a requirements set the way a procurer reviews one before it goes out to tender.

Findings: SKA without evidence, vague words without a number, a standard cited without
"eller likvärdigt", duplicate ids, the same requirement as both SKA and BÖR, broken trace links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import yaml

from process_models.schema import ProcessModel

from .requirement import Requirement, RequirementSet
from .texts import DATA_DIR, LANGS

__all__ = ["FINDING_KINDS", "Finding", "check_requirements"]

FINDING_KINDS = (
    "ska_without_evidence",
    "vague_word",
    "standard_without_equivalent",
    "duplicate_id",
    "ska_and_bor",
    "broken_trace",
)


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would send back: which requirement, what kind, and why."""

    requirement: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.requirement}: {self.message} [{self.kind}]"


@lru_cache(maxsize=None)
def _rules() -> dict:
    return yaml.safe_load((DATA_DIR / "checker.yaml").read_text(encoding="utf-8"))


def _texts(r: Requirement, lang: str) -> list[tuple[str, str]]:
    return [("title", r.title.get(lang)), ("statement", r.statement.get(lang))]


def _sentences(text: str) -> list[str]:
    # split on a full stop followed by a space, so "99,5 %" and "§5.1.3.1" stay whole
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _vague(r: Requirement) -> Iterable[Finding]:
    for lang in LANGS:
        words = _rules()["vague_words"][lang]
        pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
        for field, text in _texts(r, lang):
            for sentence in _sentences(text):
                hit = pattern.search(sentence)
                if hit and not re.search(r"\d", sentence):
                    yield Finding(r.id, "vague_word",
                                  f"{field}.{lang}: {hit.group(0)!r} without a number to verify it against")


def _standards(r: Requirement) -> Iterable[Finding]:
    pattern = re.compile(_rules()["standard_pattern"])
    for lang in LANGS:
        equivalent = _rules()["equivalent"][lang]
        for field, text in _texts(r, lang):
            for sentence in _sentences(text):
                cited = pattern.search(sentence)
                if cited and equivalent not in sentence.lower():
                    yield Finding(r.id, "standard_without_equivalent",
                                  f"{field}.{lang}: cites {cited.group(0).strip(' .-')!r} without {equivalent!r}")


def _normal(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    modal = {"ska", "bör", "skall", "shall", "should", "must", "may", "kan"}
    return " ".join(w for w in words if w not in modal)


def _ska_and_bor(reqs: list[Requirement]) -> Iterable[Finding]:
    seen: dict[str, Requirement] = {}
    for r in reqs:
        if r.kind not in ("SKA", "BÖR"):
            continue
        for key in (_normal(r.title.sv), _normal(r.statement.sv)):
            other = seen.get(key)
            if other is not None and other.kind != r.kind and other.id != r.id:
                yield Finding(r.id, "ska_and_bor", f"says the same as {other.id} but is {r.kind}, {other.id} is {other.kind}")
                break
        for key in (_normal(r.title.sv), _normal(r.statement.sv)):
            seen.setdefault(key, r)


def _traces(reqs: list[Requirement], model: ProcessModel | None, notes: set[str] | None) -> Iterable[Finding]:
    ids = {r.id for r in reqs}
    steps = {s.id for s in model.steps} if model else None
    for r in reqs:
        for link in r.links:
            if link.target not in ids:
                yield Finding(r.id, "broken_trace", f"links ({link.kind}) to {link.target}, which is not in the set")
        if steps is not None:
            for s in r.sources.steps:
                if s not in steps:
                    yield Finding(r.id, "broken_trace", f"traces to step {s!r}, which model {model.id} does not have")
        if notes is not None:
            for a in r.sources.annotations:
                if a not in notes:
                    yield Finding(r.id, "broken_trace", f"traces to note {a!r}, which is in neither the model nor the session")


def check_requirements(
    reqs: RequirementSet | list[Requirement],
    model: ProcessModel | None = None,
    notes: Iterable[str] | None = None,
) -> list[Finding]:
    """Every finding, in requirement order.

    Args:
        model: when given, step traces must name steps of this model.
        notes: when given (ids of model annotations and session notes), note traces must name one.
    """
    items = list(reqs.requirements if isinstance(reqs, RequirementSet) else reqs)
    note_ids = set(notes) if notes is not None else ({a.id for a in model.annotations} if model else None)
    found: list[Finding] = []
    counts: dict[str, int] = {}
    for r in items:
        counts[r.id] = counts.get(r.id, 0) + 1
        if counts[r.id] == 2:
            found.append(Finding(r.id, "duplicate_id", f"id {r.id} is used more than once"))
        if r.kind == "SKA" and (r.evidence is None or not r.evidence.sv.strip()):
            found.append(Finding(r.id, "ska_without_evidence", "a SKA requirement must say what evidence the bidder gives"))
        found.extend(_vague(r))
        found.extend(_standards(r))
    found.extend(_ska_and_bor(items))
    found.extend(_traces(items, model, note_ids))
    order = {r.id: i for i, r in enumerate(items)}
    return sorted(found, key=lambda f: order.get(f.requirement, 0))
