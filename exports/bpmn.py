"""BPMN 2.0 XML export and import of process models: lanes, tasks, exclusive gateways, probabilities.

Steps map to BPMN elements (start/end events, tasks, user tasks for self-service, exclusive
gateways for decisions); a step that branches without being a decision gets an exclusive
gateway after it. What BPMN has no words for (durations, pools, errands, segments, demand,
the flows' probabilities and conditions) rides in `extensionElements` in our namespace, so
export then import gives back the same model. A BPMN drawn elsewhere is imported with the
errands, segments, pools, hours and demand of a `base` model, and equal branch probabilities.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from lxml import etree

from process_models import journey_order, model_to_data, validate_data
from process_models.errors import UserError
from process_models.schema import ProcessModel

__all__ = ["BPMN_NS", "MBK_NS", "to_bpmn", "write_bpmn", "read_bpmn", "branch_probabilities"]

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MBK_NS = "https://mbk-studio.github.io/bpmn/1"
NSMAP = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "xsi": XSI_NS, "mbk": MBK_NS}

ELEMENT = {"start": "startEvent", "end": "endEvent", "task": "task", "queue": "task",
           "self_service": "userTask", "decision": "exclusiveGateway"}
# a foreign userTask is a task: BPMN's "a person works with software" says nothing of managing alone, and a
# self-service step would need a success rate and success/failure flows that the file does not have
KIND_OF = {"startEvent": "start", "endEvent": "end", "exclusiveGateway": "decision",
           **{t: "task" for t in ("task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask",
                                  "scriptTask", "businessRuleTask")}}
FOREIGN_DURATION = {"kind": "fixed", "value": 5,
                    "source": {"assumption": "Imported from BPMN, which has no durations: set a real one."}}
# grid of the diagram (BPMN DI), in pixels
COL, ROW, LANE_LABEL, SIZES = 170, 110, 40, {"event": (36, 36), "gateway": (50, 50), "task": (120, 70)}


def _b(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def _m(tag: str) -> str:
    return f"{{{MBK_NS}}}{tag}"


def _ext(parent: etree._Element, tag: str, data: Any, **attrs: str) -> None:
    ext = etree.SubElement(parent, _b("extensionElements"))
    el = etree.SubElement(ext, _m(tag), **attrs)
    el.text = json.dumps(data, ensure_ascii=False, sort_keys=True)


def branch_probabilities(model: ProcessModel) -> dict[int, float]:
    """Share of visitors leaving a step who take each flow (by flow index), for labels.

    Errand conditions weigh by errand share; success/failure by the step's default success
    rate; otherwise the flow's own probability.
    """
    shares = {e.id: e.share for e in model.errands}
    out: dict[int, float] = {}
    by_source = defaultdict(list)
    for i, f in enumerate(model.flows):
        by_source[f.source_step].append(i)
    for step_id, idx in by_source.items():
        step = model.step(step_id)
        weights = []
        for i in idx:
            f = model.flows[i]
            w = f.probability
            if f.when and f.when.errands:
                w *= sum(shares.get(e, 0) for e in f.when.errands)
            if f.outcome and step.success:
                w *= step.success.default if f.outcome == "success" else 1 - step.success.default
            weights.append(w)
        total = sum(weights) or 1.0
        out.update({i: w / total for i, w in zip(idx, weights)})
    return out


def _flow_name(model: ProcessModel, i: int, p: float, lang: str) -> str:
    f = model.flows[i]
    labels = {e.id: e.label.get(lang) for e in model.errands}
    words = {"sv": {"success": "klarar själv", "failure": "behöver hjälp"},
             "en": {"success": "manages alone", "failure": "needs help"}}[lang]
    bits = []
    if f.outcome:
        bits.append(words[f.outcome])
    if f.when and f.when.errands:
        bits.append(", ".join(labels.get(e, e) for e in f.when.errands))
    if f.when and f.when.segments:
        bits.append(", ".join(f.when.segments))
    if p < 0.9995:
        bits.append(f"{p:.0%}".replace("%", " %"))
    return " · ".join(bits)


def _condition(model: ProcessModel, i: int) -> str:
    """The conditionExpression of a flow out of a gateway: errands, segments, outcome and the random branch.

    A flow taken by a share of the visitors it applies to (probability below 1, or no other
    condition) says `branch == 'TARGET'`: the visitor's drawn branch, so that every flow out of
    a gateway carries a condition (BPMN engines such as SpiffWorkflow require it).
    """
    f = model.flows[i]
    parts = []
    if f.when and f.when.errands:
        parts.append("errand in {" + ", ".join(f.when.errands) + "}")
    if f.when and f.when.segments:
        parts.append("segment in {" + ", ".join(f.when.segments) + "}")
    if f.outcome:
        parts.append(f"outcome == '{f.outcome}'")
    if f.probability < 1 or not parts:
        parts.append(f"branch == '{f.target_step}'")
    return " and ".join(parts)


def _size(element: str) -> tuple[int, int]:
    if element.endswith("Event"):
        return SIZES["event"]
    return SIZES["gateway"] if element.endswith("Gateway") else SIZES["task"]


class _Layout:
    """Lanes stacked top to bottom, nodes in journey-order columns, rows inside a lane."""

    def __init__(self, model: ProcessModel, extra: dict[str, str]):
        order = journey_order(model)
        col = {s.id: order.get(s.id, 0) * 2 for s in model.steps}
        col.update({g: col[s] + 1 for g, s in extra.items()})  # a split gateway sits right after its step
        lane_of = {s.id: s.lane for s in model.steps}
        lane_of.update({g: lane_of[s] for g, s in extra.items()})
        slots: dict[tuple[str, int], list[str]] = defaultdict(list)
        for node in [s.id for s in model.steps] + list(extra):
            slots[(lane_of[node], col[node])].append(node)
        depth = {lane.id: max([len(v) for (l, _), v in slots.items() if l == lane.id] or [1]) for lane in model.lanes}
        self.lanes, y = {}, 0
        self.width = LANE_LABEL + (max(col.values(), default=0) + 1) * COL // 2 + COL
        for lane in model.lanes:
            self.lanes[lane.id] = (y, depth[lane.id] * ROW)
            y += depth[lane.id] * ROW
        self.height = y
        self.centre = {}
        for (lane, c), nodes in slots.items():
            top, _ = self.lanes[lane]
            for r, node in enumerate(nodes):
                self.centre[node] = (LANE_LABEL + 40 + c * COL // 2 + COL // 2, top + r * ROW + ROW // 2)


def _di(defs, process_id: str, participant_id: str, layout: _Layout, nodes: dict[str, str],
        edges: list[tuple[str, str, str]], lane_ids: dict[str, str]) -> None:
    diagram = etree.SubElement(defs, f"{{{BPMNDI_NS}}}BPMNDiagram", id="Diagram_1")
    plane = etree.SubElement(diagram, f"{{{BPMNDI_NS}}}BPMNPlane", id="Plane_1", bpmnElement=participant_id)

    def bounds(parent, x, y, w, h):
        etree.SubElement(parent, f"{{{DC_NS}}}Bounds", x=str(x), y=str(y), width=str(w), height=str(h))

    shape = etree.SubElement(plane, f"{{{BPMNDI_NS}}}BPMNShape", id="Participant_1_di", bpmnElement=participant_id,
                             isHorizontal="true")
    bounds(shape, 0, 0, layout.width, layout.height)
    for lane, (top, height) in layout.lanes.items():
        shape = etree.SubElement(plane, f"{{{BPMNDI_NS}}}BPMNShape", id=f"{lane_ids[lane]}_di",
                                 bpmnElement=lane_ids[lane], isHorizontal="true")
        bounds(shape, LANE_LABEL, top, layout.width - LANE_LABEL, height)
    for node, xml_id in nodes.items():
        w, h = _size(xml_id.split(":")[0])
        x, y = layout.centre[node]
        shape = etree.SubElement(plane, f"{{{BPMNDI_NS}}}BPMNShape", id=f"{xml_id.split(':')[1]}_di",
                                 bpmnElement=xml_id.split(":")[1])
        bounds(shape, x - w // 2, y - h // 2, w, h)
    for flow_id, a, b in edges:
        edge = etree.SubElement(plane, f"{{{BPMNDI_NS}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
        (x1, y1), (x2, y2) = layout.centre[a], layout.centre[b]
        for x, y in ((x1, y1), (x2, y2)):
            etree.SubElement(edge, f"{{{DI_NS}}}waypoint", x=str(x), y=str(y))


def to_bpmn(model: ProcessModel, lang: str = "sv") -> etree._ElementTree:
    """The model as a BPMN 2.0 document (one participant, one process with a lane set, a diagram)."""
    data = model_to_data(model)
    defs = etree.Element(_b("definitions"), nsmap=NSMAP, id=f"Definitions_{model.id.replace('-', '_')}",
                         targetNamespace=f"{MBK_NS}/{model.id}", exporter="MBK Studio", exporterVersion="0.1.0")
    process_id, participant_id = f"Process_{model.id.replace('-', '_')}", "Participant_1"
    collab = etree.SubElement(defs, _b("collaboration"), id="Collaboration_1")
    etree.SubElement(collab, _b("participant"), id=participant_id, name=model.name.get(lang), processRef=process_id)
    process = etree.SubElement(defs, _b("process"), id=process_id, name=model.name.get(lang), isExecutable="false")
    rest = {k: v for k, v in data.items() if k not in ("lanes", "steps", "flows")}
    _ext(process, "model", rest)

    splits = {f"Gateway_{s.id}_split": s.id for s in model.steps
              if s.kind != "decision" and len(model.outgoing(s.id)) > 1}
    split_of = {step: g for g, step in splits.items()}
    lane_set = etree.SubElement(process, _b("laneSet"), id="LaneSet_1")
    lane_ids = {lane.id: f"Lane_{lane.id}" for lane in model.lanes}
    lanes = {}
    for lane, lane_data in zip(model.lanes, data["lanes"]):
        el = etree.SubElement(lane_set, _b("lane"), id=lane_ids[lane.id], name=lane.label.get(lang))
        _ext(el, "lane", lane_data)
        lanes[lane.id] = el
    nodes: dict[str, str] = {}
    for step, step_data in zip(model.steps, data["steps"]):
        element = ELEMENT[step.kind]
        xml_id = f"Step_{step.id}"
        nodes[step.id] = f"{element}:{xml_id}"
        etree.SubElement(lanes[step.lane], _b("flowNodeRef")).text = xml_id
        if step.id in split_of:
            etree.SubElement(lanes[step.lane], _b("flowNodeRef")).text = split_of[step.id]
    for g, step_id in splits.items():
        nodes[g] = f"exclusiveGateway:{g}"

    incoming, outgoing = defaultdict(list), defaultdict(list)
    probs = branch_probabilities(model)
    edges, flow_els = [], []
    for g, step_id in splits.items():
        fid = f"Flow_{step_id}_split"
        edges.append((fid, step_id, g))
        outgoing[step_id].append(fid)
        incoming[g].append(fid)
    for i, f in enumerate(model.flows):
        fid = f"Flow_{i + 1}"
        source = split_of.get(f.source_step, f.source_step)
        edges.append((fid, source, f.target_step))
        outgoing[source].append(fid)
        incoming[f.target_step].append(fid)
        flow_els.append((i, fid, source))

    for step, step_data in zip(model.steps, data["steps"]):
        element, xml_id = nodes[step.id].split(":")
        attrs = {"id": xml_id, "name": step.label.get(lang)}
        if element == "exclusiveGateway":
            attrs["gatewayDirection"] = "Diverging" if len(outgoing[step.id]) > 1 else "Unspecified"
        el = etree.SubElement(process, _b(element), **attrs)
        _ext(el, "step", step_data)
        for fid in incoming[step.id]:
            etree.SubElement(el, _b("incoming")).text = fid
        for fid in outgoing[step.id]:
            etree.SubElement(el, _b("outgoing")).text = fid
        if step.id in split_of:
            g = split_of[step.id]
            gel = etree.SubElement(process, _b("exclusiveGateway"), id=g, name=f"{step.label.get(lang)}?",
                                   gatewayDirection="Diverging")
            ext = etree.SubElement(gel, _b("extensionElements"))
            etree.SubElement(ext, _m("generated"), step=step.id)
            for fid in incoming[g]:
                etree.SubElement(gel, _b("incoming")).text = fid
            for fid in outgoing[g]:
                etree.SubElement(gel, _b("outgoing")).text = fid
    for g, step_id in splits.items():
        el = etree.SubElement(process, _b("sequenceFlow"), id=f"Flow_{step_id}_split", sourceRef=f"Step_{step_id}",
                              targetRef=g)
        ext = etree.SubElement(el, _b("extensionElements"))
        etree.SubElement(ext, _m("generated"), step=step_id)
    for (i, fid, source), flow_data in zip(flow_els, data["flows"]):
        f = model.flows[i]
        source_ref = source if source.startswith("Gateway_") else f"Step_{source}"
        attrs = {"id": fid, "sourceRef": source_ref, "targetRef": f"Step_{f.target_step}"}
        name = _flow_name(model, i, probs[i], lang)
        if name:
            attrs["name"] = name
        el = etree.SubElement(process, _b("sequenceFlow"), **attrs)
        _ext(el, "flow", flow_data, branchProbability=f"{probs[i]:.4f}")
        if len(outgoing[source]) > 1:  # out of a gateway: every flow says when it is taken
            c = etree.SubElement(el, _b("conditionExpression"), {f"{{{XSI_NS}}}type": "bpmn:tFormalExpression"})
            c.text = _condition(model, i)
    _di(defs, process_id, participant_id, _Layout(model, splits), nodes,
        [(fid, a, b) for fid, a, b in edges], lane_ids)
    return etree.ElementTree(defs)


def write_bpmn(model: ProcessModel, path: str | Path, lang: str = "sv") -> Path:
    """Write the model as a .bpmn file (UTF-8 XML)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    to_bpmn(model, lang).write(str(p), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return p


# --- import ------------------------------------------------------------------------------

# what a BPMN drawn elsewhere may hold besides flow nodes: data and notes, left out of the model
ARTIFACTS = {"laneSet", "extensionElements", "sequenceFlow", "documentation", "textAnnotation", "association",
             "group", "category", "dataObject", "dataObjectReference", "dataStoreReference", "property",
             "ioSpecification", "dataInputAssociation", "dataOutputAssociation"}
FOREIGN_LANE = {"id": "process", "kind": "visitor"}  # the one lane of a process drawn without lanes
IDENT_MAX = 64  # the schema's longest id
PROBABILITY_DIGITS = 6  # equal shares are rounded to this; the last branch takes the remainder


def _ident(text: str) -> str:
    s = re.sub(r"[^a-z0-9_]+", "_", text.lower().removeprefix("step_").removeprefix("lane_")).strip("_")
    s = s if s and s[0].isalpha() else f"s_{s}"
    return s[:IDENT_MAX].rstrip("_")


def _unique(ident: str, taken: set[str]) -> str:
    """`ident`, or `ident_2`, `ident_3` ... when two foreign ids fold to the same one."""
    out, n = ident, 1
    while out in taken:
        n += 1
        suffix = f"_{n}"
        out = ident[: IDENT_MAX - len(suffix)] + suffix
    taken.add(out)
    return out


def _name(el: etree._Element) -> str:
    """An element's name on one line (tools wrap names with line breaks), else its id."""
    return " ".join((el.get("name") or "").split()) or el.get("id") or "?"


def _ext_json(el: etree._Element, tag: str, path: Path) -> Any:
    found = el.find(f"{_b('extensionElements')}/{_m(tag)}")
    if found is None:
        return None
    try:
        return json.loads(found.text or "null")
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}:{found.sourceline}: mbk:{tag} of {el.get('id')}: broken JSON: {exc.msg}") from None


