"""The optimise section: ranges per pool, the wait target, and the front as a chart whose points open in Compare.

A thin view over OptimiseState: clicking a point (or choosing it in the list and pressing the
button, for the keyboard) saves that set-up as a scenario and calls `on_open`, which the page
uses to show the Compare tab.
"""

from __future__ import annotations

import html
from typing import Callable

import panel as pn
import param
from bokeh.models import ColumnDataSource, HoverTool, Span, TapTool
from bokeh.plotting import figure

from process_models.numbers import number

from .. import charts, engine
from ..optimise import OBJECTIVE_COST, OBJECTIVE_SELF, OBJECTIVE_WAIT, OptimiseState
from ..texts import UiError, text
from .a11y import BUTTON_CSS
from .compare_view import _Scheduled

__all__ = ["OptimiseView", "front_figure", "setup_words", "FRONT_RENDERER"]

#: The name of the front's scatter renderer (tests find the points by it).
FRONT_RENDERER = "mbk-front"


def _sek(x: float, lang: str) -> str:
    return number(x, 0, lang)


def setup_words(values: dict, labels: dict[str, str]) -> str:
    """'Samhällsvägledare 5, Pekskärm i entrén 3': each varied pool by its label, with its number."""
    return ", ".join(f"{labels.get(k.split('.')[1], k.split('.')[1])} {v}" for k, v in values.items())


def front_figure(front: list[dict], lang: str, wait_target: float | None, labels: dict[str, str] | None = None):
    """Cost per week against p90 wait, one point per set-up (numbered), the wait target as a dashed line."""
    src = ColumnDataSource({
        "cost": [p["kpis"][OBJECTIVE_COST]["mean"] for p in front],
        "wait": [p["kpis"][OBJECTIVE_WAIT]["mean"] for p in front],
        "self": [p["kpis"].get(OBJECTIVE_SELF, {}).get("mean", float("nan")) * 100 for p in front],
        "label": [str(i + 1) for i in range(len(front))],
        "setup": [setup_words(p["values"], labels or {}) for p in front],
    })
    p = figure(title=text(lang, "o_chart_title"), height=360, sizing_mode="stretch_width",
               x_axis_label=text(lang, "o_cost"), y_axis_label=text(lang, "o_wait"), toolbar_location=None)
    p.title.text_font_size = "13pt"
    p.x_range.range_padding = p.y_range.range_padding = 0.12  # the numbers beside the outer points stay inside
    charts.locale_ticks(p, lang)  # 52 000 kr
    p.line("cost", "wait", source=src, color="#9bb7d4", line_width=1.5)
    r = p.scatter("cost", "wait", source=src, size=16, color=charts.PALETTE[0], line_color="white",
                  selection_color=charts.PALETTE[1], nonselection_alpha=0.6, name=FRONT_RENDERER)
    p.text("cost", "wait", text="label", source=src, x_offset=9, y_offset=-6, text_font_size="10pt")
    if wait_target is not None:
        p.add_layout(Span(location=wait_target, dimension="width", line_dash="dashed", line_color="#b00020"))
    tips = [(text(lang, "o_setup"), "@label: @setup"), (text(lang, "o_cost"), "@cost{0,0}"),
            (text(lang, "o_wait"), "@wait{0.0}")]
    if any(OBJECTIVE_SELF in q["kpis"] for q in front):
        tips.append((text(lang, "o_self"), "@self{0.0} %"))
    charts.with_save(p, "pareto-front", text(lang, "c_png"))  # replaces the tools: hover and tap go on after
    p.add_tools(HoverTool(renderers=[r], tooltips=tips), TapTool(renderers=[r]))
    return p, src


