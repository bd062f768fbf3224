"""The benefits realisation plan (nyttorealiseringsplan) of a change, as the brief's appendix 4 asks.

Each benefit with its owner, indicator, baseline, target, how and when it is measured and the
simulated expectation with its 95 % interval; a nyttokalkyl over 1–5 years (one-off costs,
the yearly saving, the staff time freed in SEK, cumulative net); effect chains from each change
in the model to a benefit and the office's goal. Built from a session's stored results (a
scenario and its baseline) or from a comparison run here; written as XLSX, DOCX or Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from process_models import diff_models, library_names, load_model
from process_models.disclosure import GROUPS, SUPPRESSED, SUPPRESSED_NOTE, split_figures, split_key
from process_models.errors import UserError
from process_models.numbers import FILE_STYLE, number, percent
from process_models.schema import Label, ProcessModel
from process_models.session import Estimate, ScenarioResult, load_session

__all__ = ["Benefit", "YearRow", "Chain", "BenefitPlan", "DEFAULT_TARGETS", "PLAN_KPIS", "build_plan",
           "plan_from_session", "plan_from_comparison", "write_plan", "BENEFIT_FORMATS"]

BENEFIT_FORMATS = ("xlsx", "docx", "md")
#: The brief's targets for 2018: 60 % learned something new, 40 % can handle the errand next time
#: (skarholmen-prestudy-application.txt, Tidsbestämt).
DEFAULT_TARGETS = {"learned": 0.60, "handle_next_time": 0.40}
#: The KPIs a plan reads from a scenario's results (the app should store these in the session).
PLAN_KPIS = ("self_served_share", "mean_wait", "p90_wait", "staff_minutes_freed", "peak_utilisation.public_computers",
             "one_off_cost", "cost_saving.year", "staff_value_freed.year", "net_benefit.year",
             *(split_key(k, g) for k in ("arrived", "self_served_share") for g in GROUPS))
GOAL = Label(sv="Medborgarkontorets besökare, kvinnor och män, kan själva ta hand om sina ärenden (egenmakt)",
             en="The office's visitors, women and men, can handle their errands themselves (empowerment)")
OWNER = Label(sv="Enhetschef, medborgarkontoret", en="Head of the citizen office")
NOT_MEASURED = Label(sv="Inte mätt ännu", en="Not measured yet")
NOT_SPLIT = Label(sv="delas inte upp", en="not split")
NOT_SIMULATED = Label(sv="Simuleras inte: följs upp med enkäten", en="Not simulated: followed up by the survey")
NO_SHARES = Label(sv="– (modellen anger ingen andel kvinnor)", en="– (the model gives no share of women)")
WAIT_HOW = Label(sv="Kioskens händelselogg: tiden från ankomst till besökets slut då inget steg pågår (kö, väntan på att "
                    "ett steg börjar), som simuleringen räknar väntan; väntan vid en dator på en vägledare syns inte i loggen",
                 en="The kiosk's event log: the time from arrival to the end of the visit when no step is under way (queues, "
                    "waiting for a step to start), as the simulation counts a wait; waiting at a computer for a guide is "
                    "not in the log")
NO_LOGGED_WAITS = Label(sv="Inte mätt: kioskens logg har inget avslutat besök med ankomsttid",
                        en="Not measured: the kiosk's log holds no ended visit with its arrival time")
HIDDEN = Label(sv=f"{SUPPRESSED} ({SUPPRESSED_NOTE.sv})", en=f"{SUPPRESSED} ({SUPPRESSED_NOTE.en})")


@dataclass(frozen=True)
class Benefit:
    id: str
    name: Label
    owner: Label
    indicator: Label
    baseline: Label
    target: Label
    how: Label
    when: Label
    expected: Label
    expected_women: Label = NOT_SPLIT
    expected_men: Label = NOT_SPLIT
    measured: Label = NOT_MEASURED
    measured_women: Label = NOT_SPLIT
    measured_men: Label = NOT_SPLIT


@dataclass(frozen=True)
class YearRow:
    """One year of the nyttokalkyl, in SEK; `cumulative` with the interval of the net benefit."""

    year: int
    one_off: float
    saving: float
    staff_value: float
    net: float
    cumulative: float
    cumulative_low: float
    cumulative_high: float


@dataclass(frozen=True)
class Chain:
    change: Label
    effect: Label
    benefits: tuple[str, ...]
    goal: Label


@dataclass(frozen=True)
class BenefitPlan:
    title: Label
    scenario: str
    baseline: str
    note: Label
    benefits: tuple[Benefit, ...]
    years: tuple[YearRow, ...]
    chains: tuple[Chain, ...]


def _pct(x: float, lang: str) -> str:
    return percent(x, 1, lang, **FILE_STYLE)


def _num(x: float, lang: str, digits: int = 0) -> str:
    return number(x, digits, lang, **FILE_STYLE)


def _both(fn) -> Label:
    return Label(sv=fn("sv"), en=fn("en"))


def _ci(e: Estimate | None, fmt, unit: Label | None = None) -> Label:
    """'14,4 % (14,0–14,8)' in both languages, or a dash where the run did not give it."""
    if e is None:
        return Label(sv="– (inte simulerat)", en="– (not simulated)")
    return _both(lambda lang: f"{fmt(e.mean, lang)}{' ' + unit.get(lang) if unit else ''} "
                              f"({fmt(e.low, lang)}–{fmt(e.high, lang)})")


def _minutes(x: float, lang: str) -> str:
    return _num(x, lang, 1)


def _hours(x: float, lang: str) -> str:
    return _num(x / 60, lang, 0)


MIN = Label(sv="min", en="min")
HOURS = Label(sv="timmar per vecka", en="hours a week")


def _benefits(mine: dict[str, Estimate], base: dict[str, Estimate], targets: dict[str, float]) -> tuple[Benefit, ...]:
    survey_how = Label(sv="Kort enkät på padda till besökarna (externa enkätörer, som i dag); kvinnor och män för sig",
                       en="Short tablet survey of visitors (external surveyors, as today); women and men separately")
    quarterly = Label(sv="Löpande; sammanställs varje kvartal, första gången ett kvartal efter införandet",
                      en="Continuously; compiled every quarter, first one quarter after the change")
    learned, handle = targets["learned"], targets["handle_next_time"]
    staff = mine.get("staff_minutes_freed")
    staff_target = max(0.0, staff.low) if staff is not None else None
    comp_base = base.get("peak_utilisation.public_computers")
    return (
        Benefit("learned", Label(sv="Besökare lär sig något nytt", en="Visitors learn something new"), OWNER,
                Label(sv="Andel besökare, kvinnor och män, som lärt sig något de inte visste förut vid sitt besök",
                      en="Share of visitors, women and men, who learned something they did not know before"),
                Label(sv="Mäts före införandet med samma enkät (kioskens enkät)",
                      en="Measured before the change with the same survey (the kiosk's survey)"),
                _both(lambda lang: _pct(learned, lang)), survey_how, quarterly,
                Label(sv="Simuleras inte: följs upp med enkäten", en="Not simulated: followed up by the survey")),
        Benefit("handle_next_time",
                Label(sv="Besökare kan hantera ärendet själva nästa gång", en="Visitors can handle the errand themselves next time"),
                OWNER,
                Label(sv="Andel besökare, kvinnor och män, som bedömer att de kan hantera sitt ärende själva nästa gång",
                      en="Share of visitors, women and men, who judge they can handle their errand themselves next time"),
                _both(lambda lang: (f"{_ci(base.get('self_served_share'), _pct).get(lang)}: "
                                    + ("andel som klarade ärendet själva i dagens modell" if lang == "sv"
                                       else "share who finished on their own in today's model"))),
                _both(lambda lang: _pct(handle, lang)), survey_how, quarterly,
                _both(lambda lang: (f"{_ci(mine.get('self_served_share'), _pct).get(lang)}: "
                                    + ("klarar ärendet själva i simuleringen" if lang == "sv"
                                       else "finish on their own in the simulation")))),
        Benefit("waits", Label(sv="Kortare väntan", en="Shorter waits"),
                Label(sv="Enhetschef och samhällsvägledarna", en="Head of the office and the guides"),
                Label(sv="Väntetid, 90:e percentilen (och medelväntetid)", en="Wait, 90th percentile (and mean wait)"),
                _ci(base.get("p90_wait"), _minutes, MIN),
                Label(sv="Högst 20 min för 9 av 10 besökare, och inte längre medelväntan än i dag",
                      en="At most 20 min for 9 visitors in 10, and no longer mean wait than today"),
                WAIT_HOW, Label(sv="Varje månad", en="Every month"),
                _waits(mine)),
        Benefit("staff_time", Label(sv="Personaltid flyttas från enkla frågor till vägledning",
                                    en="Staff time moves from simple questions to guidance"),
                OWNER,
                Label(sv="Personaltimmar per vecka som frigörs från enkla frågor (mot nuläget)",
                      en="Staff hours a week freed from simple questions (against today)"),
                Label(sv="0 (nuläget)", en="0 (today)"),
                _both(lambda lang: "–" if staff_target is None else
                      (f"Minst {_hours(staff_target, lang)} timmar per vecka (simuleringens nedre gräns; ägaren sätter målet)"
                       if lang == "sv" else
                       f"At least {_hours(staff_target, lang)} hours a week (the simulation's lower end; the owner sets it)")),
                Label(sv="Tidsredovisning per ärendeslag två veckor per halvår, mot kioskens logg",
                      en="Time recording by errand type two weeks every half year, against the kiosk's log"),
                Label(sv="Varje halvår", en="Every half year"),
                _ci(staff, _hours, HOURS)),
        Benefit("equipment_use", Label(sv="Datorerna räcker till", en="Enough computers"),
                Label(sv="IT-samordnare, medborgarkontoret", en="IT coordinator, the citizen office"),
                Label(sv="Beläggning av de publika datorerna den mest belastade timmen",
                      en="Public computers busy in the busiest hour"),
                _ci(comp_base, _pct),
                Label(sv="Högst 85 %, så att en besökare sällan väntar på en dator",
                      en="At most 85 %, so that a visitor seldom waits for a computer"),
                Label(sv="Datorernas inloggningslogg", en="The computers' log-in log"),
                Label(sv="Varje månad", en="Every month"),
                _ci(mine.get("peak_utilisation.public_computers"), _pct)),
    )


def _waits(kpis: dict[str, Estimate]) -> Label:
    """'90:e percentilen 14,0 min (…); medelväntan 5,1 min (…)': the simulated waits the log is set against."""
    p90, mean = _ci(kpis.get("p90_wait"), _minutes, MIN), _ci(kpis.get("mean_wait"), _minutes, MIN)
    return Label(sv=f"90:e percentilen {p90.sv}; medelväntan {mean.sv}", en=f"90th percentile {p90.en}; mean wait {mean.en}")


def _measured_waits(w) -> Label:
    """The log's waits as one cell: both figures, the mean alone below P90_MIN_VISITS, a dash below 5, or why none."""
    from prototypes.waits import P90_MIN_VISITS

    if w.visits == 0:
        return NO_LOGGED_WAITS
    if w.mean is None:
        return Label(sv=f"kioskens logg: {HIDDEN.sv}", en=f"the kiosk's log: {HIDDEN.en}")

    def text(lang: str) -> str:
        sv = lang == "sv"
        span = f", {w.first_day} – {w.last_day}" if w.first_day else ""
        over = (f" över {w.visits} avslutade besök{span} (kioskens logg)" if sv
                else f" over {w.visits} ended visits{span} (the kiosk's log)")
        mean = f"{'medelväntan' if sv else 'mean wait'} {_minutes(w.mean, lang)} min"
        if w.p90 is None:
            return (f"M{mean[1:]}{over}; 90:e percentilen visas från {P90_MIN_VISITS} besök" if sv
                    else f"M{mean[1:]}{over}; the 90th percentile is shown from {P90_MIN_VISITS} visits")
        return f"{'90:e percentilen' if sv else '90th percentile'} {_minutes(w.p90, lang)} min; {mean}{over}"

    return _both(text)


