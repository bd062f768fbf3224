"""Compare two process models: steps, flows and pools added, removed and changed."""

from __future__ import annotations

from dataclasses import dataclass, field

from .schema import Flow, ProcessModel

__all__ = ["ModelDiff", "diff_models", "flow_key"]


def flow_key(f: Flow) -> tuple:
    """A flow is identified by its ends, its condition and its outcome."""
    when = f.when
    return (
        f.source_step,
        f.target_step,
        tuple(sorted(when.errands)) if when else (),
        tuple(sorted(when.segments)) if when else (),
        f.outcome,
    )


def _field_changes(a, b) -> dict[str, tuple]:
    da = a.model_dump(mode="json", by_alias=True, exclude_none=True)
    db = b.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {k: (da.get(k), db.get(k)) for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k)}


@dataclass(frozen=True)
class ModelDiff:
    """What changed from model `old` to model `new`; changed items list their fields."""

    steps_added: list[str] = field(default_factory=list)
    steps_removed: list[str] = field(default_factory=list)
    steps_changed: dict[str, dict[str, tuple]] = field(default_factory=dict)
    flows_added: list[tuple] = field(default_factory=list)
    flows_removed: list[tuple] = field(default_factory=list)
    flows_changed: dict[tuple, dict[str, tuple]] = field(default_factory=dict)
    pools_added: list[str] = field(default_factory=list)
    pools_removed: list[str] = field(default_factory=list)
    pools_changed: dict[str, dict[str, tuple]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)

    def summary(self) -> dict[str, int]:
        return {f: len(getattr(self, f)) for f in self.__dataclass_fields__}

    def lines(self) -> list[str]:
        """Human-readable lines, one per change."""
        out = [f"+ step {s}" for s in self.steps_added]
        out += [f"- step {s}" for s in self.steps_removed]
        for sid, ch in self.steps_changed.items():
            out += [f"~ step {sid}.{k}: {a!r} -> {b!r}" for k, (a, b) in ch.items()]
        out += [f"+ flow {k[0]} -> {k[1]}" + _cond(k) for k in self.flows_added]
        out += [f"- flow {k[0]} -> {k[1]}" + _cond(k) for k in self.flows_removed]
        for k, ch in self.flows_changed.items():
            out += [f"~ flow {k[0]} -> {k[1]}{_cond(k)}.{f}: {a!r} -> {b!r}" for f, (a, b) in ch.items()]
        out += [f"+ pool {p}" for p in self.pools_added]
        out += [f"- pool {p}" for p in self.pools_removed]
        for pid, ch in self.pools_changed.items():
            out += [f"~ pool {pid}.{k}: {a!r} -> {b!r}" for k, (a, b) in ch.items()]
        return out


def _cond(key: tuple) -> str:
    bits = []
    if key[2]:
        bits.append("errands=" + ",".join(key[2]))
    if key[3]:
        bits.append("segments=" + ",".join(key[3]))
    if key[4]:
        bits.append(f"outcome={key[4]}")
    return f" [{'; '.join(bits)}]" if bits else ""


def _by_id(items) -> dict:
    return {i.id: i for i in items}


def diff_models(old: ProcessModel, new: ProcessModel) -> ModelDiff:
    """The differences between two models, in the order of each model."""
    s_old, s_new = _by_id(old.steps), _by_id(new.steps)
    p_old, p_new = _by_id(old.pools), _by_id(new.pools)
    f_old = {flow_key(f): f for f in old.flows}
    f_new = {flow_key(f): f for f in new.flows}
    return ModelDiff(
        steps_added=[s for s in s_new if s not in s_old],
        steps_removed=[s for s in s_old if s not in s_new],
        steps_changed={
            s: ch for s in s_new if s in s_old and (ch := _field_changes(s_old[s], s_new[s]))
        },
        flows_added=[k for k in f_new if k not in f_old],
        flows_removed=[k for k in f_old if k not in f_new],
        flows_changed={
            k: ch for k in f_new if k in f_old and (ch := _field_changes(f_old[k], f_new[k]))
        },
        pools_added=[p for p in p_new if p not in p_old],
        pools_removed=[p for p in p_old if p not in p_new],
        pools_changed={
            p: ch for p in p_new if p in p_old and (ch := _field_changes(p_old[p], p_new[p]))
        },
    )
