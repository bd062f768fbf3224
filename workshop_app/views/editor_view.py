"""The editor's panel beside the canvas: palette, the selected step or flow, resources, history.

Every control is a plain Panel widget, so each action the canvas offers with the mouse can
also be done with the keyboard alone; the panel only calls `EditorState` and shows its message.
"""

from __future__ import annotations

import html
import io
import json

import panel as pn
import param

from process_models.edit import STEP_KINDS
from process_models.numbers import number, percent

from ..editor import EditorState
from ..texts import text
from .batched import batched
from .editor_forms import FlowForm, StepForm

__all__ = ["EditorPanel"]

HISTORY_TAB = 2  # the side tabs: the selected step or flow, resources, history
#: The step kinds' buttons go on to a second line rather than past the side panel's edge
#: ("Slut" was cut off at 1280 pixels; the English names are longer still).
WRAP_BUTTONS = ".bk-btn-group { flex-wrap: wrap; row-gap: 4px; }"


def _t(lang: str, key: str, **v) -> str:
    return text(lang, key, **v)


class EditorPanel(pn.viewable.Viewer):
    """The side panel of the editable map; redraws from the state when `tick` moves."""

    tick = param.Integer(default=0)

    def __init__(self, state: EditorState, **params):
        super().__init__(**params)
        self.state = state
        self._body = pn.Column(sizing_mode="stretch_width", css_classes=["mbk-editor"])
        state.param.watch(lambda *_e: self.redraw(), ["revision", "selected", "lang", "variant_id"])
        state.param.watch(lambda *_e: self._status_refresh(), ["message", "message_ok"])
        self._status = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-ed-status"])
        self._problems_pane = pn.pane.HTML("", sizing_mode="stretch_width")
        self._loadcheck = pn.pane.HTML("", sizing_mode="stretch_width")
        self.redraw()

    # --- pieces ------------------------------------------------------------------------
    def _status_refresh(self) -> None:
        st = self.state
        if not st.message:
            self._status.object = ""
            return
        cls = "mbk-ok" if st.message_ok else "mbk-err"
        self._status.object = f"<p class='{cls}' role='status'>{html.escape(st.message)}</p>"

    def _button(self, label: str, action, kind: str = "default", **kw) -> pn.widgets.Button:
        b = pn.widgets.Button(label=label, button_type=kind, **kw)
        b.on_click(batched(lambda _e: action()))
        return b

    def _history_tools(self, lang: str):
        st = self.state
        undo = self._undo_button = self._button(_t(lang, "ed_undo"), st.undo, disabled=not st.can_undo(), width=84)
        redo = self._redo_button = self._button(_t(lang, "ed_redo"), st.redo, disabled=not st.can_redo(), width=84)
        download = pn.widgets.FileDownload(callback=lambda: io.BytesIO(st.download_yaml().encode("utf-8")),
                                           filename=f"{st.variant_id}.yaml", label=_t(lang, "ed_download"),
                                           button_type="light", sizing_mode="stretch_width")  # the rest of the row
        return pn.Row(undo, redo, download, margin=0, sizing_mode="stretch_width")

    def _problems_html(self, lang: str) -> str:
        """The live check: valid, or each finding with the step or flow it concerns."""
        found = self.state.problem_sentences()
        if not found:
            return f"<p class='mbk-ok' role='status'>✔ {html.escape(_t(lang, 'ed_valid'))}</p>"
        labels = self.state.labels()
        items = []
        for element, sentence in found[:8]:
            kind, _, ident = element.partition(":")
            where = labels.get(ident, ident) if kind == "step" else ""
            if kind == "flow":
                src, _, rest = ident.partition(">")
                dst = rest.split("|")[0]
                where = f"{labels.get(src, src)} → {labels.get(dst, dst)}"
            items.append(f"<li>{'<b>' + html.escape(where) + ':</b> ' if where else ''}{html.escape(sentence)}</li>")
        more = "<li>…</li>" if len(found) > 8 else ""
        return (f"<div class='mbk-problems' role='status'><p class='mbk-err'>{html.escape(_t(lang, 'ed_invalid_one' if len(found) == 1 else 'ed_invalid', n=len(found)))}"
                f"</p><ul>{''.join(items)}{more}</ul></div>")

    def _palette(self, lang: str):
        """The palette, kept across redraws so that typing in it never races a redraw."""
        st = self.state
        m = st.draft()
        key = (st.variant_id, lang, tuple((lane.id, lane.label.get(lang)) for lane in m.lanes))
        if getattr(self, "_palette_key", None) != key:
            self._palette_key = key
            kinds = {_t(lang, f"kind_{k}").capitalize(): k for k in STEP_KINDS}
            self._kind = pn.widgets.RadioButtonGroup(label=_t(lang, "ed_kind"), options=kinds, value="task",
                                                     button_type="light", sizing_mode="stretch_width",
                                                     stylesheets=[WRAP_BUTTONS])
            self._lane = pn.widgets.Select(label=_t(lang, "ed_lane"), options={ln.label.get(lang): ln.id for ln in m.lanes},
                                           value=m.lanes[0].id, sizing_mode="stretch_width")
            self._sv = pn.widgets.TextInput(label=_t(lang, "ed_name_sv"), placeholder=_t(lang, "ed_name_placeholder"),
                                            sizing_mode="stretch_width")
            self._en = pn.widgets.TextInput(label=_t(lang, "ed_name_en"), sizing_mode="stretch_width")
            self._after = pn.pane.HTML("", sizing_mode="stretch_width")
            add = self._button(_t(lang, "ed_add_step"), self._add, kind="primary")
            self._palette_box = pn.Column(pn.pane.HTML(f"<p class='mbk-hint'>{html.escape(_t(lang, 'ed_kind'))}</p>"),
                                          self._kind, self._lane, self._sv, self._en, self._after, add,
                                          sizing_mode="stretch_width")
            self._palette_sel = None
        sel = st.selected[5:] if st.selected.startswith("step:") else ""
        if sel != self._palette_sel:
            self._palette_sel = sel
            lane = next((s.lane for s in m.steps if s.id == sel), None)
            if lane is not None:
                self._lane.value = lane
            after = _t(lang, "ed_add_after", name=st.labels().get(sel, sel)) if sel else _t(lang, "ed_add_end")
            self._after.object = f"<p class='mbk-hint'>{html.escape(after)}</p>"
        return self._palette_box

    def _add(self) -> None:
        if self.state.add_step(self._kind.value, self._lane.value, self._sv.value_input or self._sv.value,
                               self._en.value_input or self._en.value):
            self._sv.value = self._en.value = ""

    def _notes(self, lang: str, step_id: str | None):
        """Notes kept from deleted steps, with a picker to put each on another step."""
        st = self.state
        detached = st.document.get("detached", [])
        if not detached:
            return None
        m = st.draft()
        rows = [pn.pane.HTML(f"<h3>{html.escape(_t(lang, 'ed_detached', n=len(detached)))}</h3>")]
        for note in detached:
            target = pn.widgets.Select(label=_t(lang, "ed_note_to"), options={x.label.get(lang): x.id for x in m.steps},
                                       value=step_id if step_id else m.steps[0].id, sizing_mode="stretch_width")
            rows += [pn.pane.HTML(f"<p>{html.escape(_t(lang, 'note_' + note['kind']))}: {html.escape(note['text'])}</p>"),
                     target, self._button(_t(lang, "ed_move_note"), lambda n=note["id"], t=target: st.move_note(n, t.value))]
        return pn.Column(*rows, sizing_mode="stretch_width")

    def _resources(self, lang: str):
        st = self.state
        m = st.draft()
        parts = []
        if m.pools:
            pools = {p.label.get(lang): p.id for p in m.pools}
            pool = pn.widgets.Select(label=_t(lang, "ed_pool"), options=pools, value=m.pools[0].id, sizing_mode="stretch_width")
            cap = pn.widgets.IntInput(label=_t(lang, "ed_capacity"), value=m.pools[0].capacity, start=0, end=500,
                                      sizing_mode="stretch_width")
            pool.param.watch(lambda e: setattr(cap, "value", m.pool(e.new).capacity), "value")
            parts += [pool, cap, self._button(_t(lang, "ed_save_pool"), lambda: st.update_pool(pool.value, capacity=cap.value))]
        lanes = {lane.label.get(lang): lane.id for lane in m.lanes}
        lane = pn.widgets.Select(label=_t(lang, "ed_lane"), options=lanes, value=m.lanes[0].id, sizing_mode="stretch_width")
        lsv = pn.widgets.TextInput(label=_t(lang, "ed_name_sv"), value=m.lanes[0].label.sv, sizing_mode="stretch_width")
        len_ = pn.widgets.TextInput(label=_t(lang, "ed_name_en"), value=m.lanes[0].label.en, sizing_mode="stretch_width")

        def pick(e):
            chosen = next(x for x in m.lanes if x.id == e.new)
            lsv.value, len_.value = chosen.label.sv, chosen.label.en

        lane.param.watch(pick, "value")
        parts += [lane, lsv, len_, self._button(_t(lang, "ed_save_lane"), lambda: st.update_lane(
            lane.value, label={"sv": lsv.value_input or lsv.value, "en": len_.value_input or len_.value}))]
        parts.append(self._loadcheck)
        return pn.Column(*parts, sizing_mode="stretch_width")

    def _loadcheck_html(self, lang: str) -> str:
        rows = self.state.load_rows()
        if not rows:
            return ""
        body = "".join(
            f"<tr><th scope='row'>{html.escape(r.label)}</th><td>{_pct(r.utilisation, lang)}</td>"
            f"<td>{'—' if r.wait is None else number(r.wait, 1, lang) + ' min'}</td></tr>" for r in rows)
        warn = "".join(f"<li>{html.escape(r.warning)}</li>" for r in rows if r.warning)
        return (f"<h3>{html.escape(_t(lang, 'ed_loadcheck'))}</h3><table class='mbk-kv'><tr><th scope='col'>"
                f"{html.escape(_t(lang, 'ed_pool'))}</th><th scope='col'>{html.escape(_t(lang, 'ed_util'))}</th>"
                f"<th scope='col'>{html.escape(_t(lang, 'ed_erlang'))}</th></tr>{body}</table>"
                + (f"<ul class='mbk-err'>{warn}</ul>" if warn else ""))

    def _refresh_history(self, lang: str) -> None:
        key = (lang, self.state.variant_id, self.state.variant.version)
        if getattr(self, "_history_shown", None) == key:  # a selection or another browser's redraw: unchanged
            return
        self._history_shown = key
        rows = self.state.history()
        if not rows:
            self._history_list.object = f"<p class='mbk-hint'>{html.escape(_t(lang, 'ed_no_history'))}</p>"
        else:
            items = "".join(f"<li value='{r['n']}'>{r['at']:%H:%M} · {html.escape(r['author'])}: {html.escape(r['what'])}</li>"
                            for r in rows[:30])
            self._history_list.object = f"<ol class='mbk-history' reversed>{items}</ol>"
        versions = {_t(lang, "ed_version_0"): 0, **{f"{r['n']}: {r['what']}"[:60]: r["n"] for r in rows}}
        if self._version_pick.options != versions:
            self._version_pick.options = versions

    def _side_tabs(self, lang: str) -> pn.Tabs:
        tabs = pn.Tabs(
            (_t(lang, "ed_tab_selected"), pn.Column(sizing_mode="stretch_width")),
            (_t(lang, "ed_tab_resources"), pn.Column(sizing_mode="stretch_width")),
            (_t(lang, "ed_tab_history"), pn.Column(sizing_mode="stretch_width")),
            dynamic=False, sizing_mode="stretch_width")
        tabs.param.watch(lambda e: e.new == HISTORY_TAB and self._refresh_history(lang), "active")
        return tabs

    def _history(self, lang: str):
        st = self.state
        self._history_list = pn.pane.HTML("", sizing_mode="stretch_width")
        self._version_pick = pn.widgets.Select(label=_t(lang, "ed_version"), options={_t(lang, "ed_version_0"): 0},
                                               value=0, sizing_mode="stretch_width")
        return pn.Column(self._history_list, self._version_pick,
                         self._button(_t(lang, "ed_restore"), lambda: st.restore(self._version_pick.value)),
                         sizing_mode="stretch_width")

    # --- assembly ----------------------------------------------------------------------
    # Each part is rebuilt only when what it shows changed: a redraw after every edit in the
    # room must stay cheap, and a field someone is typing in must not be replaced under them.
    def _part(self, name: str, key, build):
        cache = self.__dict__.setdefault("_parts", {})
        if name not in cache or cache[name][0] != key:
            cache[name] = (key, build())
        return cache[name][1]

    def redraw(self) -> None:
        st, lang = self.state, self.state.lang
        if st.variant is None:
            self._body.objects = []
            self.__dict__.pop("_parts", None)
            return
        doc = st.document
        sel = st.selected
        steps = {s["id"]: s for s in doc["model"]["steps"]}
        forms = self._part("forms", lang, lambda: (StepForm(st, lang), FlowForm(st, lang), pn.pane.HTML(
            f"<p class='mbk-hint'>{html.escape(_t(lang, 'ed_pick_hint'))}</p>")))
        if sel.startswith("step:") and sel[5:] in steps:
            selected = forms[0].show(sel[5:], st.column_of(sel[5:]))
        elif sel.startswith("flow:"):
            selected = forms[1].show(sel[5:])
        else:
            selected = forms[2]
        res_key = (lang, st.variant_id, json.dumps([doc["model"]["lanes"], doc["model"].get("pools", [])], sort_keys=True))
        resources = self._part("resources", res_key, lambda: self._resources(lang))
        self._loadcheck.object = self._loadcheck_html(lang)
        history = self._part("history", (lang, st.variant_id), lambda: self._history(lang))
        tabs = self._part("tabs", (lang, st.variant_id), lambda: self._side_tabs(lang))
        for i, part in enumerate((selected, resources, history)):
            if tabs[i].objects != [part]:
                tabs[i].objects = [part]
        if tabs.active == HISTORY_TAB:  # written when shown: ten browsers need not each redo it on every edit
            self._refresh_history(lang)
        detached_key = (lang, json.dumps(doc.get("detached", [])), sel, list(steps))
        notes = self._part("notes", detached_key, lambda: self._notes(lang, sel[5:] if sel.startswith("step:") else None))
        tools = self._part("tools", (lang, st.variant_id), lambda: self._history_tools(lang))
        self._undo_button.disabled = not st.can_undo()
        self._redo_button.disabled = not st.can_redo()
        self._problems_pane.object = self._problems_html(lang)
        box = self._palette(lang)
        palette = self._part("palette", id(box), lambda: pn.Column(
            pn.pane.HTML(f"<h2 class='mbk-palette-title'>{html.escape(_t(lang, 'ed_tab_add'))}</h2>"), box,
            sizing_mode="stretch_width", css_classes=["mbk-palette"]))
        objects = [x for x in (tools, self._status, self._problems_pane, palette, tabs, notes) if x is not None]
        if self._body.objects != objects:
            self._body.objects = objects
        self._status_refresh()

    def __panel__(self):
        return self._body


def _pct(x: float | None, lang: str) -> str:
    return "—" if x is None else percent(x, 0, lang)


def _key(flow) -> str:
    from process_models.edit import flow_key

    return flow_key(flow.model_dump(mode="json", by_alias=True, exclude_none=True))