def _expected_by_gender(mine: dict[str, Estimate]) -> dict[str, Label]:
    """The share who finish on their own, for women and men; suppressed below 5 visitors a week."""
    figures = split_figures(mine)
    if figures is None:
        return {g: NO_SHARES for g in GROUPS}
    return {g: HIDDEN if f.suppressed else _ci(f.value, _pct) for g, f in figures.items()}


def _answers(ind, lang: str) -> str:
    """'62,5 % av 16 svar', or the suppressed dash with its note."""
    if ind.share is None:
        return HIDDEN.get(lang)
    return f"{_pct(ind.share, lang)} {'av' if lang == 'sv' else 'of'} {ind.answers} {'svar' if lang == 'sv' else 'answers'}"


def _survey_cells(follow_up, name: str, extra=None) -> dict[str, Label]:
    """A survey indicator for everyone, women and men, as the three 'measured so far' cells."""
    out = {}
    for group in ("all", *GROUPS):
        ind = follow_up.indicator(name, group)
        out[group] = _both(lambda lang, ind=ind, group=group: _answers(ind, lang)
                           + (extra(lang) if extra and group == "all" else ""))
    return out


def _measured(follow_up) -> dict[str, dict[str, Label]]:
    """Benefit id -> {"all", "women", "men"}: what the kiosk measured so far (none: not yet)."""
    if follow_up is None:
        split = {"all": NOT_MEASURED, "women": NOT_MEASURED, "men": NOT_MEASURED}
        whole = {"all": NOT_MEASURED, "women": NOT_SPLIT, "men": NOT_SPLIT}
        return {"learned": split, "handle_next_time": split, "waits": whole, "staff_time": whole, "equipment_use": whole}
    log = follow_up.logged
    share = log.self_served_share

    def logged(lang: str) -> str:
        if share is None:
            return (f"; kioskens logg: {HIDDEN.sv}" if lang == "sv" else f"; the kiosk's log: {HIDDEN.en}")
        return (f"; kioskens logg: {_pct(share, lang)} av {log.ended} avslutade besök klarade sig själva" if lang == "sv"
                else f"; the kiosk's log: {_pct(share, lang)} of {log.ended} ended visits managed on their own")

    by_kiosk = Label(sv="Mäts inte av kiosken", en="Not measured by the kiosk")
    return {"learned": _survey_cells(follow_up, "learned"),
            "handle_next_time": _survey_cells(follow_up, "can_alone", logged),
            "waits": {"all": _measured_waits(follow_up.waits), "women": NOT_SPLIT, "men": NOT_SPLIT},
            "staff_time": {"all": by_kiosk, "women": NOT_SPLIT, "men": NOT_SPLIT},
            "equipment_use": {"all": by_kiosk, "women": NOT_SPLIT, "men": NOT_SPLIT}}


