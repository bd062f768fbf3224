"""The figures the requirements need from a scenario file: its name, model, pool sizes and targets.

The file is a simulation scenario (name, model, overrides, ...) plus an optional `targets`
mapping that only the exports read. The model with overrides comes from
`simulation.Scenario.build_model()` when that package is installed; the pool sizes are read
from the `pools.<id>.capacity` overrides either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from process_models import load_model
from process_models.errors import UserError
from process_models.yaml_lines import read_yaml
from process_models.schema import ProcessModel

__all__ = ["ScenarioFigures", "scenario_figures", "capacity_overrides"]


@dataclass(frozen=True)
class ScenarioFigures:
    """What a scenario says about equipment and goals."""

    name: str
    model: ProcessModel
    capacities: dict[str, int]
    targets: dict[str, Any] = field(default_factory=dict)


def capacity_overrides(overrides: dict[str, Any], path: Path) -> dict[str, int]:
    """Pool capacities from dotted overrides: `pools.public_computers.capacity: 12`."""
    out = {}
    for key, value in (overrides or {}).items():
        parts = str(key).replace("[", ".").replace("]", "").split(".")
        if len(parts) == 3 and parts[0] == "pools" and parts[2] == "capacity":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise UserError(f"{path}: overrides.{key}: expected a whole number >= 0, got {value!r}")
            out[parts[1]] = value
    return out


def _from_simulation(name: str, model_ref: str, overrides: dict, path: Path) -> ProcessModel | None:
    """The model with overrides applied by the simulation package, when it is there."""
    try:
        from simulation import Scenario  # optional: the exports must not depend on it
    except ImportError:
        return None
    try:
        return Scenario(name=name, model=model_ref, overrides=overrides).build_model()
    except UserError as exc:
        raise UserError(f"{path}: {exc}") from None


def scenario_figures(path: str | Path) -> ScenarioFigures:
    """Read a scenario YAML: name, model (library name or path), overrides and targets."""
    p = Path(path)
    data, _lines = read_yaml(p, "scenario file")
    if not isinstance(data, dict) or "model" not in data:
        raise UserError(f"{p}: expected a mapping with at least `model` (a library name or path)")
    if not isinstance(data["model"], str) or not data["model"].strip():
        raise UserError(f"{p}: model: expected a library name or a model file's path, got {data['model']!r}")
    model_ref = data["model"]
    if not Path(model_ref).is_absolute() and (p.parent / model_ref).exists():
        model_ref = str(p.parent / model_ref)
    overrides = data.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise UserError(f"{p}: overrides: expected a mapping such as `pools.public_computers.capacity: 12`")
    caps = capacity_overrides(overrides, p)
    name = str(data.get("name") or p.stem)
    model = _from_simulation(name, model_ref, overrides, p) or load_model(model_ref)
    known = {pool.id for pool in model.pools}
    for pool_id in caps:
        if pool_id not in known:
            raise UserError(f"{p}: overrides.pools.{pool_id}: no pool {pool_id!r} in model {model.id}; "
                            f"expected one of {', '.join(sorted(known))}")
    merged = {pool.id: caps.get(pool.id, pool.capacity) for pool in model.pools}
    targets = data.get("targets") or {}
    if not isinstance(targets, dict):
        raise UserError(f"{p}: targets: expected a mapping such as `wait_p90_minutes: 15`")
    return ScenarioFigures(name=name, model=model, capacities=merged, targets=targets)
