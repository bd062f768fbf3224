"""Payback time of a one-off cost from a yearly saving with its confidence interval.

Pure arithmetic on an `Estimate`, here so that both the simulation (which computes the
saving) and the exports (which print it from a session) share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from .numbers import FILE_STYLE, number
from .session import Estimate

__all__ = ["Payback", "payback", "years_text"]


def years_text(x: float, lang: str = "en") -> str:
    """Years with one decimal, two below one year (0.58), a decimal comma in Swedish."""
    return number(x, 2 if x < 1 else 1, lang, **FILE_STYLE)


@dataclass(frozen=True)
class Payback:
    """Years until the yearly saving has paid the one-off costs; None where it never does."""

    one_off: float
    saving: Estimate
    years: float | None
    low: float | None
    high: float | None  # None: the saving's interval reaches 0, so it may never pay back

    def describe(self, lang: str = "en") -> str:
        """One line for a table: the years with their interval, or why there are none."""
        sv = lang == "sv"
        if self.years is None:
            return "betalar sig inte: ingen besparing" if sv else "does not pay back: no saving"
        when = ("genast" if sv else "at once") if self.years == 0 else \
            f"{years_text(self.years, lang)} {'år' if sv else 'years'}"
        if self.high is None:
            return (f"{when}, kanske aldrig (besparingens intervall når 0)" if sv
                    else f"{when}, perhaps never (the saving's interval reaches 0)")
        return f"{when} ({years_text(self.low, lang)}–{years_text(self.high, lang)})"

    def estimate(self) -> Estimate | None:
        """As a KPI estimate, where every figure is finite."""
        if self.years is None or self.low is None or self.high is None:
            return None
        return Estimate(mean=self.years, low=self.low, high=self.high, n=self.saving.n)


def payback(one_off: float, saving: Estimate) -> Payback:
    """Payback time of `one_off` SEK from a yearly `saving` (SEK per year, with its interval)."""

    def years(x: float) -> float | None:
        if one_off <= 0:  # nothing to pay back: at once, unless it costs more every year
            return 0.0 if x >= 0 else None
        return one_off / x if x > 0 else None

    return Payback(one_off, saving, years(saving.mean), years(saving.high), years(saving.low))
