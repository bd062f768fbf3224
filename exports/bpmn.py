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
KIND_OF = {"startEvent": "start", "endEvent": "end", "exclusiveGateway": "decision", "userTask": "self_service",
           **{t: "task" for t in ("task", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask",
                                  "businessRuleTask")}}
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


def _condition(model: ProcessModel, i: int) -> str | None:
    f = model.flows[i]
    parts = []
    if f.when and f.when.errands:
        parts.append("errand in {" + ", ".join(f.when.errands) + "}")
    if f.when and f.when.segments:
        parts.append("segment in {" + ", ".join(f.when.segments) + "}")
    if f.outcome:
        parts.append(f"outcome == '{f.outcome}'")
    return " and ".join(parts) or None


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
        cond = _condition(model, i)
        if cond and len(outgoing[source]) > 1:
            c = etree.SubElement(el, _b("conditionExpression"), {f"{{{XSI_NS}}}type": "bpmn:tFormalExpression"})
            c.text = cond
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


def _ident(text: str) -> str:
    s = re.sub(r"[^a-z0-9_]+", "_", text.lower().removeprefix("step_").removeprefix("lane_")).strip("_")
    return s if s and s[0].isalpha() else f"s_{s}"


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


def read_bpmn(path: str | Path, base: ProcessModel | None = None) -> ProcessModel:
    """Read a BPMN 2.0 file into a checked ProcessModel.

    Args:
        base: for a BPMN not written by MBK Studio: the model whose errands, segments, pools,
            opening hours and demand the imported process gets.
    """
    p = Path(path)
    try:
        root = etree.parse(str(p)).getroot()
    except OSError:
        raise UserError(f"{p}: no such BPMN file") from None
    except etree.XMLSyntaxError as exc:
        raise UserError(f"{p}:{exc.lineno}: not well-formed XML: {exc.msg}") from None
    if root.tag != _b("definitions"):
        raise UserError(f"{p}:{root.sourceline}: expected a BPMN 2.0 <definitions> root in namespace {BPMN_NS}")
    process = root.find(_b("process"))
    if process is None:
        raise UserError(f"{p}: no <process> in the BPMN file")
    rest = _ext_json(process, "model", p)
    if rest is None and base is None:
        raise UserError(f"{p}: this BPMN was not written by MBK Studio, so it has no errands, segments, pools, "
                        "hours or demand; give --base MODEL to take them from a model")
    lanes, lane_of = [], {}
    lane_els = process.findall(f"{_b('laneSet')}/{_b('lane')}")
    for n, lane in enumerate(lane_els):
        data = _ext_json(lane, "lane", p)
        if data is None:
            name = lane.get("name") or lane.get("id")
            data = {"id": _ident(lane.get("id")), "label": {"sv": name, "en": name},
                    "kind": _foreign_lane_kind(name, n == 0)}
        lanes.append(data)
        for ref in lane.findall(_b("flowNodeRef")):
            lane_of[(ref.text or "").strip()] = data["id"]
    if not lanes:
        raise UserError(f"{p}:{process.sourceline}: the process has no <laneSet> with lanes; expected one lane per "
                        "swimlane (visitor, staff, systems)")

    steps, ids, skipped = [], {}, {}
    for el in process:
        tag = etree.QName(el).localname
        if tag in ("laneSet", "extensionElements", "sequenceFlow", "documentation", "textAnnotation", "association"):
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
            name = el.get("name") or xml_id
            data = {"id": _ident(xml_id), "label": {"sv": name, "en": name}, "kind": KIND_OF[tag]}
            if xml_id not in lane_of:
                raise UserError(f"{p}:{el.sourceline}: {tag} {xml_id!r} is in no lane; expected a flowNodeRef to it")
            data["lane"] = lane_of[xml_id]
            if tag == "endEvent":
                data["outcome"] = "served"
            if data["kind"] in ("task", "self_service"):
                data["duration"] = dict(FOREIGN_DURATION)
        ids[xml_id] = data["id"]
        steps.append(data)

    flows, foreign = [], []
    for el in process.findall(_b("sequenceFlow")):
        if _generated(el) is not None:
            continue
        source = skipped.get(el.get("sourceRef"))
        source = source or ids.get(el.get("sourceRef"))
        target = ids.get(el.get("targetRef"))
        if source is None or target is None:
            raise UserError(f"{p}:{el.sourceline}: sequenceFlow {el.get('id')!r} joins {el.get('sourceRef')!r} and "
                            f"{el.get('targetRef')!r}; expected both to be steps of the process")
        data = _ext_json(el, "flow", p)
        if data is None:
            data = {"from": source, "to": target}
            foreign.append(data)
        flows.append(data)
    out_count = defaultdict(int)
    for f in foreign:
        out_count[f["from"]] += 1
    for f in foreign:  # a foreign gateway's branches: equal shares, to be tuned in the YAML
        if out_count[f["from"]] > 1:
            f["probability"] = round(1 / out_count[f["from"]], 6)

    if rest is None:
        rest = {k: v for k, v in model_to_data(base).items() if k not in ("lanes", "steps", "flows", "annotations")}
        name = process.get("name") or process.get("id")
        rest.update(id=_ident(process.get("id")).replace("_", "-"), name={"sv": name, "en": name}, variant="future")
        rest.pop("description", None)
    data = {**{k: v for k, v in rest.items() if k in ("id", "name", "description", "office", "variant")},
            "lanes": lanes, **{k: v for k, v in rest.items() if k == "pools"}, "steps": steps, "flows": flows,
            **{k: v for k, v in rest.items() if k not in ("id", "name", "description", "office", "variant", "pools")}}
    return validate_data(data, file=str(p))
