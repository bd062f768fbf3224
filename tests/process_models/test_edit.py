"""Editing a model as invertible Puts, and variants in a session: fork, edit, undo, redo, restore."""

from __future__ import annotations

import json

import pytest

from process_models import diff_models, load_model, validate_data
from process_models import edit as ops
from process_models import variants as V
from process_models.edit import EditRefused, apply_puts, draft_problems, flow_key, invert, new_document
from process_models.io import model_to_data
from process_models.session import WorkshopSession, find_variant, load_session, save_session, variant_document

TODAY = "skarholmen-current"
NEW = "snabbkoll_vid_entren"


@pytest.fixture(scope="module")
def today():
    return load_model(TODAY)


@pytest.fixture
def doc(today):
    return new_document(model_to_data(today))


def _apply(doc, edit):
    return apply_puts(doc, edit.puts)


def _model(doc):
    return ops.document_model(doc)


def test_add_step_gets_an_ascii_id_defaults_and_its_place_after_a_step(doc):
    e = ops.add_step(doc, "task", "visitor", "Snabbkoll vid entrén", "Quick check at the entrance", after="arrive")
    new = _apply(doc, e)
    m = _model(new)
    assert [s.id for s in m.steps][:3] == ["arrive", NEW, "take_ticket"]
    step = m.step(NEW)
    assert step.label.en == "Quick check at the entrance" and step.lane == "visitor"
    assert (step.duration.low, step.duration.mode, step.duration.high) == (2, 5, 10)
    assert "antagande" in step.duration.source.assumption  # a figure the workshop made up says so
    assert [(p.element, p.check) for p in draft_problems(new)] == [(f"step:{NEW}", "unreachable")]
    again = ops.add_step(new, "task", "visitor", "Snabbkoll vid entrén")
    assert again.target == f"{NEW}_2"


@pytest.mark.parametrize("kind, field", [("queue", "patience"), ("self_service", "success"), ("end", "outcome")])
def test_each_kind_starts_with_what_it_needs(doc, kind, field):
    new = _apply(doc, ops.add_step(doc, kind, "visitor", "Ny"))
    assert getattr(_model(new).step("ny"), field) is not None


def test_refusals_name_what_is_wrong(doc):
    with pytest.raises(EditRefused) as exc:
        ops.add_step(doc, "task", "backoffice", "X")
    assert exc.value.code == "no_lane" and exc.value.params == {"lane": "backoffice"}
    with pytest.raises(EditRefused) as exc:
        ops.add_step(doc, "task", "visitor", "   ")
    assert exc.value.code == "label_sv"
    with pytest.raises(EditRefused) as exc:
        ops.add_step(doc, "task", "visitor", "Snabb\x00koll")
    assert exc.value.code == "label_control"
    with pytest.raises(EditRefused) as exc:
        ops.add_flow(doc, "arrive", "take_ticket")
    assert exc.value.code == "duplicate_flow"
    with pytest.raises(EditRefused) as exc:
        ops.update_step(doc, "desk_answer", duration={"kind": "triangular", "low": 9, "mode": 2, "high": 3})
    assert exc.value.code == "invalid"
    with pytest.raises(EditRefused) as exc:
        ops.update_pool(doc, "guides", capacity="many")
    assert exc.value.code == "invalid"


def test_delete_removes_flows_and_keeps_the_notes_aside(doc, today):
    noted = next(a.step for a in today.annotations)
    e = ops.delete_step(doc, noted)
    new = _apply(doc, e)
    m = _model(new)
    assert noted not in {s.id for s in m.steps}
    assert all(noted not in (f.source_step, f.target_step) for f in m.flows)
    kept = [n for n in new["detached"] if n["step"] == noted]
    assert kept and all(a.step != noted for a in m.annotations)
    back = _apply(new, ops.move_note(new, kept[0]["id"], "arrive"))
    assert kept[0]["id"] in {a.id for a in _model(back).annotations if a.step == "arrive"}
    assert not back["detached"] or kept[0]["id"] not in {n["id"] for n in back["detached"]}


def test_every_edit_inverts_exactly(doc):
    """Apply, invert, apply the inverse: the document is as before, item for item and in order."""
    edits = [
        lambda d: ops.add_step(d, "queue", "visitor", "Kö vid entrén", after="arrive", column=1),
        lambda d: ops.move_step(d, "desk_answer", lane="guide", column=7),
        lambda d: ops.rename_step(d, "desk_answer", "Vägledaren svarar", "The guide answers"),
        lambda d: ops.update_step(d, "wait_desk", patience={"kind": "exponential", "mean": 30}),
        lambda d: ops.delete_step(d, "take_ticket"),
        lambda d: ops.add_flow(d, "arrive", "wait_desk", probability=0.5),
        lambda d: ops.update_flow(d, flow_key(d["model"]["flows"][0]), target="wait_desk"),
        lambda d: ops.delete_flow(d, flow_key(d["model"]["flows"][3])),
        lambda d: ops.update_pool(d, "guides", capacity=5),
        lambda d: ops.update_lane(d, "guide", label={"sv": "Vägledare på golvet", "en": "Guides on the floor"}),
    ]
    for build in edits:
        e = build(doc)
        after = apply_puts(doc, e.puts)
        assert after != doc
        assert apply_puts(after, invert(doc, e.puts)) == doc, e.action


def test_reroute_keeps_the_flow_in_its_place(doc):
    key = flow_key(doc["model"]["flows"][1])  # take_ticket -> wait_desk
    e = ops.update_flow(doc, key, source="arrive")
    flows = apply_puts(doc, e.puts)["model"]["flows"]
    assert (flows[1]["from"], flows[1]["to"]) == ("arrive", "wait_desk")
    assert len(flows) == len(doc["model"]["flows"])


