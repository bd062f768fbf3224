"""Tiny process models built in code, and explicit arrivals, for exact event-log tests."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from process_models.io import validate_data
from simulation.arrivals import Arrivals
from simulation.compiled import compile_model
from simulation.engine import StepDraws, simulate_week

L = {"sv": "x", "en": "x"}
MON_9 = 9 * 60


def step(id, kind, lane="v", **kw):
    return {"id": id, "label": L, "lane": lane, "kind": kind, **kw}


def fixed(v):
    return {"kind": "fixed", "value": v}


def line(*step_ids) -> list[dict]:
    """Flows through the steps in the order given, one after the other."""
    return [{"from": a, "to": b} for a, b in zip(step_ids, step_ids[1:])]


def tiny(**changes) -> dict:
    """One clerk, a queue with 10 minutes' patience and a 5-minute fixed service, Monday 9-17."""
    data = {
        "id": "tiny", "name": L, "office": "Test", "variant": "current",
        "lanes": [{"id": "v", "label": L, "kind": "visitor"}],
        "pools": [{"id": "clerks", "label": L, "kind": "staff", "capacity": 1}],
        "steps": [
            step("arrive", "start"),
            step("wait", "queue", patience=fixed(10)),
            step("serve", "task", duration=fixed(5), requests=[{"pool": "clerks"}]),
            step("leave", "end"),
        ],
        "flows": line("arrive", "wait", "serve", "leave"),
        "errands": [{"id": "walk_in", "label": L, "share": 0.5}, {"id": "booked", "label": L, "share": 0.5, "booked": True}],
        "segments": [{"id": "sv", "label": L, "share": 0.5, "swedish": "high", "digital": "high", "language": "sv"},
                     {"id": "ar", "label": L, "share": 0.5, "swedish": "low", "digital": "medium", "language": "ar"}],
        "opening_hours": {"mon": {"open": "09:00", "close": "17:00"}},
        "demand": {"weekly_visitors": 50, "weekday_profile": {"mon": 1.0}, "hourly_profile": {h: 1 for h in range(9, 17)}},
    }
    data = copy.deepcopy(data)
    for key, value in changes.items():
        data[key] = value
    return data


def week(data: dict, times, errands=None, segments=None, seed: int = 0):
    """Run one week of `data` with the given arrivals; records as lists of tuples (rounded)."""
    c = compile_model(validate_data(data))
    n = len(times)
    a = Arrivals(np.array(times, float), np.array(errands or [0] * n), np.array(segments or [0] * n))
    rec = simulate_week(c, a, StepDraws(c, n, seed, 0, 0))
    step_ids = c.step_ids
    visits = [(int(v), step_ids[int(s)], r, st, e, int(status))
              for v, s, r, st, e, status in sorted(rec["visits"].tolist(), key=lambda x: (x[0], x[2], x[1]))]
    busy = sorted((c.pools[int(p)].id, int(m), step_ids[int(s)], int(v), a0, b0)
                  for p, m, s, v, a0, b0 in rec["busy"].tolist())
    visitors = [tuple(x) for x in rec["visitors"].tolist()]
    return c, visits, busy, visitors


def kiosk_then_clerk(success: dict) -> dict:
    """tiny() with one errand: a self-service kiosk (`success` as in a model), and a clerk for who fails there."""
    data = tiny()
    data["steps"] = [
        step("arrive", "start"),
        step("kiosk", "self_service", duration=fixed(2), success=success),
        step("done_alone", "end", outcome="self_served"),
        step("wait", "queue"),
        step("serve", "task", duration=fixed(5), requests=[{"pool": "clerks"}]),
        step("leave", "end"),
    ]
    data["flows"] = [{"from": "arrive", "to": "kiosk"},
                     {"from": "kiosk", "to": "done_alone", "outcome": "success"},
                     {"from": "kiosk", "to": "wait", "outcome": "failure"},
                     {"from": "wait", "to": "serve"}, {"from": "serve", "to": "leave"}]
    return data


def mmc(rate: float, mean_service: float, servers: int, close: str = "23:59") -> dict:
    """M/M/c as a process model: open all Monday with a flat profile, exponential service."""
    return {
        "id": "mmc", "name": L, "office": "Test", "variant": "current",
        "lanes": [{"id": "v", "label": L, "kind": "visitor"}],
        "pools": [{"id": "desk", "label": L, "kind": "staff", "capacity": servers}],
        "steps": [
            step("arrive", "start"),
            step("wait", "queue"),
            step("serve", "task", duration={"kind": "exponential", "mean": mean_service}, requests=[{"pool": "desk"}]),
            step("leave", "end"),
        ],
        "flows": line("arrive", "wait", "serve", "leave"),
        "errands": [{"id": "e", "label": L, "share": 1}],
        "segments": [{"id": "g", "label": L, "share": 1, "swedish": "high", "digital": "high"}],
        "opening_hours": {"mon": {"open": "00:00", "close": close}},
        "demand": {"weekly_visitors": round(rate * 1439), "weekday_profile": {"mon": 1},
                   "hourly_profile": {h: 1 for h in range(24)}},
    }


@pytest.fixture
def tmp_model(tmp_path):
    """Write model data to a YAML file and return its path."""
    import yaml

    def write(data: dict, name: str = "model.yaml"):
        p = tmp_path / name
        p.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return p

    return write
