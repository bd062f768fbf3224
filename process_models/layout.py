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

__all__ = ["Layout", "LanePlace", "StepPlace", "column_under", "label_width", "layout", "step_size", "wrap"]

FONT_PX = 14          # step labels at zoom 1 (the issue asks for at least 12 px on a laptop)
CHAR_PX = 7.6         # mean width of a character of the UI font at FONT_PX
LINE_PX = 18
LANE_LABEL_PX = 170   # the band at the left with the lane names
LANE_PAD = 20
SLOT_GAP = 36         # between steps that share a lane and a journey column
ROW_GAP = 22          # between the rows of a cell whose steps are stacked (branches within one lane)
COLUMN_GAP = 70
BRANCH_GAP = 120      # after a decision: room for the branch labels on its arrows
WRAP = {"decision": 14, "default": 18}
BRANCH_LABEL_AT = 0.68  # a branch's label sits this far along its arrow: near its own target, apart from its siblings'
BRANCH_LABEL_MIN_PX = 62  # but never closer to the branching step than this
LABEL_CLEAR_PX = 40  # and never within this of either step's edge (a short arrow: its middle)
LABEL_MAX_PX = 150  # a flow label wraps at this width (the canvas's text-max-width)
LABEL_CHAR_PX = 6.6  # mean width of a character at the labels' 12 px


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


def label_width(text: str) -> float:
    """About how wide a flow's label is drawn, in pixels: its longest line, wrapped at LABEL_MAX_PX."""
    longest = max((len(line) for line in text.split("\n")), default=0)
    return min(LABEL_MAX_PX, longest * LABEL_CHAR_PX)


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
    stacked: dict[str, str] = field(default_factory=dict)  # step id -> the step straight above or below it
    spans: list[tuple[float, float]] = field(default_factory=list)  # each column's left and right edge

    def is_back(self, source: str, target: str) -> bool:
        """Whether the arrow from `source` to `target` runs back against the journey (drawn curved)."""
        src, dst = self.steps.get(source), self.steps.get(target)
        if not (src and dst) or source == target:
            return False
        return dst.column < src.column or (dst.column == src.column and self.stacked.get(target) != source)

    def label_offset(self, source: str, target: str, label_px: float = 0.0) -> float:
        """How far past `source`'s edge a branch's label sits along its arrow, in pixels (Cytoscape's offset).

        Labels of one decision's branches at the same short distance pile up at the decision;
        at a fixed share of each arrow they sit as far apart as the branches' targets do. A label
        `label_px` wide keeps clear of both steps; on an arrow too short for that, its middle.
        """
        src, dst = self.steps.get(source), self.steps.get(target)
        if not (src and dst):
            return BRANCH_LABEL_MIN_PX
        length, from_edge, to_edge, across = _along(src, dst)
        if length == 0:
            return BRANCH_LABEL_MIN_PX
        clear = LABEL_CLEAR_PX + label_px / 2 * across
        free_from, free_to = from_edge + clear, length - to_edge - clear
        if free_to <= free_from:
            return (length - to_edge - from_edge) / 2
        return min(free_to, max(free_from, BRANCH_LABEL_MIN_PX, BRANCH_LABEL_AT * length)) - from_edge

    def label_point(self, source: str, target: str, label_px: float = 0.0) -> tuple[float, float]:
        """Where a branch's label sits: `label_offset` past the source's edge on the line between the centres."""
        src, dst = self.steps[source], self.steps[target]
        length, from_edge, _to_edge, _across = _along(src, dst)
        t = min(1.0, (from_edge + self.label_offset(source, target, label_px)) / (length or 1.0))
        return src.x + (dst.x - src.x) * t, src.y + (dst.y - src.y) * t

    def lane_at(self, y: float) -> str | None:
        """The lane whose band holds height `y` (the nearest one outside the bands)."""
        if not self.lanes:
            return None
        return min(self.lanes, key=lambda lid: 0 if self.lanes[lid].y <= y <= self.lanes[lid].y
                   + self.lanes[lid].height else min(abs(y - self.lanes[lid].y),
                                                     abs(y - self.lanes[lid].y - self.lanes[lid].height)))

    def column_at(self, x: float) -> int:
        """The journey column under `x` (the nearest one between columns)."""
        return column_under(self.spans or [(c, c) for c in self.columns], x)


