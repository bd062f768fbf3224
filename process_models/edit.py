"""Edits of a process model as small, invertible changes: what the workshop editor does.

An edit is a list of `Put`s on a variant document (the model's data plus the layout hints
and the notes of deleted steps). A Put replaces, inserts or removes one item of one
collection, found by its key: the id of a step, lane, pool or note, or `flow_key` of a
flow. Every Put can be inverted against the document it was applied to, so undo is one
more edit and nothing else in the document is touched: two people editing different
steps of one variant never undo each other's work.

The action builders (`add_step`, `move_step`, ...) check their inputs with the schema and
return an `Edit`; they never validate the whole model: a draft may be unfinished (a step
not yet connected), and `draft_problems` says what is missing, per element.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .checks import run_checks
from .errors import Problem, UserError
from .schema import Annotation, Flow, Lane, Pool, ProcessModel, Step

__all__ = [
    "MODEL_COLLECTIONS",
    "DOC_COLLECTIONS",
    "STEP_KINDS",
    "STEP_DEFAULTS",
    "EditRefused",
    "Put",
    "Edit",
    "new_document",
    "document_model",
    "flow_key",
    "item_key",
    "apply_puts",
    "invert",
    "is_current",
    "add_step",
    "move_step",
    "rename_step",
    "update_step",
    "delete_step",
    "add_flow",
    "update_flow",
    "delete_flow",
    "update_pool",
    "update_lane",
    "move_note",
    "restore",
    "draft_problems",
    "ElementProblem",
]

#: Collections of the model data that edits address; every item has an `id` except flows.
MODEL_COLLECTIONS = ("lanes", "pools", "steps", "flows", "annotations")
#: Collections of the variant document beside the model: layout hints and notes of deleted steps.
DOC_COLLECTIONS = ("layout", "detached")
WHOLE = "document"  # a Put on the whole document (restoring an earlier version)
STEP_KINDS = ("task", "queue", "self_service", "decision", "start", "end")
_PLACEHOLDER = {"assumption": "Lagt till i verkstaden; ett antagande att pröva (added in the workshop)."}
#: What a new step of each kind starts with, so that it can be simulated once it is connected.
STEP_DEFAULTS: dict[str, dict[str, Any]] = {
    "task": {"duration": {"kind": "triangular", "low": 2, "mode": 5, "high": 10, "source": _PLACEHOLDER}},
    "queue": {"patience": {"kind": "exponential", "mean": 45, "source": _PLACEHOLDER}},
    "self_service": {"duration": {"kind": "triangular", "low": 3, "mode": 8, "high": 20, "source": _PLACEHOLDER},
                     "success": {"default": 0.5, "source": _PLACEHOLDER}},
    "decision": {},
    "start": {},
    "end": {"outcome": "served"},
}
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


class EditRefused(UserError):
    """An edit that cannot be made; `code` and `params` let an app say it in its language."""

    def __init__(self, code: str, message: str, **params):
        self.code, self.params = code, params
        super().__init__(message)


@dataclass(frozen=True)
class Put:
    """Set item `key` of `collection` to `value` (None removes it), at `index` when given."""

    collection: str
    key: str
    value: Any = None
    index: int | None = None

    def to_data(self) -> dict:
        return {"collection": self.collection, "key": self.key, "value": self.value, "index": self.index}

    @classmethod
    def from_data(cls, data: dict) -> "Put":
        return cls(data["collection"], data["key"], data.get("value"), data.get("index"))


@dataclass(frozen=True)
class Edit:
    """One action of a participant: its name, what it was about, and its Puts."""

    action: str
    target: str
    puts: tuple[Put, ...] = field(default_factory=tuple)
    detail: dict = field(default_factory=dict)


# --- the document ------------------------------------------------------------------


def new_document(model_data: dict) -> dict:
    """A variant document over a model's data: no layout hints, no detached notes yet."""
    return {"model": copy.deepcopy(model_data), "layout": [], "detached": []}


def document_model(doc: dict) -> ProcessModel:
    """The document's model, type-checked (a draft may still fail `run_checks`)."""
    return ProcessModel.model_validate(doc["model"])


def flow_key(flow: dict) -> str:
    """A flow's identity: its ends, condition and outcome (as `diff_models` pairs flows)."""
    when = flow.get("when") or {}
    errands = ",".join(sorted(when.get("errands", [])))
    segments = ",".join(sorted(when.get("segments", [])))
    return f"{flow['from']}>{flow['to']}|{errands}|{segments}|{flow.get('outcome') or ''}"


def item_key(collection: str, item: dict) -> str:
    if collection == "flows":
        return flow_key(item)
    return item["id"] if collection != "layout" else item["step"]


