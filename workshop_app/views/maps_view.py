"""The maps tab: model picker and upload, the blueprint (clickable), the diff, the step panel."""

from __future__ import annotations

import html

import panel as pn
import param

from process_models.numbers import number, percent

from ..editor import VARIANT_PREFIX, EditorState
from ..maps import WAIT_SCALE, MapState
from ..texts import text
from .batched import batched
from .canvas import BlueprintCanvas
from .clickable_map import ClickableMap
from ..workshop import WorkshopState
from .editor_view import EditorPanel
from .notes_view import NotesPanel
from .headings import section

__all__ = ["MapsView", "step_panel_html"]

SIDE_WIDTH = 360
PICKER_WIDTH = 300    # the model picker, the fork and the upload fit one row on a 1280 px laptop
FORK_NAME_WIDTH = 200
UPLOAD_WIDTH = 170


def step_panel_html(details: dict | None, lang: str) -> str:
    """The selected step's parameters, notes and simulated wait as HTML."""
    if details is None:
        return f"<p class='mbk-hint'>{html.escape(text(lang, 'maps_pick_step'))}</p>"
    t = lambda k, **v: html.escape(text(lang, k, **v))  # noqa: E731
    rows = [
        (t("step_lane"), html.escape(details["lane"])),
        (t("step_kind"), t(f"kind_{details['kind']}")),
    ]
    if details["duration"]:
        rows.append((t("step_duration"), html.escape(details["duration"])))
    if details["patience"]:
        rows.append((t("step_patience"), html.escape(details["patience"])))
    if details["requests"]:
        rows.append((t("step_requests"), html.escape(", ".join(details["requests"]))))
    if details["success"] is not None:
        rows.append((t("step_success"), percent(details["success"], 0, lang)))
    wait = details["wait"]
    rows.append((t("step_wait"), t("wait_minutes", minutes=number(wait, 1, lang)) if wait is not None else t("step_wait_none")))
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    out = f"<h2 class='mbk-step-title'>{html.escape(details['label'])}</h2><table class='mbk-kv'>{body}</table>"
    if details["notes_text"]:
        out += f"<p><em>{html.escape(details['notes_text'])}</em></p>"
    notes = [(a.kind, a.text, a.author_role, a.votes) for a in details["annotations"]]
    notes += [(n.kind, n.text, n.author_role, None) for n in details["session_notes"]
              if n.id not in {a.id for a in details["annotations"]}]
    out += f"<h3>{t('step_notes')}</h3>"
    if notes:
        items = "".join(
            f"<li><b>{t('note_' + kind)}</b> ({t('role_' + role)}): {html.escape(body)}"
            + (f" · {t('dots', n=votes)}" if votes else "")
            + "</li>"
            for kind, body, role, votes in notes
        )
        out += f"<ul class='mbk-notes'>{items}</ul>"
    else:
        out += f"<p class='mbk-hint'>{t('step_no_notes')}</p>"
    return out


def file_button_css(caption: str) -> str:
    """The file input's button in the UI language: the browser writes "Choose File" in its own.

    The native button and its "No file chosen" are made transparent and the caption is drawn
    over the button; the input itself stays the control (its label, focus and keyboard work).
    """
    quoted = caption.replace("\\", "").replace('"', "")
    return (".bk-input-group { position: relative; }"
            " input.bk-input { color: transparent; cursor: pointer; padding: 0; border: none; background: none; height: 34px; }"
            " input.bk-input::file-selector-button { color: transparent; width: 100%; height: 34px; margin: 0;"
            " border: 1px solid #6b6b6b; border-radius: 4px; background: #f7f7f7; cursor: pointer; }"
            f' .bk-input-group::after {{ content: "{quoted}"; position: absolute; left: 0; right: 0; bottom: 0;'
            " height: 34px; line-height: 34px; text-align: center; pointer-events: none; color: #1b1b1b; font-size: 14px; }")


def legend_html(lang: str) -> str:
    lows = [0, *[limit for limit, _ in WAIT_SCALE[:-1]]]
    parts = []
    for low, (limit, colour) in zip(lows, WAIT_SCALE):
        label = f"{low}–{limit:g} min" if limit != float("inf") else f"≥ {low} min"
        parts.append(f"<span class='mbk-swatch' style='background:{colour}'></span>{label}")
    return f"<div class='mbk-legend'><b>{html.escape(text(lang, 'maps_wait_legend'))}</b> " + " ".join(parts) + "</div>"


