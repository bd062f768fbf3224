"""The city panel under Compare: pick offices, run them as a city, see them side by side and in total."""

from __future__ import annotations

import html
import math

import panel as pn
import param

from process_models.numbers import number, percent

from .. import engine
from ..city import MIN_OFFICES, CityState
from ..texts import text
from .a11y import BUTTON_CSS
from .headings import section

__all__ = ["CityView", "city_table_html"]

PERCENT = {"self_served_share", "within_20"}
MONEY = {"cost.week", "cost.year", "cost.per_visitor"}


def _fmt(kpi: str, x: float, lang: str) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    if kpi in PERCENT:
        return percent(x, 1, lang)
    return number(x, 0 if kpi in MONEY - {"cost.per_visitor"} or abs(x) >= 100 else 1, lang)


def city_table_html(state: CityState, lang: str) -> str:
    """Rows KPIs, columns the offices and the total; each cell the mean over its 95 % interval."""
    if not state.result:
        return ""
    cols = state.result["columns"]
    names = [text(lang, "city_total") if c == "total" else c for c in cols]
    head = f"<th scope='col'>{html.escape(text(lang, 'city_kpi'))}</th>" + "".join(
        f"<th scope='col'{' class=mbk-total' if c == 'total' else ''}>{html.escape(n)}</th>" for c, n in zip(cols, names))
    body = ""
    for kpi, cells in state.table():
        row = f"<th scope='row'>{html.escape(text(lang, 'city_kpi_' + kpi.replace('.', '_')))}</th>"
        for c, e in zip(cols, cells):
            cell = "—" if e is None else (f"{_fmt(kpi, e['mean'], lang)}<br><small>{_fmt(kpi, e['low'], lang)} – "
                                         f"{_fmt(kpi, e['high'], lang)}</small>")
            row += f"<td{' class=mbk-total' if c == 'total' else ''}>{cell}</td>"
        body += f"<tr data-kpi='{html.escape(kpi)}'>{row}</tr>"
    return f"<table class='mbk-table mbk-city'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class CityView(pn.viewable.Viewer):
    """Thin view over CityState; redraws on the page's own event loop (the run is on a worker thread)."""

    tick = param.Integer(default=0)

    def __init__(self, state: CityState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self._doc = pn.state.curdoc
        self.status = pn.pane.Markdown("", css_classes=["mbk-status"], sizing_mode="stretch_width")
        self.bar = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", visible=False)
        self.table = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-kpi-box"])
        self.run_button = pn.widgets.Button(label=text(lang, "city_run"), color="primary", width=170,
                                            disabled=not engine.available())
        self.run_button.on_click(lambda _e: state.start())
        self.cancel_button = pn.widgets.Button(label=text(lang, "c_cancel"), color="light", width=110, disabled=True,
                                               stylesheets=[BUTTON_CSS])
        self.cancel_button.on_click(lambda _e: state.cancel())
        # check boxes, not a second MultiChoice: its options would repeat the compare picker's in the page
        self.picker = pn.widgets.CheckBoxGroup.from_param(state.param.chosen, options=state.options(), inline=False,
                                                          width=480)
        state.param.watch(lambda *_e: self._soon(self._draw), ["status", "progress", "result", "error"])
        self.param.watch(lambda _e: self._refresh_choices(), "tick")
        self._draw()

    def _soon(self, fn) -> None:
        if self._doc is not None and self._doc.session_context is not None:
            self._doc.add_next_tick_callback(fn)
        else:
            fn()

    def _refresh_choices(self) -> None:
        self.state.refresh_choices()
        self.picker.options = self.state.options()

    def _draw(self) -> None:
        st, lang = self.state, self.lang
        running = st.status == "running"
        self.bar.visible, self.bar.value = running, int(st.progress * 100)
        self.run_button.disabled, self.cancel_button.disabled = running or not engine.available(), not running
        if running:
            self.status.object = text(lang, "city_running", pct=int(st.progress * 100))
        elif st.status == "error":
            self.status.object = text(lang, st.error, n=MIN_OFFICES) if st.error == "city_too_few" else text(lang, "city_failed")
        elif st.status == "cancelled":
            self.status.object = text(lang, "city_cancelled")
        elif st.status == "done":
            self.status.object = text(lang, "city_done", n=len(st.result["columns"]) - 1, reps=st.replications, seed=st.seed)
        self.table.object = city_table_html(st, lang)

    def __panel__(self):
        lang, st = self.lang, self.state
        controls = pn.Row(
            pn.Column(pn.pane.Markdown(text(lang, "city_offices"), margin=(0, 10)), self.picker),
            pn.widgets.IntInput.from_param(st.param.replications, label=text(lang, "c_replications"), width=110),
            pn.widgets.IntInput.from_param(st.param.seed, label=text(lang, "c_seed"), width=100),
            pn.Column(pn.Spacer(height=18), pn.Row(self.run_button, self.cancel_button)),
            sizing_mode="stretch_width",
        )
        return pn.Column(section(text(lang, "city_title")), pn.pane.Markdown(text(lang, "city_intro")), controls,
                         self.bar, self.status, self.table, sizing_mode="stretch_width")
