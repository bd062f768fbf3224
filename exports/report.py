"""The workshop report: process maps, scenario comparison (tables and charts), top-voted ideas, requirements.

HTML from a Jinja template with inline SVG (blueprints from `process_models.render`, charts
drawn by `chart.py`); PDF printed from that HTML by headless Chromium through Playwright.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Callable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from process_models import library_names, load_model
from process_models.disclosure import GROUPS, SUPPRESSED, SUPPRESSED_NOTE, is_split_key, split_figures
from process_models.numbers import FILE_STYLE, number, percent
from process_models.render import blueprint, write
from process_models.payback import payback, years_text
from process_models.schema import ProcessModel
from process_models.session import ScenarioResult, WorkshopSession, load_session, session_annotations

from .chart import interval_bars
from .generate import DEFAULT_VOTE_THRESHOLD, generate
from .requirement import AREAS, KINDS, RequirementSet
from .texts import DATA_DIR, texts

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "render_html", "write_report", "print_pdf", "top_ideas"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TOP_IDEAS = 10
#: The cost section's rows, in order (simulation/costs.py); the scenario comparison leaves them out.
COST_KPIS = ("cost.week", "cost.year", "cost.per_visitor", "cost.per_errand", "one_off_cost", "cost_saving.year",
             "staff_value_freed.year", "net_benefit.year", "payback_years", "payback_years.with_time")
_MONEY = ("cost.", "cost_saving.", "staff_value_freed.", "net_benefit.", "one_off_cost", "payback_years",
          "overtime_minutes")


def _svg(model: ProcessModel, lang: str, badges: dict[str, str]) -> Markup:
    """The blueprint as inline SVG: no XML prolog, scaled to the page width."""
    with tempfile.TemporaryDirectory() as tmp:
        graph = blueprint(model, lang, badges=badges)
        text = write(graph, Path(tmp) / "map.svg", "svg").read_text(encoding="utf-8")
    text = text[text.index("<svg"):]
    text = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg', text, count=1)
    return Markup(text)


def _vote_badges(session: WorkshopSession, model_id: str, lang: str) -> dict[str, str]:
    """Step id -> "● 9 röster": the session's votes on the notes of each step."""
    votes = Counter()
    for n in session.notes:
        if n.model == model_id:
            votes[n.step] += session.votes_for(n.id)
    t = texts(lang)["report"]
    return {step: f"● {n} {t['vote_one'] if n == 1 else t['vote_many']}" for step, n in votes.items() if n}


def _fmt(unit: str, lang: str) -> Callable[..., str]:
    def fmt(value: float, short: bool = False) -> str:
        if unit == "share":
            return percent(value, 0, lang, **FILE_STYLE)
        if unit == "min":
            return number(value, 0, lang, **FILE_STYLE) if short else f"{number(value, 1, lang, **FILE_STYLE)} min"
        return number(value, 0, lang, **FILE_STYLE)
    return fmt


def _kpi_info(kpi: str, meta: dict, models: dict[str, ProcessModel], lang: str) -> dict:
    """Label, unit and direction of a KPI; a per-step wait (`wait.STEP`) is named after its step."""
    if kpi in meta:
        return meta[kpi]
    if kpi.startswith("wait."):
        step = kpi.split(".", 1)[1]
        label = next((s.label.get(lang) for m in models.values() for s in m.steps if s.id == step), step)
        return {"label": meta["wait_at"]["label"].format(step=label), "unit": "min", "better": "lower"}
    return {"label": kpi, "unit": "count", "better": "none"}


