"""The forms of the editor panel for the selected step and the selected flow.

Each form's widgets are made once and refilled when another element is selected or the
draft changes, so a redraw after an edit anywhere in the room costs little and never
replaces a field someone is typing in.
"""

from __future__ import annotations

import html

import panel as pn

from ..editor import EditorState
from ..texts import text
from .a11y import BUTTON_CSS
from .batched import batched

__all__ = ["StepForm", "FlowForm", "END_OUTCOMES", "FLOW_OUTCOMES"]

END_OUTCOMES = ("served", "self_served", "referred", "left")
FLOW_OUTCOMES = ("", "success", "failure")
TIMED = ("task", "self_service")


def _button(label: str, action, kind: str = "default") -> pn.widgets.Button:
    b = pn.widgets.Button(label=label, button_type=kind, stylesheets=[BUTTON_CSS])
    b.on_click(batched(lambda _e: action()))
    return b


def _set(widget, **values) -> None:
    """Set only what differs (each change is a message to the browser)."""
    changed = {k: v for k, v in values.items() if getattr(widget, k) != v}
    if changed:
        widget.param.update(**changed)


class StepForm:
    """Name, lane and column, time, resources, success or patience, a new flow, delete."""

    def __init__(self, state: EditorState, lang: str):
        self.state, self.lang, self.step_id = state, lang, ""
        t = lambda k: text(lang, k)  # noqa: E731
        full = {"sizing_mode": "stretch_width"}
        self.title = pn.pane.HTML("", **full)
        self.sv = pn.widgets.TextInput(label=t("ed_step_name_sv"), **full)
        self.en = pn.widgets.TextInput(label=t("ed_step_name_en"), **full)
        self.lane = pn.widgets.Select(label=t("ed_lane"), **full)
        self.column = pn.widgets.IntInput(label=t("ed_column"), start=0, end=500, **full)
        self.low = pn.widgets.FloatInput(label=t("ed_min"), start=0.1, step=0.5, width=95)
        self.mode = pn.widgets.FloatInput(label=t("ed_typical"), start=0.1, step=0.5, width=95)
        self.high = pn.widgets.FloatInput(label=t("ed_max"), start=0.1, step=0.5, width=95)
        self.requests = pn.widgets.MultiChoice(label=t("ed_requests"), **full)
        self.success = pn.widgets.FloatSlider(label=t("ed_success"), start=0, end=1, step=0.05, format="0 %", **full)
        self.patience = pn.widgets.FloatInput(label=t("ed_patience"), start=1, step=5, **full)
        self.outcome = pn.widgets.Select(label=t("ed_outcome"), options={t(f"outcome_{o}"): o for o in END_OUTCOMES}, **full)
        self.connect_to = pn.widgets.Select(label=t("ed_connect_to"), **full)
        self.timed = pn.Column(pn.pane.HTML(f"<p class='mbk-hint'>{html.escape(t('ed_duration'))}</p>"),
                               pn.Row(self.low, self.mode, self.high), self.requests, **full)
        self.save = _button(t("ed_save_step"), self._save, "primary")
        self.panel = pn.Column(
            self.title, self.sv, self.en, _button(t("ed_rename"), self._rename),
            pn.Row(self.lane, self.column, **full), _button(t("ed_move"), self._move),
            self.timed, self.success, self.patience, self.outcome, self.save,
            self.connect_to, _button(t("ed_connect"), self._connect),
            _button(t("ed_delete_step"), lambda: self.state.delete(f"step:{self.step_id}"), "danger"),
            **full)

    def show(self, step_id: str, column: int) -> pn.Column:
        """Fill the form with the step as the draft has it now."""
        st, lang = self.state, self.lang
        m = st.draft()
        s = m.step(step_id)
        self.step_id, self._column = step_id, column
        self.title.object = (f"<h3>{html.escape(s.label.get(lang))} "
                             f"<small>({html.escape(text(lang, 'kind_' + s.kind))})</small></h3>")
        _set(self.sv, value=s.label.sv)
        _set(self.en, value=s.label.en)
        _set(self.lane, options={ln.label.get(lang): ln.id for ln in m.lanes}, value=s.lane)
        _set(self.column, value=column)
        d = s.duration
        low, mode, high = _triangle(d)
        for w, v in ((self.low, low), (self.mode, mode), (self.high, high)):
            _set(w, value=v)
        _set(self.requests, options={p.label.get(lang): p.id for p in m.pools}, value=[r.pool for r in s.requests])
        _set(self.success, value=s.success.default if s.success else 0.5)
        _set(self.patience, value=round(s.patience.mean(), 1) if s.patience else 45.0)
        _set(self.outcome, value=s.outcome or "served")
        targets = {x.label.get(lang): x.id for x in m.steps if x.id != step_id}
        _set(self.connect_to, options=targets)
        if self.connect_to.value not in targets.values() and targets:
            self.connect_to.value = next(iter(targets.values()))
        self.timed.visible = s.kind in TIMED
        self.success.visible = s.kind == "self_service"
        self.patience.visible = s.kind == "queue"
        self.outcome.visible = s.kind == "end"
        self.save.visible = s.kind in (*TIMED, "queue", "end")
        return self.panel

    def _rename(self) -> None:
        self.state.rename_step(self.step_id, self.sv.value_input or self.sv.value, self.en.value_input or self.en.value)

    def _move(self) -> None:
        s = self.state.draft().step(self.step_id)
        self.state.move_step(self.step_id, lane=self.lane.value if self.lane.value != s.lane else None,
                             column=self.column.value if self.column.value != self._column else None)

    def _connect(self) -> None:
        if self.connect_to.value:
            self.state.connect(self.step_id, self.connect_to.value)

    def _save(self) -> None:
        s = self.state.draft().step(self.step_id)
        changes: dict = {}
        if s.kind in TIMED:
            counts = {r.pool: r.count for r in s.requests}
            changes["duration"] = _duration(s.duration, self.low.value, self.mode.value, self.high.value)
            changes["requests"] = [{"pool": p, **({"count": counts[p]} if counts.get(p, 1) != 1 else {})}
                                   for p in self.requests.value]
        if s.kind == "self_service":
            old = s.success.model_dump(mode="json", exclude_none=True, exclude_defaults=True) if s.success else {}
            changes["success"] = {**old, "default": round(self.success.value, 4)}
        if s.kind == "queue":
            changes["patience"] = _patience(s.patience, self.patience.value)
        if s.kind == "end":
            changes["outcome"] = self.outcome.value
        self.state.update_step(self.step_id, **changes)