def _items(doc: dict, collection: str) -> list:
    if collection in MODEL_COLLECTIONS:
        return doc["model"].setdefault(collection, [])
    if collection in DOC_COLLECTIONS:
        return doc.setdefault(collection, [])
    raise ValueError(f"unknown collection {collection!r}")


def _find(items: list, collection: str, key: str) -> int | None:
    return next((i for i, it in enumerate(items) if item_key(collection, it) == key), None)


def _apply_one(doc: dict, put: Put) -> None:
    if put.collection == WHOLE:
        doc.clear()
        doc.update(copy.deepcopy(put.value))
        return
    items = _items(doc, put.collection)
    at = _find(items, put.collection, put.key)
    if at is not None:
        del items[at]
    if put.value is None:
        return
    index = put.index if put.index is not None else (at if at is not None else len(items))
    items.insert(max(0, min(index, len(items))), copy.deepcopy(put.value))


def apply_puts(doc: dict, puts) -> dict:
    """A new document with the Puts applied in order (the given one is not changed)."""
    out = copy.deepcopy(doc)
    for put in puts:
        _apply_one(out, put)
    return out


def invert(doc: dict, puts) -> list[Put]:
    """The Puts that undo `puts` when applied after them to `doc`'s result."""
    work = copy.deepcopy(doc)
    back: list[Put] = []
    for put in puts:
        if put.collection == WHOLE:
            back.append(Put(WHOLE, "", copy.deepcopy(work)))
        else:
            items = _items(work, put.collection)
            at = _find(items, put.collection, put.key)
            before = copy.deepcopy(items[at]) if at is not None else None
            back.append(Put(put.collection, put.key, before, at))
        _apply_one(work, put)
    return list(reversed(back))


def is_current(doc: dict, puts) -> bool:
    """True when every item the Puts wrote still holds what they wrote (nobody changed it since)."""
    for put in puts:
        if put.collection == WHOLE:
            continue
        items = _items(doc, put.collection)
        at = _find(items, put.collection, put.key)
        now = items[at] if at is not None else None
        if now != put.value and not _written_later(puts, put):
            return False
    return True


def _written_later(puts, put: Put) -> bool:
    later = list(puts)[list(puts).index(put) + 1:]
    return any(p.collection == put.collection and p.key == put.key for p in later)


# --- helpers -----------------------------------------------------------------------


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().translate(_ASCII)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not slug or not slug[0].isalpha():
        slug = f"steg_{slug}".rstrip("_")
    return slug[:40]


def _unique_id(doc: dict, label: str) -> str:
    taken = {s["id"] for s in doc["model"]["steps"]}
    base = _slug(label)
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def _step(doc: dict, step_id: str) -> tuple[int, dict]:
    steps = doc["model"]["steps"]
    at = _find(steps, "steps", step_id)
    if at is None:
        raise EditRefused("no_step", f"no step {step_id!r} in the model", step=step_id)
    return at, steps[at]


def _label(sv: str, en: str | None) -> dict:
    sv, en = (sv or "").strip(), (en or "").strip()
    if not sv:
        raise EditRefused("label_sv", "a step needs a Swedish name")
    if len(sv) > 120 or len(en) > 120:
        raise EditRefused("label_long", "a name is at most 120 characters")
    if any(unicodedata.category(c) == "Cc" for c in sv + en):  # the YAML download would be refused
        raise EditRefused("label_control", "a name cannot hold control characters")
    return {"sv": sv, "en": en or sv}


def _checked(cls, data: dict, what: str) -> dict:
    """The item as the schema writes it, or EditRefused naming the field that is wrong."""
    try:
        obj = cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or what
        raise EditRefused("invalid", f"{what}: {where}: {err['msg']}", field=where, what=what) from None
    return obj.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)


def _ids(doc: dict, collection: str) -> set[str]:
    return {it["id"] for it in doc["model"].get(collection, [])}


# --- actions -----------------------------------------------------------------------


def add_step(doc: dict, kind: str, lane: str, sv: str, en: str | None = None, *,
             after: str | None = None, column: int | None = None) -> Edit:
    """A new step of `kind` in `lane`, named in Swedish (and English), after step `after`."""
    if kind not in STEP_KINDS:
        raise EditRefused("kind", f"unknown step kind {kind!r}; expected one of {', '.join(STEP_KINDS)}", kind=kind)
    if lane not in _ids(doc, "lanes"):
        raise EditRefused("no_lane", f"no lane {lane!r} in the model", lane=lane)
    label = _label(sv, en)
    sid = _unique_id(doc, label["sv"])
    step = _checked(Step, {"id": sid, "label": label, "lane": lane, "kind": kind,
                           **copy.deepcopy(STEP_DEFAULTS[kind])}, "step")
    index = None
    if after is not None:
        index = _step(doc, after)[0] + 1
    puts = [Put("steps", sid, step, index)]
    if column is not None:
        puts.append(Put("layout", sid, {"step": sid, "column": int(column)}))
    return Edit("add_step", sid, tuple(puts), {"kind": kind, "lane": lane})


