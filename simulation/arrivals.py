"""Non-homogeneous Poisson arrivals over a week, shaped by opening hours and profiles.

The intensity is piecewise constant: within each open part of a clock hour it is
proportional to the hourly weight, each day carries its weekday share of the weekly
volume. Time is minutes since Monday 00:00.
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
    """Pieces [start, end) of the week with their expected arrivals (summing to the volume)."""

    starts: np.ndarray
    ends: np.ndarray
    expected: np.ndarray

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
        pieces = []
        for h in range(o // 60, (c + 59) // 60):
            a, b = max(o, 60 * h), min(c, 60 * (h + 1))
            if b > a and hourly.get(h, 0) > 0:
                pieces.append((a, b, hourly[h] * (b - a)))
        if not pieces:  # no hourly weight inside the opening hours: spread evenly
            pieces = [(o, c, float(c - o))]
        mass = sum(p[2] for p in pieces)
        for a, b, m in pieces:
            starts.append(d * DAY + a)
            ends.append(d * DAY + b)
            expected.append(volume * share * m / mass)
    return ArrivalProfile(np.array(starts, float), np.array(ends, float), np.array(expected, float))


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
    errands = _categorical(errand_shares, mix[0])
    segments = _categorical(segment_shares, mix[1])
    if keep is not None:
        stay = mix[2] < keep[errands]
        gone = int(n - stay.sum())
        return Arrivals(times[stay], errands[stay], segments[stay], gone)
    return Arrivals(times, errands, segments)


def _categorical(shares: np.ndarray, u: np.ndarray) -> np.ndarray:
    cum = np.cumsum(shares) / shares.sum()
    return np.minimum(np.searchsorted(cum, u, side="right"), len(shares) - 1).astype(np.int64)