def _follow_up(benefits: tuple[Benefit, ...], mine: dict[str, Estimate], follow_up) -> tuple[Benefit, ...]:
    """The benefits with their women's and men's expectation and what is measured so far."""
    expected = _expected_by_gender(mine)
    measured = _measured(follow_up)
    out = []
    for b in benefits:
        m = measured[b.id]
        split = {}
        if b.id == "handle_next_time":
            split = {"expected_women": expected["women"], "expected_men": expected["men"]}
        elif b.id == "learned":
            split = {"expected_women": NOT_SIMULATED, "expected_men": NOT_SIMULATED}
        out.append(replace(b, **split, measured=m["all"], measured_women=m["women"], measured_men=m["men"]))
    return tuple(out)


def _years(mine: dict[str, Estimate], base: dict[str, Estimate], horizon: int) -> tuple[YearRow, ...]:
    net = mine.get("net_benefit.year")
    if net is None:
        return ()
    one_off = mine["one_off_cost"].mean - (base["one_off_cost"].mean if "one_off_cost" in base else 0.0) \
        if "one_off_cost" in mine else 0.0
    saving = mine.get("cost_saving.year")
    staff = mine.get("staff_value_freed.year")
    rows = []
    for y in range(1, horizon + 1):
        rows.append(YearRow(y, one_off if y == 1 else 0.0, saving.mean if saving else 0.0, staff.mean if staff else 0.0,
                            net.mean, y * net.mean - one_off, y * net.low - one_off, y * net.high - one_off))
    return tuple(rows)