def move_step(doc: dict, step_id: str, *, lane: str | None = None, column: int | None = None) -> Edit:
    """Put a step in another lane and/or journey column (the column is a layout hint)."""
    _, step = _step(doc, step_id)
    puts = []
    if lane is not None and lane != step["lane"]:
        if lane not in _ids(doc, "lanes"):
            raise EditRefused("no_lane", f"no lane {lane!r} in the model", lane=lane)
        puts.append(Put("steps", step_id, {**step, "lane": lane}))
    if column is not None:
        puts.append(Put("layout", step_id, {"step": step_id, "column": max(0, int(column))}))
    if not puts:
        raise EditRefused("nothing", "the step is already there")
    return Edit("move_step", step_id, tuple(puts), {"lane": lane, "column": column})


def rename_step(doc: dict, step_id: str, sv: str, en: str | None = None) -> Edit:
    _, step = _step(doc, step_id)
    label = _label(sv, en)
    return Edit("rename_step", step_id, (Put("steps", step_id, {**step, "label": label}),), {"label": label})


#: Step fields the step panel edits; a value of None removes the field.
STEP_FIELDS = ("kind", "duration", "patience", "requests", "success", "discipline", "balk_at", "outcome")


def update_step(doc: dict, step_id: str, **changes) -> Edit:
    """Change a step's kind, duration, patience, resources, success or outcome."""
    _, step = _step(doc, step_id)
    unknown = set(changes) - set(STEP_FIELDS)
    if unknown:
        raise EditRefused("field", f"cannot edit {', '.join(sorted(unknown))} of a step", field=sorted(unknown)[0])
    new = dict(step)
    for key, value in changes.items():
        if value is None or value == []:
            new.pop(key, None)
        else:
            new[key] = value
    for req in new.get("requests", []):
        if req.get("pool") not in _ids(doc, "pools"):
            raise EditRefused("no_pool", f"no pool {req.get('pool')!r} in the model", pool=req.get("pool"))
    new = _checked(Step, new, f"step {step_id}")
    if new == step:
        raise EditRefused("nothing", "nothing changed")
    return Edit("update_step", step_id, (Put("steps", step_id, new),), {"fields": sorted(changes)})


def delete_step(doc: dict, step_id: str) -> Edit:
    """Remove a step and its flows; its notes are kept aside (`detached`) to move to another step."""
    at, step = _step(doc, step_id)
    if len(doc["model"]["steps"]) <= 2:
        raise EditRefused("last_steps", "a model keeps at least two steps")
    puts = [Put("flows", flow_key(f), None) for f in doc["model"]["flows"] if step_id in (f["from"], f["to"])]
    for note in doc["model"].get("annotations", []):
        if note["step"] == step_id:
            puts.append(Put("annotations", note["id"], None))
            puts.append(Put("detached", note["id"], note))
    puts.append(Put("layout", step_id, None))
    puts.append(Put("steps", step_id, None))
    return Edit("delete_step", step_id, tuple(puts), {"label": step["label"]})


def _flow(doc: dict, key: str) -> tuple[int, dict]:
    flows = doc["model"]["flows"]
    at = _find(flows, "flows", key)
    if at is None:
        raise EditRefused("no_flow", f"no flow {key!r} in the model", flow=key)
    return at, flows[at]


def _flow_data(doc: dict, data: dict) -> dict:
    steps = {s["id"] for s in doc["model"]["steps"]}
    for end in ("from", "to"):
        if data.get(end) not in steps:
            raise EditRefused("no_step", f"no step {data.get(end)!r} in the model", step=data.get(end))
    if data["from"] == data["to"]:
        raise EditRefused("loop", "a flow needs two different steps")
    when = data.get("when") or {}
    when = {k: v for k, v in when.items() if v}
    for name, known in (("errands", _ids(doc, "errands")), ("segments", _ids(doc, "segments"))):
        bad = [x for x in when.get(name, []) if x not in known]
        if bad:
            raise EditRefused("condition", f"unknown {name}: {', '.join(bad)}", field=name)
    data = {k: v for k, v in {**data, "when": when or None}.items() if v is not None}
    return _checked(Flow, data, "flow")


def add_flow(doc: dict, source: str, target: str, *, probability: float = 1.0,
             when: dict | None = None, outcome: str | None = None) -> Edit:
    """A new flow between two steps, with its condition, outcome and probability."""
    flow = _flow_data(doc, {"from": source, "to": target, "probability": probability,
                            "when": when, "outcome": outcome})
    key = flow_key(flow)
    if _find(doc["model"]["flows"], "flows", key) is not None:
        raise EditRefused("duplicate_flow", "that flow is already there; change its probability instead")
    return Edit("add_flow", key, (Put("flows", key, flow),))


