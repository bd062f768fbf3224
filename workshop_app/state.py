"""All the state of one browser session of the app, with no layout: tests drive it headless."""

from __future__ import annotations

from pathlib import Path

import param

from process_models import ProcessModel

from .builder import ScenarioBuilder
from .city import CityState
from .compare import CompareState, SweepState
from .editor import EditorState
from .maps import MapState
from .new_office import NewOfficeState
from .optimise import OptimiseState
from .shared_session import SharedSession, shared_session
from .texts import DEFAULT_LANG, LANGS, UiError
from .workshop import WorkshopState

__all__ = ["StudioState"]


class StudioState(param.Parameterized):
    """One browser's state: language, active tab, and the state of each tab over one shared session."""

    lang = param.Selector(default=DEFAULT_LANG, objects=list(LANGS))
    tab = param.Integer(default=0)
    following = param.Boolean(default=True, doc="Show what the facilitator shows, while someone leads.")
    leading = param.Boolean(default=False, doc="This browser's facilitator leads the room.")

    def __init__(self, session_path: str | Path | None = None, *, shared: SharedSession | None = None,
                 executor=None, **params):
        super().__init__(**params)
        self.shared = shared or shared_session(session_path)
        self.maps = MapState(self.shared, lang=self.lang)
        self.builder = ScenarioBuilder(self.shared)
        self.workshop = WorkshopState(self.shared, resolve=self.resolve, model_ref=self.maps.model_ref)
        self.editor = EditorState(self.shared, lang=self.lang, author=lambda: self.workshop.participant_name,
                                  participant=lambda: self.workshop.participant_id)
        author = lambda: self.workshop.participant_name  # noqa: E731
        self.compare = CompareState(self.shared, executor=executor, author=author)
        self.sweep = SweepState(self.shared, executor=executor, author=author)
        self.new_office = NewOfficeState(self.shared, lang=self.lang)
        self.city = CityState(self.shared, executor=executor, lang=self.lang)
        self.optimise = OptimiseState(self.shared, self.compare, executor=executor)
        self.compare.param.watch(self._paint_waits, "step_waits")
        self.maps.param.watch(self._note_on_selected_step, "selected_step")
        self.seen_revision = self.shared.revision
        self._seen_lead: tuple[str, int] | None = None
        self.param.watch(self._publish_lead, "tab")
        self.maps.param.watch(self._publish_lead, ["model_ref", "view"])
        self.compare.param.watch(self._publish_lead, "shown")

    def resolve(self, ref: str) -> ProcessModel:
        return self.maps.model_for(ref)

    @param.depends("lang", watch=True)
    def _lang_changed(self) -> None:
        self.maps.lang = self.lang
        self.editor.lang = self.lang
        self.new_office.lang = self.city.lang = self.lang

    def _note_on_selected_step(self, event) -> None:
        """A step clicked on the map becomes the step a new note goes on."""
        for ref in (self.maps.model_ref, self.maps.variant_ref):
            if any(s.id == event.new for s in self.resolve(ref).steps):
                self.workshop.param.update(model_ref=ref, step=event.new)
                return

    def _paint_waits(self, event) -> None:
        self.maps.waits = dict(event.new)

    # --- the facilitator's lead ---------------------------------------------------------
    def _lead_fields(self) -> dict:
        return {"tab": self.tab, "model_ref": self.maps.model_ref, "comparison": self.compare.shown,
                "extent": tuple(self.maps.view) if len(self.maps.view) == 4 else None}

    def start_leading(self) -> None:
        """Lead the room from this browser (a facilitator only; the server checks)."""
        self.shared.set_lead(self.workshop.participant_id, **self._lead_fields())
        self.param.update(leading=True, following=False)

    def stop_leading(self) -> None:
        if self.leading:
            self.shared.stop_lead(self.workshop.participant_id)
        self.leading = False

    def _publish_lead(self, *_) -> None:
        if self.leading:
            try:
                self.shared.set_lead(self.workshop.participant_id, **self._lead_fields())
            except UiError:  # no longer a facilitator (another browser rejoined under the name)
                self.leading = False

    @property
    def someone_leads(self) -> bool:
        lead = self.shared.lead
        return lead is not None and not self.leading and lead.by != self.workshop.participant_id

    def follow(self) -> None:
        """Follow again (one click): show the facilitator's screen at once."""
        self._seen_lead = None
        self.following = True
        self.follow_lead()

    def unfollow(self) -> None:
        self.following = False

    def follow_lead(self) -> bool:
        """Show the lead's tab, model, comparison and map area if it moved since last time; True if applied."""
        lead = self.shared.lead
        if not self.following or not self.someone_leads:
            return False
        key = (lead.by, lead.revision)
        if key == self._seen_lead:
            return False
        self._seen_lead = key
        if lead.model_ref in self.maps.param.model_ref.objects:
            self.maps.model_ref = lead.model_ref
        if lead.comparison:
            self.compare.sync()
            if lead.comparison in self.compare.param.shown.objects:
                self.compare.shown = lead.comparison
        if lead.extent:
            self.maps.view = list(lead.extent)
        self.tab = lead.tab
        return True

    def changed_elsewhere(self) -> bool:
        """True (once) when the shared session moved since this browser last looked."""
        return bool(self.changes_elsewhere())

    def changes_elsewhere(self) -> set[str]:
        """The topics that changed (once) since this browser last looked: what it must redraw."""
        seen, now = self.seen_revision, self.shared.revision
        if now == seen:
            return set()
        self.seen_revision = now
        return self.shared.changed_since(seen)