def _comparison(results: list[ScenarioResult], lang: str, models: dict[str, ProcessModel]) -> dict | None:
    if not results:
        return None
    t = texts(lang)["report"]
    meta = t["kpis"]
    names = [k for k in dict.fromkeys(k for r in results for k in r.kpis)
             if not k.startswith(_MONEY) and not is_split_key(k)]  # women and men have a section of their own
    # per-step waits only where someone waits a minute or more: the rest is noise in a report
    step_waits = [k for k in names if k.startswith("wait.") and max(r.kpis[k].mean for r in results if k in r.kpis) >= 1]
    names = [k for k in meta if k in names] + [k for k in names if k not in meta and not k.startswith("wait.")]
    by_name = {r.scenario: r for r in results}
    rows, charts = [], []
    for kpi in names + step_waits:
        info = _kpi_info(kpi, meta, models, lang)
        fmt = _fmt(info["unit"], lang)
        cells = []
        for r in results:
            e = r.kpis.get(kpi)
            if e is None:
                cells.append({"mean": "–", "ci": "", "delta": "", "verdict": ""})
                continue
            cell = {"mean": fmt(e.mean), "ci": f"{fmt(e.low)} – {fmt(e.high)}", "delta": "", "verdict": ""}
            base = by_name.get(r.baseline) if r.baseline else None
            if base is not None and kpi in base.kpis:
                d = e.mean - base.kpis[kpi].mean
                sign = "+" if d > 0 else "−" if d < 0 else "±"
                cell["delta"] = f"{sign}{fmt(abs(d))}"
                overlap = e.low <= base.kpis[kpi].high and base.kpis[kpi].low <= e.high
                if info["better"] != "none" and d != 0 and not overlap:
                    good = (d < 0) == (info["better"] == "lower")
                    cell["verdict"] = "better" if good else "worse"
                    cell["delta"] += f" ({t['better'] if good else t['worse']})"
            cells.append(cell)
        rows.append({"label": info["label"], "cells": cells})
        if kpi in step_waits:  # in the table, not charted
            continue
        bars = [(r.scenario, r.kpis[kpi].mean, r.kpis[kpi].low, r.kpis[kpi].high) for r in results if kpi in r.kpis]
        charts.append({"title": info["label"], "svg": Markup(interval_bars(info["label"], bars, fmt))})
    scenarios = [{"name": r.scenario, "note": t["replications"].format(n=r.replications, seed=r.seed)
                  + (" · " + t["baseline"].format(name=r.baseline) if r.baseline else "")} for r in results]
    return {"scenarios": scenarios, "rows": rows, "charts": charts}


def _sek(value: float, lang: str) -> str:
    return number(value, 0, lang, **FILE_STYLE) + (" kr" if lang == "sv" else " SEK")


def _cost_cell(kpi: str, r: ScenarioResult, by_name: dict[str, ScenarioResult], lang: str) -> dict:
    """One cell of the cost table; a payback without a finite interval says why (never, perhaps never)."""
    if not kpi.startswith("payback_years"):
        e = r.kpis.get(kpi)
        if e is None:
            return {"mean": "–", "ci": ""}
        return {"mean": _sek(e.mean, lang), "ci": f"{_sek(e.low, lang)} – {_sek(e.high, lang)}"}
    base = by_name.get(r.baseline) if r.baseline else None
    saving = r.kpis.get("cost_saving.year" if kpi == "payback_years" else "net_benefit.year")
    if base is None or saving is None or "one_off_cost" not in r.kpis:
        return {"mean": "–", "ci": ""}
    base_one_off = base.kpis["one_off_cost"].mean if "one_off_cost" in base.kpis else 0.0
    p = payback(r.kpis["one_off_cost"].mean - base_one_off, saving)
    if p.estimate() is None:
        return {"mean": "–", "ci": p.describe(lang)}
    unit = texts(lang)["report"]["costs"]["years"]
    return {"mean": f"{years_text(p.years, lang)} {unit}", "ci": f"{years_text(p.low, lang)} – {years_text(p.high, lang)}"}


def _source_text(source, lang: str) -> str:
    if source is None:
        return ""
    parts = []
    if source.doc:
        parts.append(f"{source.doc}, {source.section}" + (f": ”{source.quote}”" if source.quote else ""))
    if source.assumption:
        parts.append(f"{texts(lang)['report']['costs']['assumption']}: {source.assumption}")
    return " · ".join(parts)


