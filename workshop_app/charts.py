"""Bokeh charts of a comparison: waits, queues and utilisation by hour, outcomes, the sweep heatmap.

Pure functions from result data to figures; they work in the app and inline in a notebook.
Every chart has one tool, "save", which downloads it as a PNG named after `filename`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from bokeh.models import (ColorBar, ColumnDataSource, CustomJSHover, CustomJSTickFormatter, HoverTool,
                          LinearColorMapper, SaveTool, Whisker)
from bokeh.palettes import Category10_10, YlOrRd9
from bokeh.plotting import figure

from process_models.numbers import number

__all__ = ["wait_histogram", "wait_histogram_of", "hourly_lines", "kpi_bars", "sweep_heatmap", "PALETTE",
           "with_save", "LOCALES", "locale_ticks", "bar_labels"]

PALETTE = ("#1f5fa8", "#e07b00", "#2e7d32", "#8e24aa") + tuple(Category10_10[4:])
#: Characters of a scenario's name under its bar (four charts share a row: a bar is about 150 pixels wide).
BAR_LABEL_WIDTH = 20
#: How each UI language writes numbers in the browser (Intl locales): 0,05 and 52 000 in Swedish.
LOCALES = {"sv": "sv-SE", "en": "en-GB"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["sv"])


def locale_ticks(p, lang: str, axes: str = "xy"):
    """The numbers on the figure's numeric axes `axes` as `lang` writes them (the browser's Intl
    formatting, to three decimals at most), not with Bokeh's decimal point."""
    code = f"return tick.toLocaleString('{_locale(lang)}', {{maximumFractionDigits: 3}})"
    for axis in (p.xaxis if "x" in axes else []) + (p.yaxis if "y" in axes else []):
        axis.formatter = CustomJSTickFormatter(code=code)
    return p


def _one_decimal(lang: str) -> CustomJSHover:
    """A hover field with one decimal, as `lang` writes it (12,3 in Swedish)."""
    return CustomJSHover(code=f"return value.toLocaleString('{_locale(lang)}', "
                              "{minimumFractionDigits: 1, maximumFractionDigits: 1})")


def with_save(p, filename: str, label: str = "PNG"):
    """Give a figure a toolbar with only the save tool: a button that downloads the chart as `filename`.png."""
    p.tools = [SaveTool(filename=filename, description=label)]
    p.toolbar_location = "above"
    p.toolbar.logo = None
    p.toolbar.autohide = False
    return p


def _fig(title: str, x_label: str, y_label: str, **kw):
    p = figure(title=title, height=280, sizing_mode="stretch_width", toolbar_location=None,
               x_axis_label=x_label, y_axis_label=y_label, **kw)
    p.title.text_font_size = "13pt"
    return p


def wait_histogram_of(waits: dict[str, np.ndarray], bins: int = 24) -> tuple[list[float], dict[str, list[float]]]:
    """Common bin edges and each scenario's share of visitors per bin (the 99th percentile caps the range)."""
    every = np.concatenate([w for w in waits.values() if len(w)]) if waits else np.zeros(1)
    top = max(5.0, float(np.quantile(every, 0.99))) if len(every) else 5.0
    edges = np.linspace(0, top, bins + 1)
    shares = {n: (np.histogram(np.clip(w, 0, top), bins=edges)[0] / max(1, len(w))).tolist() for n, w in waits.items()}
    return edges.tolist(), shares


def wait_histogram(waits, title: str, x_label: str, y_label: str, bins: int = 24, lang: str = "sv"):
    """Share of visitors by wait (minutes), one step line per scenario over common bins; axis numbers as `lang` writes them.

    Args:
        waits: scenario -> waits (minutes), or already binned: (edges, {scenario: shares}).
    """
    edges, shares = waits if isinstance(waits, tuple) else wait_histogram_of(waits, bins)
    edges = np.asarray(edges, dtype=float)
    p = _fig(title, x_label, y_label)
    for i, (name, share) in enumerate(shares.items()):
        share = np.asarray(share, dtype=float)
        p.step(x=np.r_[edges[:-1], edges[-1]], y=np.r_[share, share[-1]], mode="after", line_width=2.5,
               color=PALETTE[i % len(PALETTE)], legend_label=name)
    p.legend.visible = bool(shares)
    p.legend.location = "top_right"
    return locale_ticks(p, lang)


def hourly_lines(frame: pd.DataFrame, value: str, title: str, x_label: str, y_label: str, lang: str = "sv"):
    """Mean over weekdays by clock hour; `frame` has columns scenario, hour, `value` (and a series label);
    axis numbers as `lang` writes them."""
    p = locale_ticks(_fig(title, x_label, y_label), lang)
    if frame is None or frame.empty:
        return p
    for i, (name, part) in enumerate(frame.groupby("series", sort=False)):
        g = part.groupby("hour", as_index=False)[value].mean()
        colour = PALETTE[int(part["colour"].iloc[0]) % len(PALETTE)]
        dash = part["dash"].iloc[0]
        p.line(g["hour"], g[value], line_width=2.5, color=colour, line_dash=dash, legend_label=str(name))
        p.scatter(g["hour"], g[value], size=6, color=colour)
    legend = p.legend[0]
    legend.label_text_font_size = "9pt"
    p.add_layout(legend, "right")
    p.xaxis.ticker = list(range(int(frame["hour"].min()), int(frame["hour"].max()) + 1))
    return p