class OptimiseView(_Scheduled, pn.viewable.Viewer):
    """Search settings, progress, then the front: a chart and a list, each point one click from Compare."""

    tick = param.Integer(default=0)

    def __init__(self, state: OptimiseState, lang: str, on_open: Callable[[str], None] = lambda _n: None, **params):
        super().__init__(**params)
        self.state, self.lang, self.on_open = state, lang, on_open
        self._remember_doc()
        self.message = pn.pane.Markdown("", css_classes=["mbk-message", "mbk-optimise-message"])
        self.plot = pn.Column(sizing_mode="stretch_width")
        self.bar = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", visible=False)
        self.run_button = pn.widgets.Button(label=text(lang, "o_run"), color="primary", width=160,
                                            disabled=not engine.available())
        self.run_button.on_click(lambda _e: state.start())
        self.cancel_button = pn.widgets.Button(label=text(lang, "c_cancel"), color="light", width=110, disabled=True,
                                               stylesheets=[BUTTON_CSS])
        self.cancel_button.on_click(lambda _e: state.cancel())
        self.pick = pn.widgets.Select(label=text(lang, "o_pick"), options={}, width=560)
        self.open_button = pn.widgets.Button(label=text(lang, "o_open"), color="primary", width=220, disabled=True,
                                             css_classes=["mbk-open-point"])
        self.open_button.on_click(lambda _e: self.open(self.pick.value))
        self.ranges = pn.Row(sizing_mode="stretch_width")
        state.param.watch(lambda *_e: self._soon(self._draw_status), ["status", "progress", "error"])
        state.param.watch(lambda *_e: self._soon(self._draw_front), ["front"])
        state.param.watch(lambda *_e: self._draw_ranges(), ["scenario_name"])  # not on typing: the box stays
        self.param.watch(lambda _e: state.refresh_choices(), "tick")
        self._draw_ranges()
        self._draw_status()
        self._draw_front()

    def refresh(self) -> None:
        """The page's poll: show a front another browser of the room searched."""
        self.state.sync()

    def open(self, i: int | None) -> None:
        """Open point i of the front as a scenario in Compare."""
        if i is None:
            return
        try:
            name = self.state.open_point(int(i))
        except UiError as exc:
            self.message.object = "⚠ " + exc.in_lang(self.lang)
            return
        self.message.object = "✓ " + text(self.lang, "o_opened", name=html.escape(name),
                                          base=html.escape(self.state.searched["scenario"]))
        self.on_open(name)

    def _draw_ranges(self) -> None:
        st = self.state
        labels = {p.id: p.label.get(self.lang) for p in st.pools()}
        inputs = []
        for pool, raw in st.ranges.items():
            box = pn.widgets.TextInput(label=labels.get(pool, pool), value=raw, width=150,
                                       css_classes=[f"mbk-range-{pool}"])
            box.param.watch(lambda e, pool=pool: st.set_range(pool, e.new), "value")
            inputs.append(box)
        self.ranges.objects = inputs

    def _draw_status(self) -> None:
        st, lang = self.state, self.lang
        running = st.status == "running"
        self.run_button.disabled = running or not engine.available()
        self.cancel_button.disabled = not running
        self.cancel_button.color = "warning" if running else "light"
        self.bar.visible = running
        self.bar.value = int(st.progress * 100)
        if running:
            self.message.object = "…"
        elif st.status == "error":
            self.message.object = "⚠ " + text(lang, st.error, **st.error_values)
        elif st.status == "cancelled":
            self.message.object = "⏹ " + text(lang, "c_status_cancelled")
        elif st.status == "done":
            key = "o_status_done" if st.front else "o_front_empty"
            self.message.object = "✓ " + text(lang, key, n=len(st.front), simulated=st.simulated)

    def _draw_front(self) -> None:
        st, lang = self.state, self.lang
        self._draw_status()
        if not st.front:
            self.plot.objects = []
            self.pick.options, self.open_button.disabled = {}, True
            return
        labels = {p.id: p.label.get(lang) for p in st.pools()}
        fig, src = front_figure(st.front, lang, st.searched.get("wait_target"), labels)

        def tapped(_attr, _old, new):
            if new:
                self.open(new[0])

        src.selected.on_change("indices", tapped)
        self.plot.objects = [pn.pane.Bokeh(fig, sizing_mode="stretch_width")]
        self.pick.options = {f"{i + 1}: {_sek(p['kpis'][OBJECTIVE_COST]['mean'], lang)} kr, "
                             f"{number(p['kpis'][OBJECTIVE_WAIT]['mean'], 1, lang)} min — "
                             + setup_words(p["values"], labels): i
                             for i, p in enumerate(st.front)}
        self.pick.value = 0  # the cheapest set-up on the front
        self.open_button.disabled = False

    def __panel__(self):
        lang, st = self.lang, self.state
        return pn.Column(
            pn.pane.Markdown(text(lang, "o_intro")),
            pn.Row(pn.widgets.Select.from_param(st.param.scenario_name, label=text(lang, "o_scenario"), width=240),
                   pn.widgets.FloatInput.from_param(st.param.wait_target, label=text(lang, "o_wait_target"),
                                                    width=270),
                   pn.widgets.IntInput.from_param(st.param.evaluations, label=text(lang, "o_evaluations"), width=170),
                   pn.widgets.IntInput.from_param(st.param.replications, label=text(lang, "c_replications"),
                                                  width=110)),
            self.ranges,
            pn.widgets.Checkbox.from_param(st.param.self_served, label=text(lang, "o_self_served")),
            pn.Row(self.run_button, self.cancel_button),
            self.bar, self.message, self.plot, pn.Row(self.pick, self.open_button), sizing_mode="stretch_width")