def _cost_assumptions(model: ProcessModel, lang: str) -> dict:
    """The model's cost figures with their sources, for the workshop to challenge."""
    t = texts(lang)["report"]["costs"]
    pools = []
    for p in model.pools:
        if p.cost is None:
            continue
        price = (t["per_hour"].format(sek=_sek(p.cost.per_hour(), lang).rsplit(" ", 1)[0]) if p.cost.hourly_wage is not None
                 else t["per_unit_year"].format(sek=_sek(p.cost.per_unit_year, lang).rsplit(" ", 1)[0]))
        pools.append({"label": p.label.get(lang), "price": price, "source": _source_text(p.cost.source, lang)})
    one_off = []
    rates = {p.id: p.cost.per_hour() for p in model.pools if p.cost is not None and p.cost.hourly_wage is not None}
    for item in model.costs.one_off if model.costs else []:
        if item.amount is not None:
            amount, how = item.amount, ""
        else:
            amount = item.hours * rates.get(item.pool, 0.0)
            how = t["hours"].format(hours=f"{item.hours:g}", rate=_sek(rates.get(item.pool, 0.0), lang).rsplit(" ", 1)[0])
        one_off.append({"label": item.label.get(lang), "amount": _sek(amount, lang), "how": how,
                        "source": _source_text(item.source, lang)})
    return {"model": model.name.get(lang), "pools": pools, "one_off": one_off,
            "one_off_heading": t["one_off"].format(model=model.name.get(lang)),
            "assumptions_heading": t["assumptions"].format(model=model.name.get(lang))}


def _costs(results: list[ScenarioResult], lang: str, models: dict[str, ProcessModel]) -> dict | None:
    """The cost section: cost KPIs per scenario, then every model's cost figures and their sources."""
    costed = [r for r in results if "cost.week" in r.kpis]
    if not costed:
        return None
    t = texts(lang)["report"]["costs"]
    by_name = {r.scenario: r for r in results}
    rows = []
    for kpi in COST_KPIS:
        if not any(kpi in r.kpis or (kpi.startswith("payback") and r.baseline) for r in costed):
            continue
        rows.append({"label": t["kpis"][kpi], "cells": [_cost_cell(kpi, r, by_name, lang) for r in costed]})
    return {"scenarios": [r.scenario for r in costed], "rows": rows,
            "models": [_cost_assumptions(m, lang) for m in models.values() if m.costs or any(p.cost for p in m.pools)]}


def _gender_cell(e, fmt, hidden: bool, lang: str) -> dict:
    if hidden:
        return {"mean": SUPPRESSED, "ci": SUPPRESSED_NOTE.get(lang), "suppressed": True}
    if e is None:
        return {"mean": "–", "ci": "", "suppressed": False}
    return {"mean": fmt(e.mean), "ci": f"{fmt(e.low)} – {fmt(e.high)}", "suppressed": False}


def _gender(results: list[ScenarioResult], lang: str) -> dict | None:
    """Women and men per scenario: visitors a week and the share who managed on their own,
    every figure of a group with fewer than five visitors a week suppressed."""
    split = [(r, split_figures(r.kpis)) for r in results]
    split = [(r, f) for r, f in split if f is not None]
    if not split:
        return None
    t = texts(lang)["report"]["gender"]
    count, share = _fmt("count", lang), _fmt("share", lang)
    header = [t["visitors"].format(group=t[g]) for g in GROUPS] + [t["self_served"].format(group=t[g]) for g in GROUPS]
    rows = [{"scenario": r.scenario,
             "cells": [_gender_cell(f[g].visitors, count, f[g].suppressed, lang) for g in GROUPS]
             + [_gender_cell(f[g].value, share, f[g].suppressed, lang) for g in GROUPS]} for r, f in split]
    return {"header": header, "rows": rows}


def top_ideas(session: WorkshopSession, models: dict[str, ProcessModel], lang: str, limit: int = TOP_IDEAS) -> list[dict]:
    """Ideas with at least one vote, most votes first (ties by note id)."""
    ideas = [n for n in session.notes if n.kind == "idea" and session.votes_for(n.id) > 0]
    ideas.sort(key=lambda n: (-session.votes_for(n.id), n.id))
    out = []
    for n in ideas[:limit]:
        model = models.get(n.model)
        step = next((s for s in model.steps if s.id == n.step), None) if model else None
        out.append({"votes": session.votes_for(n.id), "text": n.text, "model": model.name.get(lang) if model else n.model,
                    "step": step.label.get(lang) if step else n.step})
    return out