def test_fork_gives_a_copy_its_own_id_and_the_history_rebuilds_every_version(today, tmp_path):
    s = WorkshopSession()
    s, v = V.fork(s, today, TODAY, "Förslag grupp 2", author="Anna", reserved={TODAY})
    assert v.id == "forslag-grupp-2-v1" and v.document["model"]["id"] == v.id != today.id
    s, v2 = V.fork(s, today, TODAY, "Förslag grupp 3")
    assert v2.id != v.id
    with pytest.raises(EditRefused) as exc:
        V.fork(s, today, TODAY, "förslag GRUPP 2")
    assert exc.value.code == "variant_taken"
    s, e1 = V.apply_edit(s, v.id, lambda d: ops.add_step(d, "task", "visitor", "Snabbkoll vid entrén", after="arrive"),
                         author="Anna")
    s, e2 = V.apply_edit(s, v.id, lambda d: ops.add_flow(d, "arrive", NEW), author="Bo")
    s, e3 = V.apply_edit(s, v.id, lambda d: ops.move_step(d, "desk_answer", lane="guide"), author="Anna")
    variant = find_variant(s, v.id)
    assert [(e.n, e.action, e.author) for e in variant.history] == [
        (1, "add_step", "Anna"), (2, "add_flow", "Bo"), (3, "move_step", "Anna")]
    assert variant_document(variant, 0)["model"]["steps"] == model_to_data(today)["steps"]
    assert variant_document(variant, 3) == variant.document
    assert NEW in {x["id"] for x in variant_document(variant, 1)["model"]["steps"]}
    # restore version 1 (as a new edit), then undo the restore
    s, r = V.restore_version(s, v.id, 1, author="Cia")
    assert find_variant(s, v.id).document == variant_document(variant, 1)
    s, _ = V.undo(s, v.id, r.n)
    assert find_variant(s, v.id).document == variant.document
    # the file keeps it all, and reads back the same
    path = tmp_path / "session.json"
    save_session(s, path)
    assert load_session(path) == s
    assert json.loads(path.read_text(encoding="utf-8"))["variants"][0]["history"][0]["author"] == "Anna"


def test_two_people_editing_one_variant_keep_both_edits_and_undo_only_their_own(today):
    s, v = V.fork(WorkshopSession(), today, TODAY, "G")
    s, anna = V.apply_edit(s, v.id, lambda d: ops.rename_step(d, "wait_desk", "Väntar vid entrén"), author="Anna")
    s, bo = V.apply_edit(s, v.id, lambda d: ops.update_pool(d, "guides", capacity=6), author="Bo")
    m = ops.document_model(find_variant(s, v.id).document)
    assert m.step("wait_desk").label.sv == "Väntar vid entrén" and m.pool("guides").capacity == 6
    s, _ = V.undo(s, v.id, anna.n, author="Anna")  # Anna's undo leaves Bo's edit alone
    m = ops.document_model(find_variant(s, v.id).document)
    assert m.step("wait_desk").label.sv == today.step("wait_desk").label.sv and m.pool("guides").capacity == 6
    # an undo of something changed since by someone else is refused, not silently clobbering
    s, _ = V.apply_edit(s, v.id, lambda d: ops.update_pool(d, "guides", capacity=7), author="Cia")
    with pytest.raises(EditRefused) as exc:
        V.undo(s, v.id, bo.n, author="Bo")
    assert exc.value.code == "changed_since"


def test_redo_after_undo(today):
    s, v = V.fork(WorkshopSession(), today, TODAY, "G")
    s, e = V.apply_edit(s, v.id, lambda d: ops.delete_step(d, "take_ticket"))
    s, u = V.undo(s, v.id, e.n)
    assert "take_ticket" in {x["id"] for x in find_variant(s, v.id).document["model"]["steps"]}
    s, r = V.redo(s, v.id, u.n)
    assert "take_ticket" not in {x["id"] for x in find_variant(s, v.id).document["model"]["steps"]}
    assert [x.action for x in find_variant(s, v.id).history] == ["delete_step", "undo", "redo"]


def test_a_variant_loads_as_a_model_by_session_path_and_name(today, tmp_path):
    s, v = V.fork(WorkshopSession(), today, TODAY, "Förslag grupp 2")
    s, _ = V.apply_edit(s, v.id, lambda d: ops.update_pool(d, "guides", capacity=6))
    path = tmp_path / "s.json"
    save_session(s, path)
    by_id = load_model(f"{path}#{v.id}")
    by_name = load_model(f"{path}#förslag grupp 2")
    assert by_id == by_name and by_id.pool("guides").capacity == 6 and by_id.id == v.id
    assert load_model(f"{path}#{v.id}@0").pool("guides").capacity == today.pool("guides").capacity
    d = diff_models(today, by_id)
    assert list(d.pools_changed) == ["guides"] and not d.steps_added


def test_queue_without_resource_is_a_problem(doc):
    new = _apply(doc, ops.add_step(doc, "queue", "visitor", "Kö till ingenting", after="arrive"))
    new = _apply(new, ops.add_flow(new, "arrive", "ko_till_ingenting", probability=1))
    new = _apply(new, ops.delete_flow(new, flow_key(new["model"]["flows"][0])))
    new = _apply(new, ops.add_flow(new, "ko_till_ingenting", "leave"))
    checks = {(p.element, p.check) for p in draft_problems(new)}
    assert ("step:ko_till_ingenting", "queue_without_resource") in checks
    validate_data(model_to_data(load_model(TODAY)))  # the library itself has no such queue