def _chains(old: ProcessModel | None, new: ProcessModel | None) -> tuple[Chain, ...]:
    if old is None or new is None:
        return ()
    d = diff_models(old, new)
    out = []
    if old.policy.queue == "ticket" and new.policy.queue == "floorwalk":
        out.append(Chain(Label(sv="Kölappen tas bort; vägledarna går på golvet", en="No queue tickets; guides on the floor"),
                         Label(sv="Besökaren behåller ägandet av sitt ärende och arbetar med det medan hen väntar",
                               en="The visitor keeps ownership of the errand and works on it while waiting"),
                         ("handle_next_time", "learned", "waits"), GOAL))
    for pid in d.pools_added:
        p = new.pool(pid)
        if p.kind == "equipment":
            out.append(Chain(_both(lambda lang, p=p: (f"Ny utrustning: {p.label.get(lang)} ({p.capacity} st)" if lang == "sv"
                                                 else f"New equipment: {p.label.get(lang)} ({p.capacity})")),
                             Label(sv="Besökaren anger sitt ärende, får instruktioner direkt och börjar själv",
                                   en="The visitor states the errand, gets instructions at once and starts alone"),
                             ("handle_next_time", "waits", "staff_time"), GOAL))
    for pid in d.pools_removed:
        p = old.pool(pid)
        out.append(Chain(_both(lambda lang, p=p: (f"{p.label.get(lang)} tas bort" if lang == "sv"
                                             else f"{p.label.get(lang)} removed")),
                         Label(sv="Enkla frågor besvaras av kiosken; personalens tid går till vägledning",
                               en="The kiosk answers simple questions; staff time goes to guidance"),
                         ("staff_time",), GOAL))
    for pid, ch in d.pools_changed.items():
        if "capacity" not in ch:
            continue
        a, b = ch["capacity"]
        p = new.pool(pid)
        more = b > a
        out.append(Chain(_both(lambda lang, p=p, a=a, b=b: f"{p.label.get(lang)}: {a} → {b}"),
                         Label(sv="Kortare väntan på " + p.label.sv.lower(), en="Shorter waits for " + p.label.en.lower())
                         if more else Label(sv="Färre att dela på", en="Fewer to share"),
                         ("equipment_use", "waits") if p.kind == "equipment" else ("waits", "staff_time"), GOAL))
    return tuple(out)


