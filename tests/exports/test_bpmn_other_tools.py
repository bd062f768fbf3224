"""Importing BPMN drawn by other tools (bpmn.io, Signavio, Bizagi, SpiffWorkflow) and exporting for them.

The files under data/bpmn-other-tools are real published examples, unchanged (see the README
there for source and licence). SpiffWorkflow's own parser is the independent reader of our export.
"""

from pathlib import Path

import pytest
from lxml import etree

from process_models import library_names, load_model

from exports.bpmn import BPMN_NS, write_bpmn

DATA = Path(__file__).resolve().parent / "data" / "bpmn-other-tools"
NS = {"b": BPMN_NS}


def _import(mbk, src: Path, tmp_path: Path):
    out = tmp_path / "imported.yaml"
    code, stdout, err = mbk("import", "bpmn", src, "-o", out, "--base", "skarholmen-current")
    return code, err, (load_model(out) if code == 0 else None)


def _shape(model):
    """(kind, label) of each step and (from label, to label, probability) of each flow: ids are the tool's."""
    label = {s.id: s.label.sv for s in model.steps}
    return ([(s.kind, s.label.sv) for s in model.steps],
            sorted((label[f.source_step], label[f.target_step], f.probability) for f in model.flows))


A20_STEPS = [("start", "Start Event"), ("task", "Task 1"), ("decision", "Gateway (Split Flow)"), ("task", "Task 2"),
             ("task", "Task 3"), ("task", "Task 4"), ("end", "End Event"), ("decision", "Gateway (Merge Flows)")]
A20_FLOWS = sorted([
    ("Start Event", "Task 1", 1.0), ("Task 1", "Gateway (Split Flow)", 1.0),
    ("Gateway (Split Flow)", "Task 2", 0.333333), ("Gateway (Split Flow)", "Task 3", 0.333333),
    ("Gateway (Split Flow)", "Task 4", 0.333334), ("Task 2", "End Event", 1.0), ("Task 3", "Gateway (Merge Flows)", 1.0),
    ("Task 4", "Gateway (Merge Flows)", 1.0), ("Gateway (Merge Flows)", "End Event", 1.0)])


@pytest.mark.parametrize("name", ["bpmn-io-A.2.0-export.bpmn", "signavio-A.2.0-export.bpmn",
                                  "bizagi-A.2.0-roundtrip.bpmn"])
def test_a_three_way_gateway_without_lanes_imports_from_three_tools(name, mbk, tmp_path):
    code, err, model = _import(mbk, DATA / "miwg" / name, tmp_path)
    assert code == 0, err
    steps, flows = _shape(model)
    assert sorted(steps) == sorted(A20_STEPS)
    # the split gets equal shares that sum to exactly 1: the last branch takes the remainder
    assert [p for a, _, p in flows if a == "Gateway (Split Flow)"] == [0.333333, 0.333333, 0.333334]
    assert sorted((a, b) for a, b, _ in flows) == sorted((a, b) for a, b, _ in A20_FLOWS)
    # no lanes in the file: one lane, and a warning that says so
    assert len(model.lanes) == 1 and {s.lane for s in model.steps} == {model.lanes[0].id}
    assert "warning:" in err and "the process has no lanes; every step is put in one lane" in err
    assert all(s.duration.value == 5 for s in model.steps if s.kind == "task")


def test_lanes_of_a_signavio_pool_are_kept_and_the_second_pool_is_named(mbk, tmp_path):
    code, err, model = _import(mbk, DATA / "miwg" / "signavio-A.4.1-export.bpmn", tmp_path)
    assert code == 0, err
    assert [(lane.label.sv, lane.kind) for lane in model.lanes] == [("Lane 1", "visitor")]
    assert [(s.kind, s.label.sv) for s in model.steps] == [
        ("start", "Start Event 1"), ("task", "Task 1"), ("task", "Task 2"), ("end", "End Event 1")]
    assert "2 processes with steps; imported the first, 'sid-197DAB20-8272-47C0-A69C-A7919FE812D8'" in err
    assert "no lanes" not in err


@pytest.mark.parametrize("name, steps, warning", [
    ("random_fact.bpmn", [("start", "StartEvent_1"), ("task", "Set Type"), ("task", "Display Fact"),
                          ("end", "Event_05sor3w")], None),
    ("user_task_variable.bpmn", [("start", "StartEvent_1"), ("end", "Event_0yxpeto"), ("task", "User Task")],
     "2 processes with steps; imported the first, 'two'"),
])
def test_spiffworkflow_user_tasks_become_tasks(name, steps, warning, mbk, tmp_path):
    code, err, model = _import(mbk, DATA / "spiffworkflow" / name, tmp_path)
    assert code == 0, err
    assert [(s.kind, s.label.sv) for s in model.steps] == steps  # "Set Type" and "User Task" are userTasks
    assert "the process has no lanes" in err and (warning is None or warning in err)


def test_a_sub_process_drawn_in_bpmn_io_is_refused_with_its_line(mbk, tmp_path):
    src = DATA / "miwg" / "bpmn-io-A.3.0-export.bpmn"
    code, err, _ = _import(mbk, src, tmp_path)
    assert code == 2
    assert f"{src}:13: <subProcess id='Activity_1j4b29j'> is not supported" in err
    assert "Traceback" not in err and not (tmp_path / "imported.yaml").exists()


@pytest.mark.parametrize("name", library_names())
def test_spiffworkflow_parses_the_export_of_every_library_model(name, tmp_path):
    spiff = pytest.importorskip("SpiffWorkflow.bpmn.parser", reason="test-only extra exports-test")
    path = write_bpmn(load_model(name), tmp_path / f"{name}.bpmn")
    doc = etree.parse(str(path))
    # every flow out of a gateway carries a condition, as the README says
    gateways = {g.get("id") for g in doc.iterfind(".//b:exclusiveGateway", NS)}
    out_of_gateways = [f for f in doc.iterfind(".//b:sequenceFlow", NS) if f.get("sourceRef") in gateways
                       and len(doc.findall(f".//b:sequenceFlow[@sourceRef='{f.get('sourceRef')}']", NS)) > 1]
    assert out_of_gateways and all(f.find("b:conditionExpression", NS) is not None for f in out_of_gateways)
    # SpiffWorkflow only builds executable processes; ours describe an office, so the copy says so
    process = doc.find("b:process", NS)
    process.set("isExecutable", "true")
    executable = tmp_path / "executable.bpmn"
    doc.write(str(executable))
    parser = spiff.BpmnParser(validator=spiff.BpmnValidator())
    parser.add_bpmn_file(str(executable))
    spec = parser.get_spec(process.get("id"))
    model = load_model(name)
    names = {t.bpmn_name for t in spec.task_specs.values() if getattr(t, "bpmn_name", None)}
    assert {s.label.sv for s in model.steps if s.kind != "decision"} <= names
