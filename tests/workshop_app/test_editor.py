"""The editor's state without a browser: two browsers over one session, undo, restore, ids, checks."""

from __future__ import annotations

import threading

import pytest

from process_models import diff_models, load_model
from process_models.edit import flow_key
from workshop_app.canvas_data import drop_target
from workshop_app.editor import EditorState
from workshop_app.maps import MapState
from workshop_app.shared_session import SharedSession

TODAY = "skarholmen-current"
NEW = "snabbkoll_vid_entren"


@pytest.fixture
def shared(tmp_path):
    return SharedSession(tmp_path / "session.json")


@pytest.fixture
def pair(shared):
    a = EditorState(shared, author=lambda: "Anna")
    b = EditorState(shared, author=lambda: "Bo")
    v = a.fork(load_model(TODAY), TODAY, "Förslag grupp 2")
    b.open(v.id)
    return a, b


def test_an_edit_in_one_browser_is_in_the_other_and_in_the_file(pair, shared):
    a, b = pair
    assert a.add_step("task", "visitor", "Snabbkoll vid entrén", "Quick check at the entrance", after="arrive")
    assert a.selected == f"step:{NEW}"
    assert NEW in {s.id for s in b.draft().steps}
    graph = b.graph()
    node = next(n for n in graph["nodes"] if n["id"] == NEW)
    assert node["diff"] == "added" and node["problems"] == ["Steget nås inte från någon start. Koppla ett flöde in till det."]
    reread = SharedSession(shared.path)  # what a restarted server reads
    assert NEW in {s["id"] for s in reread.variant(a.variant_id).document["model"]["steps"]}
    assert [e.author for e in reread.variant(a.variant_id).history] == ["Anna"]