def build_plan(mine: ScenarioResult, base: ScenarioResult, *, new: ProcessModel | None = None,
               old: ProcessModel | None = None, targets: dict[str, float] | None = None, years: int = 5,
               follow_up=None) -> BenefitPlan:
    """The plan of scenario `mine` against `base`, from their stored KPI estimates.

    Args:
        follow_up: what the kiosk measured so far (`measured.read_follow_up`); None: not measured yet.
    """
    if not 1 <= years <= 5:
        raise UserError(f"--years: expected 1 to 5, got {years}")
    t = {**DEFAULT_TARGETS, **(targets or {})}
    note = Label(sv=f"Simulerat: {mine.replications} replikeringar, frö {mine.seed}, mot {base.scenario} på samma besökare. "
                    "Väntevärden med 95 % konfidensintervall; kronor i 2024 års priser, kostnadsuppgifterna är antaganden.",
                 en=f"Simulated: {mine.replications} replications, seed {mine.seed}, against {base.scenario} on the same "
                    "visitors. Expectations with 95 % confidence intervals; SEK in 2024 prices, the cost figures are assumptions.")
    return BenefitPlan(Label(sv=f"Nyttorealiseringsplan: {mine.scenario}", en=f"Benefits realisation plan: {mine.scenario}"),
                       mine.scenario, base.scenario, _joined(note, _follow_up_note(follow_up)),
                       _follow_up(_benefits(mine.kpis, base.kpis, t), mine.kpis, follow_up),
                       _years(mine.kpis, base.kpis, years), _chains(old, new))


def _joined(a: Label, b: Label) -> Label:
    return Label(sv=a.sv + b.sv, en=a.en + b.en)


