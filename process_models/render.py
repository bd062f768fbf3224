"""Draw a process model as a service blueprint with graphviz.

One horizontal swimlane (cluster) per lane in model order, steps placed left to right in
journey order, branch probabilities and conditions on the edges, markers for pain points,
ideas and questions. The apps pass `fill` and `badges` to paint simulated waits on steps.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from pathlib import Path
from typing import Mapping

import graphviz

from .diff import ModelDiff
from .graph import journey_order
from .layout import LANE_LABEL_PX, WRAP, label_width, layout, wrap
from .schema import ProcessModel

__all__ = ["FORMATS", "blueprint", "diff_blueprint", "write", "LANE_COLOURS", "KIND_STYLE"]

FORMATS = ("svg", "png", "pdf", "dot")
FONT = "DejaVu Sans"
#: A branch label's line length, in characters: about the canvas's 150 px at 12 px type.
BRANCH_LABEL_CHARS = 24
#: Points per canvas pixel: graphviz sets the labels at 15 pt where the canvas uses 14 px.
SCALE = 1.12

LANE_COLOURS = {
    "visitor": "#e8f1fb",
    "frontstage": "#eaf6ea",
    "backstage": "#f3ecf8",
    "support": "#f2f2f2",
}
KIND_STYLE = {
    "start": dict(shape="oval", style="filled", fillcolor="#1f5fa8", fontcolor="white"),
    "end": dict(shape="oval", style="filled", fillcolor="#1f5fa8", fontcolor="white"),
    "task": dict(shape="box", style="rounded,filled", fillcolor="white"),
    "queue": dict(shape="box", style="rounded,filled,dashed", fillcolor="#fff4d6"),
    "decision": dict(shape="diamond", style="filled", fillcolor="#fffbe6"),
    "self_service": dict(shape="box", style="rounded,filled", fillcolor="#dff3e4"),
}
DIFF_COLOURS = {"added": "#2e7d32", "removed": "#c62828", "changed": "#ef6c00"}
LEGEND = {
    "sv": [("task", "Uppgift"), ("queue", "Kö / väntan"), ("self_service", "Självservice"),
           ("decision", "Beslut"), ("start", "Start / slut")],
    "en": [("task", "Task"), ("queue", "Queue / wait"), ("self_service", "Self-service"),
           ("decision", "Decision"), ("start", "Start / end")],
}
WORDS = {
    "sv": {"pain_point": "problem", "idea": "idéer", "question": "frågor", "errands": "ärenden",
           "success": "klarar själv", "failure": "behöver hjälp", "legend": "Förklaring"},
    "en": {"pain_point": "pain points", "idea": "ideas", "question": "questions", "errands": "errands",
           "success": "manages alone", "failure": "needs help", "legend": "Legend"},
}
MARKERS = {"pain_point": ("⚠", "#c62828"), "idea": ("★", "#b8860b"), "question": ("?", "#1f5fa8")}


def _step_label(step, lang: str, notes: Counter, badge: str | None) -> str:
    rows = "<BR/>".join(html.escape(l) for l in wrap(step.label.get(lang), WRAP["decision"] if step.kind == "decision" else WRAP["default"]))
    extra = []
    for kind, (symbol, colour) in MARKERS.items():
        if notes[(step.id, kind)]:
            extra.append(f'<FONT COLOR="{colour}">{symbol} {notes[(step.id, kind)]}</FONT>')
    label = f"<B>{rows}</B>" if step.kind in ("start", "end") else rows
    if extra:
        label += '<BR/><FONT POINT-SIZE="12">' + "  ".join(extra) + "</FONT>"
    if badge:
        label += f'<BR/><FONT POINT-SIZE="12"><B>{html.escape(badge)}</B></FONT>'
    return f"<{label}>"


def _condition_text(flows, model: ProcessModel, lang: str) -> str:
    errand_labels = {e.id: e.label.get(lang) for e in model.errands}
    segment_labels = {s.id: s.label.get(lang) for s in model.segments}
    parts = []
    for f in flows:
        bits = []
        if f.outcome:
            bits.append(WORDS[lang][f.outcome])
        if f.when and f.when.errands:
            names = [errand_labels.get(e, e) for e in f.when.errands]
            bits.append(", ".join(names) if len(names) <= 2 else f"{len(names)} {WORDS[lang]['errands']}")
        if f.when and f.when.segments:
            names = [segment_labels.get(s, s) for s in f.when.segments]
            bits.append(", ".join(names) if len(names) <= 2 else f"{len(names)} segm.")
        if f.probability < 1:
            bits.append(f"{f.probability:.0%}".replace("%", " %"))
        if bits:
            parts.append(" · ".join(bits))
    return "\n".join(dict.fromkeys(parts))


def _legend(lang: str) -> str:
    """An HTML-like table explaining step styles and note markers, drawn under the lanes."""
    cells = []
    for kind, text in LEGEND[lang]:
        style = KIND_STYLE[kind]
        colour = style.get("fontcolor", "black")
        cells.append(f'<TD BGCOLOR="{style["fillcolor"]}" BORDER="1" CELLPADDING="5">'
                     f'<FONT COLOR="{colour}">{html.escape(text)}</FONT></TD>')
    for kind, (symbol, colour) in MARKERS.items():
        cells.append(f'<TD CELLPADDING="5"><FONT COLOR="{colour}">{symbol}</FONT> {WORDS[lang][kind]}</TD>')
    return f'<<TABLE BORDER="0" CELLSPACING="8"><TR>{"".join(cells)}</TR></TABLE>>'


def blueprint(
    model: ProcessModel,
    lang: str = "sv",
    *,
    fill: Mapping[str, str] | None = None,
    badges: Mapping[str, str] | None = None,
    outline: Mapping[str, str] | None = None,
    extra_steps: list | None = None,
    extra_lanes: list | None = None,
    title: str | None = None,
    hints: Mapping[str, int] | None = None,
) -> graphviz.Digraph:
    """The service blueprint of `model` as a graphviz Digraph (render with `write`).

    Lanes are stacked top to bottom in model order and steps sit in a grid: the column
    is the journey order, the row a slot inside the lane. The grid is fixed here (dot
    would reorder lanes to save crossings); neato only routes the edges around the steps.

    Args:
        fill: step id -> fill colour, e.g. simulated wait painted on the steps.
        badges: step id -> short text shown under the label (e.g. "12 min").
        outline: step id -> border colour (used by the diff view).
        extra_steps: steps of another model to draw too (removed steps in a diff).
        extra_lanes: lanes of another model those steps need (appended at the bottom).
        hints: step id -> journey column (a removed step where it stood in the old model).
    """
    fill, badges, outline = fill or {}, badges or {}, outline or {}
    steps = list(model.steps) + list(extra_steps or [])
    lanes = list(model.lanes) + list(extra_lanes or [])
    notes = Counter((a.step, a.kind) for a in model.annotations)
    marked = {sid for sid, _kind in notes}
    geo = layout(model, lang, hints=dict(hints or {}), extra_steps=extra_steps, extra_lanes=extra_lanes,
                 label_lines={s.id: (s.id in badges) + (s.id in marked) for s in steps})
    grouped = defaultdict(list)
    for f in model.flows:
        grouped[(f.source_step, f.target_step)].append(f)
    edge_labels = {edge: _condition_text(flows, model, lang) for edge, flows in grouped.items()}
    width, height = geo.width * SCALE + 10, geo.height * SCALE

    g = graphviz.Digraph(model.id, engine="neato")
    g.attr(splines="true", sep="+2", outputorder="edgesfirst", fontname=FONT, fontsize="24", labelloc="t",
           labeljust="l", label=title if title is not None else model.name.get(lang), pad="0.3")
    g.attr("node", fontname=FONT, fontsize="15", margin="0.12,0.06", penwidth="1.4")
    g.attr("edge", fontname=FONT, fontsize="12", color="#555555", fontcolor="#333333", arrowsize="0.8")

    # the same geometry as the workshop canvas (process_models/layout.py); graphviz's y grows upwards
    background = []
    for lane in lanes:
        band = geo.lanes[lane.id]
        y, lane_h = height - (band.y + band.height) * SCALE, band.height * SCALE
        background.append(
            f"c 7 -#9e9e9e C 7 -{LANE_COLOURS[lane.kind]} "
            f"P 4 0 {y:.0f} {width} {y:.0f} {width} {y + lane_h:.0f} 0 {y + lane_h:.0f} "
        )
        with g.subgraph(name=f"cluster_{lane.id}") as c:
            c.attr(label=lane.label.get(lang))
            lane_text = "<BR/>".join(html.escape(t) for t in wrap(lane.label.get(lang), 16))
            c.node(f"lane__{lane.id}", label=f"<<B>{lane_text}</B>>",
                   shape="plain", fontsize="16", pos=f"{LANE_LABEL_PX * SCALE / 2:.0f},{y + lane_h / 2:.0f}!")
            for s in steps:
                if (s.lane if s.lane in geo.lanes else lanes[-1].id) != lane.id:
                    continue
                place = geo.steps[s.id]
                style = dict(KIND_STYLE[s.kind])
                if s.id in fill:
                    style["fillcolor"] = fill[s.id]
                if s.id in outline:
                    style.update(color=outline[s.id], penwidth="4")
                c.node(s.id, label=_step_label(s, lang, notes, badges.get(s.id)), tooltip=s.id,
                       pos=f"{place.x * SCALE:.0f},{height - place.y * SCALE:.0f}!", **style)
    g.attr(_background="".join(background))
    g.node("legend", label=_legend(lang), shape="plain", fontsize="13", pos=f"{width / 2:.0f},-28!")

    ways_out = Counter(a for a, _b in edge_labels)
    for i, ((a, b), text) in enumerate(edge_labels.items()):
        if text and ways_out[a] > 1 and a in geo.steps and b in geo.steps:
            # a branch's label where the canvas puts it (layout.label_point), not piled at the decision
            lines = [part for line in text.split("\n") for part in wrap(line, BRANCH_LABEL_CHARS)]
            x, y = geo.label_point(a, b, label_width(text))
            g.node(f"label__{i}", label="\n".join(lines), shape="plain", fontsize="12", fontcolor="#333333",
                   pos=f"{x * SCALE:.0f},{height - y * SCALE:.0f}!")
            g.edge(a, b)
        else:
            g.edge(a, b, label=text)
    return g


def diff_blueprint(old: ProcessModel, new: ProcessModel, diff: ModelDiff, lang: str = "sv") -> graphviz.Digraph:
    """The new model's blueprint with added (green), removed (red) and changed (orange) steps."""
    outline = {sid: DIFF_COLOURS["added"] for sid in diff.steps_added}
    outline.update({sid: DIFF_COLOURS["changed"] for sid in diff.steps_changed})
    removed = [old.step(sid) for sid in diff.steps_removed]
    new_lanes = {lane.id for lane in new.lanes}
    gone_lanes = [lane for lane in old.lanes if lane.id not in new_lanes and any(s.lane == lane.id for s in removed)]
    outline.update({s.id: DIFF_COLOURS["removed"] for s in removed})
    fill = {s.id: "#fde0e0" for s in removed}
    fill.update({sid: "#e2f5e3" for sid in diff.steps_added if new.step(sid).kind not in ("start", "end")})
    words = {"sv": ("tillagt", "borttaget", "ändrat"), "en": ("added", "removed", "changed")}[lang]
    counts = (
        f'<FONT COLOR="{DIFF_COLOURS["added"]}">+{len(diff.steps_added)} {words[0]}</FONT>   '
        f'<FONT COLOR="{DIFF_COLOURS["removed"]}">−{len(diff.steps_removed)} {words[1]}</FONT>   '
        f'<FONT COLOR="{DIFF_COLOURS["changed"]}">~{len(diff.steps_changed)} {words[2]}</FONT>'
    )
    title = f"<{html.escape(old.name.get(lang))}  →  {html.escape(new.name.get(lang))}<BR/>{counts}>"
    old_order = journey_order(old)
    return blueprint(new, lang, fill=fill, outline=outline, extra_steps=removed, extra_lanes=gone_lanes,
                     title=title, hints={s.id: old_order.get(s.id, 0) for s in removed})


def write(graph: graphviz.Digraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write the graph to `path` in `fmt` (svg, png, pdf, dot; default from the suffix)."""
    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".").lower() or "svg"
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "dot":
        path.write_text(graph.source, encoding="utf-8")
    else:
        if fmt == "png":
            graph = graph.copy()
            graph.attr(dpi="110")
        # -n2: keep our positions and route the edges only
        path.write_bytes(graph.pipe(format=fmt, neato_no_op=2))
    return path
