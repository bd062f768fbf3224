"""The compare and sweep tabs: headline cards, the KPI table, charts, downloads, the heatmap.

Thin views: they bind to CompareState and SweepState parameters (status, progress, the
record shown) and draw what the record holds; a record run in another browser draws the same.
"""

from __future__ import annotations

import html
import io
import math

import pandas as pd
import panel as pn
import param

from process_models.numbers import number, percent, signed
from process_models.payback import years_text

from .. import charts, downloads, engine
from ..compare import (CHART_KPIS, COST_CARD_KPI, COST_CHART_KPIS, HEADLINE_KPIS, PERCENT_KPIS, CompareState, SweepState,
                       chart_inputs, kpi_frame)
from ..texts import strings, text
from .a11y import BUTTON_CSS
from .builder_view import load_check_html
from .headings import section

__all__ = ["CompareView", "SweepView", "kpi_table_html", "cards_html", "cost_card_html", "diff_words"]

WAIT_KPIS = {"mean_wait", "p90_wait", "time_in_office"}
FREED = {"staff_minutes_freed", "guide_minutes_freed"}
MONEY_KPIS = {"cost.week"}
VERDICT_KEYS = {"better": "c_better", "worse": "c_worse", "same": "c_same"}


def _fmt(kpi: str, x: float, lang: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if kpi in PERCENT_KPIS:
        return percent(x, 1, lang)
    return number(x, 1, lang)


def _fmt_diff(kpi: str, d: float, lang: str) -> str:
    """A difference with its sign; a share's in percentage points, never '%'."""
    if kpi in PERCENT_KPIS:
        return f"{signed(d * 100, 1, lang)} {text(lang, 'c_pp')}"
    return signed(d, 1, lang)


def diff_words(kpi: str, d: float, lang: str) -> str:
    """The difference against the baseline in words: '2,1 min kortare', '+4,0 procentenheter', '12 färre'."""
    size = abs(d)
    if kpi in PERCENT_KPIS:
        return _fmt_diff(kpi, d, lang)
    if round(size, 1) == 0:
        return text(lang, "card_no_change")
    if kpi in WAIT_KPIS:
        return text(lang, "card_shorter" if d < 0 else "card_longer", x=number(size, 1, lang))
    if kpi in MONEY_KPIS:
        return text(lang, "card_cheaper" if d < 0 else "card_dearer", x=number(size, 0, lang))
    if kpi in FREED:
        return text(lang, "card_freed" if d > 0 else "card_more_work", x=number(size, 0, lang))
    return text(lang, "card_fewer" if d < 0 else "card_more", x=number(size, 0 if size >= 10 else 1, lang))


def _card_value(kpi: str, x: float, lang: str = "sv") -> str:
    if kpi in MONEY_KPIS:
        return f"{number(x, 0, lang)} {text(lang, 'c_sek')}"
    if kpi in PERCENT_KPIS:
        return percent(x, 0, lang)
    if kpi in WAIT_KPIS:
        return f"{number(x, 1, lang)} min"
    if kpi in FREED:
        return f"{number(x, 0, lang)} min"
    return number(x, 0 if abs(x) >= 10 else 1, lang)


def _card_interval(kpi: str, e, lang: str = "sv") -> str:
    if kpi in MONEY_KPIS:
        return f"{number(e.low, 0, lang)}–{number(e.high, 0, lang)} {text(lang, 'c_sek')}"
    if kpi in PERCENT_KPIS:
        return f"{number(e.low * 100, 0, lang)}–{percent(e.high, 0, lang)}"
    digits = 1 if kpi in WAIT_KPIS else 0 if kpi in FREED or abs(e.mean) >= 10 else 1
    return f"{number(e.low, digits, lang)}–{number(e.high, digits, lang)}"


def _card(record, kpi: str, lang: str, css: str = "mbk-card", extra=None) -> str:
    """One headline card: per scenario its value, 95 % interval and difference against the baseline in words.

    Args:
        extra: scenario -> more HTML for its row (the cost card's payback time), or None.
    """
    t = lambda k, **v: html.escape(text(lang, k, **v))  # noqa: E731
    rows = []
    for s in record.scenarios:
        e = s.kpis.get(kpi)
        if e is None:
            continue
        full = s.label.get(lang, s.name)
        name = f"<span title='{html.escape(full)}'>{html.escape(full.split(' – ')[0])}</span>"
        base = s.name == record.baseline
        if base and kpi in FREED:  # measured against the baseline: it frees nothing from itself
            rows.append(f"<div class='mbk-card-row mbk-card-base' data-scenario='{html.escape(s.name)}'>"
                        f"<div class='mbk-card-name'>{t('card_against', name=full.split(' – ')[0])}</div></div>")
            continue
        if base:
            diff = f"<span class='mbk-card-diff mbk-same'>{t('card_baseline')}</span>"
        elif kpi in s.differences:
            d = s.differences[kpi]
            cls = {"better": "mbk-better", "worse": "mbk-worse"}.get(d.verdict, "mbk-same")
            unsure = f" · {t('c_same')}" if d.verdict == "same" else ""
            diff = (f"<span class='mbk-card-diff {cls}' data-verdict='{d.verdict}'>"
                    f"{html.escape(diff_words(kpi, d.mean, lang))}{unsure}</span>")
        else:
            diff = ""
        more = extra(s) if extra else ""
        rows.append(f"<div class='mbk-card-row{' mbk-card-base' if base else ''}' data-scenario='{html.escape(s.name)}'>"
                    f"<div class='mbk-card-name'>{name}</div>"
                    f"<div><span class='mbk-card-value'>{_card_value(kpi, e.mean, lang)}</span> "
                    f"<span class='mbk-ci'>{t('card_interval', ci=_card_interval(kpi, e, lang))}</span></div>"
                    f"{diff}{more}</div>")
    return (f"<section class='{css}' data-kpi='{kpi}' aria-label='{t('card_' + kpi)}'>"
            f"<h2 class='mbk-card-title'>{t('card_' + kpi)}</h2>{''.join(rows)}</section>")


def cards_html(record, lang: str) -> str:
    """The headline figures of a comparison as cards: value, 95 % interval, difference against the baseline."""
    cards = [_card(record, kpi, lang) for kpi in HEADLINE_KPIS]
    return f"<div class='mbk-cards' data-record='{record.id}'>{''.join(cards)}</div>"


def _payback(s, lang: str) -> str:
    """A scenario's payback time of its change, where the run has a finite one."""
    e = s.kpis.get("payback_years")
    if e is None:
        return ""
    words = text(lang, "card_payback", x=years_text(e.mean, lang), low=years_text(e.low, lang),
                 high=years_text(e.high, lang))
    return f"<div class='mbk-card-payback'>{html.escape(words)}</div>"


def cost_card_html(record, lang: str) -> str:
    """The cost per week as a card like the headline ones (value, 95 % interval, difference in kronor, payback);
    empty when no scenario's model has costs. Its own class, so the five headline cards stay five."""
    if not any(COST_CARD_KPI in s.kpis for s in record.scenarios):
        return ""
    card = _card(record, COST_CARD_KPI, lang, css="mbk-cost-card", extra=lambda s: _payback(s, lang))
    return f"<div class='mbk-cost-cards' data-record='{record.id}'>{card}</div>"


def kpi_table_html(table: pd.DataFrame, labels: dict[str, str], baseline: str, lang: str) -> str:
    """The comparison as an HTML table: estimate [CI] per scenario, difference vs baseline coloured."""
    t = lambda k, **v: html.escape(text(lang, k, **v))  # noqa: E731
    names = list(labels)
    head = f"<th>{t('c_kpi')}</th>" + "".join(
        f"<th data-scenario='{html.escape(n)}'>{html.escape(labels[n])}{' ★' if n == baseline else ''}</th>"
        for n in names)
    body = ""
    for kpi, row in table.iterrows():
        label = t(f"kpi_{kpi}") if f"kpi_{kpi}" in strings(lang) else html.escape(kpi)
        cells = f"<th scope='row'>{label}</th>"
        for n in names:
            est = (f"<b>{_fmt(kpi, row[n], lang)}</b> <span class='mbk-ci'>[{_fmt(kpi, row[n + ' low'], lang)}–"
                   f"{_fmt(kpi, row[n + ' high'], lang)}]</span>")
            if n != baseline and f"{n} diff" in row and not math.isnan(row[f"{n} diff"]):
                verdict = row[f"{n} verdict"] or ""
                cls = {"better": "mbk-better", "worse": "mbk-worse"}.get(verdict, "mbk-same")
                word = t(VERDICT_KEYS[verdict]) if verdict else ""
                est += (f"<div class='mbk-diff {cls}' data-verdict='{html.escape(verdict)}'>"
                        f"{html.escape(_fmt_diff(kpi, row[f'{n} diff'], lang))} {word}</div>")
            cells += f"<td>{est}</td>"
        body += f"<tr data-kpi='{html.escape(kpi)}'>{cells}</tr>"
    caption = t("c_diff", baseline=labels.get(baseline, baseline))
    return (f"<table class='mbk-table mbk-kpis'><caption>{caption} (★)</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


class _Scheduled:
    """Redraws on the page's own event loop: a run's worker thread only changes parameters."""

    def _remember_doc(self) -> None:
        self._doc = pn.state.curdoc

    def _soon(self, fn) -> None:
        doc = getattr(self, "_doc", None)
        if doc is not None and doc.session_context is not None:
            doc.add_next_tick_callback(fn)
        else:
            fn()


class CompareView(_Scheduled, pn.viewable.Viewer):
    """Cards first, then the KPI table and charts, of the comparison the state shows."""

    tick = param.Integer(default=0)

    def __init__(self, state: CompareState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self._remember_doc()
        self.status = pn.pane.Markdown("", css_classes=["mbk-status"], sizing_mode="stretch_width", margin=(0, 10))
        self.bar = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", bar_color="primary",
                                          visible=False)
        self.estimate = pn.Column(sizing_mode="stretch_width")
        self.cards = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-cards-box"])
        self.cost_card = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-cost-box"])
        self.table = pn.pane.HTML("", sizing_mode="stretch_width", css_classes=["mbk-kpi-box"])
        self.charts = pn.Column(sizing_mode="stretch_width")
        self.history = pn.widgets.Select(label=text(lang, "c_history"), options=self._history_options(),
                                         value=state.shown, width=420)
        self.history.param.watch(lambda e: setattr(state, "shown", e.new), "value")
        self.run_button = pn.widgets.Button(label=text(lang, "c_run"), color="primary", width=170,
                                            disabled=not engine.available())
        self.run_button.on_click(lambda _e: state.start())
        self.cancel_button = pn.widgets.Button(label=text(lang, "c_cancel"), color="light", width=110,
                                               disabled=True, stylesheets=[BUTTON_CSS])
        self.cancel_button.on_click(lambda _e: state.cancel())
        self.downloads = self._downloads()
        state.param.watch(lambda *_e: self._soon(self._draw_status), ["status", "progress", "error"])
        state.param.watch(lambda *_e: self._soon(self._draw_partial), ["partial"])
        state.param.watch(lambda *_e: self._soon(self._draw_record), ["record"])
        state.param.watch(lambda *_e: self._soon(self._draw_estimate), ["estimates"])
        state.param.watch(lambda *_e: self._soon(self._sync_history), ["shown"])
        self.param.watch(lambda _e: self._refresh_choices(), "tick")
        self._draw_status()
        self._draw_estimate()
        self._draw_record()

    def _scenario_options(self) -> dict[str, str]:
        """Scenario name on screen -> scenario: a model's own name, never its id."""
        return {self.state.label(n)[self.lang]: n for n in self.state.param.chosen.objects}

    def _refresh_choices(self) -> None:
        self.state.refresh_choices()
        for picker in getattr(self, "_pickers", ()):
            picker.options = self._scenario_options()

    # --- drawing ---------------------------------------------------------------------
    def _history_options(self) -> dict[str, str]:
        lang = self.lang
        out = {}
        for c in self.state.shared.data.comparisons:
            when = c.created.astimezone().strftime("%H:%M")
            names = " / ".join(s.label.get(lang, s.name) for s in c.scenarios)
            out[text(lang, "c_history_item", n=c.id.split("_")[1], time=when, names=names, reps=c.replications,
                     seed=c.seed)] = c.id
        return out

    def _sync_history(self) -> None:
        self.history.options = self._history_options()
        self.history.value = self.state.shown
        self.history.visible = bool(self.history.options)

    def _draw_status(self) -> None:
        st, lang = self.state, self.lang
        running = st.status == "running"
        self.run_button.disabled = running or not engine.available()
        self.cancel_button.disabled = not running
        self.cancel_button.color = "warning" if running else "light"
        self.bar.visible = running
        self.bar.value = int(st.progress * 100)
        if not engine.available():
            msg = f"⚠ {text(lang, 'sim_unavailable')}"
        elif running:
            msg = text(lang, "c_status_running", done=st.scenarios_done, total=len(st.chosen))
        elif st.status == "done" and st.record is not None:
            msg = "✓ " + text(lang, "c_status_done", n=len(st.record.scenarios), reps=st.record.replications,
                              seed=st.record.seed)
        elif st.status == "cancelled":
            msg = "⏹ " + text(lang, "c_status_cancelled")
        elif st.status == "error":
            msg = "⚠ " + text(lang, st.error, **st.error_values)
        elif st.record is not None:
            msg = text(lang, "c_status_shown", n=len(st.record.scenarios), reps=st.record.replications,
                       seed=st.record.seed)
        else:
            msg = text(lang, "c_status_idle")
        self.status.object = msg

    def _draw_partial(self) -> None:
        """While running, each scenario's figures as soon as it is done."""
        st, lang = self.state, self.lang
        partial = st.partial
        if st.status != "running" or not partial:
            return
        names = {n: st.label(n)[lang] for n in partial}
        head = "".join(f"<th>{html.escape(names[n])}</th>" for n in partial)
        rows = "".join(
            f"<tr><th>{html.escape(text(lang, 'kpi_' + k))}</th>"
            + "".join(f"<td>{_fmt(k, partial[n][k], lang) if k in partial[n] else '—'}</td>" for n in partial) + "</tr>"
            for k in HEADLINE_KPIS)
        self.cards.object = (f"<table class='mbk-table mbk-kpis mbk-partial'><thead><tr><th></th>{head}</tr></thead>"
                             f"<tbody>{rows}</tbody></table>")

    def _draw_record(self) -> None:
        st, lang = self.state, self.lang
        record = st.record
        self._draw_status()
        self._sync_history()
        if record is None:
            self.cards.object = self.table.object = self.cost_card.object = ""
            self.charts.objects = []
            self.downloads.visible = False
            return
        self.cards.object = cards_html(record, lang)
        self.cost_card.object = cost_card_html(record, lang)
        labels = {s.name: s.label.get(lang, s.name) for s in record.scenarios}
        self.table.object = f"<h2>{html.escape(text(lang, 'c_table_title'))}</h2>" + kpi_table_html(
            kpi_frame(record), labels, record.baseline, lang)
        self.downloads.visible = True
        self._soon(self._draw_charts)  # the cards reach the browser first; the charts follow

    def _draw_charts(self) -> None:
        record, lang = self.state.record, self.lang
        if record is None:
            return
        t = lambda k, **v: text(lang, k, **v)  # noqa: E731
        data = chart_inputs(record, lang)
        png = t("c_png")

        def pane(fig, name):
            return pn.pane.Bokeh(charts.with_save(fig, f"{record.id}-{name}", png), sizing_mode="stretch_width")

        bars = [pane(charts.kpi_bars(est, t(f"kpi_{k}"), "%" if k in PERCENT_KPIS else "", percent=k in PERCENT_KPIS,
                                    lang=lang),
                     k) for k, est in data["bars"].items() if k in CHART_KPIS]
        self.charts.objects = [
            section(t("c_charts_title")),
            pn.pane.Markdown(t("c_png_hint"), css_classes=["mbk-hint"]),
            pn.Row(pane(charts.wait_histogram(data["waits"], t("c_chart_waits"), t("c_minutes"), t("c_share"),
                                       lang=lang), "waits"),
                   pane(charts.hourly_lines(data["queue"], "queue_length", t("c_chart_queue"), t("c_hour"),
                                            t("c_visitors"), lang=lang), "queue"),
                   sizing_mode="stretch_width"),
            pn.Row(pane(charts.hourly_lines(data["util"], "utilisation", t("c_chart_util"), t("c_hour"), t("c_share"),
                                            lang=lang),
                        "utilisation"), sizing_mode="stretch_width"),
            section(t("c_chart_outcomes")),
            pn.Row(*bars, sizing_mode="stretch_width"),
            *self._cost_charts(data["costs"], pane),
        ]

    def _cost_charts(self, costs: dict, pane) -> list:
        """Cost per week per scenario, and the payback time of each change that has one (costed models only)."""
        if not costs:
            return []
        t = lambda k, **v: text(self.lang, k, **v)  # noqa: E731
        units = {"cost.week": t("c_sek_week"), "payback_years": t("c_years")}
        return [section(t("c_chart_costs")),
                pn.Row(*(pane(charts.kpi_bars(est, t(f"kpi_{k}"), units[k], lang=self.lang), k.replace(".", "-"))
                         for k, est in costs.items() if k in COST_CHART_KPIS), sizing_mode="stretch_width")]

    def _draw_estimate(self) -> None:
        st, lang = self.state, self.lang
        if not st.estimates:
            self.estimate.objects = []
            return
        parts = [section(text(lang, "c_estimate_title"))]
        for name in list(st.estimates):
            rows = st.estimate_rows(name, lang)
            warn = any(r.warning for r in rows)
            parts.append(pn.pane.HTML(f"<details {'open' if warn and st.record is None else ''}><summary><b>"
                                      f"{html.escape(st.label(name)[lang])}</b></summary>"
                                      + load_check_html(rows, lang) + "</details>", sizing_mode="stretch_width"))
        self.estimate.objects = parts

    # --- downloads -------------------------------------------------------------------
    def _downloads(self):
        lang, st = self.lang, self.state
        shared = st.shared

        def button(label_key, filename, callback):
            return pn.widgets.FileDownload(callback=callback, filename=filename, label=text(lang, label_key),
                                           embed=False, color="default", width=165, margin=(4, 6))

        report = button("d_report_html", "workshop-report.html",
                        lambda: io.StringIO(downloads.report_html(shared, lang)))
        pdf = button("d_report_pdf", "workshop-report.pdf", lambda: io.BytesIO(downloads.report_pdf(shared, lang)))
        csv = button("d_kpi_csv", "kpi-table.csv", lambda: io.StringIO(st.kpi_csv(lang)))
        variants = downloads.future_models(shared, lang)
        variant = pn.widgets.Select(label=text(lang, "d_variant"), options=variants,
                                    value=next(iter(variants.values()), None), width=250)
        reqs = [button(f"d_requirements_{fmt}", f"requirements.{fmt}",
                       lambda fmt=fmt: io.BytesIO(downloads.requirements_file(shared, variant.value, fmt, lang)))
                for fmt in downloads.REQUIREMENT_FORMATS]
        return pn.Column(
            pn.pane.Markdown(f"**{text(lang, 'd_title')}**", margin=(4, 10, 0, 10)),
            pn.Row(report, pdf, csv, pn.Spacer(width=20), variant, pn.Column(pn.Spacer(height=14), pn.Row(*reqs)),
                   sizing_mode="stretch_width"),
            sizing_mode="stretch_width", css_classes=["mbk-downloads"], visible=False)

    def refresh(self) -> None:
        """The page's poll: pick up comparisons other browsers recorded."""
        self.state.sync()

    def __panel__(self):
        lang, st = self.lang, self.state
        self._pickers = [
            pn.widgets.MultiChoice.from_param(st.param.chosen, label=text(lang, "c_scenarios"), max_items=4,
                                              width=400, options=self._scenario_options()),
            pn.widgets.Select.from_param(st.param.baseline, label=text(lang, "c_baseline"), width=240,
                                         options=self._scenario_options()),
        ]
        controls = pn.Row(
            *self._pickers,
            pn.widgets.IntInput.from_param(st.param.replications, label=text(lang, "c_replications"), width=110),
            pn.widgets.IntInput.from_param(st.param.seed, label=text(lang, "c_seed"), width=100),
            pn.Column(pn.Spacer(height=18), pn.Row(self.run_button, self.cancel_button)),
            sizing_mode="stretch_width",
        )
        self._sync_history()
        return pn.Column(pn.pane.Markdown(text(lang, "c_intro"), margin=(0, 10)), controls, self.bar,
                         pn.Row(self.status, self.history, sizing_mode="stretch_width"),
                         self.cards, self.cost_card, self.downloads, self.table, self.charts, self.estimate,
                         sizing_mode="stretch_width")


class SweepView(_Scheduled, pn.viewable.Viewer):
    """A heatmap of mean or p90 wait over two varied pools; cells that cannot be built say so."""

    tick = param.Integer(default=0)

    def __init__(self, state: SweepState, lang: str, **params):
        super().__init__(**params)
        self.state, self.lang = state, lang
        self._remember_doc()
        self.message = pn.pane.Markdown("", css_classes=["mbk-message"])
        self.plot = pn.Column(sizing_mode="stretch_width")
        self.bar = pn.indicators.Progress(value=0, max=100, sizing_mode="stretch_width", visible=False)
        self.run_button = pn.widgets.Button(label=text(lang, "s_run"), color="primary", width=160,
                                            disabled=not engine.available())
        self.run_button.on_click(lambda _e: state.start())
        self.cancel_button = pn.widgets.Button(label=text(lang, "c_cancel"), color="light", width=110, disabled=True,
                                               stylesheets=[BUTTON_CSS])
        self.cancel_button.on_click(lambda _e: state.cancel())
        state.param.watch(lambda *_e: self._soon(self._draw_status), ["status", "progress", "error"])
        state.param.watch(lambda *_e: self._soon(self._draw_plot), ["record", "metric"])
        self.param.watch(lambda _e: state.refresh_choices(), "tick")
        self._draw_status()
        self._draw_plot()

    def refresh(self) -> None:
        self.state.sync()

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
        elif st.record is not None:
            bad = sum(1 for c in st.record.cells if c.problem)
            done = text(lang, "s_status_done", n=len(st.record.cells) - bad)
            self.message.object = "✓ " + done + (" " + text(lang, "s_cells_invalid", n=bad) if bad else "")
        else:
            self.message.object = ""

    def _draw_plot(self) -> None:
        st, lang = self.state, self.lang
        self._draw_status()
        r = st.record
        if r is None:
            self.plot.objects = []
            return
        frame = st.frame()
        xl, yl = r.labels[r.x_pool][lang], r.labels[r.y_pool][lang]
        word = text(lang, "s_mean" if st.metric == "mean_wait" else "s_p90")
        fig = charts.sweep_heatmap(frame, "x", "y", st.metric, text(lang, "s_heat_title", metric=word.capitalize(),
                                                                    x=xl, y=yl), xl, yl,
                                   invalid_label=text(lang, "s_cell_short"), lang=lang)
        self.plot.objects = [pn.pane.Bokeh(charts.with_save(fig, f"{r.id}-heatmap", text(lang, "c_png")),
                                           sizing_mode="stretch_width")]

    def _pool_picker(self, which: str, key: str):
        st = self.state
        picker = pn.widgets.Select.from_param(st.param[which], label=text(self.lang, key), width=200,
                                              options=st.pool_labels(self.lang))
        st.param.watch(lambda _e: setattr(picker, "options", st.pool_labels(self.lang)), "scenario_name")
        return picker

    def __panel__(self):
        lang, st = self.lang, self.state
        metric = pn.widgets.RadioButtonGroup.from_param(
            st.param.metric, options={text(lang, "s_mean"): "mean_wait", text(lang, "s_p90"): "p90_wait"})
        return pn.Column(
            pn.pane.Markdown(text(lang, "s_intro")),
            pn.Row(pn.widgets.Select.from_param(st.param.scenario_name, label=text(lang, "s_scenario"), width=240),
                   self._pool_picker("x", "s_x"),
                   pn.widgets.TextInput.from_param(st.param.x_values, label=text(lang, "s_x_values"), width=140),
                   self._pool_picker("y", "s_y"),
                   pn.widgets.TextInput.from_param(st.param.y_values, label=text(lang, "s_y_values"), width=140),
                   pn.widgets.IntInput.from_param(st.param.replications, label=text(lang, "c_replications"),
                                                  width=110)),
            pn.Row(metric, self.run_button, self.cancel_button),
            self.bar, self.message, self.plot, sizing_mode="stretch_width")