def column_under(spans: list, x: float) -> int:
    """The column whose band (left, right) holds `x`, else the one whose band is nearest."""
    if not spans:
        return 0
    return min(range(len(spans)), key=lambda c: 0.0 if spans[c][0] <= x <= spans[c][1]
               else min(abs(x - spans[c][0]), abs(x - spans[c][1])))


def _along(src: StepPlace, dst: StepPlace) -> tuple[float, float, float, float]:
    """The straight arrow between two steps' centres: its length, how much of it lies inside the
    source's and the target's boxes, and how horizontal it is (|cos|, 1 for a level arrow)."""
    dx, dy = dst.x - src.x, dst.y - src.y
    length = (dx ** 2 + dy ** 2) ** 0.5
    if length == 0:
        return 0.0, 0.0, 0.0, 0.0

    def edge(place: StepPlace) -> float:
        return min(place.width / 2 / abs(dx / length) if dx else float("inf"),
                   place.height / 2 / abs(dy / length) if dy else float("inf"))

    return length, edge(src), edge(dst), abs(dx) / length


def _pack(here: list[Step], want: dict[str, float], sizes: dict) -> dict[str, float]:
    """Steps of one cell side by side in the order of the x they want, moved as little as they can."""
    here = sorted(here, key=lambda s: want[s.id])
    xs, right = {}, None
    for s in here:
        w = sizes[s.id][0]
        x = want[s.id] if right is None else max(want[s.id], right + SLOT_GAP + w / 2)
        xs[s.id], right = x, x + w / 2
    shift = sum(xs[s.id] - want[s.id] for s in here) / len(here)
    return {sid: x - shift for sid, x in xs.items()}


def _centred(here: list[Step], sizes: dict, at: float = 0.0) -> dict[str, float]:
    """Steps of one cell side by side around `at`, in the cell's order."""
    left = at - (sum(sizes[s.id][0] for s in here) + SLOT_GAP * (len(here) - 1)) / 2
    xs = {}
    for s in here:
        xs[s.id] = left + sizes[s.id][0] / 2
        left += sizes[s.id][0] + SLOT_GAP
    return xs


def _column_xs(cells: dict, c: int, sizes: dict, stacked: dict[str, str], lane_rank: dict[str, int],
               rows: set) -> dict[str, float]:
    """The x of every step of column `c`, relative to the column (0 is where its first cell is centred).

    A stacked step sits straight under (or over) the step before it, so that arrow runs straight
    down; the other steps of a cell make way for such steps and for the arrows that cross their
    lane, and stand before them (their arrows mostly come from the left).
    """
    here_by_lane = {lane: here for (lane, cc), here in cells.items() if cc == c}
    rel: dict[str, float] = {}
    for lane, here in here_by_lane.items():
        if (lane, c) in rows:  # one above the other: every step at the column's centre
            rel.update({s.id: 0.0 for s in here})
        else:
            rel.update(_centred([s for s in here if s.id not in stacked], sizes))
    for lane, here in here_by_lane.items():
        followers = [s for s in here if s.id in stacked]
        if followers and (lane, c) not in rows:
            rel.update(_pack(followers, {s.id: rel[stacked[s.id]] for s in followers}, sizes))
    lane_of = {s.id: lane for lane, here in here_by_lane.items() for s in here}
    taken: dict[str, list[tuple[float, float]]] = defaultdict(list)  # lane -> x ranges the others must leave
    for follower, above in stacked.items():
        if follower not in lane_of or above not in lane_of:
            continue
        w = sizes[follower][0] / 2
        taken[lane_of[follower]].append((rel[follower] - w, rel[follower] + w))
        a, b = sorted((lane_rank[lane_of[follower]], lane_rank[lane_of[above]]))
        for lane in here_by_lane:
            if a < lane_rank[lane] < b:
                xs = (rel[above], rel[follower])
                taken[lane].append((min(xs), max(xs)))
    for lane, ranges in taken.items():
        anchors = [s for s in here_by_lane[lane] if s.id not in stacked]
        if not anchors or (lane, c) in rows:
            continue
        lefts = [rel[s.id] - sizes[s.id][0] / 2 for s in anchors]
        rights = [rel[s.id] + sizes[s.id][0] / 2 for s in anchors]
        if any(lo - SLOT_GAP / 2 < r_hi and r_lo < hi + SLOT_GAP / 2
               for r_lo, r_hi in ranges for lo, hi in zip(lefts, rights)):
            shift = min(r_lo for r_lo, _r_hi in ranges) - SLOT_GAP - max(rights)
            rel.update({s.id: rel[s.id] + shift for s in anchors})
    return rel


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
    return _compact(col)


