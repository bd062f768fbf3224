"""Calibrate a scenario from an event log: arrival profile, errand and language mix, durations.

The log is the kiosk's CSV (docs/event-log.md): visit_id, event, step_id, timestamp,
errand, language. The result is a Scenario over a base model whose overrides carry the
estimates; every estimated duration says where it came from.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np

from process_models.checks import expects_visitors
from process_models.errors import UserError
from process_models.schema import WEEKDAYS, ProcessModel

from .arrivals import clock_minutes
from .records import VisitStatus
from .scenario import Scenario, load_scenario

__all__ = ["LogEvent", "read_event_log", "calibrate", "write_event_log", "REQUIRED_COLUMNS", "EXAMPLES_SHOWN"]

REQUIRED_COLUMNS = ("visit_id", "event", "step_id", "timestamp")


@dataclass(frozen=True)
class LogEvent:
    line: int
    visit: str
    event: str
    step: str
    time: datetime
    errand: str
    language: str


def read_event_log(path: str | Path) -> list[LogEvent]:
    """Read and check the CSV; a bad row is a UserError naming file, line and column."""
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise UserError(f"{p}: no such event log") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise UserError(f"{p}: cannot read ({exc.__class__.__name__})") from None
    events = []
    with fh:
        try:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise UserError(f"{p}:1: header lacks column(s) {', '.join(missing)}; expected at least "
                                f"{', '.join(REQUIRED_COLUMNS)} (see docs/event-log.md)")
            for row in reader:
                line = reader.line_num
                raw = (row.get("timestamp") or "").strip()
                try:
                    t = datetime.fromisoformat(raw)
                except ValueError:
                    raise UserError(f"{p}:{line}: timestamp {raw!r} is not ISO 8601; expected e.g. "
                                    "2026-11-23T10:31:05") from None
                if t.tzinfo is not None:  # mixing offsets with local times cannot be ordered
                    raise UserError(f"{p}:{line}: timestamp {raw!r} has a UTC offset; expected local time "
                                    "without one, e.g. 2026-11-23T10:31:05")
                visit = (row.get("visit_id") or "").strip()
                if not visit:
                    raise UserError(f"{p}:{line}: visit_id is empty; expected an opaque visit id")
                events.append(LogEvent(line, visit, (row.get("event") or "").strip(),
                                       (row.get("step_id") or "").strip(), t,
                                       (row.get("errand") or "").strip(), (row.get("language") or "").strip()))
        except UnicodeDecodeError:
            raise UserError(f"{p}: not UTF-8 text; expected a UTF-8 CSV") from None
        except csv.Error as exc:
            raise UserError(f"{p}: broken CSV ({exc})") from None
    if not any(e.event == "arrived" for e in events):
        raise UserError(f"{p}: no `arrived` events; expected one per visit")
    return events


def _normalise(weights: dict, ndigits: int = 6) -> dict:
    total = sum(weights.values())
    out = {k: round(v / total, ndigits) for k, v in weights.items()}
    biggest = max(out, key=out.get)
    out[biggest] = round(out[biggest] + 1 - sum(out.values()), ndigits)
    return out


def _hourly_weights(by_hour: Counter, by_date: Counter, open_days: dict) -> dict[int, float]:
    """Hourly weights (mean 1) whose intensity reproduces the observed arrivals per clock hour.

    Not every hour is open every day (a late Wednesday, an early Friday), so raw counts per
    hour understate those hours. Iterative proportional fitting: each observed day spreads
    its arrivals over its open hours by the weights; scale each weight until the expected
    count per hour matches the observed one.
    """
    days = []  # (arrivals that day, {hour: open minutes})
    for date, n in by_date.items():
        o, c = open_days[WEEKDAYS[date.weekday()]]
        days.append((n, {h: min(c, 60 * h + 60) - max(o, 60 * h) for h in range(o // 60, (c + 59) // 60)}))
    hours = sorted({h for _, mins in days for h in mins})
    w = {h: float(by_hour.get(h, 0)) + 1e-9 for h in hours}
    for _ in range(200):
        expected = dict.fromkeys(hours, 0.0)
        for n, mins in days:
            mass = sum(w[h] * m for h, m in mins.items())
            for h, m in mins.items():
                expected[h] += n * w[h] * m / mass
        w = {h: w[h] * by_hour.get(h, 0) / expected[h] if expected[h] > 0 else 0.0 for h in hours}
    mean = np.mean([x for x in w.values() if x > 0])
    return {h: x / mean for h, x in w.items()}


def _hours_fit(model: ProcessModel, hours: dict, seen: list, weekdays: dict[str, float],
               hourly: dict[int, float]) -> bool:
    """Whether arrival hours agree with a log: every visit seen inside them, and visitors expected in them."""
    def inside(t) -> bool:
        h = hours.get(WEEKDAYS[t.weekday()])
        return h is not None and h.open <= f"{t.hour:02d}:{t.minute:02d}" < h.close
    expected = any(expects_visitors(model.opening_hours, weekdays, hourly, day, h.open, h.close)
                   for day, h in hours.items())
    return expected and all(inside(t) for t in seen)


#: visits named in a message about visits outside the opening hours
EXAMPLES_SHOWN = 3


def _inside(e: LogEvent, open_days: dict[str, tuple[int, int]]) -> bool:
    """Whether a visit arrived on an open day between opening and closing."""
    hours = open_days.get(WEEKDAYS[e.time.weekday()])
    return hours is not None and hours[0] <= e.time.hour * 60 + e.time.minute < hours[1]


def _examples(events: list[LogEvent]) -> str:
    """'v1 on line 2 (mon 19:05), ...' for the first few visits of a list."""
    shown = [f"{e.visit} on line {e.line} ({WEEKDAYS[e.time.weekday()]} {e.time:%H:%M})" for e in events[:EXAMPLES_SHOWN]]
    more = f" and {len(events) - EXAMPLES_SHOWN} more" if len(events) > EXAMPLES_SHOWN else ""
    return ", ".join(shown) + more


def _hours_text(open_days: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{d} {o // 60:02d}:{o % 60:02d}-{c // 60:02d}:{c % 60:02d}" for d, (o, c) in open_days.items())


def _ignore(message: str) -> None:
    """The default for `calibrate(warn=...)`: the warning is in the scenario's description too."""