class MapsView(pn.viewable.Viewer):
    """Thin view over MapState; `tick` moves when the shared session changes (notes added)."""

    tick = param.Integer(default=0)

    def __init__(self, state: MapState, editor: EditorState | None = None, workshop: WorkshopState | None = None,
                 **params):
        super().__init__(**params)
        self.state = state
        self.editor = editor or EditorState(state.shared, lang=state.lang)
        lang = state.lang
        self.notes = NotesPanel(workshop or WorkshopState(state.shared), lang, on_change=self._notes_changed)
        self.notes_box = pn.Column(sizing_mode="stretch_width")
        self.editor.param.watch(lambda *_e: self._refresh_notes(), ["selected", "variant_id"])
        state.param.watch(lambda *_e: self._refresh_notes(), ["selected_step", "model_ref"])
        self.canvas = BlueprintCanvas(on_action=batched(self._on_canvas), graph=self._graph(), view=list(self.state.view),
                                      sizing_mode="stretch_width")
        self.canvas.param.watch(self._on_canvas_select, "selected")
        self.canvas.param.watch(lambda e: setattr(self.state, "view", list(e.new)), "view")
        self.state.param.watch(lambda e: setattr(self.canvas, "view", list(e.new)), "view")
        self.editor.param.watch(lambda *_e: self._redraw_canvas(), ["revision", "lang"])
        self.editor.param.watch(lambda e: setattr(self.canvas, "selected", e.new), "selected")
        self.editor_panel = EditorPanel(self.editor)
        self.fork_name = pn.widgets.TextInput(name=text(lang, "maps_fork_name"), placeholder=text(lang, "maps_fork_placeholder"),
                                              width=FORK_NAME_WIDTH)
        self.fork_button = pn.widgets.Button(name=text(lang, "maps_fork"), button_type="primary", align="end")
        self.fork_button.on_click(lambda _e: self._fork())
        # the side-by-side and diff pictures are drawn only while their sub-tab is shown (graphviz is slow)
        self._subtab = 0
        self.diff_box = pn.Column(sizing_mode="stretch_width")
        self.variant_map = ClickableMap(svg="",
                                        label=text(lang, "maps_variant"),
                                        sizing_mode="stretch_width")
        # today's map again for the side-by-side tab (one Bokeh model cannot sit in two places)
        self.today_map = ClickableMap(svg="", label=text(lang, "maps_today"),
                                      sizing_mode="stretch_width")
        for m in (self.variant_map, self.today_map):
            m.param.watch(lambda e: state.select(e.new), "selected")
        state.param.watch(self._redraw, ["model_ref", "variant_ref", "waits", "show_waits", "lang"])
        state.param.watch(self._on_model, "model_ref")
        self.param.watch(self._redraw, "tick")
        self.upload = pn.widgets.FileInput(accept=".yaml,.yml", label=text(lang, "maps_upload"), width=UPLOAD_WIDTH,
                                           stylesheets=[file_button_css(text(lang, "maps_choose_file"))])
        self.upload.param.watch(self._on_upload, "value")
        self.picker = pn.widgets.Select(label=text(lang, "maps_step_picker"), options=self._picker_options(),
                                        value=state.selected_step or None, sizing_mode="stretch_width")
        self.picker.param.watch(lambda e: e.new and state.select(e.new), "value")
        state.param.watch(self._on_select, "selected_step")
        self._details = pn.pane.HTML("", sizing_mode="stretch_width")
        state.param.watch(self._refresh_details, ["selected_step", "waits", "model_ref"])
        self.param.watch(self._refresh_details, "tick")
        self._refresh_details()

    # --- the canvas ------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return bool(self.state.model_ref and self.state.model_ref.startswith(VARIANT_PREFIX))

    def _graph(self) -> dict:
        if self.editing and self.editor.variant is not None:
            waits, fill = self.state.waits_for(self.editor.draft())
            return self.editor.graph(waits=waits, fill=fill)
        return self.state.canvas()

    def _redraw_canvas(self, *_):
        graph = self._graph()
        if graph is not self.canvas.graph:  # the session's memo hands out the same object for the same canvas
            self.canvas.graph = graph

    def _on_canvas(self, msg: dict) -> None:
        if self.editing:
            self.editor.handle(msg, self.canvas.graph)
        elif msg.get("action") in ("open", "menu"):
            self.state.select(str(msg.get("step", "")))

    def _on_canvas_select(self, event) -> None:
        if self.editing:
            self.editor.selected = event.new
        elif event.new.startswith("step:"):
            self.state.select(event.new[5:])

    def _refresh_notes(self) -> None:
        """The notes of the step selected on the canvas, in the side panel under its details."""
        if self.editing and self.editor.variant is not None:
            model = self.editor.draft()
            sel = self.editor.selected
            step = sel[5:] if sel.startswith("step:") and sel[5:] in {s.id for s in model.steps} else ""
            model_id = self.editor.variant_id
        else:
            model = self.state.model
            step, model_id = self.state.selected_step, model.id
            if step not in {s.id for s in model.steps}:
                step = ""
        steps = {s.label.get(self.state.lang): s.id for s in model.steps}
        objects = [self.notes.show(model_id, step, steps)] if step else []
        if self.notes_box.objects != objects:  # the same panel, refilled: setting it again rebuilds its models
            self.notes_box.objects = objects

    def _notes_changed(self) -> None:
        self._refresh_notes()
        self._redraw_canvas()

    def _fork(self) -> None:
        ref = self.state.model_ref
        base_ref = ref if not ref.startswith(VARIANT_PREFIX) else ref
        name = self.fork_name.value_input or self.fork_name.value
        variant = self.editor.fork(self.state.model_for(ref), base_ref, name)
        if variant is not None:
            self.state.refresh_refs()
            for picker in getattr(self, "model_pickers", []):
                picker.options = self.state.model_options()
            self.state.model_ref = VARIANT_PREFIX + variant.id
            self.fork_name.value = ""

    def sync(self) -> None:
        """Another browser changed the session: new variants in the pickers, the canvas redrawn."""
        if self.state.refresh_refs():
            for picker in getattr(self, "model_pickers", []):
                picker.options = self.state.model_options()
        self.editor.seen_elsewhere()
        self._redraw_canvas()
        self._refresh_notes()

    def _picker_options(self) -> dict:
        options = {"—": ""}
        options.update(self.state.step_choices(self.state.model))
        for label, sid in self.state.step_choices(self.state.variant).items():
            if sid not in options.values():
                options[label] = sid
        return options

    def _on_upload(self, event) -> None:
        if event.new is not None:
            self.state.upload(event.new, self.upload.filename or "upload.yaml")
            for picker in self.model_pickers:
                picker.options = self.state.model_options()

    def _on_model(self, event) -> None:
        ref = event.new or ""
        if ref.startswith(VARIANT_PREFIX):
            if self.editor.variant_id != ref[len(VARIANT_PREFIX):]:
                self.editor.open(ref[len(VARIANT_PREFIX):])
        else:
            self.editor.variant_id = ""
        self._redraw_canvas()

    def _on_select(self, event) -> None:
        self.picker.value = event.new
        self.variant_map.selected = self.today_map.selected = event.new
        if not self.editing:
            self.canvas.selected = f"step:{event.new}" if event.new else ""

    def _redraw(self, *_):
        self._redraw_canvas()
        self._redraw_pictures()
        self.picker.options = self._picker_options()

    @param.depends("state.upload_problems", "state.lang")
    def _problems(self):
        lang = self.state.lang
        if not self.state.upload_problems:
            return pn.pane.HTML("")
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in self.state.upload_problem_lines())
        return pn.pane.Alert(f"**{text(lang, 'maps_upload_failed')}**<ul>{items}</ul>", alert_type="danger",
                             sizing_mode="stretch_width")

    def _refresh_details(self, *_):
        """The selected step's details, written into one pane (a new pane per redraw cost every browser
        a new Bokeh model after each edit in the room; the same text sends nothing)."""
        body = step_panel_html(self.state.step_details(), self.state.lang)
        self._details.object = f"<div class='mbk-step-panel'>{body}</div>"

    def _on_subtab(self, event) -> None:
        self._subtab = event.new
        self._redraw_pictures()

    def _redraw_pictures(self) -> None:
        """Draw the graphviz pictures of the sub-tab on show (side by side, or the diff)."""
        if self._subtab == 1:
            self.variant_map.svg = self.state.blueprint_svg("variant", outline_diff=True)
            self.today_map.svg = self.state.blueprint_svg("model", outline_diff=True)
        elif self._subtab == 2:
            self.diff_box.objects = [self._diff()]

    def _diff(self):
        lines = self.state.diff_lines()
        summary = text(self.state.lang, "maps_diff_count", n=len(lines))
        colours = {"+": "#2e7d32", "-": "#c62828", "~": "#b35c00"}
        items = "".join(f"<li style='color:{colours[l[0]]}'>{html.escape(l)}</li>" for l in lines)
        diff_map = ClickableMap(svg=self.state.diff_svg(), label=summary, sizing_mode="stretch_width")
        diff_map.param.watch(lambda e: self.state.select(e.new), "selected")
        return pn.Column(
            diff_map,
            pn.pane.HTML(f"<details><summary><b>{html.escape(summary)}</b></summary><ul class='mbk-diff-list'>"
                         f"{items}</ul></details>", sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    def __panel__(self):
        lang = self.state.lang
        # the future variant matters to the two sub-tabs that show it, so its picker is there (one
        # widget per place, both bound to the same parameter), and the controls fit one laptop row
        self.model_pickers = [
            pn.widgets.Select.from_param(self.state.param.model_ref, label=text(lang, "maps_model"),
                                         options=self.state.model_options(), width=PICKER_WIDTH),
            *(pn.widgets.Select.from_param(self.state.param.variant_ref, label=text(lang, "maps_variant"),
                                           options=self.state.model_options(), width=PICKER_WIDTH)
              for _place in ("side_by_side", "diff")),
        ]
        controls = pn.FlexBox(
            self.model_pickers[0],
            pn.widgets.Checkbox.from_param(self.state.param.show_waits, label=text(lang, "maps_show_waits"),
                                           align="end", margin=(10, 10, 14, 10)),
            self.fork_name, self.fork_button, self.upload,
            flex_wrap="wrap", align_items="flex-end", sizing_mode="stretch_width",
        )
        tabs = pn.Tabs(
            (text(lang, "maps_single"), pn.Column(self._mode_hint, self.canvas, legend_html(lang),
                                                  sizing_mode="stretch_width")),
            (text(lang, "maps_side_by_side"), pn.Column(self.model_pickers[1], self._side_by_side(),
                                                        sizing_mode="stretch_width")),
            (text(lang, "maps_diff"), pn.Column(self.model_pickers[2], self.diff_box, sizing_mode="stretch_width")),
            dynamic=True, sizing_mode="stretch_width", active=self._subtab,
        )
        tabs.param.watch(self._on_subtab, "active")
        return pn.Column(
            controls,
            self._problems,
            pn.Row(tabs, self._side, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )

    @param.depends("state.model_ref", "state.lang", "editor.variant_id")
    def _mode_hint(self):
        lang = self.state.lang
        if self.editing and self.editor.variant is not None:
            v = self.editor.variant
            base = v.base.removeprefix("upload:")
            return pn.pane.HTML(f"<p class='mbk-mode mbk-editing'>✎ {html.escape(text(lang, 'maps_editing', name=v.name, base=base))}</p>",
                                sizing_mode="stretch_width")
        return pn.pane.HTML(f"<p class='mbk-mode'>{html.escape(text(lang, 'maps_readonly_hint'))}</p>",
                            sizing_mode="stretch_width")

    @param.depends("state.model_ref", "editor.variant_id")
    def _side(self):
        if self.editing:
            return pn.Column(self.editor_panel, self.notes_box, width=SIDE_WIDTH, css_classes=["mbk-side"])
        return pn.Column(self.picker, self._details, self.notes_box, width=SIDE_WIDTH, styles={"background": "#fafafa"},
                         css_classes=["mbk-side"])

    def _side_by_side(self):
        lang = self.state.lang
        return pn.Row(
            pn.Column(section(text(lang, 'maps_today')), self.today_map, sizing_mode="stretch_width"),
            pn.Column(section(text(lang, 'maps_future')), self.variant_map, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
