"""The session file the app writes is what the exports read: a voted idea becomes a requirement."""

from __future__ import annotations

import json

from mbk.cli import main
from workshop_app.workshop import WorkshopState


def test_a_voted_idea_from_the_workshop_reaches_the_requirements(shared, session_path, tmp_path):
    lead = WorkshopState(shared, participant_name="Ida", role="facilitator", model_ref="skarholmen-kiosk")
    lead.join()
    lead.param.update(step="kiosk_language", kind="idea", text="Tigrinja och dari på skärmen")
    note = lead.add_note()
    for _ in range(4):
        lead.vote(note.id)
    out = tmp_path / "requirements.json"
    assert main(["export", "requirements", "skarholmen-kiosk", "--session", str(session_path), "-o", str(out),
                 "-f", "json"]) == 0
    text = json.dumps(json.loads(out.read_text(encoding="utf-8")), ensure_ascii=False)
    assert "Tigrinja och dari på skärmen" in text
