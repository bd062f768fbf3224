"""The blueprint: one swimlane cluster per lane, steps inside their lane, in journey order."""

import re
import xml.etree.ElementTree as ET

import pytest

from process_models import diff_models, journey_order, library_names, load_model
from process_models.layout import layout
from process_models.render import blueprint, diff_blueprint, write

SVG = "{http://www.w3.org/2000/svg}"


def _svg_nodes(svg_bytes: bytes) -> dict[str, tuple[float, float, str]]:
    """node title -> (x, y, visible text) from graphviz SVG output."""
    root = ET.fromstring(svg_bytes)
    nodes = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        title = g.find(f"{SVG}title").text
        texts = [t for t in g.iter(f"{SVG}text")]
        xs = [float(t.get("x")) for t in texts]
        ys = [float(t.get("y")) for t in texts]
        label = " ".join("".join(t.itertext()) for t in texts)
        if xs:
            nodes[title] = (sum(xs) / len(xs), sum(ys) / len(ys), label)
    return nodes


def _lane_bands(svg_bytes: bytes, n: int) -> list[tuple[float, float]]:
    """The lane stripes drawn as background polygons, top to bottom: (y_top, y_bottom)."""
    root = ET.fromstring(svg_bytes)
    bands = []
    for poly in root.iter(f"{SVG}polygon"):
        if poly.get("fill", "").lower() in {"#e8f1fb", "#eaf6ea", "#f3ecf8", "#f2f2f2"}:
            ys = [float(p.split(",")[1]) for p in poly.get("points").split()]
            bands.append((min(ys), max(ys)))
    bands.sort()
    assert len(bands) == n
    return bands


@pytest.mark.parametrize("name", library_names())
def test_dot_has_one_cluster_per_lane_holding_its_steps(name):
    model = load_model(name)
    source = blueprint(model).source
    clusters = re.findall(r"subgraph cluster_(\w+) \{(.*?)\n\t\}", source, flags=re.S)
    assert [c[0] for c in clusters] == [lane.id for lane in model.lanes]
    for lane_id, body in clusters:
        inside = set(re.findall(r"^\t\t(\w+) \[", body, flags=re.M)) - {f"lane__{lane_id}"}
        assert inside == {s.id for s in model.steps if s.lane == lane_id}


@pytest.mark.parametrize("name", library_names())
def test_svg_lanes_are_stacked_in_model_order_and_steps_sit_in_their_lane(name):
    model = load_model(name)
    svg = blueprint(model).pipe(format="svg", neato_no_op=2)
    nodes = _svg_nodes(svg)
    bands = _lane_bands(svg, len(model.lanes))
    for lane, (top, bottom) in zip(model.lanes, bands):
        x, y, text = nodes[f"lane__{lane.id}"]
        assert top < y < bottom, lane.id
        assert text.replace(" ", "") == lane.label.sv.replace(" ", "")
        for step in (s for s in model.steps if s.lane == lane.id):
            assert top < nodes[step.id][1] < bottom, step.id
    # journey order: a step further along the journey is never to the left, but a step stacked
    # straight under (or over) the one before it (a queue and its staff) shares its column
    order = journey_order(model)
    geo = layout(model)
    for f in model.flows:
        if order[f.target_step] > order[f.source_step]:
            if geo.stacked.get(f.target_step) == f.source_step:
                a, b = geo.steps[f.source_step], geo.steps[f.target_step]
                assert a.column == b.column
                assert abs(a.x - b.x) <= (a.width + b.width) / 2, (f.source_step, f.target_step)
            else:
                assert nodes[f.target_step][0] > nodes[f.source_step][0], (f.source_step, f.target_step)


def test_labels_are_swedish_by_default_and_english_on_request():
    model = load_model("skarholmen-current")
    sv = _svg_nodes(blueprint(model).pipe(format="svg", neato_no_op=2))
    en = _svg_nodes(blueprint(model, "en").pipe(format="svg", neato_no_op=2))
    assert sv["take_ticket"][2].startswith("Tar kölapp")
    assert en["take_ticket"][2].startswith("Takes a queue ticket")
    assert sv["wait_desk"][2] == "Väntar på informationsdisken ⚠ 1"


def test_branch_probabilities_and_conditions_on_edges():
    model = load_model("skarholmen-current")
    source = blueprint(model).source
    # a branch's label is its own pinned text, on its arrow near its target (not piled at the decision)
    labels = {text: (float(x), float(y)) for text, x, y in
              re.findall(r'label__\d+ \[label="(.*?)" [^\]]*pos="([\d.]+),([\d.]+)!"', source, flags=re.S)}
    share = next(f.probability for f in model.outgoing("desk_route") if f.target_step == "wait_guide" and f.probability < 1)
    text = f"5 ärenden · {share:.0%}".replace("%", " %") + "\nStöd att sköta ärendet\nvid dator"
    assert text in labels, sorted(labels)
    assert re.search(r"\tdesk_route -> wait_guide\n", source)
    pos = {sid: (float(x), float(y)) for sid, x, y in re.findall(r'\t(\w+) \[label=<.*?pos="([\d.]+),([\d.]+)!"', source)}
    (x, y), (x0, y0), (x1, y1) = labels[text], pos["desk_route"], pos["wait_guide"]
    t = (x - x0) / (x1 - x0)
    assert 0.5 < t < 1 and abs(y - (y0 + t * (y1 - y0))) < 1  # on the arrow, past its middle
    assert "50 %" in labels


def test_markers_for_pain_points_ideas_and_questions():
    model = load_model("skarholmen-kiosk")
    nodes = _svg_nodes(blueprint(model).pipe(format="svg", neato_no_op=2))
    assert "★ 1" in nodes["kiosk_language"][2]
    assert "? 1" in nodes["guide_at_computer"][2]


def test_fill_and_badges_paint_steps():
    model = load_model("skarholmen-current")
    g = blueprint(model, fill={"wait_desk": "#d73027"}, badges={"wait_desk": "⌀ 23 min"})
    nodes = _svg_nodes(g.pipe(format="svg", neato_no_op=2))
    assert nodes["wait_desk"][2].endswith("⌀ 23 min")
    assert 'fillcolor="#d73027"' in g.source


@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF"), ("dot", b"digraph")])
def test_every_format_is_written(tmp_path, fmt, magic):
    path = write(blueprint(load_model("skarholmen-kiosk")), tmp_path / f"map.{fmt}")
    assert path.read_bytes().startswith(magic)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown format 'gif'"):
        write(blueprint(load_model("skarholmen-kiosk")), tmp_path / "map.gif")


def test_diff_rendering_colours_added_removed_and_changed_steps():
    old, new = load_model("skarholmen-current"), load_model("skarholmen-kiosk")
    d = diff_models(old, new)
    source = diff_blueprint(old, new, d).source
    for sid in d.steps_added:
        assert re.search(rf"\b{sid} \[[^\]]*color=\"#2e7d32\"", source), sid
    for sid in d.steps_removed:
        assert re.search(rf"\b{sid} \[[^\]]*color=\"#c62828\"", source), sid
    for sid in d.steps_changed:
        assert re.search(rf"\b{sid} \[[^\]]*color=\"#ef6c00\"", source), sid
