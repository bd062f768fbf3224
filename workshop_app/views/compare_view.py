"""The compare and sweep tabs: run scenarios with progress and cancel, the KPI table, charts, heatmap."""

from __future__ import annotations

import html
import math
import threading

import pandas as pd
import panel as pn
import param

from .. import charts, engine
from .a11y import BUTTON_CSS
from ..compare import CHART_KPIS, FREED_KPIS, CompareState, TABLE_KPIS
from ..texts import UiError, text
from .builder_view import load_check_html
from .headings import section

__all__ = ["CompareView", "SweepView", "kpi_table_html"]

PERCENT_KPIS = {"self_served_share", "within_10", "within_20"}


def _fmt(kpi: str, x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if kpi in PERCENT_KPIS:
        return f"{x * 100:.1f} %"
    return f"{x:,.1f}".replace(",", " ")


def kpi_table_html(table: pd.DataFrame, names: list[str], baseline: str, lang: str) -> str:
    """The comparison as an HTML table: estimate [CI] per scenario, difference vs baseline coloured."""
    t = lambda k, **v: html.escape(text(lang, k, **v))  # noqa: E731
    verdict_key = {"better": "c_better", "worse": "c_worse", "no clear difference": "c_same"}
    head = f"<th>{t('c_kpi')}</th>" + "".join(
        f"<th>{html.escape(n)}{' ★' if n == baseline else ''}</th>" for n in names)
    body = ""
    for kpi, row in table.iterrows():
        label = t(f"kpi_{kpi}") if f"kpi_{kpi}" in _keys(lang) else html.escape(kpi)
        cells = f"<th scope='row'>{label}</th>"
        for n in names:
            est = (f"<b>{_fmt(kpi, row[n])}</b> <span class='mbk-ci'>[{_fmt(kpi, row[n + ' low'])}–"
                   f"{_fmt(kpi, row[n + ' high'])}]</span>")
            if n != baseline and f"{n} diff" in row:
                verdict = row[f"{n} verdict"] or ""
                cls = {"better": "mbk-better", "worse": "mbk-worse"}.get(verdict, "mbk-same")
                sign = "+" if row[f"{n} diff"] >= 0 else ""
                word = t(verdict_key[verdict]) if verdict in verdict_key else ""
                est += (f"<div class='mbk-diff {cls}' data-verdict='{html.escape(verdict)}'>"
                        f"{sign}{_fmt(kpi, row[f'{n} diff'])} {word}</div>")
            cells += f"<td>{est}</td>"
        body += f"<tr data-kpi='{html.escape(kpi)}'>{cells}</tr>"
    caption = t("c_diff", baseline=baseline)
    return (f"<table class='mbk-table mbk-kpis'><caption>{caption} (★)</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _keys(lang: str) -> set:
    from ..texts import strings
    return set(strings(lang))


class CompareView(pn.viewable.Viewer):
    """Thin view over CompareState; `refresh()` (called by the page's poll) redraws after progress."""

    tick = param.Integer(default=0)

    def __init__(self, state: CompareState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self._seen = -1
        self.status = pn.pane.Markdown("", css_classes=["mbk-status"], sizing_mode="stretch_width")
        self.bar = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", bar_color="primary",
                                          visible=False)
        self.estimate = pn.Column(sizing_mode="stretch_width")
        self.table = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-kpi-box"])
        self.charts = pn.Column(sizing_mode="stretch_width")
        self.param.watch(lambda _e: self._on_tick(), "tick")
        self.refresh(force=True)

    def _on_tick(self):
        self.state.refresh_choices()

    def _run(self, _=None):
        self.state.start()
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        st = self.state
        if st.version == self._seen and not force:
            return
        self._seen = st.version
        lang = self.lang
        if not engine.available():
            self.status.object = f"⚠ {text(lang, 'sim_unavailable')}"
            return
        if st.status == "running":
            self.bar.visible = True
            self.bar.value = int(st.progress.fraction * 100)
            self.status.object = text(lang, "c_status_running", done=st.progress.scenarios_done,
                                      total=st.progress.scenarios_total)
        elif st.status == "done":
            self.bar.visible = False
            self.status.object = "✓ " + text(lang, "c_status_done", n=len(st.results), reps=st.replications,
                                             seed=st.seed)
        elif st.status == "cancelled":
            self.bar.visible = False
            self.status.object = "⏹ " + text(lang, "c_status_cancelled")
        elif st.status == "error":
            self.bar.visible = False
            msg = text(lang, st.error) if st.error in _keys(lang) else st.error
            self.status.object = "⚠ " + (msg if st.error in _keys(lang) else text(lang, "c_status_error", error=msg))
        else:
            self.status.object = text(lang, "c_status_idle")
        self._draw_estimate()
        self._draw_results()

    def _draw_estimate(self) -> None:
        st, lang = self.state, self.lang
        if not st.estimates:
            self.estimate.objects = []
            return
        parts = [section(text(lang, 'c_estimate_title'))]
        for name in list(st.estimates):
            rows = st.estimate_rows(name, lang)
            waits = [r for r in rows if r.warning]
            parts.append(pn.pane.HTML(f"<details {'open' if waits else ''}><summary><b>{html.escape(name)}</b></summary>"
                                      + load_check_html(rows, lang) + "</details>", sizing_mode="stretch_width"))
        self.estimate.objects = parts

    def _draw_results(self) -> None:
        st, lang = self.state, self.lang
        table = st.kpi_table()
        names = [n for n in st.chosen if n in st.results]
        if table is None:
            partial = st.partial_kpis()
            if partial:
                rows = "".join(
                    f"<tr><th>{html.escape(text(lang, 'kpi_' + k))}</th>" + "".join(
                        f"<td>{_fmt(k, partial[n][k].mean) if k in partial[n] else '—'}</td>" for n in partial) + "</tr>"
                    for k in TABLE_KPIS)
                head = "".join(f"<th>{html.escape(n)}</th>" for n in partial)
                self.table.object = (f"<table class='mbk-table mbk-kpis'><thead><tr><th></th>{head}</tr></thead>"
                                     f"<tbody>{rows}</tbody></table>")
            else:
                self.table.object = ""
            self.charts.objects = []
            return
        self.table.object = f"<h2>{html.escape(text(lang, 'c_table_title'))}</h2>" + kpi_table_html(
            table, names, st.baseline, lang)
        self.charts.objects = self._charts(names)

    def _charts(self, names: list[str]):
        st, lang = self.state, self.lang
        t = lambda k, **v: text(lang, k, **v)  # noqa: E731
        import simulation

        waits = {n: st.results[n].visitors["waited"].to_numpy() for n in names if st.results[n].records is not None}
        queue_parts, util_parts = [], []
        for i, n in enumerate(names):
            rec = st.results[n].records
            if rec is None:
                continue
            q = simulation.hourly_queue_length(rec).groupby(["weekday", "hour"], as_index=False)["queue_length"].sum()
            queue_parts.append(q.assign(series=n, colour=i, dash="solid"))
            u = simulation.hourly_utilisation(rec)
            for pool, dash in (("guides", "solid"), ("public_computers", "dashed")):
                part = u[u["pool"] == pool].dropna()
                if not part.empty:
                    label = rec.compiled.model.pool(pool).label.get(lang)
                    util_parts.append(part.assign(series=f"{n} · {label}", colour=i, dash=dash))
        queue = pd.concat(queue_parts) if queue_parts else None
        util = pd.concat(util_parts) if util_parts else None
        kpis = {n: st.results[n].kpis() for n in names}
        freed = st.freed_estimates()
        bars = []
        for k in CHART_KPIS:
            source = freed if k in FREED_KPIS else kpis
            est = {n: source[n][k] for n in names if k in source.get(n, {})}
            if est:
                bars.append(pn.pane.Bokeh(charts.kpi_bars(est, t(f"kpi_{k}"), "%" if k in PERCENT_KPIS else "",
                                                          percent=k in PERCENT_KPIS), sizing_mode="stretch_width"))
        return [
            section(t('c_charts_title')),
            pn.Row(pn.pane.Bokeh(charts.wait_histogram(waits, t("c_chart_waits"), t("c_minutes"), t("c_share")),
                                 sizing_mode="stretch_width"),
                   pn.pane.Bokeh(charts.hourly_lines(queue, "queue_length", t("c_chart_queue"), t("c_hour"),
                                                     t("c_visitors")), sizing_mode="stretch_width"),
                   sizing_mode="stretch_width"),
            pn.Row(pn.pane.Bokeh(charts.hourly_lines(util, "utilisation", t("c_chart_util"), t("c_hour"),
                                                     t("c_share")), sizing_mode="stretch_width"),
                   sizing_mode="stretch_width"),
            section(t('c_chart_outcomes')),
            pn.Row(*bars, sizing_mode="stretch_width"),
        ]

    def __panel__(self):
        lang, st = self.lang, self.state
        run = pn.widgets.Button(label=text(lang, "c_run"), color="primary", width=180)
        run.on_click(self._run)
        cancel = pn.widgets.Button(label=text(lang, "c_cancel"), color="warning", width=120,
                                   stylesheets=[BUTTON_CSS])
        cancel.on_click(lambda _e: st.cancel())
        if not engine.available():
            run.disabled = cancel.disabled = True
        controls = pn.Column(
            pn.widgets.MultiChoice.from_param(st.param.chosen, label=text(lang, "c_scenarios"), max_items=4,
                                              sizing_mode="stretch_width"),
            pn.Row(pn.widgets.Select.from_param(st.param.baseline, label=text(lang, "c_baseline"), width=260),
                   pn.widgets.IntInput.from_param(st.param.replications, label=text(lang, "c_replications"), width=130),
                   pn.widgets.IntInput.from_param(st.param.seed, label=text(lang, "c_seed"), width=130),
                   pn.Column(pn.Spacer(height=18), pn.Row(run, cancel))),
            sizing_mode="stretch_width",
        )
        return pn.Column(pn.pane.Markdown(text(lang, "c_intro")), controls, self.bar, self.status, self.estimate,
                         self.table, self.charts, sizing_mode="stretch_width")


class SweepView(pn.viewable.Viewer):
    """A heatmap of mean or p90 wait over two varied pools."""

    def __init__(self, state: CompareState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self.message = pn.pane.Markdown("")
        self.plot = pn.Column(sizing_mode="stretch_width")
        self._seen_frame = None
        self._running = False
        self.message_text: str | None = None  # set by the worker thread, shown by the next refresh()
        self.bar = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", visible=False)

    def _run(self, _=None):
        st = self.state
        if self._running:
            return
        try:
            st.sweep_values("x"), st.sweep_values("y")
        except UiError as exc:
            self.message.object = "⚠ " + exc.in_lang(self.lang)
            return
        self.message.object = "…"
        self._running = True

        def work():
            try:
                st.run_sweep()
            except UiError as exc:
                self.message_text = "⚠ " + exc.in_lang(self.lang)
            except Exception as exc:  # shown in the tab
                self.message_text = "⚠ " + text(self.lang, "c_status_error", error=str(exc))
            finally:
                self._running = False
        threading.Thread(target=work, daemon=True, name="mbk-sweep").start()

    def refresh(self) -> None:
        st = self.state
        self.bar.visible = self._running
        if self._running:
            self.bar.value = int(st.sweep_progress.fraction * 100)
        if self.message_text:
            self.message.object, self.message_text = self.message_text, None
        frame = st.sweep_frame
        if frame is None or frame is self._seen_frame:
            return
        self._seen_frame = frame
        self.message.object = "✓ " + text(self.lang, "s_status_done", n=len(frame))
        self.plot.objects = [pn.pane.Bokeh(self.heatmap(frame), sizing_mode="stretch_width")]

    def heatmap(self, frame: pd.DataFrame):
        st, lang = self.state, self.lang
        x, y = f"pools.{st.sweep_x}.capacity", f"pools.{st.sweep_y}.capacity"
        metric = st.sweep_metric
        value = metric if metric in frame else next(c for c in frame.columns if c.startswith(metric))
        model = st.scenario(st.sweep_scenario).build_model()
        xl, yl = model.pool(st.sweep_x).label.get(lang), model.pool(st.sweep_y).label.get(lang)
        word = text(lang, "s_mean" if metric == "mean_wait" else "s_p90")
        return charts.sweep_heatmap(frame, x, y, value, text(lang, "s_heat_title", metric=word.capitalize(), x=xl, y=yl),
                                    xl, yl)

    def __panel__(self):
        lang, st = self.lang, self.state
        run = pn.widgets.Button(label=text(lang, "s_run"), color="primary", width=160)
        run.on_click(self._run)
        run.disabled = not engine.available()
        cancel = pn.widgets.Button(label=text(lang, "c_cancel"), color="warning", width=120, disabled=run.disabled,
                                   stylesheets=[BUTTON_CSS])
        cancel.on_click(lambda _e: st.cancel_sweep())
        metric = pn.widgets.RadioButtonGroup.from_param(
            st.param.sweep_metric, options={text(lang, "s_mean"): "mean_wait", text(lang, "s_p90"): "p90_wait"})
        st.param.watch(lambda _e: self._redraw_metric(), "sweep_metric")
        return pn.Column(
            pn.pane.Markdown(text(lang, "s_intro")),
            pn.Row(pn.widgets.Select.from_param(st.param.sweep_scenario, label=text(lang, "s_scenario"), width=240),
                   self._pool_picker("sweep_x", "s_x"),
                   pn.widgets.TextInput.from_param(st.param.sweep_x_values, label=text(lang, "s_x_values"), width=140),
                   self._pool_picker("sweep_y", "s_y"),
                   pn.widgets.TextInput.from_param(st.param.sweep_y_values, label=text(lang, "s_y_values"), width=140),
                   pn.widgets.IntInput.from_param(st.param.sweep_replications, label=text(lang, "c_replications"),
                                                  width=110)),
            pn.Row(metric, run, cancel),
            self.bar, self.message, self.plot, sizing_mode="stretch_width")

    def _pool_options(self) -> dict[str, str]:
        model = self.state.scenario(self.state.sweep_scenario).build_model()
        return {model.pool(p).label.get(self.lang): p for p in self.state.param.sweep_x.objects}

    def _pool_picker(self, which: str, key: str):
        picker = pn.widgets.Select.from_param(self.state.param[which], label=text(self.lang, key), width=200,
                                              options=self._pool_options())
        self.state.param.watch(lambda _e: setattr(picker, "options", self._pool_options()), "sweep_scenario")
        return picker

    def _redraw_metric(self):
        if self.state.sweep_frame is not None:
            self.plot.objects = [pn.pane.Bokeh(self.heatmap(self.state.sweep_frame), sizing_mode="stretch_width")]