def update_flow(doc: dict, key: str, **changes) -> Edit:
    """Reroute a flow (`source`, `target`) or set its condition, outcome or probability."""
    at, old = _flow(doc, key)
    names = {"source": "from", "target": "to"}
    new = dict(old)
    for name, value in changes.items():
        new[names.get(name, name)] = value
    new = _flow_data(doc, new)
    new_key = flow_key(new)
    if new_key != key and _find(doc["model"]["flows"], "flows", new_key) is not None:
        raise EditRefused("duplicate_flow", "that flow is already there; change its probability instead")
    if new == old:
        raise EditRefused("nothing", "nothing changed")
    puts = (Put("flows", new_key, new, at),) if new_key == key else (Put("flows", key, None), Put("flows", new_key, new, at))
    return Edit("update_flow", new_key, puts, {"from": key, "fields": sorted(changes)})


def delete_flow(doc: dict, key: str) -> Edit:
    _flow(doc, key)
    return Edit("delete_flow", key, (Put("flows", key, None),))


def update_pool(doc: dict, pool_id: str, **changes) -> Edit:
    """Change a pool's capacity (or label); skills that no longer fit are a draft problem."""
    pools = doc["model"].get("pools", [])
    at = _find(pools, "pools", pool_id)
    if at is None:
        raise EditRefused("no_pool", f"no pool {pool_id!r} in the model", pool=pool_id)
    new = _checked(Pool, {**pools[at], **changes}, f"pool {pool_id}")
    if new == pools[at]:
        raise EditRefused("nothing", "nothing changed")
    return Edit("update_pool", pool_id, (Put("pools", pool_id, new),), {"fields": sorted(changes)})


def update_lane(doc: dict, lane_id: str, **changes) -> Edit:
    """Rename a lane or change its kind (visitor, frontstage, backstage, support)."""
    lanes = doc["model"]["lanes"]
    at = _find(lanes, "lanes", lane_id)
    if at is None:
        raise EditRefused("no_lane", f"no lane {lane_id!r} in the model", lane=lane_id)
    new = _checked(Lane, {**lanes[at], **changes}, f"lane {lane_id}")
    if new == lanes[at]:
        raise EditRefused("nothing", "nothing changed")
    return Edit("update_lane", lane_id, (Put("lanes", lane_id, new),), {"fields": sorted(changes)})


def move_note(doc: dict, note_id: str, step_id: str) -> Edit:
    """Put a model note (also one kept from a deleted step) on another step."""
    _step(doc, step_id)
    for collection in ("annotations", "detached"):
        items = _items(doc, collection)
        at = _find(items, collection, note_id)
        if at is not None:
            note = _checked(Annotation, {**items[at], "step": step_id}, f"note {note_id}")
            puts = [Put("annotations", note_id, note)]
            if collection == "detached":
                puts.insert(0, Put("detached", note_id, None))
            return Edit("move_note", note_id, tuple(puts), {"step": step_id})
    raise EditRefused("no_note", f"no note {note_id!r} in the model", note=note_id)


def restore(doc: dict, earlier: dict) -> Edit:
    """Make an earlier version the current one (itself an edit, so it can be undone)."""
    return Edit("restore", "", (Put(WHOLE, "", copy.deepcopy(earlier)),))


# --- problems per element ----------------------------------------------------------


@dataclass(frozen=True)
class ElementProblem:
    """A check's finding on the element of the draft it concerns ('step:x', 'flow:key', 'pool:x', '')."""

    element: str
    check: str
    message: str


def _element(model: ProcessModel, path: tuple) -> str:
    if len(path) >= 2 and isinstance(path[1], int):
        collection, i = path[0], path[1]
        if collection == "steps" and i < len(model.steps):
            return f"step:{model.steps[i].id}"
        if collection == "flows" and i < len(model.flows):
            f = model.flows[i]
            return "flow:" + flow_key(f.model_dump(mode="json", by_alias=True, exclude_none=True))
        if collection == "pools" and i < len(model.pools):
            return f"pool:{model.pools[i].id}"
        if collection == "lanes" and i < len(model.lanes):
            return f"lane:{model.lanes[i].id}"
    return ""


def draft_problems(doc: dict) -> list[ElementProblem]:
    """What `mbk validate` would say of the draft, each finding on the element it concerns."""
    try:
        model = document_model(doc)
    except ValidationError as exc:  # edits keep drafts type-valid; a hand-made document may not be
        return [ElementProblem("", "type", f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in exc.errors(include_url=False)]
    return [ElementProblem(_element(model, p.path), p.check, p.message) for p in _all_checks(model)]


def _all_checks(model: ProcessModel) -> list[Problem]:
    return run_checks(model)
