"""One workshop session shared by every browser: notes, votes, scenarios, results and a timer.

There is one `SharedSession` per session file in the process. Every change goes through a
lock, is written to the file atomically and bumps `revision`; each browser session polls
`revision` and redraws, so notes and votes appear everywhere without reloading.
"""

from __future__ import annotations

import re
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import param

from process_models.schema import Annotation
from process_models.session import (
    ComparisonRecord,
    Note,
    Participant,
    SavedScenario,
    ScenarioResult,
    SweepRecord,
    Timer,
    Vote,
    WorkshopSession,
    load_session,
    save_session,
    session_annotations,
)

from process_models import variants as variant_ops
from process_models.edit import Edit, draft_problems
from process_models.library import library_names
from process_models.schema import ProcessModel
from process_models.session import Variant, VariantEdit, find_variant

from .access import RoomAccess
from .lead import Lead, updated
from .texts import UiError

__all__ = ["SharedSession", "VoteRefused", "shared_session", "forget_shared_sessions", "TOPICS", "RESULTS_TOPIC"]

NOTE_KINDS = ("pain_point", "idea", "question")
ROLES = ("visitor", "staff", "facilitator")


#: How many computed values (drafts, checks, canvases) the session keeps for its browsers.
MEMO_SIZE = 256

#: The topic of a change in the room's results (comparisons, sweeps).
RESULTS_TOPIC = "results"
#: What a browser redraws after a change, by the session field that changed.
TOPIC_OF = {"notes": "notes", "votes": "notes", "vote_budget": "notes", "participants": "people",
            "variants": "models", "models": "models", "scenarios": "scenarios", "results": RESULTS_TOPIC,
            "comparisons": RESULTS_TOPIC, "sweeps": RESULTS_TOPIC, "timer": "timer"}
TOPICS = frozenset(TOPIC_OF.values())


#: Fields whose change alone is written without waiting for the disk (fsync took 8 ms on this machine, on
#: the server's one loop, for each of 20 dots in a burst); the file is still replaced whole, and the next
#: other change waits for the disk as before. A power cut may lose the last dots, never the file.
LIGHT_FIELDS = frozenset({"votes"})

#: The refusal's words for a budget of no dot or one dot ("alla dina 1 prickar" read wrong).
BUDGET_REFUSAL = {0: "err_vote_budget_none", 1: "err_vote_budget_one"}


class VoteRefused(UiError):
    """A participant tried to place more dots than the session's vote budget allows."""