def _requirements_summary(reqs: RequirementSet, model: ProcessModel, lang: str) -> dict:
    t = texts(lang)
    counts = Counter((r.area, r.kind) for r in reqs.requirements)
    rows = [{"area": t["areas"][a], "by_kind": [counts[(a, k)] for k in KINDS],
             "total": sum(counts[(a, k)] for k in KINDS)} for a in AREAS]
    rows.append({"area": t["report"]["total"], "by_kind": [sum(counts[(a, k)] for a in AREAS) for k in KINDS],
                 "total": len(reqs.requirements)})
    workshop = [r for r in reqs.requirements if r.sources.annotations or r.sources.scenario]
    return {
        "heading": t["report"]["req_count"].format(n=len(reqs.requirements), model=model.name.get(lang)),
        "kinds": [t["kinds"][k] for k in KINDS],
        "counts": rows,
        "from_workshop": [{"id": r.id, "kind": r.kind, "statement": r.statement.get(lang)} for r in workshop],
        "all": [{"id": r.id, "kind": r.kind, "title": r.title.get(lang)} for r in reqs.requirements],
    }


def _scenario_models(session: WorkshopSession) -> dict[str, ProcessModel]:
    """Library models behind the session's results (a saved scenario's model, or a library model run as is)."""
    saved = {s.name: s.model for s in session.scenarios}
    ids = {saved.get(r.scenario, r.scenario) for r in session.results}
    return {i: load_model(i) for i in sorted(ids & set(library_names()))}


def render_html(session: WorkshopSession, *, source: str, lang: str = "sv",
                vote_threshold: int = DEFAULT_VOTE_THRESHOLD) -> str:
    """The report as one self-contained HTML page (inline SVG, inline CSS, no scripts)."""
    t = texts(lang)
    models = {name: load_model(name) for name in session.models}
    for n in session.notes:  # notes may name a model the session's list forgot
        if n.model not in models:
            models[n.model] = load_model(n.model)
    maps = [{"svg": _svg(m, lang, _vote_badges(session, m.id, lang)), "caption": (m.description or m.name).get(lang)}
            for m in models.values()]
    requirements, n_reqs = [], 0
    for m in models.values():
        if m.variant == "future":
            reqs = generate(m, notes=session_annotations(session, m.id), vote_threshold=vote_threshold,
                            session_title=session.title, session_file=source)
            requirements.append(_requirements_summary(reqs, m, lang))
            n_reqs += len(reqs.requirements)
    words = t["report"]["facts"]
    counts = {"participants": len(session.participants), "notes": len(session.notes), "votes": len(session.votes),
              "scenarios": len(session.results), "requirements": n_reqs}
    facts = [{"value": v, "label": words[k]} for k, v in counts.items()]
    env = Environment(loader=FileSystemLoader(str(DATA_DIR)), autoescape=select_autoescape(["html"]))
    return env.get_template("report.html").render(
        lang=lang, t=t["report"], title=t["report"]["title"].format(title=session.title),
        generated=t["report"]["generated"].format(file=Path(source).name), facts=facts, maps=maps,
        comparison=_comparison(session.results, lang, {**_scenario_models(session), **models}),
        gender=_gender(session.results, lang),
        costs=_costs(session.results, lang, {**_scenario_models(session), **models}),
        ideas=top_ideas(session, models, lang),
        requirements=requirements)


def print_pdf(html: str, path: str | Path, *, executable: str = CHROMIUM) -> Path:
    """Print HTML to an A4 PDF with headless Chromium (Debian's, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            page.pdf(path=str(p), format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()
    return p


def write_report(session_path: str | Path, output: str | Path, *, lang: str = "sv",
                 vote_threshold: int = DEFAULT_VOTE_THRESHOLD,
                 printer: Callable[[str, Path], Path] = print_pdf) -> Path:
    """Write report.html, or report.pdf through `printer` (a seam: Chromium by default)."""
    session = load_session(session_path)
    html = render_html(session, source=str(session_path), lang=lang, vote_threshold=vote_threshold)
    out = Path(output)
    if out.suffix.lower() == ".pdf":
        return printer(html, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
