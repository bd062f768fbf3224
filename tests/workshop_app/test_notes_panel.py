"""The notes panel beside the canvas, driven without a browser: an author moves a note by keyboard.

On the canvas a note card is dragged onto a step; the panel's "Flytta till steg" is the same
move for the keyboard, and only for one's own notes (the session checks who asks).
"""

from __future__ import annotations

import pytest

from process_models import load_model
from workshop_app.shared_session import SharedSession
from workshop_app.texts import UiError
from workshop_app.views.notes_view import NotesPanel
from workshop_app.workshop import WorkshopState

TODAY = "skarholmen-current"


@pytest.fixture
def shared(tmp_path):
    return SharedSession(tmp_path / "session.json")


def test_an_author_moves_a_note_to_another_step_from_the_panel(shared):
    anna = WorkshopState(shared)
    anna.param.update(participant_name="Anna", role="staff")
    anna.join()
    bo = shared.join("Bo", "staff")
    note = shared.add_note(anna.participant_id, TODAY, "wait_desk", "idea", "En skylt vid dörren")
    steps = {s.label.get("sv"): s.id for s in load_model(TODAY).steps}
    panel = NotesPanel(anna, "sv")
    panel.show(TODAY, "wait_desk", steps)
    assert panel.own.visible and panel.mine.value == note.id
    assert "Väntar på informationsdisken" not in panel.move_to.options  # not to the step it is on
    panel.move_to.value = steps["Informationsdisken tar emot"]
    panel._move()
    assert next(n for n in shared.data.notes if n.id == note.id).step == "desk_triage"
    assert "Anteckningen ligger nu på ”Informationsdisken tar emot”." in panel.message.object
    # someone else's note cannot be moved by asking the session directly either
    with pytest.raises(UiError):
        shared.move_note(bo.id, note.id, "wait_desk")
    assert next(n for n in shared.data.notes if n.id == note.id).step == "desk_triage"