def _generated(el: etree._Element) -> str | None:
    found = el.find(f"{_b('extensionElements')}/{_m('generated')}")
    return None if found is None else found.get("step")


def _foreign_lane_kind(name: str, first: bool) -> str:
    low = name.lower()
    if any(w in low for w in ("besök", "visitor", "kund", "customer", "medborgare", "citizen")) or first:
        return "visitor"
    if any(w in low for w in ("system", "dator", "computer", "kiosk", "it")):
        return "support"
    return "frontstage"


def _parse(p: Path) -> etree._Element:
    """The <definitions> root; entities are not expanded and nothing is fetched from the network."""
    if not p.is_file():
        raise UserError(f"{p}: no such BPMN file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.parse(str(p), parser).getroot()
    except OSError as exc:  # lxml's word for bytes that are not the declared encoding, or an unreadable file
        raise UserError(f"{p}: cannot read as XML: {str(exc).split(': ', 1)[-1]}") from None
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{p}:{exc.lineno}: not well-formed XML: {exc.msg}") from None
    if root.tag != _b("definitions"):
        raise UserError(f"{p}:{root.sourceline}: expected a BPMN 2.0 <definitions> root in namespace {BPMN_NS}")
    return root


def _pick_process(root: etree._Element, p: Path, warnings: list[str]) -> etree._Element:
    """The first process that has flow nodes (tools write an empty process for a black-box pool)."""
    processes = root.findall(_b("process"))
    if not processes:
        raise UserError(f"{p}: no <process> in the BPMN file")
    full = [pr for pr in processes if any(etree.QName(el).localname in KIND_OF for el in pr)]
    if len(full) > 1:
        warnings.append(f"{p}: {len(full)} processes with steps; imported the first, {full[0].get('id')!r}")
    return (full or processes)[0]


def _leaf_lanes(process: etree._Element) -> list[etree._Element]:
    """Lanes that hold steps: nested lanes (childLaneSet) count, the lanes around them do not."""
    return [lane for lane in process.iter(_b("lane")) if lane.find(f"{_b('childLaneSet')}/{_b('lane')}") is None]


def _lanes(root, process, p: Path, warnings: list[str]) -> tuple[list[dict], dict[str, str], str | None]:
    """The lanes as model data, the lane of each flow node's XML id, and the lane of all when none is drawn."""
    lanes, lane_of, taken = [], {}, set()
    for n, lane in enumerate(_leaf_lanes(process)):
        data = _ext_json(lane, "lane", p)
        if data is None:
            name = _name(lane)
            data = {"id": _unique(_ident(lane.get("id") or name), taken), "label": {"sv": name, "en": name},
                    "kind": _foreign_lane_kind(name, n == 0)}
        lanes.append(data)
        for ref in lane.findall(_b("flowNodeRef")):
            lane_of[(ref.text or "").strip()] = data["id"]
    if lanes:
        return lanes, lane_of, None
    # no lanes: one lane named after the pool (the participant) that holds the process
    pool = root.find(f"{_b('collaboration')}/{_b('participant')}[@processRef='{process.get('id')}']")
    name = _name(pool) if pool is not None and pool.get("name") else (process.get("name") or "Process")
    warnings.append(f"{p}:{process.sourceline}: the process has no lanes; every step is put in one lane "
                    f"{name!r} ({FOREIGN_LANE['kind']}): split it into swimlanes in the YAML")
    lane = {**FOREIGN_LANE, "label": {"sv": name, "en": name}}
    return [lane], {}, lane["id"]


def _foreign_step(el, tag: str, lane: str | None, taken: set[str], p: Path) -> dict:
    """A step from a flow node without our extension: a placeholder duration, a userTask as a task."""
    xml_id, name = el.get("id"), _name(el)
    if lane is None:
        raise UserError(f"{p}:{el.sourceline}: {tag} {xml_id!r} is in no lane; expected a flowNodeRef to it")
    data = {"id": _unique(_ident(xml_id or name), taken), "label": {"sv": name, "en": name}, "kind": KIND_OF[tag],
            "lane": lane}
    if tag == "endEvent":
        data["outcome"] = "served"
    if data["kind"] == "task":
        data["duration"] = dict(FOREIGN_DURATION)
    return data


def _steps(process, lane_of: dict[str, str], default_lane: str | None,
           p: Path) -> tuple[list[dict], dict[str, str], dict[str, str]]:
    """Steps in document order, the step id of each XML id, and our generated split gateways."""
    steps, ids, skipped, taken = [], {}, {}, set()
    for el in process:
        if not isinstance(el.tag, str):
            continue  # a comment or processing instruction
        tag = etree.QName(el).localname
        if tag in ARTIFACTS:
            continue
        xml_id = el.get("id")
        if _generated(el) is not None:
            skipped[xml_id] = _generated(el)
            continue
        if tag not in KIND_OF:
            raise UserError(f"{p}:{el.sourceline}: <{tag} id={xml_id!r}> is not supported; expected start and end "
                            "events, tasks and exclusive gateways")
        data = _ext_json(el, "step", p)
        if data is None:
            data = _foreign_step(el, tag, lane_of.get(xml_id, default_lane), taken, p)
        taken.add(data["id"])
        ids[xml_id] = data["id"]
        steps.append(data)
    return steps, ids, skipped


def _equal_shares(foreign: list[dict]) -> None:
    """A foreign gateway's branches get equal shares that sum to exactly 1 (to be tuned in the YAML)."""
    by_source: dict[str, list[dict]] = defaultdict(list)
    for f in foreign:
        by_source[f["from"]].append(f)
    for branches in by_source.values():
        if len(branches) < 2:
            continue
        share = round(1 / len(branches), PROBABILITY_DIGITS)
        for f in branches[:-1]:
            f["probability"] = share
        branches[-1]["probability"] = round(1 - share * (len(branches) - 1), PROBABILITY_DIGITS)


def _flows(process, ids: dict[str, str], skipped: dict[str, str], p: Path) -> list[dict]:
    flows, foreign = [], []
    for el in process.findall(_b("sequenceFlow")):
        if _generated(el) is not None:
            continue
        source = skipped.get(el.get("sourceRef")) or ids.get(el.get("sourceRef"))
        target = ids.get(el.get("targetRef"))
        if source is None or target is None:
            raise UserError(f"{p}:{el.sourceline}: sequenceFlow {el.get('id')!r} joins {el.get('sourceRef')!r} and "
                            f"{el.get('targetRef')!r}; expected both to be steps of the process")
        data = _ext_json(el, "flow", p)
        if data is None:
            data = {"from": source, "to": target}
            foreign.append(data)
        flows.append(data)
    _equal_shares(foreign)
    return flows


def read_bpmn(path: str | Path, base: ProcessModel | None = None, warnings: list[str] | None = None) -> ProcessModel:
    """Read a BPMN 2.0 file into a checked ProcessModel.

    Args:
        base: for a BPMN not written by MBK Studio: the model whose errands, segments, pools,
            opening hours and demand the imported process gets.
        warnings: gets what the import had to guess (no lanes, several processes), one line each.
    """
    p = Path(path)
    warnings = [] if warnings is None else warnings
    root = _parse(p)
    process = _pick_process(root, p, warnings)
    rest = _ext_json(process, "model", p)
    if rest is None and base is None:
        raise UserError(f"{p}: this BPMN was not written by MBK Studio, so it has no errands, segments, pools, "
                        "hours or demand; give --base MODEL to take them from a model")
    lanes, lane_of, default_lane = _lanes(root, process, p, warnings)
    steps, ids, skipped = _steps(process, lane_of, default_lane, p)
    flows = _flows(process, ids, skipped, p)
    if rest is None:
        rest = {k: v for k, v in model_to_data(base).items() if k not in ("lanes", "steps", "flows", "annotations")}
        name = " ".join((process.get("name") or process.get("id") or "").split()) or "Imported process"
        rest.update(id=_ident(process.get("id") or name).replace("_", "-"), name={"sv": name, "en": name},
                    variant="future")
        rest.pop("description", None)
    data = {**{k: v for k, v in rest.items() if k in ("id", "name", "description", "office", "variant")},
            "lanes": lanes, **{k: v for k, v in rest.items() if k == "pools"}, "steps": steps, "flows": flows,
            **{k: v for k, v in rest.items() if k not in ("id", "name", "description", "office", "variant", "pools")}}
    return validate_data(data, file=str(p))
