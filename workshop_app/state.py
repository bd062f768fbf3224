"""All the state of one browser session of the app, with no layout: tests drive it headless."""

from __future__ import annotations

from pathlib import Path

import param

from process_models import ProcessModel

from .builder import ScenarioBuilder
from .compare import CompareState, SweepState
from .editor import EditorState
from .maps import MapState
from .optimise import OptimiseState
from .shared_session import SharedSession, shared_session
from .texts import DEFAULT_LANG, LANGS
from .workshop import WorkshopState

__all__ = ["StudioState"]


class StudioState(param.Parameterized):
    """One browser's state: language, active tab, and the state of each tab over one shared session."""

    lang = param.Selector(default=DEFAULT_LANG, objects=list(LANGS))
    tab = param.Integer(default=0)

    def __init__(self, session_path: str | Path | None = None, *, shared: SharedSession | None = None,
                 executor=None, **params):
        super().__init__(**params)
        self.shared = shared or shared_session(session_path)
        self.maps = MapState(self.shared, lang=self.lang)
        self.builder = ScenarioBuilder(self.shared)
        self.workshop = WorkshopState(self.shared, resolve=self.resolve, model_ref=self.maps.model_ref)
        self.editor = EditorState(self.shared, lang=self.lang, author=lambda: self.workshop.participant_name)
        author = lambda: self.workshop.participant_name  # noqa: E731
        self.compare = CompareState(self.shared, executor=executor, author=author)
        self.sweep = SweepState(self.shared, executor=executor, author=author)
        self.optimise = OptimiseState(self.shared, self.compare, executor=executor)
        self.compare.param.watch(self._paint_waits, "step_waits")
        self.maps.param.watch(self._note_on_selected_step, "selected_step")
        self.seen_revision = self.shared.revision

    def resolve(self, ref: str) -> ProcessModel:
        return self.maps.model_for(ref)

    @param.depends("lang", watch=True)
    def _lang_changed(self) -> None:
        self.maps.lang = self.lang
        self.editor.lang = self.lang

    def _note_on_selected_step(self, event) -> None:
        """A step clicked on the map becomes the step a new note goes on."""
        for ref in (self.maps.model_ref, self.maps.variant_ref):
            if any(s.id == event.new for s in self.resolve(ref).steps):
                self.workshop.param.update(model_ref=ref, step=event.new)
                return

    def _paint_waits(self, event) -> None:
        self.maps.waits = dict(event.new)

    def changed_elsewhere(self) -> bool:
        """True (once) when the shared session moved since this browser last looked."""
        if self.shared.revision != self.seen_revision:
            self.seen_revision = self.shared.revision
            return True
        return False
