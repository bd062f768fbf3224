"""Non-homogeneous Poisson arrivals over a week, shaped by opening hours and profiles.

The intensity is piecewise constant: within each open part of a clock hour it is
proportional to the hourly weight, each day carries its weekday share of the weekly
volume. Time is minutes since Monday 00:00. An errand with arrival hours (the duty
lawyer's Wednesday afternoon) comes only then, at the rate that keeps its weekly share;
the other errands share the rest of each piece in proportion, which keeps their weekly
shares too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from process_models.schema import WEEKDAYS, ProcessModel

__all__ = ["ArrivalProfile", "Arrivals", "arrival_profile", "sample_arrivals", "clock_minutes"]

DAY = 24 * 60


def clock_minutes(clock: str) -> int:
    """'09:30' -> 570."""
    return int(clock[:2]) * 60 + int(clock[3:])


@dataclass(frozen=True)
class ArrivalProfile:
    """Pieces [start, end) of the week with their expected arrivals (summing to the volume).

    `errand_mix` (pieces x errands, rows summing to 1) is the errand mix of each piece when
    some errand has arrival hours; None when every piece has the model's shares.
    """

    starts: np.ndarray
    ends: np.ndarray
    expected: np.ndarray
    errand_mix: np.ndarray | None = None

    @property
    def total(self) -> float:
        return float(self.expected.sum())

    def rate_per_minute(self) -> np.ndarray:
        return self.expected / (self.ends - self.starts)


@dataclass(frozen=True)
class Arrivals:
    """One week's visitors: arrival minute, errand index and segment index, by arrival order."""

    times: np.ndarray
    errands: np.ndarray
    segments: np.ndarray
    stayed_away: int = 0

    def __len__(self) -> int:
        return len(self.times)


def arrival_profile(model: ProcessModel, weekly_visitors: float | None = None) -> ArrivalProfile:
    """The week's intensity pieces for a model (its weekly volume unless one is given)."""
    volume = model.demand.weekly_visitors if weekly_visitors is None else weekly_visitors
    hourly = model.demand.hourly_profile
    starts, ends, expected = [], [], []
    for d, day in enumerate(WEEKDAYS):
        share = model.demand.weekday_profile.get(day, 0.0)
        hours = model.opening_hours.get(day)
        if share <= 0 or hours is None:
            continue
        o, c = clock_minutes(hours.open), clock_minutes(hours.close)
        cuts = sorted({o, c, *(60 * h for h in range(o // 60 + 1, (c + 59) // 60)), *_window_edges(model, day, o, c)})
        pieces = []
        for a, b in zip(cuts, cuts[1:]):
            if hourly.get(a // 60, 0) > 0:
                pieces.append((a, b, hourly[a // 60] * (b - a)))
        if not pieces:  # no hourly weight inside the opening hours: spread evenly
            pieces = [(a, b, float(b - a)) for a, b in zip(cuts, cuts[1:])]
        mass = sum(p[2] for p in pieces)
        for a, b, m in pieces:
            starts.append(d * DAY + a)
            ends.append(d * DAY + b)
            expected.append(volume * share * m / mass)
    starts_, ends_, expected_ = np.array(starts, float), np.array(ends, float), np.array(expected, float)
    return ArrivalProfile(starts_, ends_, expected_, _errand_mix(model, starts_, ends_, expected_))


def _window_edges(model: ProcessModel, day: str, o: int, c: int) -> set[int]:
    """Minutes of `day` where some errand's arrival hours begin or end, inside the opening hours."""
    edges = set()
    for e in model.errands:
        hours = (e.arrival_hours or {}).get(day)
        if hours is not None:
            edges |= {m for m in (clock_minutes(hours.open), clock_minutes(hours.close)) if o < m < c}
    return edges


def _errand_mix(model: ProcessModel, starts: np.ndarray, ends: np.ndarray, expected: np.ndarray) -> np.ndarray | None:
    """Each piece's errand mix, keeping every errand's weekly share (None if no errand has hours).

    Inside its hours an errand with share s takes s x (week's arrivals) / (arrivals in its
    hours) of each piece (at most all of it); the errands without hours split what is left
    in proportion to their shares. Summed over the week every errand keeps its share.
    """
    errands = model.errands
    if not any(e.arrival_hours for e in errands):
        return None
    shares = np.array([e.share for e in errands], float)
    shares = shares / shares.sum()
    inside = np.zeros((len(starts), len(errands)), bool)
    for j, e in enumerate(errands):
        if not e.arrival_hours:
            continue
        for d, day in enumerate(WEEKDAYS):
            hours = e.arrival_hours.get(day)
            if hours is not None:
                a, b = d * DAY + clock_minutes(hours.open), d * DAY + clock_minutes(hours.close)
                inside[:, j] |= (starts >= a) & (ends <= b)
    timed = np.array([bool(e.arrival_hours) for e in errands])
    total = expected.sum()
    mix = np.zeros_like(inside, dtype=float)
    for j in np.flatnonzero(timed):
        in_hours = expected[inside[:, j]].sum()
        if in_hours > 0:
            mix[inside[:, j], j] = min(1.0, shares[j] * total / in_hours)
    rest = np.clip(1.0 - mix.sum(axis=1), 0.0, None)
    free = shares * ~timed
    if free.sum() > 0:
        mix += rest[:, None] * free[None, :] / free.sum()
    rows = mix.sum(axis=1, keepdims=True)
    return np.divide(mix, rows, out=np.full_like(mix, 1.0 / len(errands)), where=rows > 0)


def sample_arrivals(
    profile: ArrivalProfile,
    errand_shares: np.ndarray,
    segment_shares: np.ndarray,
    rng_times: np.random.Generator,
    rng_mix: np.random.Generator,
    keep: np.ndarray | None = None,
) -> Arrivals:
    """Draw one week: a Poisson count, arrival minutes by inverse CDF, errands and segments.

    `keep` (per errand, probability a visitor still comes) thins arrivals for learning.
    """
    n = int(rng_times.poisson(profile.total))
    u = np.sort(rng_times.random(n))
    cum = np.concatenate(([0.0], np.cumsum(profile.expected))) / profile.total
    k = np.minimum(np.searchsorted(cum, u, side="right") - 1, len(profile.expected) - 1)
    frac = (u - cum[k]) / (cum[k + 1] - cum[k])
    times = profile.starts[k] + frac * (profile.ends[k] - profile.starts[k])
    mix = rng_mix.random((3, n))
    if profile.errand_mix is None:
        errands = _categorical(errand_shares, mix[0])
    else:  # each visitor's errand by the mix of the piece they arrive in
        cum_mix = np.cumsum(profile.errand_mix, axis=1)[k]
        errands = np.minimum((mix[0][:, None] >= cum_mix).sum(axis=1), len(errand_shares) - 1).astype(np.int64)
    segments = _categorical(segment_shares, mix[1])
    if keep is not None:
        stay = mix[2] < keep[errands]
        gone = int(n - stay.sum())
        return Arrivals(times[stay], errands[stay], segments[stay], gone)
    return Arrivals(times, errands, segments)


def _categorical(shares: np.ndarray, u: np.ndarray) -> np.ndarray:
    cum = np.cumsum(shares) / shares.sum()
    return np.minimum(np.searchsorted(cum, u, side="right"), len(shares) - 1).astype(np.int64)
