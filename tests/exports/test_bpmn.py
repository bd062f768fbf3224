"""BPMN 2.0: valid against the OMG XSD, read by pm4py, and export then import gives the same model."""

from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from process_models import load_model, model_to_data

from exports.bpmn import BPMN_NS, MBK_NS, write_bpmn

NS = {"b": BPMN_NS, "m": MBK_NS}
LIBRARY = ["skarholmen-current", "skarholmen-kiosk"]


@pytest.fixture(scope="module")
def xsd():
    spiff = pytest.importorskip("SpiffWorkflow", reason="test-only extra exports-test")
    path = Path(spiff.__file__).parent / "bpmn" / "parser" / "schema" / "BPMN20.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.mark.parametrize("name", LIBRARY)
def test_export_is_valid_bpmn_20(name, xsd, tmp_path):
    path = write_bpmn(load_model(name), tmp_path / f"{name}.bpmn")
    doc = etree.parse(str(path))
    assert xsd.validate(doc), xsd.error_log
    # the XSD is not a rubber stamp: a sequence flow without its required sourceRef fails it
    doc.find(".//b:sequenceFlow", NS).attrib.pop("sourceRef")
    assert not xsd.validate(doc)


def test_lanes_tasks_and_gateways(kiosk, tmp_path):
    doc = etree.parse(str(write_bpmn(kiosk, tmp_path / "k.bpmn")))
    lanes = {l.get("name"): [r.text for r in l.findall("b:flowNodeRef", NS)] for l in doc.iterfind(".//b:lane", NS)}
    assert list(lanes) == [lane.label.sv for lane in kiosk.lanes]
    assert lanes["Kiosken i entrén"][:3] == ["Step_kiosk_language", "Step_kiosk_purpose", "Step_kiosk_register_arrival"]
    process = doc.find("b:process", NS)
    kinds = defaultdict(list)
    for el in process:
        kinds[etree.QName(el).localname].append(el.get("id"))
    assert kinds["startEvent"] == ["Step_arrive"]
    assert kinds["endEvent"] == ["Step_leave_self_served", "Step_leave"]
    assert set(kinds["userTask"]) == {"Step_kiosk_instructions", "Step_start_at_computer", "Step_kiosk_area_info"}
    # the decision, plus a split after each self-service step with success/failure
    assert kinds["exclusiveGateway"] == ["Step_kiosk_purpose", "Gateway_kiosk_instructions_split",
                                         "Gateway_start_at_computer_split", "Gateway_kiosk_area_info_split"]
    assert len(kinds["sequenceFlow"]) == len(kiosk.flows) + 3


def test_branch_probabilities_sum_to_one_per_gateway(kiosk, tmp_path):
    doc = etree.parse(str(write_bpmn(kiosk, tmp_path / "k.bpmn")))
    by_source = defaultdict(float)
    for flow in doc.iterfind(".//b:sequenceFlow", NS):
        ext = flow.find("b:extensionElements/m:flow", NS)
        if ext is not None:
            by_source[flow.get("sourceRef")] += float(ext.get("branchProbability"))
    assert all(abs(total - 1) < 1e-3 for total in by_source.values()), by_source
    purpose = {f.get("targetRef"): f for f in doc.iterfind(".//b:sequenceFlow[@sourceRef='Step_kiosk_purpose']", NS)}
    booked = purpose["Step_kiosk_register_arrival"]
    # 15 % of visitors have a booked meeting (errand shares of the model)
    assert booked.find("b:extensionElements/m:flow", NS).get("branchProbability") == "0.1500"
    assert booked.get("name") == "Jag har en bokad tid · 15 %"
    assert booked.find("b:conditionExpression", NS).text == "errand in {booked_meeting}"
    success = doc.find(".//b:sequenceFlow[@sourceRef='Gateway_kiosk_instructions_split']"
                       "[@targetRef='Step_leave_self_served']", NS)
    assert success.get("name") == "klarar själv · 35 %"


