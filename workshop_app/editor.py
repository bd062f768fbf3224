"""State of the blueprint editor for one browser: which variant, what is selected, undo and redo.

Every edit goes to the shared session (under its lock, against the latest draft), so all
browsers see it; this class keeps only what is this browser's own: the selection, the
undo and redo stacks of the edits made here, and the last message. Tests drive it headless.
"""

from __future__ import annotations

import time
from typing import Callable

import param

from process_models import diff_models, dump_model
from process_models import edit as ops
from process_models.edit import EditRefused, ElementProblem, draft_problems
from process_models.schema import ProcessModel
from process_models.session import Variant, variant_document

from . import engine
from .canvas_data import CanvasNote, canvas_graph, drop_target
from .problem_texts import problem_sentence
from .shared_session import SharedSession
from .texts import DEFAULT_LANG, LANGS, UiError, text

__all__ = ["EditorState", "VARIANT_PREFIX", "variant_ref", "NUDGE"]

VARIANT_PREFIX = "#"  # a model ref of the app that names a session variant: '#<variant id>'
#: Alt+arrow on the canvas: lane up/down, journey column left/right.
NUDGE = {"ArrowUp": (-1, 0), "ArrowDown": (1, 0), "ArrowLeft": (0, -1), "ArrowRight": (0, 1)}


def variant_ref(variant_id: str) -> str:
    return f"{VARIANT_PREFIX}{variant_id}"


def _frozen(values: dict | None) -> tuple | None:
    """A dict of figures or colours as a key part (None stays None)."""
    return None if values is None else tuple(sorted(values.items()))


