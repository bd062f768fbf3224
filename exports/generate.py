"""Build a requirements set from a future process model, workshop notes, a scenario and the library.

Ids are derived from what a requirement came from (step id, note id, pool id, library key)
so the same inputs always give the same ids, and every generated requirement traces back.
"""

from __future__ import annotations

from process_models.schema import Annotation, Label, ProcessModel, Step

from .library import library_requirements
from .requirement import Evaluation, Link, Requirement, RequirementSet, Sources
from .scenario import ScenarioFigures
from .texts import LANGS, label, texts

__all__ = ["DEFAULT_VOTE_THRESHOLD", "generate", "step_requirements", "idea_requirements",
           "capacity_requirements", "req_id"]

DEFAULT_VOTE_THRESHOLD = 3
SYSTEM_LANES = ("support",)


def req_id(prefix: str, key: str) -> str:
    """`FUNK` + `kiosk_language` -> `FUNK-KIOSK-LANGUAGE`."""
    return f"{prefix}-{key.upper().replace('_', '-')}"


def _is_system_step(model: ProcessModel, step: Step) -> bool:
    """Steps the procured solution performs: in a support lane, or automated (no staff, no pool)."""
    if step.kind in ("start", "end", "queue"):
        return False
    lane = next(l for l in model.lanes if l.id == step.lane)
    if lane.kind in SYSTEM_LANES:
        return True
    staff = {p.id for p in model.pools if p.kind == "staff"}
    return lane.kind != "visitor" and step.kind == "task" and not any(r.pool in staff for r in step.requests)


def _options(model: ProcessModel, step: Step) -> Label:
    errands = {e.id: e.label for e in model.errands}
    chosen = [e for f in model.outgoing(step.id) if f.when for e in f.when.errands]
    names = [errands[e] for e in dict.fromkeys(chosen) if e in errands]
    return Label(sv=", ".join(n.sv for n in names) or "–", en=", ".join(n.en for n in names) or "–")


def step_requirements(model: ProcessModel) -> list[Requirement]:
    """One SKA function requirement per step the solution performs, in model order."""
    out = []
    for step in model.steps:
        if not _is_system_step(model, step):
            continue
        lane = next(l for l in model.lanes if l.id == step.lane)
        kind = step.kind if step.kind in ("decision", "self_service") else "task"
        statement = label(f"step.{kind}", label=step.label, lane=lane.label, options=_options(model, step))
        if step.notes:
            statement = Label(sv=f"{statement.sv} {step.notes.sv}", en=f"{statement.en} {step.notes.en}")
        out.append(Requirement(
            id=req_id("FUNK", step.id),
            title=label("step.title", label=step.label),
            statement=statement,
            kind="SKA",
            rationale=label("step.rationale", model=model.name),
            evidence=label("step.evidence", label=step.label),
            verification="demonstration",
            phase="tender",
            area="function",
            sources=Sources(steps=[step.id]),
        ))
    return out


def _short(text: str, words: int = 6) -> str:
    parts = text.rstrip(".").split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def idea_requirements(
    model: ProcessModel, notes: list[Annotation], threshold: int, session_title: str
) -> list[Requirement]:
    """One BÖR requirement per idea with at least `threshold` votes, most votes first."""
    steps = {s.id for s in model.steps}
    ideas = [a for a in notes if a.kind == "idea" and a.votes >= threshold and a.step in steps]
    ideas.sort(key=lambda a: (-a.votes, a.id))
    out = []
    for note in ideas:
        out.append(Requirement(
            id=req_id("IDE", note.id),
            title=label("idea.title", short=_short(note.text)),
            statement=label("idea.statement", votes=note.votes, text=note.text),
            kind="BÖR",
            evaluation=Evaluation(method="points", max_points=3, weight=1 + note.votes // threshold),
            rationale=label("idea.rationale", session=session_title),
            evidence=label("idea.evidence"),
            verification="demonstration",
            phase="tender",
            area="function",
            sources=Sources(steps=[note.step], annotations=[note.id]),
            links=[Link(kind="derived_from", target=req_id("FUNK", note.step))]
            if _is_system_step(model, model.step(note.step)) else [],
        ))
    return out


def _target_text(targets: dict) -> Label:
    """Targets in words where the texts know the key (`wait_p90_minutes`), else `key = value`."""
    out = {}
    for lang in LANGS:
        known = texts(lang)["capacity"]["targets"]
        out[lang] = ", ".join(known[k].format(value=v) if k in known else f"{k} = {v}" for k, v in targets.items())
    return Label(**out)


def capacity_requirements(model: ProcessModel, scenario: ScenarioFigures | None) -> list[Requirement]:
    """One SKA per equipment pool: at least the number of units the scenario (or model) uses."""
    out = []
    caps = scenario.capacities if scenario else {p.id: p.capacity for p in model.pools}
    for pool in model.pools:
        count = caps.get(pool.id, pool.capacity)
        if pool.kind != "equipment" or count <= 0:
            continue
        if scenario and scenario.targets:
            basis = label("capacity.basis_target", scenario=scenario.name, target=_target_text(scenario.targets))
        elif scenario:
            basis = label("capacity.basis_scenario", scenario=scenario.name)
        else:
            basis = label("capacity.basis_model", model=model.name)
        using = [s.id for s in model.steps if any(r.pool == pool.id for r in s.requests)]
        out.append(Requirement(
            id=req_id("KAP", pool.id),
            title=label("capacity.title", label=pool.label),
            statement=label("capacity.statement", count=count, label=pool.label, basis=basis),
            kind="SKA",
            rationale=label("capacity.rationale"),
            evidence=label("capacity.evidence"),
            verification="inspection",
            phase="delivery",
            area="function",
            sources=Sources(steps=using, scenario=scenario.name if scenario else None),
        ))
    return out


def _fit_library(model: ProcessModel) -> list[Requirement]:
    """Library requirements with their step traces narrowed to steps this model has."""
    steps = {s.id for s in model.steps}
    out = []
    for r in library_requirements():
        kept = [s for s in r.sources.steps if s in steps]
        if kept != r.sources.steps:
            r = r.model_copy(update={"sources": r.sources.model_copy(update={"steps": kept})})
        out.append(r)
    return out


def generate(
    model: ProcessModel,
    *,
    notes: list[Annotation] | None = None,
    scenario: ScenarioFigures | None = None,
    vote_threshold: int = DEFAULT_VOTE_THRESHOLD,
    session_title: str = "",
    session_file: str | None = None,
) -> RequirementSet:
    """The whole set: steps, then ideas, then quantities, then the library, each in a fixed order.

    Args:
        notes: annotations to consider besides the model's own (e.g. a session's notes).
        scenario: the chosen scenario's figures; without it the model's pool sizes are used.
    """
    if scenario is not None:
        model = scenario.model if scenario.model.id == model.id else model
    by_id = {a.id: a for a in model.annotations}
    by_id.update({a.id: a for a in notes or []})
    reqs = (
        step_requirements(model)
        + idea_requirements(model, list(by_id.values()), vote_threshold, session_title)
        + capacity_requirements(model, scenario)
        + _fit_library(model)
    )
    return RequirementSet(
        title=label("set_title", model=model.name),
        model=model.id,
        session=session_file,
        scenario=scenario.name if scenario else None,
        requirements=reqs,
    )