def kpi_bars(estimates: dict[str, object], title: str, y_label: str, percent: bool = False, lang: str = "sv"):
    """One bar per scenario with its 95 % confidence interval as whiskers; numbers as `lang` writes them."""
    names = list(estimates)
    # short names under the bars, the full one in the hover: slanted full names ran into each other
    short = bar_labels(names)
    bars = [short[n] for n in names]
    scale = 100.0 if percent else 1.0
    src = ColumnDataSource(dict(
        bar=bars,
        name=names,
        mean=[estimates[n].mean * scale for n in names],
        low=[estimates[n].low * scale for n in names],
        high=[estimates[n].high * scale for n in names],
        colour=[PALETTE[i % len(PALETTE)] for i in range(len(names))],
    ))
    p = figure(x_range=bars, title=title, height=260, sizing_mode="stretch_width", toolbar_location=None,
               y_axis_label=y_label)
    p.title.text_font_size = "11pt"
    p.vbar(x="bar", top="mean", width=0.6, color="colour", source=src, alpha=0.85)
    p.add_layout(Whisker(source=src, base="bar", upper="high", lower="low", line_width=1.5))
    p.add_tools(HoverTool(tooltips=[("", "@name"), ("", "@mean{custom} (@low{custom}–@high{custom})")],
                          formatters={f"@{k}": _one_decimal(lang) for k in ("mean", "low", "high")}))
    locale_ticks(p, lang, "y")
    lowest = min([0.0, *src.data["low"]])
    p.y_range.start = lowest
    p.xaxis.major_label_orientation = 0 if sum(map(len, bars)) <= 2 * BAR_LABEL_WIDTH else 0.4
    return p


def bar_labels(names: list[str]) -> dict[str, str]:
    """A short label per scenario name: the part before " – " (Skärholmen idag – kölapp ... ->
    Skärholmen idag) when those are distinct, else the name cut at `BAR_LABEL_WIDTH` characters."""
    heads = [n.split(" – ")[0].strip() for n in names]
    if len(set(heads)) == len(heads) and all(0 < len(h) <= BAR_LABEL_WIDTH for h in heads):
        return dict(zip(names, heads))
    cut = {n: n if len(n) <= BAR_LABEL_WIDTH else n[:BAR_LABEL_WIDTH - 1].rstrip() + "…" for n in names}
    return cut if len(set(cut.values())) == len(cut) else {n: n for n in names}


def sweep_heatmap(frame: pd.DataFrame, x: str, y: str, value: str, title: str, x_label: str, y_label: str,
                  invalid_label: str = "—", lang: str = "sv"):
    """A heatmap of `value` over the grid of `x` and `y` (capacities), numbers printed in the cells.

    A cell without a value (its model could not be built) is grey and says `invalid_label`; the
    numbers are written as `lang` writes them (a decimal comma in Swedish).
    """
    xs = sorted(frame[x].unique())
    ys = sorted(frame[y].unique())
    data = frame.assign(_x=frame[x].astype(str), _y=frame[y].astype(str))
    finite = data[value].replace([np.inf, -np.inf], np.nan)
    mapper = LinearColorMapper(palette=list(reversed(YlOrRd9)), low=float(np.nanmin(finite)) if finite.notna().any() else 0,
                               high=float(np.nanmax(finite)) if finite.notna().any() else 1)
    lo, hi = mapper.low, mapper.high
    missing = finite.isna().tolist()
    dark = [(v - lo) / (hi - lo) > 0.55 if hi > lo else False for v in finite.fillna(lo)]
    src = ColumnDataSource(dict(x=data["_x"], y=data["_y"], v=finite.fillna(lo),
                                label=[invalid_label if m else number(v, 1, lang) for v, m in zip(finite.fillna(0), missing)],
                                ink=["#222222" if m or not d else "white" for d, m in zip(dark, missing)]))
    p = figure(x_range=[str(v) for v in xs], y_range=[str(v) for v in ys], title=title, height=360,
               sizing_mode="stretch_width", toolbar_location=None, x_axis_label=x_label, y_axis_label=y_label)
    p.rect(x="x", y="y", width=1, height=1, source=src, fill_color={"field": "v", "transform": mapper}, line_color="white")
    if any(missing):  # grey over the colour scale where no model could be built
        grey = ColumnDataSource({k: [v for v, m in zip(src.data[k], missing) if m] for k in ("x", "y")})
        p.rect(x="x", y="y", width=1, height=1, source=grey, fill_color="#d9d9d9", line_color="white")
    p.text(x="x", y="y", text="label", source=src, text_align="center", text_baseline="middle", text_font_size="13pt",
           text_color="ink")
    p.add_layout(ColorBar(color_mapper=mapper, width=12), "right")
    p.grid.visible = False
    p.title.text_font_size = "13pt"
    return p
