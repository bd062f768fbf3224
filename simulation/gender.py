"""Women and men among the simulated visitors: each visitor's gender and the KPIs split by it.

A visitor's gender is drawn from their segment's share of women (`Segment.gender`) with a
uniform from a stream of its own ("gender"), so no other draw moves and a model without
shares runs exactly as before. Two scenarios on the same seed meet the same women and men.
The split KPIs are named as `process_models.disclosure` says (`self_served_share.women`,
`arrived.men`, ...); suppressing small groups is the reports' job.
"""

from __future__ import annotations

import math

import numpy as np

from process_models.disclosure import GROUPS, split_key

from .compiled import Compiled
from .records import V_OUTCOME, V_VISITOR, Gender, Outcome

__all__ = ["GENDER_STREAM", "draw_genders", "visitor_genders", "GenderCounts"]

#: the purpose name of the gender stream (engine.stream)
GENDER_STREAM = "gender"
_CODES = {"women": Gender.WOMAN, "men": Gender.MAN}


def draw_genders(c: Compiled, segments: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One Gender code per arriving visitor (by arrival order) from their segment's share of women."""
    u = rng.random(len(segments))
    share = c.women_shares[segments]
    out = np.where(u < share, Gender.WOMAN, Gender.MAN)
    return np.where(np.isnan(share), Gender.UNKNOWN, out).astype(float)


def visitor_genders(by_arrival: np.ndarray, visitors: np.ndarray) -> np.ndarray:
    """The gender of each visitor record row (rows name their visitor by arrival index)."""
    return by_arrival[visitors[:, V_VISITOR].astype(int)] if len(visitors) else np.empty(0)


class GenderCounts:
    """Visitors and self-served visitors per gender, added up week by week (see `kpis.WeekKpis`)."""

    def __init__(self):
        self.arrived = dict.fromkeys(GROUPS, 0)
        self.self_served = dict.fromkeys(GROUPS, 0)

    def add(self, visitors: np.ndarray, gender: np.ndarray) -> None:
        alone = visitors[:, V_OUTCOME].astype(int) == Outcome.SELF_SERVED
        for g in GROUPS:
            mine = gender == _CODES[g]
            self.arrived[g] += int(mine.sum())
            self.self_served[g] += int((mine & alone).sum())

    def result(self, weeks: int) -> dict[str, float]:
        """`arrived.G` and `self_served.G` per week, `self_served_share.G` (NaN with no visitor of G)."""
        out = {}
        for g in GROUPS:
            n = self.arrived[g]
            out[split_key("arrived", g)] = n / weeks
            out[split_key("self_served", g)] = self.self_served[g] / weeks
            out[split_key("self_served_share", g)] = self.self_served[g] / n if n else math.nan
        return out
