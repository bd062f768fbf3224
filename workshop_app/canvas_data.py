"""What the blueprint canvas draws: the model's layout as plain data for the browser.

Pure functions of a model and what the room added to it (waits, notes, problems, the
difference against its base), so tests read exactly what a browser will draw.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from process_models.diff import ModelDiff
from process_models.edit import ElementProblem, flow_key
from process_models.graph import journey_order
from process_models.layout import Layout, column_under, label_width, layout
from process_models.render import _condition_text
from process_models.schema import ProcessModel

from .texts import text

__all__ = ["CanvasNote", "canvas_graph", "canvas_texts", "drop_target", "CANVAS_TEXT_KEYS"]

#: Strings the canvas shows (toolbar, hints, the hidden step list), by their key in the canvas.
CANVAS_TEXT_KEYS = ("zoom_in", "zoom_out", "fit", "home", "connect", "zoom_in_long", "zoom_out_long", "fit_long",
                    "home_long", "connect_long", "hint", "connect_hint", "label", "list", "problems", "notes", "note",
                    "diff_added", "diff_removed", "diff_changed")


@dataclass(frozen=True)
class CanvasNote:
    """A note drawn on a step: model annotations and session notes alike."""

    id: str
    step: str
    kind: str
    text: str
    votes: int


def canvas_texts(lang: str) -> dict[str, str]:
    return {k: text(lang, f"canvas_{k}") for k in CANVAS_TEXT_KEYS}


def _flow_data(f) -> dict:
    return f.model_dump(mode="json", by_alias=True, exclude_none=True)


def canvas_graph(model: ProcessModel, lang: str, *, name: str = "main", hints: dict[str, int] | None = None,
                 waits: dict[str, float] | None = None, fill: dict[str, str] | None = None,
                 problems: list[ElementProblem] | None = None, diff: ModelDiff | None = None,
                 base: ProcessModel | None = None, notes: list[CanvasNote] | None = None,
                 editable: bool = False, show_notes: bool = True, problem_text=None) -> dict:
    """The canvas's data: lanes, steps with their places, flows with their labels, notes and marks.

    Args:
        waits: step id -> simulated mean wait (a badge on the step); `fill` its colour.
        problems: the draft's check findings; drawn red on the step or flow they concern.
        diff, base: the difference against the base; removed steps of `base` are drawn as ghosts.
        problem_text: turns an ElementProblem into the sentence shown (the UI language).
    """
    waits, fill, hints = waits or {}, fill or {}, hints or {}
    removed = [base.step(s) for s in diff.steps_removed] if (diff and base) else []
    badges = {s: (f"⏱ {w:.0f} min" if w >= 1 else "⏱ < 1 min") for s, w in waits.items()}
    if removed:  # a removed step's ghost stands where it stood in the base, not after the last column
        base_order = journey_order(base)
        hints = {**{s.id: base_order.get(s.id, 0) for s in removed}, **hints}
    geo: Layout = layout(model, lang, hints=hints, extra_steps=removed,
                         label_lines={s: 1 for s in badges})
    by_element: dict[str, list[str]] = defaultdict(list)
    general = []
    for p in problems or []:
        sentence = problem_text(p) if problem_text else p.message
        (by_element[p.element] if p.element else general).append(sentence)
    notes_by_step: dict[str, list[CanvasNote]] = defaultdict(list)
    for n in notes or []:
        notes_by_step[n.step].append(n)
    lanes = {lane.id: lane.label.get(lang) for lane in model.lanes}
    added = set(diff.steps_added) if diff else set()
    changed = set(diff.steps_changed) if diff else set()
    nodes = []
    for s in [*model.steps, *removed]:
        place = geo.steps[s.id]
        status = "removed" if s in removed else "added" if s.id in added else "changed" if s.id in changed else None
        nodes.append({
            "id": s.id, "label": s.label.get(lang), "kind": s.kind, "kind_label": text(lang, f"kind_{s.kind}"),
            "lane": s.lane, "lane_label": lanes.get(s.lane, s.lane),
            "x": round(place.x, 1), "y": round(place.y, 1), "w": round(place.width, 1), "h": round(place.height, 1),
            "column": place.column, "fill": fill.get(s.id), "badge": badges.get(s.id), "diff": status,
            "problems": by_element.get(f"step:{s.id}", []),
            "notes": [n.__dict__ for n in sorted(notes_by_step.get(s.id, []), key=lambda n: -n.votes)],
        })
    flows_added = {k for k in diff.flows_added} if diff else set()
    flows_changed = set(diff.flows_changed) if diff else set()
    edges = []
    for i, f in enumerate(model.flows):
        key = flow_key(_flow_data(f))
        dkey = _diff_key(f)
        label = _condition_text([f], model, lang)
        edges.append({
            "id": f"e{i}", "key": key, "source": f.source_step, "target": f.target_step,
            "label": label,
            "branch": len(model.outgoing(f.source_step)) > 1,
            "back": geo.is_back(f.source_step, f.target_step),
            "label_offset": round(geo.label_offset(f.source_step, f.target_step, label_width(label)), 1),
            "problems": by_element.get(f"flow:{key}", []),
            "diff": "added" if dkey in flows_added else "changed" if dkey in flows_changed else None,
        })
    return {
        "name": name, "lang": lang, "editable": editable, "show_notes": show_notes,
        "width": round(geo.width, 1), "height": round(geo.height, 1), "columns": [round(c, 1) for c in geo.columns],
        "spans": [[round(a, 1), round(b, 1)] for a, b in geo.spans],
        "lanes": [{"id": lane.id, "label": lane.label.get(lang), "kind": lane.kind,
                   "y": round(geo.lanes[lane.id].y, 1), "h": round(geo.lanes[lane.id].height, 1)} for lane in model.lanes],
        "nodes": nodes, "edges": edges, "general_problems": general, "texts": canvas_texts(lang),
    }


def _diff_key(f) -> tuple:
    from process_models.diff import flow_key as diff_flow_key

    return diff_flow_key(f)


def drop_target(graph: dict, x: float, y: float) -> tuple[str, int]:
    """The lane and journey column under a point where a step was dropped on the canvas."""
    lanes = graph["lanes"]
    inside = [lane for lane in lanes if lane["y"] <= y <= lane["y"] + lane["h"]]
    lane = inside[0] if inside else min(lanes, key=lambda ln: min(abs(y - ln["y"]), abs(y - ln["y"] - ln["h"])))
    spans = graph.get("spans") or [[c, c] for c in graph["columns"] or [0.0]]
    return lane["id"], column_under(spans, x)
