"""Duration distributions of the schema as inverse CDFs, so durations come from uniforms.

Drawing through the inverse CDF lets every visitor keep the same uniform at a step across
scenarios (common random numbers): a longer mean stretches the same draws.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri

from process_models.schema import Empirical, Exponential, Fixed, Lognormal, Triangular

__all__ = ["quantiles", "mean_of"]


def quantiles(dist, u: np.ndarray) -> np.ndarray:
    """Durations (minutes) of `dist` at the uniforms `u` (inverse CDF, vectorised)."""
    if isinstance(dist, Fixed):
        return np.full(u.shape, float(dist.value))
    if isinstance(dist, Exponential):
        return -dist.mean_minutes * np.log1p(-u)
    if isinstance(dist, Triangular):
        a, c, b = dist.low, dist.mode, dist.high
        if b == a:
            return np.full(u.shape, float(a))
        f = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < f, left, right)
    if isinstance(dist, Lognormal):
        m, s = dist.mean_minutes, dist.sd
        sigma2 = math.log1p((s / m) ** 2)
        mu = math.log(m) - sigma2 / 2
        return np.exp(mu + math.sqrt(sigma2) * ndtri(np.clip(u, 1e-12, 1 - 1e-12)))
    if isinstance(dist, Empirical):
        values = np.asarray(dist.values, dtype=float)
        w = np.ones(len(values)) if dist.weights is None else np.asarray(dist.weights, dtype=float)
        cum = np.cumsum(w) / w.sum()
        return values[np.minimum(np.searchsorted(cum, u, side="right"), len(values) - 1)]
    raise TypeError(f"unknown distribution {dist!r}")  # pragma: no cover - schema is closed


def mean_of(dist) -> float:
    """The distribution's mean in minutes (0 for no distribution)."""
    return 0.0 if dist is None else float(dist.mean())