def _compact(cols: dict[str, int]) -> dict[str, int]:
    """The same columns with no empty ones between those used."""
    remap = {c: i for i, c in enumerate(sorted(set(cols.values())))}
    return {sid: remap[c] for sid, c in cols.items()}


def _rows_height(here: list[Step], sizes: dict) -> float:
    """The height of a cell's steps stacked one above the other."""
    return sum(sizes[s.id][1] for s in here) + ROW_GAP * (len(here) - 1)


def _row_cells(model: ProcessModel, cells: dict, cols: dict[str, int]) -> set:
    """Cells whose steps stack one above the other: two or more reached from their own lane.

    A decision's branches to its own lane, side by side, would have their arrows run through
    each other's steps; one above the other, each arrow has its own way.
    """
    lane_of = {s.id: lane for (lane, _c), here in cells.items() for s in here}
    from_own_lane = {f.target_step for f in model.flows
                     if f.source_step in cols and f.target_step in cols and cols[f.source_step] < cols[f.target_step]
                     and lane_of.get(f.source_step) == lane_of.get(f.target_step)}
    return {key for key, here in cells.items() if sum(s.id in from_own_lane for s in here) > 1}


def _cells(steps: list[Step], cols: dict[str, int], lanes: list) -> dict[tuple[str, int], list[Step]]:
    """Lane x column -> the steps in it (a step of an unknown lane goes to the last one)."""
    lane_ids = {lane.id for lane in lanes}
    cells: dict[tuple[str, int], list[Step]] = defaultdict(list)
    for s in steps:
        cells[(s.lane if s.lane in lane_ids else lanes[-1].id, cols[s.id])].append(s)
    return cells


