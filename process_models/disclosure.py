"""Women and men, and the rule that no figure rests on fewer than five visitors.

The brief counts its two indicators for "kvinnor och män". Simulated KPIs split by gender
are named `KPI.women` and `KPI.men`, with the group's visitors per week in `arrived.women`
and `arrived.men`; the kiosk's survey counts real answers. Here, so that the simulation, the
kiosk, the exports and the apps share one threshold and one way of showing what is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .schema import Label
from .session import Estimate

__all__ = ["MIN_VISITORS", "GROUPS", "GROUP_LABELS", "SPLIT_KPIS", "SUPPRESSED", "SUPPRESSED_NOTE", "too_few",
           "split_key", "is_split_key", "group_of", "disclosed", "GroupFigure", "split_figures", "suppressed_text"]

#: the smallest number of visitors a reported figure may rest on
MIN_VISITORS = 5
#: the groups the brief counts, as the suffix of a split KPI
GROUPS = ("women", "men")
GROUP_LABELS = {"women": Label(sv="Kvinnor", en="Women"), "men": Label(sv="Män", en="Men")}
#: the KPIs split by gender: the share who manage on their own (the brief's "can handle it
#: themselves"); "learned something new" is not simulated per visitor, only asked by the survey
SPLIT_KPIS = ("self_served_share",)
#: what stands in a suppressed figure's place, and the note that says why
SUPPRESSED = "–"
SUPPRESSED_NOTE = Label(sv=f"färre än {MIN_VISITORS} besökare", en=f"fewer than {MIN_VISITORS} visitors")
# the count KPIs that carry a gender suffix (besides SPLIT_KPIS)
_COUNTS = ("arrived", "self_served")


def too_few(visitors: float | None) -> bool:
    """True if a figure over `visitors` (None: unknown) must be suppressed."""
    return visitors is None or visitors < MIN_VISITORS


def split_key(kpi: str, group: str) -> str:
    """'self_served_share', 'women' -> 'self_served_share.women'."""
    return f"{kpi}.{group}"


def is_split_key(kpi: str) -> bool:
    """True for a KPI split by gender ('arrived.men', 'self_served_share.women')."""
    base, _, group = kpi.rpartition(".")
    return group in GROUPS and base in (*SPLIT_KPIS, *_COUNTS)


@dataclass(frozen=True)
class GroupFigure:
    """One KPI for one group: its estimate (None when suppressed or not in the run), the group's
    visitors per week, and whether it is suppressed (fewer than MIN_VISITORS visitors a week)."""

    group: str
    visitors: Estimate | None
    value: Estimate | None
    suppressed: bool


def split_figures(kpis: Mapping[str, Estimate], kpi: str = "self_served_share") -> dict[str, GroupFigure] | None:
    """`kpi` for women and men from a run's estimates, suppressed where the group had fewer than
    MIN_VISITORS visitors a week; None if the run has no split (its model gives no gender shares)."""
    if not any(split_key("arrived", g) in kpis for g in GROUPS):
        return None
    out = {}
    for g in GROUPS:
        n = kpis.get(split_key("arrived", g))
        hidden = too_few(None if n is None else n.mean)
        out[g] = GroupFigure(g, n, None if hidden else kpis.get(split_key(kpi, g)), hidden)
    return out


def group_of(kpi: str) -> str | None:
    """'self_served_share.women' -> 'women'; None for a KPI not split by gender."""
    return kpi.rpartition(".")[2] if is_split_key(kpi) else None


def disclosed(kpis: Mapping[str, Estimate]) -> dict[str, Estimate | None]:
    """Every KPI as it may be shown: a split figure of a group with fewer than MIN_VISITORS
    visitors a week (`arrived.G`) becomes None (suppressed); the rest are as they are."""
    out: dict[str, Estimate | None] = {}
    for k, e in kpis.items():
        g = group_of(k)
        n = kpis.get(split_key("arrived", g)) if g else None
        out[k] = None if g and (n is None or too_few(n.mean)) else e
    return out


def suppressed_text(lang: str) -> str:
    """'– (färre än 5 besökare)'."""
    return f"{SUPPRESSED} ({SUPPRESSED_NOTE.get(lang)})"