class EditorState(param.Parameterized):
    """The editor's per-browser state over one shared session; `revision` moves on every edit seen."""

    lang = param.Selector(default=DEFAULT_LANG, objects=list(LANGS))
    variant_id = param.String(default="", doc="The variant being edited ('' = none).")
    selected = param.String(default="", doc="'step:<id>', 'flow:<key>' or ''.")
    message = param.String(default="")
    message_ok = param.Boolean(default=True)
    revision = param.Integer(default=0, doc="Moves when the draft changed (here or in another browser).")
    check_ms = param.Number(default=0.0, doc="How long the last live check took (ms).")

    def __init__(self, shared: SharedSession, *, author: Callable[[], str] = lambda: "",
                 participant: Callable[[], str] = lambda: "", **params):
        super().__init__(**params)
        self.shared = shared
        self.author = author
        self.participant = participant  # who this browser is in the room: whose session notes it may move
        self._undo: dict[str, list[int]] = {}
        self._redo: dict[str, list[int]] = {}

    # --- reading ---------------------------------------------------------------------
    @property
    def variant(self) -> Variant | None:
        if not self.variant_id:
            return None
        try:
            return self.shared.variant(self.variant_id)
        except Exception:  # deleted elsewhere or a stale id
            return None

    @property
    def document(self) -> dict:
        return self.variant.document

    def draft(self) -> ProcessModel:
        """The variant's current model (type-checked; made once per version for all browsers: it is immutable)."""
        v = self.variant
        return self.shared.memo(("draft", v.id, v.version), lambda: ops.document_model(v.document))

    def base_model(self) -> ProcessModel:
        v = self.variant
        return self.shared.memo(("base", v.id), lambda: ops.document_model(variant_document(v, 0)))

    def problems(self) -> list[ElementProblem]:
        """The draft's check findings (made once per version for all browsers; `check_ms` what it took)."""
        v = self.variant

        def check() -> tuple[list[ElementProblem], float]:
            t0 = time.perf_counter()
            found = draft_problems(v.document)
            return found, (time.perf_counter() - t0) * 1000

        found, ms = self.shared.memo(("problems", v.id, v.version), check)
        if self.check_ms != ms:
            self.check_ms = ms
        return found

    @property
    def valid(self) -> bool:
        return self.variant is not None and not self.problems()

    def labels(self) -> dict[str, str]:
        """Ids of steps, pools, errands and segments -> their names in the UI language."""
        m = self.draft()
        out = {}
        for group in (m.steps, m.pools, m.errands, m.segments, m.lanes):
            out.update({x.id: x.label.get(self.lang) for x in group})
        return out

    def problem_sentences(self) -> list[tuple[str, str]]:
        """(element, sentence) of every finding, in the UI language."""
        labels = self.labels()
        return [(p.element, problem_sentence(p, self.lang, labels)) for p in self.problems()]

    def layout_hints(self) -> dict[str, int]:
        return {h["step"]: h["column"] for h in self.document.get("layout", [])}

    def notes(self, session_notes) -> list[CanvasNote]:
        """The draft's own annotations and the session's notes on it, with their votes."""
        m = self.draft()
        out = [CanvasNote(a.id, a.step, a.kind, a.text, a.votes) for a in m.annotations]
        data = self.shared.data
        out += [CanvasNote(n.id, n.step, n.kind, n.text, data.votes_for(n.id)) for n in session_notes]
        return out

    def graph(self, *, waits: dict[str, float] | None = None, fill: dict[str, str] | None = None,
              show_notes: bool = True) -> dict:
        """The canvas data of the draft: its problems in red, the difference against its base in colour.

        Made once for all browsers that show the same version, language, waits and notes (the same object).
        """
        v = self.variant
        key = ("graph", v.id, v.version, self.lang, _frozen(waits), _frozen(fill), show_notes,
               self.shared.topic_revisions.get("notes", 0))

        def build() -> dict:
            draft, base = self.draft(), self.base_model()
            labels = self.labels()
            return canvas_graph(
                draft, self.lang, name="editor", hints=self.layout_hints(), waits=waits, fill=fill,
                problems=self.problems(), diff=diff_models(base, draft), base=base,
                notes=self.notes(self.shared.notes_for(draft.id)), editable=True, show_notes=show_notes,
                problem_text=lambda p: problem_sentence(p, self.lang, labels),
            )

        graph = self.shared.memo(key, build)
        self._last_graph = (v.version, graph)
        return graph

    def column_of(self, step: str) -> int:
        """The journey column the canvas draws a step in (from the last drawing of this version)."""
        last = getattr(self, "_last_graph", None)
        graph = last[1] if last and last[0] == self.variant.version else self.graph()
        return next((n["column"] for n in graph["nodes"] if n["id"] == step), 0)

    def load_rows(self):
        """The instant load check of the draft, or None while it is not valid."""
        if not self.valid:
            return None
        return engine.model_load_rows(self.draft(), self.lang)

    def history(self) -> list[dict]:
        """Who changed what, when, newest first, in the UI language."""
        v = self.variant
        rows = []
        for e in reversed(v.history):
            rows.append({"n": e.n, "at": e.at, "author": e.author or text(self.lang, "ed_anonymous"),
                         "what": self.describe(e.action, e.target, e.detail)})
        return rows

    def describe(self, action: str, target: str, detail: dict) -> str:
        labels = self.labels()
        gone = detail.get("label") or {}
        name = labels.get(target) or gone.get(self.lang) or target
        if action in ("undo", "redo"):
            inner = text(self.lang, f"ed_act_{detail.get('action', 'edit')}", name=name)
            return text(self.lang, f"ed_act_{action}", what=inner)
        if action == "restore":
            return text(self.lang, "ed_act_restore", version=detail.get("version", "?"))
        if action in ("add_flow", "update_flow", "delete_flow"):
            src, _, rest = target.partition(">")
            dst = rest.split("|", 1)[0]
            name = f"{labels.get(src, src)} → {labels.get(dst, dst)}"
        return text(self.lang, f"ed_act_{action}", name=name)

    def download_yaml(self) -> str:
        """The draft as model YAML (what `mbk validate` reads)."""
        return dump_model(self.draft())

    # --- choosing --------------------------------------------------------------------
    def open(self, variant_id: str) -> None:
        self.shared.variant(variant_id)
        self.param.update(variant_id=variant_id, selected="", message="")
        self.revision += 1

    def fork(self, base: ProcessModel, base_ref: str, name: str) -> Variant:
        """A new variant of `base` named `name`; opens it here."""
        try:
            v = self.shared.fork_variant(base, base_ref, name, author=self.author())
        except EditRefused as exc:
            self._refused(exc)
            return None
        self.open(v.id)
        self._say("ed_forked", name=v.name)
        return v

    def seen_elsewhere(self) -> None:
        """Another browser changed the session: redraw (drop a selection that no longer exists)."""
        if self.variant is None:
            return
        if self.selected.startswith("step:") and self.selected[5:] not in {s.id for s in self.draft().steps}:
            self.selected = ""
        self.revision += 1

    # --- editing ---------------------------------------------------------------------
    def _say(self, key: str, **values) -> None:
        self.param.update(message=text(self.lang, key, **values), message_ok=True)

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, EditRefused):
            key = f"ed_err_{exc.code}"
            try:
                msg = text(self.lang, key, **exc.params)
            except KeyError:
                msg = text(self.lang, "ed_err_generic", detail=str(exc))
        elif isinstance(exc, UiError):
            msg = exc.in_lang(self.lang)
        else:
            msg = text(self.lang, "ed_err_generic", detail=str(exc))
        self.param.update(message=msg, message_ok=False)

    def _need_variant(self) -> str:
        if self.variant is None:
            raise UiError("ed_err_no_variant")
        return self.variant_id

    def apply(self, build: Callable[[dict], ops.Edit], *, select=None) -> bool:
        """Make one edit; True when it was made, else the refusal is in `message`.

        `select` is what to select afterwards: an element id, or a function of the made edit.
        """
        try:
            vid = self._need_variant()
            edit = self.shared.edit_variant(vid, build, author=self.author())
        except (EditRefused, UiError) as exc:
            self._refused(exc)
            return False
        self._undo.setdefault(vid, []).append(edit.n)
        self._redo[vid] = []
        selected = self.selected if select is None else select(edit) if callable(select) else select
        if selected.startswith("step:") and selected[5:] not in {s.id for s in self.draft().steps}:
            selected = ""
        self.param.update(message="", message_ok=True, selected=selected, revision=self.revision + 1)
        return True

    def can_undo(self) -> bool:
        return bool(self._undo.get(self.variant_id))

    def can_redo(self) -> bool:
        return bool(self._redo.get(self.variant_id))

    def undo(self) -> bool:
        """Take back this browser's last edit (refused if someone changed the same thing since)."""
        stack = self._undo.get(self.variant_id) or []
        if not stack:
            self._say("ed_nothing_to_undo")
            return False
        try:
            e = self.shared.undo_variant(self.variant_id, stack[-1], author=self.author())
        except EditRefused as exc:
            self._refused(exc)
            return False
        stack.pop()
        self._redo.setdefault(self.variant_id, []).append(e.n)
        self._after_history()
        return True

    def redo(self) -> bool:
        stack = self._redo.get(self.variant_id) or []
        if not stack:
            self._say("ed_nothing_to_redo")
            return False
        try:
            e = self.shared.redo_variant(self.variant_id, stack[-1], author=self.author())
        except EditRefused as exc:
            self._refused(exc)
            return False
        stack.pop()
        self._undo.setdefault(self.variant_id, []).append(e.n)
        self._after_history()
        return True

    def restore(self, version: int) -> bool:
        try:
            e = self.shared.restore_variant(self._need_variant(), version, author=self.author())
        except (EditRefused, UiError) as exc:
            self._refused(exc)
            return False
        self._undo.setdefault(self.variant_id, []).append(e.n)
        self._after_history()
        self._say("ed_restored", version=version)
        return True

    def _after_history(self) -> None:
        self.param.update(message="", message_ok=True)
        self.seen_elsewhere()

    # --- the actions of the palette, the panel and the canvas ------------------------
    def add_step(self, kind: str, lane: str, sv: str, en: str = "", *, after: str | None = None,
                 column: int | None = None) -> bool:
        after = after if after is not None else (self.selected[5:] if self.selected.startswith("step:") else None)
        return self.apply(lambda doc: ops.add_step(doc, kind, lane, sv, en, after=after, column=column),
                          select=lambda e: f"step:{e.target}")

    def move_step(self, step: str, *, lane: str | None = None, column: int | None = None) -> bool:
        return self.apply(lambda doc: ops.move_step(doc, step, lane=lane, column=column), select=f"step:{step}")

    def drop(self, step: str, x: float, y: float, graph: dict) -> bool:
        """A step dragged on the canvas and let go at (x, y): the lane and column under it."""
        lane, column = drop_target(graph, x, y)
        node = next((n for n in graph["nodes"] if n["id"] == step), None)
        if node is None:
            return False
        new_lane = lane if lane != node["lane"] else None
        new_column = column if column != node["column"] else None
        if new_lane is None and new_column is None:
            self.revision += 1  # snap back to its place
            return False
        return self.move_step(step, lane=new_lane, column=new_column)

    def nudge(self, step: str, key: str, graph: dict) -> bool:
        """Alt+arrow: the lane above or below, the column left or right."""
        dlane, dcol = NUDGE[key]
        node = next(n for n in graph["nodes"] if n["id"] == step)
        lanes = [ln["id"] for ln in graph["lanes"]]
        if dlane:
            i = lanes.index(node["lane"]) + dlane
            if not 0 <= i < len(lanes):
                return False
            return self.move_step(step, lane=lanes[i])
        return self.move_step(step, column=max(0, node["column"] + dcol))

    def rename_step(self, step: str, sv: str, en: str = "") -> bool:
        return self.apply(lambda doc: ops.rename_step(doc, step, sv, en))

    def update_step(self, step: str, **changes) -> bool:
        return self.apply(lambda doc: ops.update_step(doc, step, **changes))

    def delete(self, selected: str | None = None) -> bool:
        """Delete the selected step (its notes are kept aside) or flow."""
        selected = selected if selected is not None else self.selected
        if selected.startswith("step:"):
            return self.apply(lambda doc: ops.delete_step(doc, selected[5:]), select="")
        if selected.startswith("flow:"):
            return self.apply(lambda doc: ops.delete_flow(doc, selected[5:]), select="")
        self._say("ed_pick_first")
        return False

    def connect(self, source: str, target: str, **fields) -> bool:
        return self.apply(lambda doc: ops.add_flow(doc, source, target, **fields), select=lambda e: f"flow:{e.target}")

    def update_flow(self, key: str, **changes) -> bool:
        return self.apply(lambda doc: ops.update_flow(doc, key, **changes), select=lambda e: f"flow:{e.target}")

    def update_pool(self, pool: str, **changes) -> bool:
        return self.apply(lambda doc: ops.update_pool(doc, pool, **changes))

    def update_lane(self, lane: str, **changes) -> bool:
        return self.apply(lambda doc: ops.update_lane(doc, lane, **changes))

    def move_note(self, note: str, step: str) -> bool:
        return self.apply(lambda doc: ops.move_note(doc, note, step))

    def place_note(self, note: str, step: str) -> bool:
        """A note dragged onto `step` on the canvas: the proposal's own note, or one's note of the room."""
        draft = self.draft() if self.variant is not None else None
        if draft is None or step not in {s.id for s in draft.steps}:
            self._refused(UiError("ed_err_no_step", step=step))
            return False
        if note in {a.id for a in draft.annotations} or note in {d.get("id") for d in self.document.get("detached", [])}:
            return self.move_note(note, step)
        try:
            self.shared.move_note(self.participant(), note, step)
        except UiError as exc:
            self._refused(exc)
            return False
        self._say("ed_note_moved", step=self.labels().get(step, step))
        return True

    def handle(self, msg: dict, graph: dict) -> None:
        """A message from the canvas: what a participant did with the mouse or the keyboard."""
        action = msg.get("action")
        if action == "drop":
            self.drop(str(msg.get("step", "")), float(msg.get("x", 0)), float(msg.get("y", 0)), graph)
        elif action == "nudge" and msg.get("key") in NUDGE:
            self.nudge(str(msg.get("step", "")), msg["key"], graph)
        elif action == "connect":
            self.connect(str(msg.get("source", "")), str(msg.get("target", "")))
        elif action == "delete":
            self.delete(str(msg.get("selected", "")))
        elif action == "undo":
            self.undo()
        elif action == "redo":
            self.redo()
        elif action == "move_note":
            self.place_note(str(msg.get("note", "")), str(msg.get("step", "")))
        elif action in ("open", "menu"):
            self.selected = f"step:{msg.get('step', '')}"

