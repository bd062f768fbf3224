"""A scenario: a process model plus dotted-path overrides, weeks to run and learning options.

Overrides address fields by dotted path (`pools.public_computers.capacity`); items of a
list are addressed by their id (or index where items have no id, as flows). A bad path
or value is a UserError that names the override.
"""

from __future__ import annotations

import functools
import json
import warnings
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from process_models.errors import ModelError, UserError, format_path
from process_models.io import load_model, model_to_data, validate_data
from process_models.library import library_names, resolve
from process_models.schema import ProcessModel
from process_models.yaml_lines import YamlProblem, line_of, parse_with_lines, read_yaml

__all__ = ["Learning", "Scenario", "load_scenario", "apply_overrides", "parse_assignment", "parse_value",
           "scenario_problem", "OutsideRangeWarning"]

#: Rinkeby: housing questions fell 7,200 -> 3,155, -56 % in two years (DOMAIN.md, rinkeby-quality-award-2007.txt).
RINKEBY_TWO_YEAR_DROP = 0.56
WEEKS_PER_TWO_YEARS = 104


class OutsideRangeWarning(UserWarning):
    """The scenario scales the office beyond the weekly visitors its model's sources state (`weekly_range`)."""


class Learning(BaseModel):
    """Learning over weeks: a share of returning visitors become self-sufficient and stop coming.

    Calibrated so that, with everyone of an errand returning, its visits fall by
    `two_year_drop` in 104 weeks (Rinkeby's housing questions, -56 %).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    errands: list[str] | None = Field(default=None, description="errands that can be learnt; default all not booked")
    returning_share: float = Field(default=1.0, ge=0, le=1)
    two_year_drop: float = Field(default=RINKEBY_TWO_YEAR_DROP, ge=0, lt=1)
    start_week: int = Field(default=0, ge=0, description="weeks of learning already behind the first simulated week")

    def weekly_rate(self) -> float:
        """Chance per week that a returning visitor has become self-sufficient."""
        return 1 - (1 - self.two_year_drop) ** (1 / WEEKS_PER_TWO_YEARS)

    def stay_away(self, week: int) -> float:
        """Share of a learnable errand's visitors who no longer come in `week` (0-based)."""
        if not self.enabled:
            return 0.0
        w = self.start_week + week
        return self.returning_share * (1 - (1 - self.weekly_rate()) ** w)


class Scenario(BaseModel):
    """A model plus overrides. `model` is a library name or a path to a model file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    model: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    weeks: int = Field(default=1, ge=1, le=520)
    learning: Learning = Field(default_factory=Learning)
    description: str = ""
    targets: dict[str, Any] = Field(default_factory=dict, description="goals the requirements export reads "
                                                                      "(wait_p90_minutes: 20); the simulation ignores them")

    def with_overrides(self, extra: dict[str, Any], name: str | None = None) -> "Scenario":
        return self.model_copy(update={"overrides": {**self.overrides, **extra}, "name": name or self.name})

    def build_model(self) -> ProcessModel:
        """The model with overrides applied and checked again (an `OutsideRangeWarning` when scaled beyond its range)."""
        model = _build(self.model, json.dumps(self.overrides, sort_keys=True, default=str))
        for note in self.range_notes():
            warnings.warn(note, OutsideRangeWarning, stacklevel=2)
        return model

    def range_notes(self) -> list[str]:
        """What the overrides ask beyond the model's stated weekly range: a note each (no refusal)."""
        if not self.overrides:
            return []
        return list(_range_notes(self.model, json.dumps(self.overrides, sort_keys=True, default=str)))

    def key(self) -> str:
        return self.model_dump_json()


@functools.lru_cache(maxsize=256)
def _base_data(model: str) -> tuple[ProcessModel, str]:
    m = load_model(model)
    return m, json.dumps(model_to_data(m))


@functools.lru_cache(maxsize=512)
def _build(model: str, overrides_json: str) -> ProcessModel:
    base, data_json = _base_data(model)
    overrides = json.loads(overrides_json)
    if not overrides:
        return base
    data = json.loads(data_json)
    apply_overrides(data, overrides)
    if _outside_range(data, overrides):
        data["demand"]["weekly_range"] = None  # scaling the office is the user's call: warned, not refused
    try:
        return validate_data(data, file=f"{model} with overrides")
    except ModelError as exc:
        if len(overrides) <= 3:
            what = "overrides " + ", ".join(f"{k}={v!r}" for k, v in overrides.items())
        else:
            what = f"{len(overrides)} overrides ({', '.join(list(overrides)[:3])}, ...)"
        raise UserError(f"{what} make an invalid model:\n{exc}") from None


def _outside_range(data: dict, overrides: dict) -> tuple[int, int, Any] | None:
    """(low, high, visitors) when the overrides put weekly visitors outside the model's own weekly range."""
    demand = data.get("demand")
    if not isinstance(demand, dict) or "demand.weekly_range" in overrides:
        return None
    rng, visitors = demand.get("weekly_range"), demand.get("weekly_visitors")
    if not (isinstance(rng, (list, tuple)) and len(rng) == 2 and all(_number(x) for x in (*rng, visitors))):
        return None  # not numbers: the model check names what is wrong
    if not isinstance(overrides.get("demand"), dict) and "demand.weekly_visitors" not in overrides:
        return None
    return (rng[0], rng[1], visitors) if not rng[0] <= visitors <= rng[1] else None


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


