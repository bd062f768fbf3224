"""The figures the requirements need from a scenario file: its name, model, pool sizes and targets.

Uses `simulation.load_scenario(...).build_model()` when the simulation package offers it;
otherwise reads the YAML itself and applies the `pools.<id>.capacity` overrides, so the
exports do not depend on the simulation being finished.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from process_models import load_model
from process_models.errors import UserError
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


def _from_simulation(path: Path) -> ProcessModel | None:
    try:
        import simulation  # optional: written in parallel
    except Exception:  # noqa: BLE001 - any import problem means: not there yet
        return None
    load = getattr(simulation, "load_scenario", None)
    if load is None:
        return None
    try:
        built = load(path).build_model()
    except Exception:  # noqa: BLE001 - its schema may not know our keys (targets); our reader checks the file
        return None
    return built if isinstance(built, ProcessModel) else None


def scenario_figures(path: str | Path) -> ScenarioFigures:
    """Read a scenario YAML: name, model (library name or path), overrides and targets."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{p}: no such scenario file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UserError(f"{p}:{mark.line + 1 if mark else '?'}: broken YAML: {exc}") from None
    if not isinstance(data, dict) or "model" not in data:
        raise UserError(f"{p}: expected a mapping with at least `model` (a library name or path)")
    model_ref = str(data["model"])
    if not Path(model_ref).is_absolute() and (p.parent / model_ref).exists():
        model_ref = str(p.parent / model_ref)
    caps = capacity_overrides(data.get("overrides") or {}, p)
    model = _from_simulation(p) or load_model(model_ref)
    known = {pool.id for pool in model.pools}
    for pool_id in caps:
        if pool_id not in known:
            raise UserError(f"{p}: overrides.pools.{pool_id}: no pool {pool_id!r} in model {model.id}; "
                            f"expected one of {', '.join(sorted(known))}")
    merged = {pool.id: caps.get(pool.id, pool.capacity) for pool in model.pools}
    targets = data.get("targets") or {}
    if not isinstance(targets, dict):
        raise UserError(f"{p}: targets: expected a mapping such as `wait_p90_minutes: 15`")
    return ScenarioFigures(name=str(data.get("name") or p.stem), model=model, capacities=merged, targets=targets)