def test_pm4py_reads_the_export(kiosk, tmp_path):
    pm4py = pytest.importorskip("pm4py", reason="test-only extra exports-test (AGPL)")
    bpmn = pm4py.read_bpmn(str(write_bpmn(kiosk, tmp_path / "k.bpmn")))
    nodes = bpmn.get_nodes()
    by_type = defaultdict(set)
    for n in nodes:
        by_type[type(n).__name__].add(n.get_name())
    assert by_type["Task"] | by_type["UserTask"] == {
        s.label.sv for s in kiosk.steps if s.kind in ("task", "queue", "self_service")}
    assert by_type["NormalStartEvent"] == {"Kommer in"}
    assert len(by_type["ExclusiveGateway"]) == 4
    assert len(bpmn.get_flows()) == len(kiosk.flows) + 3
    net, initial, final = pm4py.convert_to_petri_net(bpmn)
    assert len(net.transitions) > len(kiosk.steps) - 3 and len(initial) == 1 and len(final) == 1


@pytest.mark.parametrize("name", LIBRARY)
def test_export_then_import_gives_the_same_model(name, tmp_path, mbk):
    code, _, err = mbk("export", "bpmn", name, "-o", tmp_path / "m.bpmn")
    assert code == 0, err
    code, out, err = mbk("import", "bpmn", tmp_path / "m.bpmn", "-o", tmp_path / "m.yaml")
    assert code == 0, err
    assert model_to_data(load_model(tmp_path / "m.yaml")) == model_to_data(load_model(name))


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://example.org/x">
  <process id="Enkel_disk" name="Enkel disk" isExecutable="false">
    <laneSet id="ls">
      <lane id="Lane_A" name="Besökare"><flowNodeRef>start</flowNodeRef><flowNodeRef>end</flowNodeRef></lane>
      <lane id="Lane_B" name="Disken"><flowNodeRef>ask</flowNodeRef><flowNodeRef>gw</flowNodeRef>
        <flowNodeRef>help</flowNodeRef></lane>
    </laneSet>
    <startEvent id="start" name="Kommer"/>
    <task id="ask" name="Frågar i disken"/>
    <exclusiveGateway id="gw" name="Enkel fråga?"/>
    <task id="help" name="Får hjälp"/>
    <endEvent id="end" name="Går"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="ask"/>
    <sequenceFlow id="f2" sourceRef="ask" targetRef="gw"/>
    <sequenceFlow id="f3" sourceRef="gw" targetRef="end"/>
    <sequenceFlow id="f4" sourceRef="gw" targetRef="help"/>
    <sequenceFlow id="f5" sourceRef="help" targetRef="end"/>
  </process>
