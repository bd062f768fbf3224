"""The route part of a visitor's walk: which step comes next, fixed or drawn from the visitor's uniforms.

Mixed into the week (`engine._Week`). A step's route draw is the visitor's own uniform for
that step (common random numbers); a revisit in a cyclic model draws afresh.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from .compiled import DECISION, SELF, TASK
from .distributions import quantiles

if TYPE_CHECKING:
    from .visitor import Visitor

__all__ = ["Routes"]


class Routes:
    """Next steps after a step, decisions looked through (a mixin of the week)."""

    def _first_step(self, i: int) -> int:
        starts = self.c.starts
        return starts[0] if len(starts) == 1 else starts[int(self.draws.route[starts[0]][i] * len(starts))]

    def _fixed_through(self, s: int, combo: int) -> int:
        """The step after task `s` when no chance is involved (decisions looked through), else -1."""
        if self.c.kinds[s] != TASK:
            return -1
        nxt = self.fixed[s][combo]
        while nxt >= 0 and self.c.kinds[nxt] == DECISION:
            nxt = self.fixed[nxt][combo]
        return nxt

    def _route(self, v: Visitor, s: int) -> int:
        """The step after `s` (no decisions looked through): fixed, or drawn from the visitor's uniform."""
        nxt = self.fixed[s][v.combo]
        return nxt if nxt >= 0 else self._draw_route(v, s)

    def _draw_route(self, v: Visitor, s: int) -> int:
        """The step after `s` drawn with the visitor's uniform for it (a fresh one on a revisit)."""
        return self._next(s, v.combo, self.draws.route[s][v.i] if v.first else self.draws.extra.random())

    def _route_task(self, v: Visitor, s: int) -> int:
        """The step after task `s` (a self-service step's outcome decides its table), decisions looked through."""
        dr, combo = self.draws, v.combo
        if self.c.kinds[s] == SELF:
            u = dr.success[s][v.i] if v.first else dr.extra.random()
            table = self.c.routes if u < self.c.success[s][combo] else self.c.fail_routes
            nxt = self._next(s, combo, dr.route[s][v.i] if v.first else dr.extra.random(), table)
        else:
            nxt = self._route(v, s)
        kinds, fixed = self.c.kinds, self.fixed
        while kinds[nxt] == DECISION:  # decisions take no time: look through them
            d = nxt
            nxt = fixed[d][combo]
            if nxt < 0:
                if self.cyclic:
                    u = dr.route[d][v.i] if d not in v.seen else dr.extra.random()
                    v.seen.add(d)
                else:
                    u = dr.route[d][v.i]
                nxt = self._next(d, combo, u)
        return nxt

    def _next(self, s: int, combo: int, u: float, table=None) -> int:
        targets, cum = (table or self.c.routes)[s][combo]
        if len(targets) == 1:
            return targets[0]
        return targets[min(bisect_right(cum, u * cum[-1]), len(targets) - 1)]

    def _again(self, dist) -> float:
        """A fresh draw for a step visited a second time (cyclic models)."""
        return float(quantiles(dist, self.draws.extra.random(1))[0])