@functools.lru_cache(maxsize=512)
def _range_notes(model: str, overrides_json: str) -> tuple[str, ...]:
    _, data_json = _base_data(model)
    data = json.loads(data_json)
    overrides = json.loads(overrides_json)
    apply_overrides(data, overrides)
    outside = _outside_range(data, overrides)
    if outside is None:
        return ()
    low, high, visitors = outside
    return (f"demand.weekly_visitors={visitors:,}: outside {model}'s stated range of {low:,}-{high:,} visitors a week; "
            "simulated as asked, but the model's figures (durations, shares, staffing) were sourced for that range",)


def apply_overrides(data: dict, overrides: dict[str, Any]) -> dict:
    """Set each dotted path in the model data (in place); lists are addressed by item id or index."""
    for path, value in overrides.items():
        parts = str(path).split(".")
        if not all(parts):
            raise UserError(f"override {path!r}: empty part in the dotted path")
        node: Any = data
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            where = ".".join(parts[: depth + 1])
            if isinstance(node, list):
                idx = _list_index(node, part, path, where)
                if last:
                    node[idx] = value
                else:
                    node = node[idx]
            elif isinstance(node, dict):
                key: Any = part
                if part not in node and part.isdigit() and int(part) in node:
                    key = int(part)
                if last:
                    node[key] = value
                elif key in node:
                    node = node[key]
                else:
                    node = node.setdefault(key, {})
            else:
                raise UserError(f"override {path!r}: {'.'.join(parts[:depth])} is a value, not a mapping or list")
    return data


def _list_index(node: list, part: str, path: str, where: str) -> int:
    ids = [item.get("id") for item in node if isinstance(item, dict)]
    if part in ids:
        return ids.index(part)
    if part.isdigit() and int(part) < len(node):
        return int(part)
    known = ", ".join(i for i in ids if i) or f"indices 0..{len(node) - 1}"
    raise UserError(f"override {path!r}: no item {part!r} at {where}; expected one of: {known}")


def parse_assignment(text: str) -> tuple[str, Any]:
    """'pools.kiosk.capacity=3' -> ('pools.kiosk.capacity', 3); the value is read as YAML."""
    if "=" not in text:
        raise UserError(f"--set {text!r}: expected PATH=VALUE, e.g. pools.public_computers.capacity=10")
    path, raw = text.split("=", 1)
    return path.strip(), parse_value(raw)


def parse_value(raw: str) -> Any:
    """A value typed on the command line, read as YAML ('3' -> 3); kept as text when it is no YAML."""
    if not raw.strip():
        return raw
    try:
        return parse_with_lines(raw)[0]
    except YamlProblem:  # broken or hostile: the text itself, which the model check then names
        return raw


def load_scenario(path_or_name: str | Path) -> Scenario:
    """A scenario YAML file (name, model, overrides, ...) or a plain model (file or library name)."""
    text = str(path_or_name)
    if text in library_names():
        return Scenario(name=text, model=text)
    if "#" in text:  # a workshop variant, SESSION.json#VARIANT: checked now, named by its variant
        model = load_model(text)
        return Scenario(name=model.name.sv, model=text)
    p = resolve(text)
    if not p.exists():
        raise UserError(f"{text}: no such scenario or model file, and not a library model "
                        f"(library: {', '.join(library_names())})")
    data, lines = read_yaml(p, "scenario or model file")
    if isinstance(data, dict) and "model" in data and "steps" not in data:
        if not isinstance(data["model"], str) or not data["model"].strip():
            raise UserError(f"{p}:{line_of(lines, ('model',))}: model: expected a library name or a model file's path, "
                            f"got {data['model']!r}")
        model = data["model"]
        if model not in library_names() and not Path(model).is_absolute():
            model = str((p.parent / model).resolve()) if (p.parent / model).exists() else model
        try:
            scenario = Scenario.model_validate({**data, "model": model, "name": data.get("name", p.stem)})
        except ValidationError as exc:
            raise UserError(scenario_problem(p, exc, lines)) from None
        try:
            _base_data(scenario.model)
        except UserError as exc:  # the model it points to: name the scenario file and its line as well
            raise UserError(f"{p}:{line_of(lines, ('model',))}: model: {data['model']!r} cannot be used: {exc}") from None
        try:
            scenario.build_model()  # fail early, naming the file
        except UserError as exc:
            if str(p) in str(exc):
                raise
            raise UserError(f"{p}:{line_of(lines, ('overrides',))}: overrides: {exc}") from None
        return scenario
    load_model(p)  # a plain model: raises ModelError with file and line when broken
    return Scenario(name=p.stem, model=str(p))


def scenario_problem(path: Path, exc: ValidationError, lines: dict) -> str:
    """The first thing wrong with a scenario file: file, line, field and what was expected."""
    first = exc.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    line = line_of(lines, loc)
    where = f"{path}:{line}" if line is not None else str(path)
    parent = {(): Scenario, ("learning",): Learning}.get(loc[:-1])
    if first["type"] == "extra_forbidden" and parent is not None:
        fields = ", ".join(parent.model_fields)
        return f"{where}: {format_path(loc)}: unknown key {loc[-1]!r}; expected one of: {fields}"
    return f"{where}: {format_path(loc)}: {first['msg']}"