def _follow_up_note(follow_up) -> Label:
    """Where "measured so far" comes from, and the rule that hides small figures."""
    rule = Label(sv=f" Siffror över {SUPPRESSED_NOTE.sv} visas som {SUPPRESSED}.",
                 en=f" Figures over {SUPPRESSED_NOTE.en} are shown as {SUPPRESSED}.")
    if follow_up is None:
        return _both(lambda lang: rule.get(lang) + (" Ingen kioskdatabas angavs: inget är mätt ännu." if lang == "sv"
                                                    else " No kiosk database was given: nothing is measured yet."))
    return _both(lambda lang: rule.get(lang) + (f" Mätt hittills: kioskens enkät och logg i {follow_up.source}." if lang == "sv"
                                                else f" Measured so far: the kiosk's survey and log in {follow_up.source}."))


def _model_of(name: str, saved: dict[str, str]) -> ProcessModel | None:
    ref = saved.get(name, name)
    return load_model(ref) if ref in library_names() or Path(ref).suffix in (".yaml", ".yml") else None


def plan_from_session(path: str | Path, scenario: str | None = None, **kw) -> BenefitPlan:
    """The plan of a session's scenario (default: the first result with a baseline)."""
    s = load_session(path)
    with_base = [r for r in s.results if r.baseline]
    if scenario is not None:
        with_base = [r for r in with_base if r.scenario == scenario]
    if not with_base:
        names = ", ".join(r.scenario for r in s.results if r.baseline) or "none"
        raise UserError(f"{path}: no result {'named ' + repr(scenario) + ' ' if scenario else ''}compared with a baseline; "
                        f"expected one of: {names}")
    mine = with_base[0]
    base = next((r for r in s.results if r.scenario == mine.baseline), None)
    if base is None:
        raise UserError(f"{path}: result {mine.scenario!r} names baseline {mine.baseline!r}, which has no result")
    saved = {x.name: x.model for x in s.scenarios}
    return build_plan(mine, base, new=_model_of(mine.scenario, saved), old=_model_of(base.scenario, saved), **kw)


def plan_from_comparison(target: str, baseline: str = "skarholmen-current", *, replications: int = 10, seed: int = 0,
                         **kw) -> BenefitPlan:
    """Run `target` against `baseline` with common random numbers (needs the simulation package) and plan it."""
    from simulation import compare, load_scenario  # only here: the exports do not otherwise need the engine

    a, b = load_scenario(baseline), load_scenario(target)
    c = compare([a, b], replications=replications, seed=seed)
    est = c.kpis()
    results = [ScenarioResult(scenario=n, replications=replications, seed=seed, kpis=e, baseline=None if i == 0 else c.names[0])
               for i, (n, e) in enumerate(zip(c.names, est))]
    return build_plan(results[1], results[0], new=b.build_model(), old=a.build_model(), **kw)


# --- writers ---------------------------------------------------------------------------

HEAD = {
    "benefits": Label(sv="Nyttor", en="Benefits"),
    "calc": Label(sv="Nyttokalkyl", en="Benefit calculation"),
    "chains": Label(sv="Effektkedjor", en="Effect chains"),
}
BENEFIT_COLUMNS = (("name", Label(sv="Nytta", en="Benefit")), ("owner", Label(sv="Ägare", en="Owner")),
                   ("indicator", Label(sv="Indikator", en="Indicator")), ("baseline", Label(sv="Nuläge", en="Baseline")),
                   ("target", Label(sv="Mål", en="Target")), ("how", Label(sv="Hur det mäts", en="How measured")),
                   ("when", Label(sv="När det mäts", en="When measured")),
                   ("expected", Label(sv="Förväntat (simulerat)", en="Expected (simulated)")),
                   ("expected_women", Label(sv="Förväntat, kvinnor", en="Expected, women")),
                   ("expected_men", Label(sv="Förväntat, män", en="Expected, men")),
                   ("measured", Label(sv="Mätt hittills", en="Measured so far")),
                   ("measured_women", Label(sv="Mätt hittills, kvinnor", en="Measured so far, women")),
                   ("measured_men", Label(sv="Mätt hittills, män", en="Measured so far, men")))
YEAR_COLUMNS = (Label(sv="År", en="Year"), Label(sv="Engångskostnad", en="One-off cost"),
                Label(sv="Besparing", en="Saving"), Label(sv="Frigjord tid i kronor", en="Staff time freed in SEK"),
                Label(sv="Nettonytta", en="Net benefit"), Label(sv="Ackumulerat netto", en="Cumulative net"),
                Label(sv="Ackumulerat, 95 % intervall", en="Cumulative, 95 % interval"))
