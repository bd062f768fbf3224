"""State of workshop mode for one browser: who I am, the note I am writing, my dots."""

from __future__ import annotations

import param

from process_models import ProcessModel, dump_model, load_model

from .shared_session import NOTE_KINDS, ROLES, SharedSession
from .texts import UiError

__all__ = ["WorkshopState", "annotated_model"]


def annotated_model(model: ProcessModel, shared: SharedSession) -> ProcessModel:
    """The model with the session's notes (and their votes) as its annotations, for the exports."""
    extra = shared.annotations(model.id)
    ids = {a.id for a in extra}
    return model.model_copy(update={"annotations": [a for a in model.annotations if a.id not in ids] + extra})


class WorkshopState(param.Parameterized):
    """One participant's side of the shared session; the notes and votes live in `shared`."""

    participant_id = param.String(default="", doc="Set once this browser has joined.")
    participant_name = param.String(default="")
    role = param.Selector(default="visitor", objects=list(ROLES))
    model_ref = param.String(default="skarholmen-current")
    step = param.String(default="")
    kind = param.Selector(default="pain_point", objects=list(NOTE_KINDS))
    text = param.String(default="")
    message = param.String(default="", doc="Last error or confirmation, shown to this participant.")
    timer_minutes = param.Number(default=10, bounds=(1, 120))
    code = param.String(default="", doc="The facilitator's code, asked for when joining as facilitator.")

    def __init__(self, shared: SharedSession, resolve=load_model, **params):
        self.shared = shared
        self.resolve = resolve  # model ref -> ProcessModel (the app passes one that knows uploads)
        super().__init__(**params)

    @property
    def joined(self) -> bool:
        return bool(self.participant_id)

    @property
    def is_facilitator(self) -> bool:
        return self.joined and self.shared.is_facilitator(self.participant_id)

    def join(self) -> None:
        p = self.shared.join(self.participant_name, self.role, code=self.code)
        self.param.update(participant_id=p.id, participant_name=p.name, message="", code="")

    def _need_participant(self) -> str:
        if not self.joined:
            raise UiError("err_join_first")
        return self.participant_id

    def add_note(self):
        """Add the note being written to the chosen step; clears the text on success."""
        pid = self._need_participant()
        if not self.step:
            raise UiError("err_pick_step")
        note = self.shared.add_note(pid, self.model_id, self.step, self.kind, self.text)
        self.text = ""
        return note

    @property
    def model_id(self) -> str:
        return self.resolve(self.model_ref).id

    def vote(self, note_id: str) -> int:
        return self.shared.vote(self._need_participant(), note_id)

    def unvote(self, note_id: str) -> int:
        return self.shared.unvote(self._need_participant(), note_id)

    def my_votes(self, note_id: str) -> int:
        return sum(1 for v in self.shared.data.votes if v.participant == self.participant_id and v.note == note_id)

    def votes_left(self) -> int | None:
        return self.shared.votes_left(self.participant_id) if self.joined else None

    def ranked_notes(self) -> list[tuple[object, int]]:
        """This model's notes with their dots, most voted first, then oldest first."""
        notes = self.shared.notes_for(self.model_id)
        ranked = sorted(notes, key=lambda n: (-self.shared.data.votes_for(n.id), n.created, n.id))
        return [(n, self.shared.data.votes_for(n.id)) for n in ranked]

    def start_timer(self) -> None:
        if not self.is_facilitator:
            raise UiError("err_facilitator_only")
        self.shared.start_timer(self.timer_minutes)

    def stop_timer(self) -> None:
        if not self.is_facilitator:
            raise UiError("err_facilitator_only")
        self.shared.stop_timer()

    def set_budget(self, budget: int) -> None:
        """Change the dots per person: refused on the server unless this participant leads."""
        if not self.joined:
            raise UiError("err_facilitator_only")
        self.shared.set_vote_budget(budget, by=self.participant_id)

    def export_yaml(self) -> str:
        """The model with this session's notes as annotations, as YAML for the exports."""
        return dump_model(annotated_model(self.resolve(self.model_ref), self.shared))