def calibrate(log: str | Path, base: str = "skarholmen-kiosk", name: str | None = None,
              warn: Callable[[str], None] = _ignore) -> Scenario:
    """A scenario over `base` with arrivals, mix and step durations estimated from the log.

    Visits that arrive outside the model's opening hours are left out of the arrival
    profile; `warn` is told which (the CLI prints it), and the description says how many.
    """
    events = read_event_log(log)
    scenario = load_scenario(base)
    model = scenario.build_model()
    src = Path(log).name
    first: dict[str, LogEvent] = {}
    errand_of: dict[str, str] = {}
    lang_of: dict[str, str] = {}
    for e in sorted(events, key=lambda e: e.time):
        if e.event == "arrived" and e.visit not in first:
            first[e.visit] = e
        if e.errand:
            errand_of.setdefault(e.visit, e.errand)
        if e.language:
            lang_of.setdefault(e.visit, e.language)
    arrivals = list(first.values())
    weeks = len({e.time.isocalendar()[:2] for e in arrivals})
    overrides: dict = {}
    # arrival profile: weekly volume, weekday shares, hourly weights (only where the model is open)
    open_days = {d: (clock_minutes(h.open), clock_minutes(h.close)) for d, h in model.opening_hours.items()}
    kept = [e for e in arrivals if _inside(e, open_days)]
    outside = sorted((e for e in arrivals if not _inside(e, open_days)), key=lambda e: e.line)
    if not kept:
        raise UserError(f"{log}: no visit arrives while model {model.id!r} is open ({_hours_text(open_days)}); "
                        f"{_examples(outside)}; expected a log recorded in opening hours, or --model with the "
                        "hours the log was recorded in")
    if outside:
        note = (f"{len(outside)} of {len(arrivals)} visits arrive outside the opening hours of {model.id!r} "
                f"({_examples(outside)}); they are left out of the arrival profile (weekly visitors, weekday "
                "and hourly shares), their errands, languages and step durations still count")
        warn(f"{log}: {note}")
    by_day = Counter(WEEKDAYS[e.time.weekday()] for e in kept)
    by_hour = Counter(e.time.hour for e in kept)
    overrides["demand.weekly_visitors"] = max(1, round(len(kept) / weeks))
    rng = model.demand.weekly_range
    if rng and not rng[0] <= overrides["demand.weekly_visitors"] <= rng[1]:
        overrides["demand.weekly_range"] = None
    overrides["demand.weekday_profile"] = _normalise({d: float(by_day.get(d, 0)) for d in open_days})
    weights = _hourly_weights(by_hour, Counter(e.time.date() for e in kept), open_days)
    overrides["demand.hourly_profile"] = {h: round(w, 4) for h, w in sorted(weights.items()) if w > 0}
    # errand mix
    errands = Counter(errand_of.get(v) for v in first if errand_of.get(v) in {x.id for x in model.errands})
    if errands:
        shares = _normalise({x.id: float(errands.get(x.id, 0)) for x in model.errands})
        for k, v in shares.items():
            overrides[f"errands.{k}.share"] = v
    # an errand's arrival hours stay only if the log agrees: its visits fall inside them, and visitors come then
    for x in model.errands:
        if x.arrival_hours and not _hours_fit(model, x.arrival_hours,
                                              [first[v].time for v in first if errand_of.get(v) == x.id],
                                              overrides["demand.weekday_profile"], overrides["demand.hourly_profile"]):
            overrides[f"errands.{x.id}.arrival_hours"] = None
    # segment mix by language: visitors of a language split over its segments by the model's shares
    langs = Counter(lang_of.get(v) for v in first if lang_of.get(v))
    segs_by_lang = defaultdict(list)
    for g in model.segments:
        segs_by_lang[g.language].append(g)
    known = {l: n for l, n in langs.items() if l in segs_by_lang}
    if known:
        weights = {}
        for lang, segs in segs_by_lang.items():
            within = sum(g.share for g in segs)
            for g in segs:
                weights[g.id] = known.get(lang, 0) * (g.share / within if within > 0 else 1 / len(segs))
        if sum(weights.values()) > 0:
            for k, v in _normalise(weights).items():
                overrides[f"segments.{k}.share"] = v
    # step durations from step_started/step_finished pairs
    started: dict[tuple, datetime] = {}
    durations: dict[str, list[float]] = defaultdict(list)
    for e in sorted(events, key=lambda e: e.time):
        if e.event == "step_started":
            started[(e.visit, e.step)] = e.time
        elif e.event == "step_finished" and (e.visit, e.step) in started:
            durations[e.step].append((e.time - started.pop((e.visit, e.step))).total_seconds() / 60)
    timed = {s.id for s in model.steps if s.duration is not None}
    for step, values in sorted(durations.items()):
        values = [v for v in values if v > 0]
        if step not in timed or not values:
            continue
        mean = float(np.mean(values))
        sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
        source = {"assumption": f"calibrated from {src}: {len(values)} observations"}
        if len(values) >= 2 and sd > 0.01 * mean:  # else constant up to the log's one-second resolution
            overrides[f"steps.{step}.duration"] = {"kind": "lognormal", "mean": round(mean, 4), "sd": round(sd, 4), "source": source}
        else:
            overrides[f"steps.{step}.duration"] = {"kind": "fixed", "value": round(mean, 4), "source": source}
    result = Scenario(name=name or f"calibrated from {src}", model=scenario.model, overrides=overrides,
                      description=f"{len(arrivals)} visits over {weeks} week(s) in {src}"
                      + (f"; {len(outside)} outside opening hours left out of the arrival profile" if outside else ""))
    result.build_model()
    if not math.isfinite(overrides["demand.weekly_visitors"]):  # pragma: no cover
        raise UserError(f"{log}: could not estimate the weekly volume")
    return result