CHAIN_COLUMNS = (Label(sv="Förändring", en="Change"), Label(sv="Effekt", en="Effect"), Label(sv="Nytta", en="Benefit"),
                 Label(sv="Mål", en="Goal"))


def _tables(plan: BenefitPlan, lang: str) -> list[tuple[str, list[str], list[list]]]:
    """(heading, header, rows) of the three parts; the calculation's numbers stay numbers."""
    names = {b.id: b.name.get(lang) for b in plan.benefits}
    benefits = [[getattr(b, k).get(lang) for k, _ in BENEFIT_COLUMNS] for b in plan.benefits]
    years = [[r.year, round(r.one_off), round(r.saving), round(r.staff_value), round(r.net), round(r.cumulative),
              f"{_num(r.cumulative_low, lang)} – {_num(r.cumulative_high, lang)}"] for r in plan.years]
    chains = [[c.change.get(lang), c.effect.get(lang), "; ".join(names[b] for b in c.benefits), c.goal.get(lang)]
              for c in plan.chains]
    return [(HEAD["benefits"].get(lang), [h.get(lang) for _, h in BENEFIT_COLUMNS], benefits),
            (HEAD["calc"].get(lang), [h.get(lang) for h in YEAR_COLUMNS], years),
            (HEAD["chains"].get(lang), [h.get(lang) for h in CHAIN_COLUMNS], chains)]


def _md(plan: BenefitPlan, lang: str) -> str:
    def cell(x) -> str:
        return (_num(x, lang) if isinstance(x, (int, float)) and not isinstance(x, bool) else str(x)).replace("|", "\\|")

    out = [f"# {plan.title.get(lang)}", "", plan.note.get(lang), ""]
    for heading, header, rows in _tables(plan, lang):
        out += [f"## {heading}", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        out += ["| " + " | ".join(cell(x) for x in row) + " |" for row in rows]
        out.append("")
    return "\n".join(out)


def _xlsx(plan: BenefitPlan, lang: str, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for heading, header, rows in _tables(plan, lang):
        ws = wb.create_sheet(heading[:31])
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for col, _ in enumerate(header, start=1):
            ws.column_dimensions[ws.cell(1, col).column_letter].width = 14 if heading == HEAD["calc"].get(lang) else 36
        for line in ws.iter_rows(min_row=2):
            for c in line:
                c.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(c.value, (int, float)) and c.column > 1:
                    c.number_format = "# ##0"
        ws.freeze_panes = "A2"
    info = wb.create_sheet("Om planen" if lang == "sv" else "About", 0)
    info.append([plan.title.get(lang)])
    info["A1"].font = Font(bold=True, size=14)
    info.append([plan.note.get(lang)])
    info.column_dimensions["A"].width = 120
    wb.save(path)


def _docx(plan: BenefitPlan, lang: str, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.core_properties.title = plan.title.get(lang)
    doc.core_properties.language = "sv-SE" if lang == "sv" else "en-GB"
    doc.add_heading(plan.title.get(lang), level=1)
    doc.add_paragraph(plan.note.get(lang))
    for heading, header, rows in _tables(plan, lang):
        doc.add_heading(heading, level=2)
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, x in zip(cells, row):
                cell.text = _num(x, lang) if isinstance(x, (int, float)) else str(x)
        for r in table.rows:
            for c in r.cells:
                for p in c.paragraphs:
                    for run in p.runs:
                        run.font.size = Pt(8)
    doc.save(path)


def write_plan(plan: BenefitPlan, output: str | Path, lang: str = "sv") -> Path:
    """Write the plan as .xlsx, .docx or .md (by the suffix)."""
    out = Path(output)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in BENEFIT_FORMATS:
        raise UserError(f"-o {out}: unknown format {fmt!r}; expected .xlsx, .docx or .md")
    if not out.parent.exists():
        raise UserError(f"-o {out}: folder {out.parent} does not exist")
    if fmt == "md":
        out.write_text(_md(plan, lang), encoding="utf-8")
    elif fmt == "xlsx":
        _xlsx(plan, lang, out)
    else:
        _docx(plan, lang, out)
    return out