class FlowForm:
    """From, to, probability, the errands and visitor groups it is for, its outcome; delete."""

    def __init__(self, state: EditorState, lang: str):
        self.state, self.lang, self.key = state, lang, ""
        t = lambda k: text(lang, k)  # noqa: E731
        full = {"sizing_mode": "stretch_width"}
        self.source = pn.widgets.Select(label=t("ed_from"), **full)
        self.target = pn.widgets.Select(label=t("ed_to"), **full)
        self.probability = pn.widgets.FloatInput(label=t("ed_probability"), start=0, end=100, step=5, **full)
        self.errands = pn.widgets.MultiChoice(label=t("ed_errands"), **full)
        self.segments = pn.widgets.MultiChoice(label=t("ed_segments"), **full)
        self.outcome = pn.widgets.Select(label=t("ed_flow_outcome"),
                                         options={t(f"flow_outcome_{o or 'none'}"): o for o in FLOW_OUTCOMES}, **full)
        self.missing = pn.pane.HTML(f"<p>{html.escape(t('ed_err_no_flow'))}</p>", visible=False)
        self.panel = pn.Column(
            pn.pane.HTML(f"<h3>{html.escape(t('ed_flow'))}</h3>"), self.missing, self.source, self.target,
            self.probability, self.errands, self.segments, self.outcome,
            _button(t("ed_save_flow"), self._save, "primary"),
            _button(t("ed_delete_flow"), lambda: self.state.delete(f"flow:{self.key}"), "danger"), **full)

    def show(self, key: str) -> pn.Column:
        from process_models.edit import flow_key

        st, lang = self.state, self.lang
        m = st.draft()
        self.key = key
        flow = next((f for f in m.flows
                     if flow_key(f.model_dump(mode="json", by_alias=True, exclude_none=True)) == key), None)
        self.missing.visible = flow is None
        if flow is None:
            return self.panel
        steps = {x.label.get(lang): x.id for x in m.steps}
        _set(self.source, options=steps, value=flow.source_step)
        _set(self.target, options=steps, value=flow.target_step)
        _set(self.probability, value=round(flow.probability * 100, 2))
        _set(self.errands, options={e.label.get(lang): e.id for e in m.errands},
             value=list(flow.when.errands) if flow.when else [])
        _set(self.segments, options={x.label.get(lang): x.id for x in m.segments},
             value=list(flow.when.segments) if flow.when else [])
        _set(self.outcome, value=flow.outcome or "")
        return self.panel

    def _save(self) -> None:
        self.state.update_flow(self.key, source=self.source.value, target=self.target.value,
                               probability=round(self.probability.value / 100, 6),
                               when={"errands": self.errands.value, "segments": self.segments.value},
                               outcome=self.outcome.value or None)


def _triangle(d) -> tuple[float, float, float]:
    if d is None:
        return 2.0, 5.0, 10.0
    if d.kind == "triangular":
        return d.low, d.mode, d.high
    m = d.mean()
    return round(m * 0.5, 1), round(m, 1), round(m * 2, 1)


def _duration(old, low: float, mode: float, high: float) -> dict:
    """The edited duration: a triangular low/typical/high; unchanged figures keep the old one and its source."""
    if old is not None and _triangle(old) == (low, mode, high):
        return old.model_dump(mode="json", by_alias=True, exclude_none=True)
    source = old.source.model_dump(mode="json", exclude_none=True) if old is not None and old.source else None
    return {"kind": "triangular", "low": low, "mode": mode, "high": high, **({"source": source} if source else {})}


def _patience(old, mean: float) -> dict:
    if old is not None and abs(old.mean() - mean) < 1e-9:
        return old.model_dump(mode="json", by_alias=True, exclude_none=True)
    source = old.source.model_dump(mode="json", exclude_none=True) if old is not None and old.source else None
    return {"kind": "exponential", "mean": mean, **({"source": source} if source else {})}
