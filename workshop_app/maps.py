"""State of the maps tab: which model is shown, uploads, the selected step, waits painted on steps."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import graphviz
import param

from process_models import ModelError, ProcessModel, diff_models, library_names, load_model, parse_model
from process_models.render import DIFF_COLOURS, blueprint, diff_blueprint

from process_models.edit import document_model
from process_models.errors import Problem

from .canvas_data import CanvasNote, canvas_graph
from .diff_texts import diff_sentences
from .editor import VARIANT_PREFIX, variant_ref
from .problem_texts import file_problem_text
from .shared_session import SharedSession
from .texts import DEFAULT_LANG, LANGS, default_models, text

__all__ = ["MapState", "svg_of", "wait_colour", "describe_distribution"]

# Wait (minutes) -> fill colour: green when short, amber, then red; thresholds are the
# workshop's own talking points (5, 15, 30 minutes), not from the brief.
WAIT_SCALE = ((5, "#d7f0d2"), (15, "#fff1b8"), (30, "#ffcf99"), (float("inf"), "#f7a1a1"))


def wait_colour(minutes: float) -> str:
    return next(colour for limit, colour in WAIT_SCALE if minutes < limit)


@lru_cache(maxsize=64)
def _pipe(source: str) -> str:
    svg = graphviz.Source(source, engine="neato").pipe(format="svg", neato_no_op=2).decode("utf-8")
    svg = svg[svg.index("<svg"):]  # drop the XML prologue: the SVG is inlined in HTML
    # Let the map scale with its box instead of the fixed point size graphviz writes.
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg width="100%"', svg, count=1)


def svg_of(graph: graphviz.Digraph) -> str:
    """The graph as SVG text (cached by its dot source, so redraws of the same map are free)."""
    return _pipe(graph.source)


def describe_distribution(d) -> str:
    if d is None:
        return ""
    kind = d.kind
    if kind == "fixed":
        return f"{d.value:g} min"
    if kind == "exponential":
        return f"exp, {d.mean():g} min"
    if kind == "triangular":
        return f"{d.low:g}–{d.mode:g}–{d.high:g} min"
    if kind == "lognormal":
        return f"lognormal {d.mean():g} ± {d.sd:g} min"
    return f"{len(d.values)} obs, {d.mean():.1f} min"


class MapState(param.Parameterized):
    """Pick or upload a model, compare it with a variant, click a step, paint simulated waits."""

    lang = param.Selector(default=DEFAULT_LANG, objects=list(LANGS))
    model_ref = param.Selector(default=None, objects=[], doc="Library name or uploaded file name.")
    variant_ref = param.Selector(default=None, objects=[], doc="The future variant shown beside it.")
    selected_step = param.String(default="", doc="Step id picked on the map or in the step list.")
    upload_problems = param.List(default=[], doc="Problems of the last upload (process_models.errors.Problem).")

    def upload_problem_lines(self) -> list[str]:
        """The last upload's problems, one line each, in the UI language (file, line and field kept)."""
        return [file_problem_text(p, self.lang) for p in self.upload_problems]
    waits = param.Dict(default={}, doc="model id -> {step id: mean wait in minutes} from the last run.")
    show_waits = param.Boolean(default=True)
    view = param.List(default=[], doc="The map area on screen [x1, y1, x2, y2]: reported when leading, set when following.")

    def __init__(self, shared: SharedSession, **params):
        self._models: dict[str, ProcessModel] = {}
        self.shared = shared
        names = library_names()
        super().__init__(**params)
        self.refresh_refs()
        today, future = default_models(names)
        self.param.update(model_ref=self.model_ref or today, variant_ref=self.variant_ref or future)

    # --- models ----------------------------------------------------------------------
    def refs(self) -> list[str]:
        """Library names, then the session's variants ('#<id>'), then legacy uploaded files."""
        return [*library_names(), *(variant_ref(v.id) for v in self.shared.variants()), *self.shared.uploaded_models()]

    def refresh_refs(self) -> bool:
        """Offer the variants other browsers made; True when the list changed."""
        refs = self.refs()
        if refs == self.param.model_ref.objects:
            return False
        self.param.model_ref.objects = refs
        self.param.variant_ref.objects = refs
        return True

    def model_for(self, ref: str) -> ProcessModel:
        if ref.startswith(VARIANT_PREFIX):  # a variant's current draft: never cached, it changes
            return document_model(self.shared.variant(ref[len(VARIANT_PREFIX):]).document)
        if ref not in self._models:
            self._models[ref] = load_model(ref)
        return self._models[ref]

    @property
    def model(self) -> ProcessModel:
        return self.model_for(self.model_ref)

    @property
    def variant(self) -> ProcessModel:
        return self.model_for(self.variant_ref)

    def upload(self, text: str | bytes, filename: str) -> ProcessModel | None:
        """Validate an uploaded YAML model; on success show it, else list its problems."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                self.upload_problems = [Problem("file", (), "not UTF-8 text", file=filename)]
                return None
        try:
            model = parse_model(text, file=filename)
        except ModelError as exc:
            self.upload_problems = list(exc.problems)
            return None
        variant = self.shared.fork_variant(model, f"upload:{Path(filename).name}", self._upload_name(model, filename))
        self.refresh_refs()
        self.upload_problems = []
        self.model_ref = variant_ref(variant.id)
        return model

    def _upload_name(self, model: ProcessModel, filename: str) -> str:
        """A variant name for an upload that no other variant has ('Name (file.yaml)', then numbered)."""
        taken = {v.name.casefold() for v in self.shared.variants()}
        base = f"{model.name.get(self.lang)} ({Path(filename).name})"[:72]
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base} {n}", n + 1
        return name

    def model_options(self, refs: list[str] | None = None) -> dict[str, str]:
        """Model name (in the UI language) -> ref, for the pickers; the file name tells uploads apart."""
        out = {}
        for ref in refs if refs is not None else self.param.model_ref.objects:
            if ref.startswith(VARIANT_PREFIX):
                variant = self.shared.variant(ref[len(VARIANT_PREFIX):])
                out[text(self.lang, "maps_variant_option", name=variant.name)] = ref
                continue
            label = self.model_for(ref).name.get(self.lang)
            out[label if label not in out else f"{label} ({Path(ref).name})"] = ref
        return out

    def annotated(self, model: ProcessModel) -> ProcessModel:
        """The model with the session's notes added as annotations (drawn as markers)."""
        extra = self.shared.annotations(model.id)
        if not extra:
            return model
        own = [a for a in model.annotations if a.id not in {e.id for e in extra}]
        return model.model_copy(update={"annotations": [*own, *extra]})

    # --- drawing ---------------------------------------------------------------------
    def wait_paint(self, model: ProcessModel) -> tuple[dict[str, str], dict[str, str]]:
        """Fill colours and "12 min" badges for the steps with a simulated wait."""
        waits = self.waits.get(model.id, {}) if self.show_waits else {}
        step_ids = {s.id for s in model.steps}
        fill = {s: wait_colour(w) for s, w in waits.items() if s in step_ids}
        badges = {s: f"⏱ {w:.0f} min" if w >= 1 else "⏱ < 1 min" for s, w in waits.items() if s in step_ids}
        return fill, badges

    def waits_for(self, model: ProcessModel) -> tuple[dict[str, float], dict[str, str]]:
        """Simulated mean waits of the model's steps and their fill colours (empty when hidden)."""
        waits = self.waits.get(model.id, {}) if self.show_waits else {}
        ids = {s.id for s in model.steps}
        waits = {s: w for s, w in waits.items() if s in ids}
        return waits, {s: wait_colour(w) for s, w in waits.items()}

    def canvas_notes(self, model: ProcessModel) -> list[CanvasNote]:
        """The model's own notes and the session's, with votes, for the canvas."""
        return [CanvasNote(a.id, a.step, a.kind, a.text, a.votes) for a in self.annotated(model).annotations]

    def canvas(self) -> dict:
        """The canvas data of the shown library model (read-only: a variant is edited instead)."""
        model = self.model
        waits, fill = self.waits_for(model)
        return canvas_graph(model, self.lang, name="main", waits=waits, fill=fill, notes=self.canvas_notes(model))

    def blueprint_svg(self, which: str = "model", *, outline_diff: bool = False) -> str:
        """One model's blueprint with waits painted; `outline_diff` outlines what differs from the other.

        Side by side, today's map outlines removed steps red and the variant's map added steps
        green; changed steps are orange on both (the colours of the diff view).
        """
        model = self.annotated(self.model if which == "model" else self.variant)
        fill, badges = self.wait_paint(model)
        outline = self.diff_outline(which) if outline_diff else None
        return svg_of(blueprint(model, self.lang, fill=fill, badges=badges, outline=outline))

    def diff_outline(self, which: str) -> dict[str, str]:
        d = diff_models(self.model, self.variant)
        mine = d.steps_removed if which == "model" else d.steps_added
        colour = DIFF_COLOURS["removed" if which == "model" else "added"]
        out = {sid: colour for sid in mine}
        out.update({sid: DIFF_COLOURS["changed"] for sid in d.steps_changed})
        return out

    def diff_svg(self) -> str:
        old, new = self.annotated(self.model), self.annotated(self.variant)
        return svg_of(diff_blueprint(old, new, diff_models(old, new), self.lang))

    def diff_lines(self) -> list[str]:
        """What differs from the shown model to the variant, a line each in the UI language."""
        return diff_sentences(diff_models(self.model, self.variant), self.model, self.variant, self.lang)

    # --- steps -----------------------------------------------------------------------
    def step_choices(self, model: ProcessModel | None = None) -> dict[str, str]:
        """Label -> step id, in model order (for the accessible step picker)."""
        model = model or self.model
        return {f"{s.label.get(self.lang)} ({s.id})": s.id for s in model.steps}

    def select(self, step_id: str) -> None:
        """Select a step of the shown model or its variant (unknown ids are ignored)."""
        if any(step_id == s.id for m in (self.model, self.variant) for s in m.steps):
            self.selected_step = step_id

    def step_details(self, step_id: str | None = None) -> dict | None:
        """What the step panel shows: parameters, the session's notes and the simulated wait."""
        step_id = step_id or self.selected_step
        for model in (self.model, self.variant):
            if any(s.id == step_id for s in model.steps):
                break
        else:
            return None
        s = model.step(step_id)
        lanes = {l.id: l.label.get(self.lang) for l in model.lanes}
        pools = {p.id: p.label.get(self.lang) for p in model.pools}
        wait = self.waits.get(model.id, {}).get(step_id)
        return {
            "model": model.id,
            "id": s.id,
            "label": s.label.get(self.lang),
            "lane": lanes.get(s.lane, s.lane),
            "kind": s.kind,
            "duration": describe_distribution(s.duration),
            "patience": describe_distribution(s.patience),
            "requests": [f"{pools.get(r.pool, r.pool)} × {r.count}" for r in s.requests],
            "success": None if s.success is None else s.success.default,
            "notes_text": s.notes.get(self.lang) if s.notes else "",
            "annotations": [a for a in model.annotations if a.step == s.id],
            "session_notes": self.shared.notes_for(model.id, s.id),
            "wait": wait,
        }
