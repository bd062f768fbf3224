"""Load and save process models as YAML, with errors that name file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .checks import run_checks
from .errors import FileError, ModelError, Problem
from .limits import MAX_ITEMS, MAX_MESSAGE_INPUT
from .schema import ProcessModel
from .yaml_lines import YamlProblem, line_of, parse_with_lines, read_yaml

__all__ = ["load_model", "parse_model", "validate_data", "dump_model", "save_model", "model_to_data"]


def _data_path(data: Any, loc: tuple) -> tuple:
    """Turn a pydantic error location into a path through the YAML data.

    Pydantic adds union tags ('exponential') and '[key]' markers that are not in the
    file; those are dropped so the path can be looked up for its line.
    """
    path: list = []
    node = data
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, int) and str(part) in node:
            path.append(str(part))
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and node.get("kind") == part and i < len(loc) - 1:
            continue  # discriminated-union tag
        else:
            path.append(part)
            node = None
    return tuple(path)


def _expected_keys(model_cls, data: Any, loc: tuple) -> str:
    """Allowed keys at the parent of an unknown key, for a helpful message."""
    try:
        from pydantic import BaseModel

        cls = model_cls
        node = data
        for part in loc[:-1]:
            if isinstance(node, list):
                node = node[part]
                continue
            if isinstance(node, dict) and part == node.get("kind"):
                continue
            field = next(
                (f for name, f in cls.model_fields.items() if (f.alias or name) == part), None
            )
            if field is None:
                return ""
            node = node[part]
            ann = field.annotation
            args = [a for a in getattr(ann, "__args__", ()) if isinstance(a, type)]
            candidates = [a for a in [ann, *args] if isinstance(a, type) and issubclass(a, BaseModel)]
            for arg in getattr(ann, "__args__", ()):
                for inner in getattr(arg, "__args__", ()) or ():
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        candidates.append(inner)
            if isinstance(node, dict) and "kind" in node:
                for c in list(candidates):
                    kind_field = c.model_fields.get("kind")
                    if kind_field is not None and node["kind"] not in getattr(kind_field.annotation, "__args__", ()):
                        candidates.remove(c)
            if not candidates:
                return ""
            cls = candidates[0]
        names = [f.alias or n for n, f in cls.model_fields.items()]
        return ", ".join(names)
    except Exception:  # a hint only; never let it hide the real error
        return ""


_PYDANTIC_CHECK = {
    "extra_forbidden": "unknown_key",
    "missing": "missing_field",
    "greater_than": "range",
    "greater_than_equal": "range",
    "less_than_equal": "range",
}


def _quoted(value: Any) -> str:
    """repr of a user's value, cut short so a 1 MB string makes a one-line message."""
    text = repr(value)
    return text if len(text) <= MAX_MESSAGE_INPUT else text[: MAX_MESSAGE_INPUT - 3] + "..."


def _count_problems(data: dict) -> list[Problem]:
    """Lists longer than any real model's, refused before pydantic spends time on them."""
    return [
        Problem("limit", (field,), f"{len(data[field]):,} {field}; MBK Studio reads at most {most:,}")
        for field, most in MAX_ITEMS.items()
        if isinstance(data.get(field), list) and len(data[field]) > most
    ]


def _pydantic_problems(exc: ValidationError, data: Any) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = _data_path(data, loc)
        kind = err["type"]
        check = _PYDANTIC_CHECK.get(kind, "type")
        if kind == "extra_forbidden":
            allowed = _expected_keys(ProcessModel, data, path)
            message = f"unknown key {path[-1]!r}" + (f"; expected one of: {allowed}" if allowed else "")
        elif kind == "missing":
            message = f"missing required field {path[-1]!r}"
        else:
            message = err["msg"]
            if "input" in err and not isinstance(err["input"], (dict, list)):
                message += f", got {_quoted(err['input'])}"
        if kind in ("greater_than", "greater_than_equal") and any(
            p in ("duration", "patience") for p in path if isinstance(p, str)
        ):
            check = "duration"
            message = f"durations are positive minutes; got {err.get('input')!r}"
        problems.append(Problem(check=check, path=path, message=message))
    return problems


def validate_data(data: Any, *, file: str | None = None, lines: dict | None = None) -> ProcessModel:
    """Validate parsed data (types, then checks) into a ProcessModel or raise ModelError."""
    lines = lines or {}

    def locate(problems: list[Problem]) -> list[Problem]:
        return [
            Problem(p.check, p.path, p.message, file=file, line=line_of(lines, p.path))
            for p in problems
        ]

    if data is None:
        raise ModelError(locate([Problem("empty", (), "the file is empty; expected a process model mapping")]))
    if not isinstance(data, dict):
        raise ModelError(
            locate(
                [Problem("not_mapping", (), f"expected a mapping of model fields, got a {type(data).__name__}")]
            )
        )
    too_many = _count_problems(data)
    if too_many:
        raise ModelError(locate(too_many))
    try:
        model = ProcessModel.model_validate(data)
    except ValidationError as exc:
        raise ModelError(locate(_pydantic_problems(exc, data))) from None
    problems = run_checks(model)
    if problems:
        raise ModelError(locate(problems))
    return model


def parse_model(text: str, *, file: str | None = None) -> ProcessModel:
    """Parse YAML text into a checked ProcessModel."""
    try:
        data, lines = parse_with_lines(text)
    except YamlProblem as exc:
        raise ModelError([Problem("yaml", (), exc.message, file=file, line=exc.line)]) from None
    return validate_data(data, file=file, lines=lines)


def load_model(path: str | Path) -> ProcessModel:
    """Load a model file; a library name (e.g. `skarholmen-current`) stands for its path.

    `SESSION.json#VARIANT` (a variant's id or name, optionally `@VERSION`) loads a workshop variant.
    """
    from .library import resolve

    if "#" in str(path):
        from .session import load_variant_model

        return load_variant_model(str(path))

    p = resolve(path)
    if not p.exists():
        raise ModelError([Problem("file", (), "no such file or library model", file=str(path))])
    try:
        stat = p.stat()
    except OSError:
        stat = None
    if stat is not None:
        key = (str(p.resolve()), stat.st_mtime_ns, stat.st_size)
        if key in _CACHE:
            return _CACHE[key]
    try:
        data, lines = read_yaml(p, "model file")
    except FileError as exc:
        raise ModelError([Problem(exc.check, (), exc.message, file=str(p), line=exc.line)]) from None
    model = validate_data(data, file=str(p), lines=lines)
    if stat is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = model
    return model


#: The one model cache: (file, mtime, size) -> model; models are immutable, so sharing them is safe.
_CACHE: dict[tuple, ProcessModel] = {}
_CACHE_SIZE = 64


def model_to_data(model: ProcessModel) -> dict:
    """The model as plain data with YAML field names, defaults left out."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)


def dump_model(model: ProcessModel) -> str:
    """The model as YAML text, in field order, Unicode kept readable."""
    return yaml.safe_dump(model_to_data(model), sort_keys=False, allow_unicode=True, width=100)


def save_model(model: ProcessModel, path: str | Path) -> None:
    Path(path).write_text(dump_model(model), encoding="utf-8")
