"""The shared workshop session: notes, dot votes with a budget, the timer, and surviving a restart."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from process_models import load_model, parse_model
from process_models.session import load_session
from workshop_app.shared_session import SharedSession, VoteRefused, forget_shared_sessions, shared_session
from workshop_app.texts import UiError
from workshop_app.workshop import WorkshopState, annotated_model


def test_a_note_is_saved_with_the_authors_role_and_read_back_from_the_file(shared, session_path):
    anna = shared.join("Anna", "staff")
    note = shared.add_note(anna.id, "skarholmen-current", "wait_desk", "pain_point", "  Ingen vet hur länge det tar. ")
    assert note.id == "note_1"
    on_disk = json.loads(session_path.read_text(encoding="utf-8"))
    assert on_disk["notes"][0]["text"] == "Ingen vet hur länge det tar."
    assert on_disk["notes"][0]["author_role"] == "staff"
    assert on_disk["notes"][0]["step"] == "wait_desk"
    assert on_disk["participants"] == [{"id": anna.id, "name": "Anna", "role": "staff"}]


def test_voting_beyond_the_budget_is_refused_and_changes_nothing(shared, session_path):
    shared.set_vote_budget(2)
    bo = shared.join("Bo", "visitor")
    note = shared.add_note(bo.id, "skarholmen-current", "wait_computer", "pain_point", "Datorerna är upptagna")
    assert shared.vote(bo.id, note.id) == 1
    assert shared.vote(bo.id, note.id) == 0
    before = session_path.read_bytes()
    revision = shared.revision
    with pytest.raises(VoteRefused) as refused:
        shared.vote(bo.id, note.id)
    assert "2" in refused.value.in_lang("sv") and "prickar" in refused.value.in_lang("sv")
    assert session_path.read_bytes() == before
    assert shared.revision == revision
    assert shared.data.votes_for(note.id) == 2
    # taking a dot back frees it for another note
    assert shared.unvote(bo.id, note.id) == 1
    assert shared.vote(bo.id, note.id) == 0


def test_budgets_are_per_participant(shared):
    shared.set_vote_budget(1)
    a, b = shared.join("Ali", "visitor"), shared.join("Beata", "facilitator")
    note = shared.add_note(a.id, "skarholmen-kiosk", "kiosk_language", "idea", "Fler språk")
    shared.vote(a.id, note.id)
    shared.vote(b.id, note.id)
    assert shared.data.votes_for(note.id) == 2
    with pytest.raises(VoteRefused):
        shared.vote(a.id, note.id)


def test_a_restarted_server_reloads_notes_votes_and_participants(session_path, clock):
    first = SharedSession(session_path, clock=clock)
    cia = first.join("Cia", "facilitator")
    n1 = first.add_note(cia.id, "skarholmen-current", "take_ticket", "idea", "Pekskärm i entrén")
    n2 = first.add_note(cia.id, "skarholmen-current", "wait_guide", "question", "Hur länge väntar man?")
    first.vote(cia.id, n2.id)
    again = SharedSession(session_path, clock=clock)  # a new process reading the same file
    assert [n.id for n in again.data.notes] == [n1.id, n2.id]
    assert again.votes_left(cia.id) == again.data.vote_budget - 1
    assert again.join("cia", "facilitator").id == cia.id  # rejoining by name keeps the dots
    n3 = again.add_note(cia.id, "skarholmen-current", "take_ticket", "pain_point", "Kölappen tar slut")
    assert n3.id == "note_3"


def test_session_notes_become_the_models_annotations_with_votes(shared):
    d = shared.join("Dan", "visitor")
    note = shared.add_note(d.id, "skarholmen-current", "wait_desk", "pain_point", "Svårt att höra numret")
    shared.vote(d.id, note.id)
    shared.vote(d.id, note.id)
    model = annotated_model(load_model("skarholmen-current"), shared)
    mine = [a for a in model.annotations if a.id == note.id]
    assert len(mine) == 1 and mine[0].votes == 2 and mine[0].author_role == "visitor"
    assert {a.id for a in load_model("skarholmen-current").annotations} <= {a.id for a in model.annotations}


def test_bad_input_is_refused_with_a_translated_message(shared):
    with pytest.raises(UiError) as no_name:
        shared.join("   ", "staff")
    assert no_name.value.in_lang("en") == "Write your name to join."
    e = shared.join("Eva", "staff")
    with pytest.raises(UiError):
        shared.add_note(e.id, "skarholmen-current", "wait_desk", "complaint", "x")
    with pytest.raises(UiError):
        shared.add_note(e.id, "skarholmen-current", "wait_desk", "idea", "   ")
    with pytest.raises(UiError):
        shared.vote(e.id, "note_99")
    assert shared.data.notes == []


def test_the_timer_counts_down_on_the_given_clock(shared, clock):
    assert shared.timer_remaining() is None
    shared.start_timer(5)
    clock.now += 90
    assert shared.timer_remaining() == pytest.approx(210)
    clock.now += 1000
    assert shared.timer_remaining() == 0
    shared.stop_timer()
    assert shared.timer_remaining() is None


def test_a_running_timer_survives_a_restart(session_path, clock):
    shared = SharedSession(session_path, clock=clock)
    shared.start_timer(10)
    clock.now += 120
    on_disk = json.loads(session_path.read_text(encoding="utf-8"))["timer"]
    assert on_disk["minutes"] == 10
    assert datetime.fromisoformat(on_disk["ends"]) == datetime.fromtimestamp(1_000_600, timezone.utc)
    forget_shared_sessions()
    again = SharedSession(session_path, clock=clock)  # the server restarted two minutes in
    assert again.timer_remaining() == pytest.approx(480) and again.timer_minutes == 10
    again.stop_timer()
    assert json.loads(session_path.read_text(encoding="utf-8"))["timer"] is None
    assert SharedSession(session_path, clock=clock).timer_remaining() is None


def test_only_a_facilitator_runs_the_timer(shared):
    visitor = WorkshopState(shared, participant_name="Fia", role="visitor")
    visitor.join()
    with pytest.raises(UiError):
        visitor.start_timer()
    lead = WorkshopState(shared, participant_name="Gun", role="facilitator", timer_minutes=3)
    lead.join()
    lead.start_timer()
    assert shared.timer_remaining() == pytest.approx(180)


def test_one_shared_session_per_file(session_path):
    assert shared_session(session_path) is shared_session(str(session_path))
    assert load_session(session_path).notes == []


def test_workshop_state_drives_notes_and_ranks_by_votes(shared):
    s = WorkshopState(shared, participant_name="Hugo", role="staff", model_ref="skarholmen-kiosk")
    with pytest.raises(UiError):
        s.add_note()  # not joined yet
    s.join()
    s.param.update(step="kiosk_language", kind="idea", text="Tigrinja saknas")
    first = s.add_note()
    assert s.text == ""
    s.param.update(step="start_at_computer", kind="pain_point", text="För små skärmar")
    second = s.add_note()
    s.vote(second.id)
    assert [(n.id, dots) for n, dots in s.ranked_notes()] == [(second.id, 1), (first.id, 0)]
    assert s.my_votes(second.id) == 1
    back = parse_model(s.export_yaml(), file="exported.yaml")  # what the exports read
    notes = {a.id: a for a in back.annotations}
    assert notes[first.id].text == "Tigrinja saknas" and notes[first.id].author_role == "staff"
    assert notes[second.id].votes == 1


def test_uploads_go_to_a_folder_named_after_the_session_file(tmp_path):
    """Two session files in one folder used to share (and overwrite) one uploads/ folder."""
    from workshop_app.shared_session import SharedSession

    a = SharedSession(tmp_path / "room-a.json")
    b = SharedSession(tmp_path / "room-b.json")
    pa = a.store_upload("model.yaml", "a: 1\n")
    pb = b.store_upload("model.yaml", "b: 2\n")
    assert pa == tmp_path / "room-a.uploads" / "model.yaml" and pb == tmp_path / "room-b.uploads" / "model.yaml"
    assert pa.read_text() == "a: 1\n" and pb.read_text() == "b: 2\n"
