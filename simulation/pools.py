"""A resource pool at run time: numbered members, a waiting line, capacity that follows a roster.

Lighter than `simpy.Resource`: a free member is granted without scheduling an event, and
the waiting line is a heap keyed by (priority, arrival order) so booked meetings can go
first. Requests that gave up or were sent home are dropped lazily.
"""

from __future__ import annotations

from heapq import heappop, heappush

from simpy.events import NORMAL

from .compiled import PoolSpec

__all__ = ["Pool", "Grant", "GAVE_UP", "SENT_HOME"]

GAVE_UP = -1
INF = float("inf")
SENT_HOME = -2


class Grant:
    """What a waiting visitor yields: SimPy's event queue calls back with the member granted.

    Lighter than a `simpy.Event`: a grant is triggered exactly once, by its pool (or by the
    patience timer after the pool has dropped the request), and never fails.
    """

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self):
        self.callbacks = []
        self._ok = True
        self._value = None


class Pool:
    __slots__ = ("spec", "env", "cap", "free", "busy", "heap", "alive", "seq", "pref")

    def __init__(self, spec: PoolSpec, env):
        self.spec = spec
        self.env = env
        self.cap = spec.changes[0][1]
        self.free = set(range(self.cap))
        self.busy: set[int] = set()
        self.heap: list = []
        self.alive = 0
        self.seq = 0
        self.pref = spec.preferred

    def _pick(self, combo: int) -> int:
        free = self.free
        for m in self.pref[combo] if self.pref else ():
            if m in free:
                break
        else:
            m = min(free)
        free.remove(m)
        self.busy.add(m)
        return m

    def _grant(self, grant: "Grant", value: int) -> None:
        """Wake the waiting visitor now with a member (or GAVE_UP / SENT_HOME)."""
        env = self.env
        grant._value = value
        heappush(env._queue, (env._now, NORMAL, next(env._eid), grant))

    def take(self, combo: int) -> int:
        """A member now (preferring one with the visitor's language or errand area), or -1."""
        if self.alive or not self.free:
            return -1
        return self._pick(combo)

    def wait(self, event, priority: int, combo: int, deadline: float = INF) -> list:
        """Join the line; `event` succeeds with the member granted, or GAVE_UP once past `deadline`."""
        req = [event, True, combo, deadline]
        heappush(self.heap, (priority, self.seq, req))
        self.seq += 1
        self.alive += 1
        return req

    def cancel(self, req: list) -> bool:
        if req[1]:
            req[1] = False
            self.alive -= 1
            return True
        return False

    def _next(self):
        """The first live request; those whose patience ran out leave (at their deadline)."""
        heap = self.heap
        now = self.env._now
        while heap:
            req = heappop(heap)[2]
            if req[1]:
                req[1] = False
                self.alive -= 1
                if req[3] < now:
                    self._grant(req[0], GAVE_UP)
                    continue
                return req
        return None

    def release(self, m: int) -> None:
        self.busy.discard(m)
        if m >= self.cap:
            return  # the member's shift is over
        req = self._next() if self.alive else None
        if req is None:
            self.free.add(m)
        else:
            self.busy.add(m)
            self._grant(req[0], m)

    def set_capacity(self, cap: int) -> None:
        old, self.cap = self.cap, cap
        if cap > old:
            self.free.update(m for m in range(old, cap) if m not in self.busy)
            while self.free and self.alive:
                req = self._next()
                if req is None:
                    break
                self._grant(req[0], self._pick(req[2]))
        else:
            self.free = {m for m in self.free if m < cap}

    def send_home_all(self) -> None:
        """Everyone waiting leaves (closing time); those already past their patience gave up."""
        while self.alive:
            req = self._next()
            if req is None:
                break
            self._grant(req[0], SENT_HOME)
        self.heap.clear()