</definitions>
"""


def test_foreign_bpmn_imports_with_a_base_model(tmp_path, mbk):
    src = tmp_path / "foreign.bpmn"
    src.write_text(FOREIGN, encoding="utf-8")
    code, _, err = mbk("import", "bpmn", src, "-o", tmp_path / "x.yaml")
    assert code == 2 and "give --base MODEL" in err
    assert not (tmp_path / "x.yaml").exists()
    code, _, err = mbk("import", "bpmn", src, "-o", tmp_path / "x.yaml", "--base", "skarholmen-current")
    assert code == 0, err
    model = load_model(tmp_path / "x.yaml")
    assert model.id == "enkel-disk" and model.variant == "future"
    assert [(l.id, l.kind) for l in model.lanes] == [("a", "visitor"), ("b", "frontstage")]
    assert [(s.id, s.kind, s.lane) for s in model.steps] == [
        ("start", "start", "a"), ("ask", "task", "b"), ("gw", "decision", "b"), ("help", "task", "b"), ("end", "end", "a")]
    assert [(f.source_step, f.target_step, f.probability) for f in model.flows if f.source_step == "gw"] == [
        ("gw", "end", 0.5), ("gw", "help", 0.5)]
    assert [e.id for e in model.errands] == [e.id for e in load_model("skarholmen-current").errands]


def test_unsupported_element_is_named_with_its_line(tmp_path, mbk):
    src = tmp_path / "parallel.bpmn"
    src.write_text(FOREIGN.replace('<exclusiveGateway id="gw" name="Enkel fråga?"/>', '<parallelGateway id="gw"/>'),
                   encoding="utf-8")
    code, _, err = mbk("import", "bpmn", src, "-o", tmp_path / "x.yaml", "--base", "skarholmen-current")
    assert code == 2
    assert f"{src}:11: <parallelGateway id='gw'> is not supported" in err


def _foreign(tmp_path, mbk, text: str):
    src = tmp_path / "foreign.bpmn"
    src.write_text(text, encoding="utf-8")
    code, _, err = mbk("import", "bpmn", src, "-o", tmp_path / "x.yaml", "--base", "skarholmen-current")
    return code, err, (load_model(tmp_path / "x.yaml") if code == 0 else None)


def test_a_three_way_gateway_gets_shares_that_sum_to_one(tmp_path, mbk):
    three_way = FOREIGN.replace('<task id="help" name="Får hjälp"/>',
                                '<task id="help" name="Får hjälp"/><task id="book" name="Bokar tid"/>').replace(
        '<flowNodeRef>help</flowNodeRef>', '<flowNodeRef>help</flowNodeRef><flowNodeRef>book</flowNodeRef>').replace(
        '<sequenceFlow id="f5"', '<sequenceFlow id="f6" sourceRef="gw" targetRef="book"/>'
                                 '<sequenceFlow id="f7" sourceRef="book" targetRef="end"/><sequenceFlow id="f5"')
    code, err, model = _foreign(tmp_path, mbk, three_way)
    assert code == 0, err
    assert [(f.target_step, f.probability) for f in model.flows if f.source_step == "gw"] == [
        ("end", 0.333333), ("help", 0.333333), ("book", 0.333334)]
    assert "warning" not in err


def test_a_foreign_user_task_becomes_a_task_with_a_placeholder_duration(tmp_path, mbk):
    code, err, model = _foreign(tmp_path, mbk, FOREIGN.replace('<task id="ask"', '<userTask id="ask"'))
    assert code == 0, err
    ask = model.step("ask")
    assert (ask.kind, ask.success, ask.duration.value) == ("task", None, 5)
    assert "Imported from BPMN" in ask.duration.source.assumption


def test_a_process_without_lanes_gets_one_lane_named_after_its_pool_with_a_warning(tmp_path, mbk):
    start, end = FOREIGN.index("    <laneSet"), FOREIGN.index("    <startEvent")
    no_lanes = (FOREIGN[:start] + FOREIGN[end:]).replace(
        '<process id="Enkel_disk"', '<collaboration id="c"><participant id="p" name="Medborgarkontoret" '
                                    'processRef="Enkel_disk"/></collaboration>\n  <process id="Enkel_disk"')
    code, err, model = _foreign(tmp_path, mbk, no_lanes)
    assert code == 0, err
    assert [(lane.id, lane.kind, lane.label.sv) for lane in model.lanes] == [("process", "visitor", "Medborgarkontoret")]
    assert {s.lane for s in model.steps} == {"process"}
    assert (f"warning: {tmp_path / 'foreign.bpmn'}:4: the process has no lanes; every step is put in one lane "
            "'Medborgarkontoret' (visitor)") in err


@pytest.mark.parametrize("content, message", [
    (b"\x00\x01\xff\xfe binary", "not well-formed XML"),
    (FOREIGN.encode("utf-8").replace("Får".encode(), b"F\xe5r"), "cannot read as XML: Invalid bytes in character encoding"),
])
def test_bytes_that_are_not_bpmn_are_a_user_error(content, message, tmp_path, mbk):
    src = tmp_path / "broken.bpmn"
    src.write_bytes(content)
    code, _, err = mbk("import", "bpmn", src, "-o", tmp_path / "x.yaml", "--base", "skarholmen-current")
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.yaml").exists()
