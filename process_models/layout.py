"""Where each step of a blueprint goes: lanes as bands top to bottom, steps in journey columns.

The workshop canvas draws from this layout (in CSS pixels at zoom 1). A column is a step's
journey rank (longest path from a start) unless the room moved it (a layout hint); steps that
share a lane and a column are stacked and ordered by where their neighbours are, so arrows
between lanes cross as little as the grid allows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .graph import journey_order
from .schema import ProcessModel, Step

__all__ = ["Layout", "LanePlace", "StepPlace", "layout", "step_size", "wrap"]

FONT_PX = 14          # step labels at zoom 1 (the issue asks for at least 12 px on a laptop)
CHAR_PX = 7.6         # mean width of a character of the UI font at FONT_PX
LINE_PX = 18
LANE_LABEL_PX = 170   # the band at the left with the lane names
LANE_PAD = 20
SLOT_GAP = 36         # between steps that share a lane and a journey column
COLUMN_GAP = 70
BRANCH_GAP = 120      # after a decision: room for the branch labels on its arrows
WRAP = {"decision": 14, "default": 18}


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap (a word longer than `width` keeps its own line)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def step_size(step: Step, label: str, extra_lines: int = 0) -> tuple[float, float]:
    """Width and height of a drawn step in pixels, from its wrapped label."""
    lines = wrap(label, WRAP["decision"] if step.kind == "decision" else WRAP["default"]) or [""]
    text_w = max(len(line) for line in lines) * CHAR_PX
    text_h = (len(lines) + extra_lines) * LINE_PX
    if step.kind == "decision":
        return max(120.0, text_w * 1.7 + 30), max(80.0, text_h * 1.9 + 20)
    if step.kind in ("start", "end"):
        return max(100.0, text_w * 1.2 + 30), max(48.0, text_h + 22)
    return max(120.0, text_w + 28), max(52.0, text_h + 22)


@dataclass(frozen=True)
class StepPlace:
    x: float
    y: float
    width: float
    height: float
    column: int


@dataclass(frozen=True)
class LanePlace:
    y: float
    height: float


@dataclass
class Layout:
    """Step centres and sizes, lane bands and column centres; `width` and `height` of the whole."""

    steps: dict[str, StepPlace] = field(default_factory=dict)
    lanes: dict[str, LanePlace] = field(default_factory=dict)
    columns: list[float] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0

    def lane_at(self, y: float) -> str | None:
        """The lane whose band holds height `y` (the nearest one outside the bands)."""
        if not self.lanes:
            return None
        return min(self.lanes, key=lambda lid: 0 if self.lanes[lid].y <= y <= self.lanes[lid].y
                   + self.lanes[lid].height else min(abs(y - self.lanes[lid].y),
                                                     abs(y - self.lanes[lid].y - self.lanes[lid].height)))

    def column_at(self, x: float) -> int:
        """The journey column nearest to `x`."""
        if not self.columns:
            return 0
        return min(range(len(self.columns)), key=lambda c: abs(self.columns[c] - x))


def _xs(cells: dict, centres: list[float], sizes: dict) -> dict[str, float]:
    """The x of every step when each cell's steps sit side by side around its column's centre."""
    xs = {}
    for (_lane, c), here in cells.items():
        left = centres[c] - (sum(sizes[s.id][0] for s in here) + SLOT_GAP * (len(here) - 1)) / 2
        for s in here:
            xs[s.id] = left + sizes[s.id][0] / 2
            left += sizes[s.id][0] + SLOT_GAP
    return xs


def _columns(model: ProcessModel, steps: list[Step], hints: dict[str, int]) -> dict[str, int]:
    order = journey_order(model)
    last = max(order.values(), default=0)
    col = {}
    fed = {f.target_step for f in model.flows}
    previous = 0
    for s in steps:
        if s.id in hints:
            col[s.id] = hints[s.id]
        elif s.id not in fed and s.kind != "start":  # not connected yet: just after the step before it in the list
            col[s.id] = previous + 1
        else:
            col[s.id] = order.get(s.id, last)
        previous = col[s.id]
    # compact: no empty columns between used ones
    used = sorted(set(col.values()))
    remap = {c: i for i, c in enumerate(used)}
    return {sid: remap[c] for sid, c in col.items()}


def layout(model: ProcessModel, lang: str = "sv", *, hints: dict[str, int] | None = None,
           extra_steps: list[Step] | None = None, extra_lanes: list | None = None,
           label_lines: dict[str, int] | None = None) -> Layout:
    """The blueprint's geometry for `model` (plus `extra_steps`, e.g. removed ones in a diff).

    Args:
        hints: step id -> journey column the room put it in (overrides the computed rank).
        extra_lanes: lanes of another model those extra steps need (drawn below the model's own).
        label_lines: step id -> extra text lines drawn in the step (a wait badge).
    """
    steps = list(model.steps) + [s for s in (extra_steps or []) if s.id not in {m.id for m in model.steps}]
    lanes = list(model.lanes) + [ln for ln in (extra_lanes or []) if ln.id not in {m.id for m in model.lanes}]
    lane_ids = {lane.id for lane in lanes}
    cols = _columns(model, steps, hints or {})
    sizes = {s.id: step_size(s, s.label.get(lang), (label_lines or {}).get(s.id, 0)) for s in steps}

    # cells: lane x column -> steps; a cell's steps sit side by side, so every lane is one row
    # high and the whole blueprint fits a laptop's height; the band of a column is as wide as
    # its widest cell, plus room for branch labels after a decision
    cells: dict[tuple[str, int], list[Step]] = defaultdict(list)
    for s in steps:
        lane = s.lane if s.lane in lane_ids else lanes[-1].id
        cells[(lane, cols[s.id])].append(s)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for f in model.flows:
        neighbours[f.source_step].append(f.target_step)
        neighbours[f.target_step].append(f.source_step)
    lane_rank = {lane.id: i for i, lane in enumerate(lanes)}
    step_lane = {s.id: lane_rank.get(s.lane, len(lanes)) for s in steps}

    def pull(s: Step) -> float:
        near = [step_lane[n] for n in neighbours[s.id] if n in step_lane]
        return sum(near) / len(near) if near else lane_rank.get(s.lane, 0)

    for key in cells:
        cells[key].sort(key=pull)
    ncols = max(cols.values(), default=0) + 1
    band = [100.0] * ncols
    fan = [0.0] * ncols
    for (lane, c), here in cells.items():
        band[c] = max(band[c], sum(sizes[s.id][0] for s in here) + SLOT_GAP * (len(here) - 1))
    for s in steps:
        if s.kind in ("decision", "self_service") and len(model.outgoing(s.id)) > 1:
            fan[cols[s.id]] = BRANCH_GAP
    centres, x = [], float(LANE_LABEL_PX + 30)
    for c in range(ncols):
        centres.append(x + band[c] / 2)
        x += band[c] + COLUMN_GAP + fan[c]

    # order the steps that share a cell by where their arrows go: by the mean x of the steps before
    # them, then (for ties, as the branches of one decision) by the steps after; parallel arrows
    # instead of crossing ones
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for f in model.flows:
        if f.source_step in cols and f.target_step in cols and cols[f.target_step] > cols[f.source_step]:
            preds[f.target_step].append(f.source_step)
            succs[f.source_step].append(f.target_step)
    for _sweep in range(2):
        xs = _xs(cells, centres, sizes)
        for key, here in cells.items():
            def order(s: Step, xs=xs) -> tuple:
                before = [xs[p] for p in preds[s.id] if p in xs]
                after = [xs[n] for n in succs[s.id] if n in xs]
                return (sum(before) / len(before) if before else 0.0, sum(after) / len(after) if after else 0.0)
            here.sort(key=order)

    out = Layout(columns=centres, width=x + 10)
    y = 0.0
    for lane in lanes:
        here_all = [s for (lid, _c), v in cells.items() if lid == lane.id for s in v]
        inner = max((sizes[s.id][1] for s in here_all), default=52.0)
        height = inner + 2 * LANE_PAD
        out.lanes[lane.id] = LanePlace(y=y, height=height)
        for (lid, c), here in cells.items():
            if lid != lane.id:
                continue
            total = sum(sizes[s.id][0] for s in here) + SLOT_GAP * (len(here) - 1)
            left = centres[c] - total / 2
            for s in here:
                w, h = sizes[s.id]
                out.steps[s.id] = StepPlace(x=left + w / 2, y=y + height / 2, width=w, height=h, column=c)
                left += w + SLOT_GAP
        y += height
    out.height = y
    return out