def test_concurrent_edits_from_two_browsers_lose_nothing(pair):
    a, b = pair
    barrier = threading.Barrier(2)
    names = {"a": [], "b": []}

    def edits(state, who, lane):
        barrier.wait()
        for i in range(15):
            assert state.add_step("task", lane, f"{who} steg {i}")
            names[who].append(state.selected[5:])

    threads = [threading.Thread(target=edits, args=(a, "a", "visitor")),
               threading.Thread(target=edits, args=(b, "b", "guide"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = {s.id for s in a.draft().steps}
    assert set(names["a"]) | set(names["b"]) <= ids and len(names["a"]) == len(names["b"]) == 15
    assert a.variant.version == 30 and sorted(e.n for e in a.variant.history) == list(range(1, 31))


def test_undo_and_redo_are_per_browser(pair):
    a, b = pair
    a.rename_step("wait_desk", "Väntar vid entrén")
    b.update_pool("guides", capacity=6)
    assert a.undo()
    m = a.draft()
    assert m.step("wait_desk").label.sv == load_model(TODAY).step("wait_desk").label.sv
    assert m.pool("guides").capacity == 6  # Bo's edit stays
    assert not a.can_undo() and a.can_redo()
    assert a.redo() and a.draft().step("wait_desk").label.sv == "Väntar vid entrén"
    assert not b.redo() and b.message == "Det finns inget att göra om."


def test_a_refused_edit_says_why_in_the_ui_language_and_changes_nothing(pair):
    a, _ = pair
    before = a.variant.version
    assert not a.connect("arrive", "take_ticket")
    assert a.message == "Det flödet finns redan; ändra dess sannolikhet i stället." and not a.message_ok
    a.lang = "en"
    assert not a.add_step("task", "visitor", " ")
    assert a.message == "The step needs a Swedish name."
    assert a.variant.version == before


def test_restore_an_earlier_version(pair):
    a, _ = pair
    a.add_step("task", "visitor", "Snabbkoll vid entrén", after="arrive")
    a.delete("step:take_ticket")
    assert a.restore(1)
    ids = {s.id for s in a.draft().steps}
    assert NEW in ids and "take_ticket" in ids
    assert [r["what"] for r in a.history()][:3] == ["återställde version 1", "tog bort ett steg (Tar kölapp)",
                                                    "lade till ”Snabbkoll vid entrén”"]


def test_the_redesign_downloads_as_yaml_that_differs_by_exactly_the_edits(pair, tmp_path):
    a, _ = pair
    a.add_step("task", "visitor", "Snabbkoll vid entrén", after="arrive")
    a.connect("arrive", NEW)
    a.connect(NEW, "wait_desk")
    a.delete("flow:" + flow_key({"from": "arrive", "to": "take_ticket"}))
    a.delete("step:take_ticket")
    a.move_step("desk_answer", lane="guide")
    a.rename_step("desk_answer", "Vägledaren svarar på golvet", "The guide answers on the floor")
    assert a.valid, a.problem_sentences()
    path = tmp_path / "proposal.yaml"
    path.write_text(a.download_yaml(), encoding="utf-8")
    d = diff_models(load_model(TODAY), load_model(path))
    assert d.steps_added == [NEW] and d.steps_removed == ["take_ticket"]
    assert set(d.steps_changed["desk_answer"]) == {"label", "lane"}
    assert sorted(k[:2] for k in d.flows_added) == [("arrive", NEW), (NEW, "wait_desk")]
    assert sorted(k[:2] for k in d.flows_removed) == [("arrive", "take_ticket"), ("take_ticket", "wait_desk")]
    assert a.load_rows()  # a valid draft gets the instant load check


def test_a_drop_on_the_canvas_moves_to_the_lane_and_column_under_it(pair):
    a, _ = pair
    graph = a.graph()
    guide = next(ln for ln in graph["lanes"] if ln["id"] == "guide")
    node = next(n for n in graph["nodes"] if n["id"] == "desk_answer")
    assert drop_target(graph, node["x"], guide["y"] + guide["h"] / 2) == ("guide", node["column"])
    assert a.drop("desk_answer", node["x"], guide["y"] + 5, graph)
    assert a.draft().step("desk_answer").lane == "guide"
    graph = a.graph()
    assert a.handle({"action": "nudge", "step": "desk_answer", "key": "ArrowRight"}, graph) is None
    assert a.layout_hints()["desk_answer"] == node["column"] + 1


def test_an_upload_of_a_copied_library_model_gets_its_own_id(shared):
    maps = MapState(shared)
    text = (load_model("rinkeby-2006").model_dump_json())  # JSON is YAML: a copy that keeps Rinkeby's id
    assert maps.upload(text, "rinkeby-copy.yaml") is not None
    ref = maps.model_ref
    assert ref.startswith("#") and maps.model_for(ref).id != "rinkeby-2006"
    assert maps.model_for(ref).id == shared.variants()[0].id
    other = MapState(shared)  # a browser that opens now sees it, and still starts on today
    assert ref in other.param.model_ref.objects and other.model_ref == TODAY


def test_a_valid_variant_is_compared_with_today_and_its_waits_are_painted_on_its_steps(tmp_path):
    from workshop_app.app import create_app

    app = create_app(tmp_path / "room.json", poll=False)
    st = app.state
    maps = app._views["maps"]
    maps.fork_name.value = "Förslag grupp 2"
    maps._fork()
    ed = st.editor
    ed.add_step("task", "visitor", "Snabbkoll vid entrén", after="arrive")
    ed.connect("arrive", NEW)
    ed.connect(NEW, "wait_desk")
    ed.delete("flow:" + flow_key({"from": "arrive", "to": "take_ticket"}))
    ed.delete("step:take_ticket")
    assert ed.valid
    st.compare.refresh_choices()
    assert "Förslag grupp 2" in st.compare.param.chosen.objects  # a choice in Compare at once
    assert any(b.endswith(f"#{ed.variant_id}@{ed.variant.version}") for b in st.builder.bases())
    st.compare.param.update(chosen=[TODAY, "Förslag grupp 2"], replications=2)
    st.compare.run()
    waits = st.maps.waits[ed.variant_id]
    assert NEW not in waits and waits["wait_desk"] >= 0  # the variant's own steps, by the variant's id
    graph = maps.canvas.graph
    badged = {n["id"]: n["badge"] for n in graph["nodes"] if n["badge"]}
    assert "wait_desk" in badged and badged["wait_desk"].startswith("⏱")


def test_a_note_dragged_onto_another_step_moves_there_if_the_dragger_may_move_it(shared):
    """The canvas sends `move_note` when a note card is dropped on a step: the proposal's own notes
    move as an edit (undoable), a note of the room only by its author (checked by the session)."""
    anna, bo = shared.join("Anna", "staff"), shared.join("Bo", "staff")
    a = EditorState(shared, author=lambda: "Anna", participant=lambda: anna.id)
    b = EditorState(shared, author=lambda: "Bo", participant=lambda: bo.id)
    v = a.fork(load_model(TODAY), TODAY, "Förslag grupp 2")
    b.open(v.id)
    graph = a.graph()
    # the proposal's own note (from today's model) moves as an edit, seen by both and undoable
    a.handle({"action": "move_note", "note": "passive_wait", "step": "desk_triage"}, graph)
    assert {n.id: n.step for n in b.draft().annotations}["passive_wait"] == "desk_triage"
    assert a.undo() and {n.id: n.step for n in b.draft().annotations}["passive_wait"] == "wait_desk"
    # a note of the room: Anna's moves when Anna drags it, not when Bo does
    note = shared.add_note(anna.id, v.id, "wait_desk", "idea", "En skylt vid dörren")
    b.handle({"action": "move_note", "note": note.id, "step": "desk_route"}, graph)
    assert not b.message_ok and "Bara den som skrev anteckningen" in b.message
    assert next(n for n in shared.data.notes if n.id == note.id).step == "wait_desk"
    a.handle({"action": "move_note", "note": note.id, "step": "desk_route"}, graph)
    assert a.message_ok and a.message == "Anteckningen ligger nu på ”Vart ska besökaren?”."
    assert next(n for n in shared.data.notes if n.id == note.id).step == "desk_route"
    on_canvas = {n["id"]: [x["id"] for x in n["notes"]] for n in b.graph()["nodes"]}
    assert note.id in on_canvas["desk_route"] and note.id not in on_canvas["wait_desk"]
    # a drop beside every step, or on a step that is not in the proposal, moves nothing
    a.handle({"action": "move_note", "note": note.id, "step": "no_such_step"}, graph)
    assert not a.message_ok and next(n for n in shared.data.notes if n.id == note.id).step == "desk_route"