class SharedSession(param.Parameterized):
    """The workshop session file as live state; every method is safe to call from any thread."""

    revision = param.Integer(default=0, doc="Bumped on every change; views redraw when it moves.")
    timer_end = param.Number(default=None, allow_None=True, doc="Clock time when the timer rings.")
    timer_minutes = param.Number(default=0.0, doc="Length of the running (or last) timer.")
    lead = param.ClassSelector(class_=Lead, default=None, allow_None=True,
                               doc="What the facilitator shows the room, when they lead (kept in memory).")

    def __init__(self, path: str | Path | None, *, clock: Callable[[], float] = time.time, **params):
        super().__init__(**params)
        self.path = Path(path) if path else None
        self.clock = clock
        self._lock = threading.RLock()
        self._upload_dir: Path | None = None
        self._valid: dict[tuple[str, int], bool] = {}
        self.access: RoomAccess | None = None  # set by serve(): this run's join and facilitator codes
        self.topic_revisions: dict[str, int] = {}  # topic -> the revision that last changed it
        self._memo: dict[tuple, Any] = {}
        if self.path is not None and self.path.exists():
            self._session = load_session(self.path)
        else:
            self._session = WorkshopSession()
            self._save()
        if (timer := self._session.timer) is not None:  # a running timer survives a restart
            self.param.update(timer_minutes=timer.minutes, timer_end=timer.ends.timestamp())

    # --- reading ---------------------------------------------------------------------
    def memo(self, key: tuple, build: Callable[[], Any]) -> Any:
        """What `build` makes for `key`, made once for all browsers of the session.

        For what depends only on the key (a variant's draft, check and canvas at one version): ten
        browsers that see one edit compute its canvas once, not ten times. Keys must name every input.
        """
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = build()
        if len(self._memo) >= MEMO_SIZE:  # old versions are not asked for again: start over
            self._memo.clear()
        self._memo[key] = value
        return value

    @property
    def data(self) -> WorkshopSession:
        """The current session (immutable; a new object after every change)."""
        return self._session

    def notes_for(self, model_id: str, step: str | None = None) -> list[Note]:
        return [n for n in self._session.notes if n.model == model_id and (step is None or n.step == step)]

    def votes_used(self, participant_id: str) -> int:
        return sum(1 for v in self._session.votes if v.participant == participant_id)

    def votes_left(self, participant_id: str) -> int:
        return self._session.vote_budget - self.votes_used(participant_id)

    def annotations(self, model_id: str) -> list[Annotation]:
        """The notes on one model as model annotations with vote counts (what the exports read)."""
        return session_annotations(self._session, model_id)

    def scenario(self, name: str) -> SavedScenario:
        try:
            return next(s for s in self._session.scenarios if s.name == name)
        except StopIteration:
            raise UiError("err_no_scenario", name=name) from None

    def timer_remaining(self) -> float | None:
        """Seconds left on the facilitator's timer (0 when it has rung), None when not set."""
        if self.timer_end is None:
            return None
        return max(0.0, self.timer_end - self.clock())

    # --- changing --------------------------------------------------------------------
    def _commit(self, session: WorkshopSession) -> None:
        old, self._session = self._session, session
        self._save(durable=not self._only_votes_changed(old, session))
        revision = self.revision + 1
        for name, topic in TOPIC_OF.items():  # a field left alone is the same object after model_copy
            if getattr(old, name) is not getattr(session, name) and getattr(old, name) != getattr(session, name):
                self.topic_revisions[topic] = revision
        self.revision = revision

    def changed_since(self, revision: int) -> set[str]:
        """The topics (see TOPICS) changed after `revision`: what a browser has to redraw."""
        if revision >= self.revision:
            return set()
        changed = {t for t, r in self.topic_revisions.items() if r > revision}
        return changed or set(TOPICS)  # a change this session does not sort into topics: redraw all

    @staticmethod
    def _only_votes_changed(old: WorkshopSession, new: WorkshopSession) -> bool:
        """True when a change touched the dots only (model_copy keeps every other field the same object)."""
        return all((getattr(old, name) is getattr(new, name)) == (name not in LIGHT_FIELDS)
                   for name in type(new).model_fields)

    def _save(self, durable: bool = True) -> None:
        if self.path is not None:
            save_session(self._session, self.path, durable=durable)

    def _update(self, **fields) -> None:
        self._commit(self._session.model_copy(update=fields))

    def join(self, name: str, role: str, code: str = "") -> Participant:
        """Add a participant, or return the one with the same name (rejoining after a restart).

        In a served room (`access` set) a facilitator needs the facilitator's code, checked here on
        the server: choosing the role in the page is not enough, nor is taking a facilitator's name.
        """
        name = name.strip()
        if not name:
            raise UiError("err_name")
        if role not in ROLES:
            raise UiError("err_role", role=role)
        with self._lock:
            existing = next((p for p in self._session.participants if p.name.casefold() == name.casefold()), None)
            leads = role == "facilitator" or (existing is not None and existing.role == "facilitator")
            if leads and self.access is not None and not self.access.leads(code):
                raise UiError("err_facilitator_code" if role == "facilitator" else "err_name_taken", name=name)
            if existing is not None:
                p = existing
                if p.role != role:
                    p = Participant(id=p.id, name=p.name, role=role)
                    self._update(participants=[p if q.id == p.id else q for q in self._session.participants])
                return p
            slug = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_") or "p"
            pid = f"{slug[:40]}_{len(self._session.participants) + 1}"
            participant = Participant(id=pid, name=name[:80], role=role)
            self._update(participants=[*self._session.participants, participant])
            return participant

    def is_facilitator(self, participant_id: str) -> bool:
        """True when this participant joined as facilitator (with the code, in a served room)."""
        return any(p.id == participant_id and p.role == "facilitator" for p in self._session.participants)

    def participant(self, participant_id: str) -> Participant:
        try:
            return next(p for p in self._session.participants if p.id == participant_id)
        except StopIteration:
            raise UiError("err_participant", participant=participant_id) from None

    def add_note(self, participant_id: str, model_id: str, step: str, kind: str, text: str,
                 anonymous: bool = False) -> Note:
        """Put a pain point, idea or question on a step, marked with the author's role."""
        if kind not in NOTE_KINDS:
            raise UiError("err_kind", kind=kind)
        text = text.strip()
        if not text:
            raise UiError("err_note_text")
        with self._lock:
            who = self.participant(participant_id)
            numbers = [int(n.id.split("_")[-1]) for n in self._session.notes if re.fullmatch(r"note_\d+", n.id)]
            note = Note(
                id=f"note_{max(numbers, default=0) + 1}",
                model=model_id,
                step=step,
                kind=kind,
                text=text[:2000],
                author=who.id,
                author_role=who.role,
                created=datetime.now(timezone.utc).replace(microsecond=0),
                anonymous=bool(anonymous),
            )
            self._update(notes=[*self._session.notes, note])
            return note

    def _own_note(self, participant_id: str, note_id: str) -> Note:
        """The note, if this participant wrote it (a facilitator may tidy anyone's); else UiError."""
        who = self.participant(participant_id)
        note = next((n for n in self._session.notes if n.id == note_id), None)
        if note is None:
            raise UiError("err_no_note", note=note_id)
        if note.author != who.id and who.role != "facilitator":
            raise UiError("err_not_your_note")
        return note

    def edit_note(self, participant_id: str, note_id: str, text: str, kind: str | None = None) -> Note:
        """Change the text (or kind) of one's own note; checked here, not only hidden in the page."""
        text = text.strip()
        if not text:
            raise UiError("err_note_text")
        if kind is not None and kind not in NOTE_KINDS:
            raise UiError("err_kind", kind=kind)
        with self._lock:
            note = self._own_note(participant_id, note_id)
            new = note.model_copy(update={"text": text[:2000], "kind": kind or note.kind,
                                          "edited": datetime.now(timezone.utc).replace(microsecond=0)})
            self._update(notes=[new if n.id == note_id else n for n in self._session.notes])
            return new

    def move_note(self, participant_id: str, note_id: str, step: str) -> Note:
        """Put one's own note on another step of its model (dragged there on the canvas)."""
        with self._lock:
            note = self._own_note(participant_id, note_id)
            new = note.model_copy(update={"step": step, "edited": datetime.now(timezone.utc).replace(microsecond=0)})
            self._update(notes=[new if n.id == note_id else n for n in self._session.notes])
            return new

    def delete_note(self, participant_id: str, note_id: str) -> None:
        """Remove one's own note and the dots on it (the dots go back to their owners)."""
        with self._lock:
            self._own_note(participant_id, note_id)
            self._update(notes=[n for n in self._session.notes if n.id != note_id],
                         votes=[v for v in self._session.votes if v.note != note_id])

    def author_name(self, note: Note, anonymous_word: str) -> str:
        """Who wrote a note, as the room sees it: the name, or the word for anonymous."""
        if note.anonymous:
            return anonymous_word
        return next((p.name for p in self._session.participants if p.id == note.author), note.author)

    def vote(self, participant_id: str, note_id: str) -> int:
        """Place one dot on a note; refused (VoteRefused) beyond the budget. Returns dots left."""
        with self._lock:
            self.participant(participant_id)
            if not any(n.id == note_id for n in self._session.notes):
                raise UiError("err_no_note", note=note_id)
            if self.votes_left(participant_id) <= 0:
                budget = self._session.vote_budget
                raise VoteRefused(BUDGET_REFUSAL.get(budget, "err_vote_budget"), budget=budget)
            self._update(votes=[*self._session.votes, Vote(participant=participant_id, note=note_id)])
            return self.votes_left(participant_id)

    def unvote(self, participant_id: str, note_id: str) -> int:
        """Take back one of this participant's dots from a note. Returns dots left."""
        with self._lock:
            votes = list(self._session.votes)
            for i, v in enumerate(votes):
                if v.participant == participant_id and v.note == note_id:
                    del votes[i]
                    self._update(votes=votes)
                    break
            return self.votes_left(participant_id)

    def set_vote_budget(self, budget: int, by: str | None = None) -> None:
        """Dots per person; from the app only by a facilitator (`by`), checked here on the server."""
        if by is not None and not self.is_facilitator(by):
            raise UiError("err_facilitator_only")
        if budget < 0:
            raise UiError("err_budget", budget=budget)
        with self._lock:
            self._update(vote_budget=int(budget))

    def save_scenario(self, scenario: SavedScenario) -> None:
        """Add or replace (by name) a saved scenario."""
        with self._lock:
            others = [s for s in self._session.scenarios if s.name != scenario.name]
            self._update(scenarios=[*others, scenario])

    def record_result(self, result: ScenarioResult) -> None:
        """Keep a run's KPIs in the session (replacing the same scenario, seed and replications)."""
        with self._lock:
            key = (result.scenario, result.seed, result.replications)
            others = [r for r in self._session.results if (r.scenario, r.seed, r.replications) != key]
            self._update(results=[*others, result])

    def record_comparison(self, record: ComparisonRecord) -> ComparisonRecord:
        """Keep a finished comparison (numbered in order) and its scenarios' KPIs, in one change.

        The flat `results` stay what the report reads; `comparisons` is the room's history
        that every browser opens without running it again.
        """
        with self._lock:
            record = record.model_copy(update={"id": f"cmp_{len(self._session.comparisons) + 1}"})
            keys = {(s.name, record.seed, record.replications) for s in record.scenarios}
            kept = [r for r in self._session.results if (r.scenario, r.seed, r.replications) not in keys]
            flat = [ScenarioResult(scenario=s.name, replications=record.replications, seed=record.seed,
                                   kpis=s.kpis, baseline=record.baseline) for s in record.scenarios]
            self._update(comparisons=[*self._session.comparisons, record], results=[*kept, *flat])
            return record

    def comparison(self, record_id: str) -> ComparisonRecord | None:
        return next((c for c in self._session.comparisons if c.id == record_id), None)

    def record_sweep(self, record: SweepRecord) -> SweepRecord:
        """Keep a finished sweep (numbered in order) for every browser to draw."""
        with self._lock:
            record = record.model_copy(update={"id": f"swp_{len(self._session.sweeps) + 1}"})
            self._update(sweeps=[*self._session.sweeps, record])
            return record

    def sweep(self, record_id: str) -> SweepRecord | None:
        return next((c for c in self._session.sweeps if c.id == record_id), None)

    @property
    def upload_dir(self) -> Path:
        """Where uploaded models are kept: beside the session file, so a restart still finds them.

        The folder is named after the session file (`room.json` -> `room.uploads/`), so two
        session files in one folder never overwrite each other's uploads.
        """
        if self._upload_dir is None:
            self._upload_dir = (self.path.parent / f"{self.path.stem}.uploads" if self.path
                                else Path(tempfile.mkdtemp(prefix="mbk-uploads-")))
        return self._upload_dir

    def store_upload(self, filename: str, text: str) -> Path:
        """Keep a checked, uploaded model file and list it in the session; returns its path."""
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(filename).name).lstrip(".") or "model.yaml"
        with self._lock:
            target = self.upload_dir / safe
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            self.add_model(str(target))
            return target

    def uploaded_models(self) -> list[str]:
        """Refs (paths) of the uploaded models that are still on disk."""
        return [m for m in self._session.models if Path(m).is_file()]

    def add_model(self, model_ref: str) -> None:
        with self._lock:
            if model_ref not in self._session.models:
                self._update(models=[*self._session.models, model_ref])

    def start_timer(self, minutes: float) -> None:
        if minutes <= 0:
            raise UiError("err_timer", minutes=minutes)
        with self._lock:
            end = self.clock() + minutes * 60
            self.param.update(timer_minutes=float(minutes), timer_end=end)
            self._update(timer=Timer(ends=datetime.fromtimestamp(end, timezone.utc), minutes=float(minutes)))

    def set_lead(self, participant_id: str, **shown) -> Lead:
        """Lead the room (or move the lead on): only a facilitator, checked here on the server."""
        if not self.is_facilitator(participant_id):
            raise UiError("err_facilitator_lead")
        with self._lock:
            current = self.lead if self.lead is not None and self.lead.by == participant_id else None
            fresh = Lead(by=participant_id, revision=self.lead.revision + 1 if self.lead else 1)
            new = updated(current or fresh, **shown)
            if new is not self.lead:
                self.lead = new
            return new

    def stop_lead(self, participant_id: str) -> None:
        """End the lead; followers keep what they show and explore on their own."""
        if not self.is_facilitator(participant_id):
            raise UiError("err_facilitator_lead")
        with self._lock:
            self.lead = None

    def stop_timer(self) -> None:
        with self._lock:
            self.timer_end = None
            self._update(timer=None)


    # --- variants: models the room edits -----------------------------------------------
    def variant(self, variant_id: str) -> Variant:
        return find_variant(self._session, variant_id)

    def variants(self) -> list[Variant]:
        return list(self._session.variants)

    def fork_variant(self, base: ProcessModel, base_ref: str, name: str, author: str = "") -> Variant:
        """A new named variant of `base`, with an id of its own; every browser sees it at once."""
        reserved = set(library_names())
        with self._lock:
            session, variant = variant_ops.fork(self._session, base, base_ref, name, author=author,
                                                reserved=reserved)
            self._commit(session)
            return variant

    def variant_refs(self) -> dict[str, str]:
        """Variant name -> a ref the simulation loads (`SESSION.json#id@version`), for the valid variants.

        The version in the ref makes it immutable: a run or a saved scenario names exactly what it
        simulated, and the simulation's model cache can never serve an older draft.
        """
        if self.path is None:
            return {}
        out = {}
        for v in self._session.variants:
            key = (v.id, v.version)
            if key not in self._valid:
                self._valid[key] = not draft_problems(v.document)
            if self._valid[key]:
                out[v.name] = f"{self.path}#{v.id}@{v.version}"
        return out

    def edit_variant(self, variant_id: str, build: Callable[[dict], Edit], author: str = "") -> VariantEdit:
        """Apply one edit, built against the latest draft under the lock, so no one's edit is lost."""
        with self._lock:
            session, edit = variant_ops.apply_edit(self._session, variant_id, build, author=author)
            self._commit(session)
            return edit

    def undo_variant(self, variant_id: str, n: int, author: str = "") -> VariantEdit:
        with self._lock:
            session, edit = variant_ops.undo(self._session, variant_id, n, author=author)
            self._commit(session)
            return edit

    def redo_variant(self, variant_id: str, n: int, author: str = "") -> VariantEdit:
        with self._lock:
            session, edit = variant_ops.redo(self._session, variant_id, n, author=author)
            self._commit(session)
            return edit

    def restore_variant(self, variant_id: str, version: int, author: str = "") -> VariantEdit:
        with self._lock:
            session, edit = variant_ops.restore_version(self._session, variant_id, version, author=author)
            self._commit(session)
            return edit


_REGISTRY: dict[str, SharedSession] = {}
_REGISTRY_LOCK = threading.Lock()


def shared_session(path: str | Path | None) -> SharedSession:
    """The one SharedSession for this file in this process (created on first use)."""
    key = str(Path(path).resolve()) if path else ""
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = SharedSession(path)
        return _REGISTRY[key]


def forget_shared_sessions() -> None:
    """Drop the registry (tests use it to simulate a restart of the server)."""
    with _REGISTRY_LOCK:
        _REGISTRY.clear()