def _stack(model: ProcessModel, steps: list[Step], cols: dict[str, int], hints: dict[str, int],
           room: dict[str, tuple[bool, bool]], step_lane: dict[str, int]) -> dict[str, str]:
    """Steps that go straight under (or over) the one step before them, as a blueprint draws them.

    A step whose one way in comes from the column before, from another lane (a queue and the
    staff who serve it), moves into that step's column, so the arrow runs straight across the
    lanes instead of converging with its neighbours'. Not in chains, not for a start or an end,
    not for a step the room placed itself, not after a decision (its branches need room for labels),
    not across the other steps of a stacked cell (`room`: whether a step of one is the top or the
    bottom one; only those have a free way up or down).
    """
    by_id = {s.id: s for s in steps}
    ways_in: dict[str, set[str]] = defaultdict(set)
    near: dict[str, set[str]] = defaultdict(set)
    for f in model.flows:
        if f.source_step != f.target_step:
            ways_in[f.target_step].add(f.source_step)
        near[f.source_step].add(f.target_step)
        near[f.target_step].add(f.source_step)
    stacked: dict[str, str] = {}
    for s in steps:
        sources = ways_in.get(s.id, set())
        if s.id in hints or s.kind in ("start", "end") or len(sources) != 1:
            continue
        (above,) = sources
        if above in stacked or above not in by_id or by_id[above].lane == s.lane or cols[s.id] != cols[above] + 1:
            continue
        if above in room and not room[above][0 if step_lane[s.id] < step_lane[above] else 1]:
            continue
        side = step_lane[s.id] - step_lane[above]
        if any((step_lane[n] - step_lane[above]) * side > side * side for n in near[above] if n in step_lane):
            continue  # another arrow of `above` runs past this lane: it would cross the stacked step
        if by_id[above].kind != "queue" and len(model.outgoing(above)) > 1:
            continue  # a branch keeps its room for the labels on its arrows
        stacked[s.id] = above
    partners = set(stacked.values())  # a step that others sit under does not itself move
    stacked = {follower: above for follower, above in stacked.items() if follower not in partners}
    for follower, above in stacked.items():
        cols[follower] = cols[above]
    cols.update(_compact(cols))
    return stacked


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
    cols = _columns(model, steps, hints or {})
    lane_rank = {lane.id: i for i, lane in enumerate(lanes)}
    step_lane = {s.id: lane_rank.get(s.lane, len(lanes)) for s in steps}
    onward: dict[str, list[str]] = defaultdict(list)
    for f in model.flows:
        onward[f.source_step].append(f.target_step)

    def down(s: Step) -> float:
        """Where a step of a stacked cell goes: as its arrows go on, to the lanes above first."""
        near = [step_lane[n] for n in onward[s.id] if n in step_lane]
        return sum(near) / len(near) if near else step_lane[s.id]

    before = _cells(steps, cols, lanes)
    room: dict[str, tuple[bool, bool]] = {}  # a stacked cell's step -> (free above it, free below it)
    for key in _row_cells(model, before, cols):
        here = sorted(before[key], key=down)
        room.update({s.id: (i == 0, i == len(here) - 1) for i, s in enumerate(here)})
    stacked = _stack(model, steps, cols, hints or {}, room, step_lane)
    sizes = {s.id: step_size(s, s.label.get(lang), (label_lines or {}).get(s.id, 0)) for s in steps}

    # cells: lane x column -> steps; a cell's steps sit side by side, so every lane is one row
    # high and the whole blueprint fits a laptop's height; the band of a column is as wide as
    # its widest cell, plus room for branch labels after a decision
    cells = _cells(steps, cols, lanes)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for f in model.flows:
        neighbours[f.source_step].append(f.target_step)
        neighbours[f.target_step].append(f.source_step)
    def pull(s: Step) -> float:
        near = [step_lane[n] for n in neighbours[s.id] if n in step_lane]
        return sum(near) / len(near) if near else lane_rank.get(s.lane, 0)

    for key in cells:
        cells[key].sort(key=pull)
    rows = _row_cells(model, cells, cols)
    ncols = max(cols.values(), default=0) + 1
    fan = [0.0] * ncols
    for s in steps:
        if s.kind in ("decision", "self_service") and len(model.outgoing(s.id)) > 1:
            fan[cols[s.id]] = BRANCH_GAP

    spans: list[tuple[float, float]] = []

    def place() -> tuple[dict[str, float], list[float], float]:
        """Every step's x, each column's centre and the right edge, from the cells' current order."""
        xs, centres, x = {}, [], float(LANE_LABEL_PX + 30)
        spans.clear()
        for c in range(ncols):
            rel = _column_xs(cells, c, sizes, stacked, lane_rank, rows)
            lo = min((r - sizes[sid][0] / 2 for sid, r in rel.items()), default=-50.0)
            hi = max((r + sizes[sid][0] / 2 for sid, r in rel.items()), default=50.0)
            band = max(100.0, hi - lo)
            offset = x + (band - (hi - lo)) / 2 - lo
            xs.update({sid: r + offset for sid, r in rel.items()})
            centres.append(x + band / 2)
            spans.append((x - COLUMN_GAP / 2, x + band + COLUMN_GAP / 2))
            x += band + COLUMN_GAP + fan[c]
        return xs, centres, x

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
        xs, _centres, _right = place()
        for key, here in cells.items():
            def order(s: Step, xs=xs) -> tuple:
                before = [xs[p] for p in preds[s.id] if p in xs]
                after = [xs[n] for n in succs[s.id] if n in xs]
                return (sum(before) / len(before) if before else 0.0, sum(after) / len(after) if after else 0.0)
            here.sort(key=order)
    for key in rows:
        cells[key].sort(key=down)
    xs, centres, x = place()

    out = Layout(columns=centres, width=x + 10, stacked=stacked, spans=list(spans))
    y = 0.0
    for lane in lanes:
        mine = {key: here for key, here in cells.items() if key[0] == lane.id}
        inner = max((_rows_height(here, sizes) if key in rows else max(sizes[s.id][1] for s in here)
                     for key, here in mine.items()), default=52.0)
        height = inner + 2 * LANE_PAD
        out.lanes[lane.id] = LanePlace(y=y, height=height)
        for (lid, c), here in mine.items():
            if (lid, c) in rows:
                top = y + height / 2 - _rows_height(here, sizes) / 2
            for s in here:
                w, h = sizes[s.id]
                if (lid, c) in rows:
                    cy, top = top + h / 2, top + h + ROW_GAP
                else:
                    cy = y + height / 2
                out.steps[s.id] = StepPlace(x=xs[s.id], y=cy, width=w, height=h, column=c)
        y += height
    out.height = y
    return out