def write_event_log(result, path: str | Path, start: datetime = datetime(2026, 11, 23), replication: int = 0) -> int:
    """Write one replication of a run as an event log in the kiosk's format (for demos and tests).

    Week w of the run starts at `start` + 7w days (a Monday). Returns the number of rows.
    """
    from datetime import timedelta

    rec = result.records
    c = rec.compiled
    lang = {g.id: g.language for g in c.model.segments}
    rep = rec.reps[replication]
    rows = []

    def stamp(week: float, minute: float) -> str:
        return (start + timedelta(days=7 * int(week), minutes=float(minute))).isoformat(timespec="seconds")

    info = {}
    for v, _day, arr, dep, errand, segment, _outcome, _waited, week in rep["visitors"].tolist():
        vid = f"w{int(week)}v{int(v)}"
        e, g = c.errand_ids[int(errand)], c.segment_ids[int(segment)]
        info[(int(week), int(v))] = (vid, e, lang[g])
        rows.append((stamp(week, arr), vid, "arrived", "", e, lang[g]))
        rows.append((stamp(week, dep), vid, "left", "", e, lang[g]))
    for v, s, _req, started, ended, status, week in rep["visits"].tolist():
        if status != VisitStatus.DONE or c.durations[int(s)] is None:
            continue
        vid, e, language = info[(int(week), int(v))]
        rows.append((stamp(week, started), vid, "step_started", c.step_ids[int(s)], e, language))
        rows.append((stamp(week, ended), vid, "step_finished", c.step_ids[int(s)], e, language))
    rows.sort()
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["visit_id", "event", "step_id", "timestamp", "errand", "language"])
        for t, vid, event, step, e, language in rows:
            w.writerow([vid, event, step, t, e, language])
    return len(rows)
