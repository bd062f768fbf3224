"""Bokeh charts of a comparison: waits, queues and utilisation by hour, outcomes, the sweep heatmap.

Pure functions from result data to figures; they work in the app and inline in a notebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, LinearColorMapper, ColorBar, Whisker
from bokeh.palettes import Category10_10, YlOrRd9
from bokeh.plotting import figure

__all__ = ["wait_histogram", "hourly_lines", "kpi_bars", "sweep_heatmap", "PALETTE"]

PALETTE = ("#1f5fa8", "#e07b00", "#2e7d32", "#8e24aa") + tuple(Category10_10[4:])


def _fig(title: str, x_label: str, y_label: str, **kw):
    p = figure(title=title, height=280, sizing_mode="stretch_width", toolbar_location=None,
               x_axis_label=x_label, y_axis_label=y_label, **kw)
    p.title.text_font_size = "13pt"
    return p


def wait_histogram(waits: dict[str, np.ndarray], title: str, x_label: str, y_label: str, bins: int = 24):
    """Share of visitors by wait (minutes), one step line per scenario over common bins."""
    every = np.concatenate([w for w in waits.values() if len(w)]) if waits else np.zeros(1)
    top = max(5.0, float(np.quantile(every, 0.99))) if len(every) else 5.0
    edges = np.linspace(0, top, bins + 1)
    p = _fig(title, x_label, y_label)
    for i, (name, w) in enumerate(waits.items()):
        counts, _ = np.histogram(np.clip(w, 0, top), bins=edges)
        share = counts / max(1, len(w))
        p.step(x=np.r_[edges[:-1], edges[-1]], y=np.r_[share, share[-1]], mode="after", line_width=2.5,
               color=PALETTE[i % len(PALETTE)], legend_label=name)
    p.legend.visible = bool(waits)
    p.legend.location = "top_right"
    p.yaxis.formatter.use_scientific = False
    return p


def hourly_lines(frame: pd.DataFrame, value: str, title: str, x_label: str, y_label: str):
    """Mean over weekdays by clock hour; `frame` has columns scenario, hour, `value` (and a series label)."""
    p = _fig(title, x_label, y_label)
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


def kpi_bars(estimates: dict[str, object], title: str, y_label: str, percent: bool = False):
    """One bar per scenario with its 95 % confidence interval as whiskers."""
    names = list(estimates)
    scale = 100.0 if percent else 1.0
    src = ColumnDataSource(dict(
        name=names,
        mean=[estimates[n].mean * scale for n in names],
        low=[estimates[n].low * scale for n in names],
        high=[estimates[n].high * scale for n in names],
        colour=[PALETTE[i % len(PALETTE)] for i in range(len(names))],
    ))
    p = figure(x_range=names, title=title, height=260, sizing_mode="stretch_width", toolbar_location=None,
               y_axis_label=y_label)
    p.title.text_font_size = "11pt"
    p.vbar(x="name", top="mean", width=0.6, color="colour", source=src, alpha=0.85)
    p.add_layout(Whisker(source=src, base="name", upper="high", lower="low", line_width=1.5))
    p.add_tools(HoverTool(tooltips=[("", "@name"), ("", "@mean{0.0} (@low{0.0}–@high{0.0})")]))
    lowest = min([0.0, *src.data["low"]])
    p.y_range.start = lowest
    p.xaxis.major_label_orientation = 0.3 if max((len(n) for n in names), default=0) > 14 else 0
    return p


def sweep_heatmap(frame: pd.DataFrame, x: str, y: str, value: str, title: str, x_label: str, y_label: str):
    """A heatmap of `value` over the grid of `x` and `y` (capacities), numbers printed in the cells."""
    xs = sorted(frame[x].unique())
    ys = sorted(frame[y].unique())
    data = frame.assign(_x=frame[x].astype(str), _y=frame[y].astype(str))
    finite = data[value].replace([np.inf, -np.inf], np.nan)
    mapper = LinearColorMapper(palette=list(reversed(YlOrRd9)), low=float(np.nanmin(finite)) if finite.notna().any() else 0,
                               high=float(np.nanmax(finite)) if finite.notna().any() else 1)
    lo, hi = mapper.low, mapper.high
    dark = [(v - lo) / (hi - lo) > 0.55 if hi > lo else False for v in finite.fillna(0)]
    src = ColumnDataSource(dict(x=data["_x"], y=data["_y"], v=finite.fillna(0),
                                label=[f"{v:.1f}" for v in finite.fillna(0)],
                                ink=["white" if d else "#222222" for d in dark]))
    p = figure(x_range=[str(v) for v in xs], y_range=[str(v) for v in ys], title=title, height=360,
               sizing_mode="stretch_width", toolbar_location=None, x_axis_label=x_label, y_axis_label=y_label)
    p.rect(x="x", y="y", width=1, height=1, source=src, fill_color={"field": "v", "transform": mapper}, line_color="white")
    p.text(x="x", y="y", text="label", source=src, text_align="center", text_baseline="middle", text_font_size="13pt",
           text_color="ink")
    p.add_layout(ColorBar(color_mapper=mapper, width=12), "right")
    p.grid.visible = False
    p.title.text_font_size = "13pt"
    return p
