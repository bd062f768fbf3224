"""A resource pool at run time: numbered members, a waiting line, capacity that follows a roster.

Lighter than `simpy.Resource`: a free member is granted without scheduling an event, and
the waiting line is a heap keyed by (priority, arrival order) so booked meetings can go
first. Requests that gave up or were sent home are dropped lazily.

The free members are kept in heaps (one for the whole pool, one per group of members a
visitor prefers: a language or an errand area), so picking the lowest-numbered free member
that fits costs O(log n) however large the office; a heap entry whose member has since been
taken is skipped when it comes to the top.
"""

from __future__ import annotations

from heapq import heappop, heappush

from .compiled import PoolSpec
from .simpy_compat import Grant, wake_now

__all__ = ["Pool", "Request", "Grant", "GAVE_UP", "SENT_HOME"]

#: What a waiting visitor's grant carries instead of a member: it gave up, or closing time sent it home.
GAVE_UP = -1
SENT_HOME = -2
INF = float("inf")
# a member's state
_OFF, _FREE, _BUSY = 0, 1, 2


class Request:
    """A visitor in a pool's waiting line: who to wake, whether still waiting, its combo and deadline."""

    __slots__ = ("grant", "alive", "combo", "deadline")

    def __init__(self, grant: Grant, combo: int, deadline: float):
        self.grant = grant
        self.alive = True
        self.combo = combo
        self.deadline = deadline


class Pool:
    __slots__ = ("spec", "env", "cap", "state", "n_free", "free_heap", "group_heaps", "group_of", "member_groups",
                 "heap", "alive", "seq", "limit")

    def __init__(self, spec: PoolSpec, env):
        self.spec = spec
        self.env = env
        self.cap = cap = spec.changes[0][1]
        size = max(spec.max_capacity, cap)
        self.state = [_FREE] * cap + [_OFF] * (size - cap)
        self.n_free = cap
        self.free_heap = list(range(cap))  # sorted: already a heap
        # one heap per distinct preference list; member -> the heaps it is in
        groups: dict[tuple, int] = {}
        self.group_of = [groups.setdefault(pref, len(groups)) if pref else -1 for pref in spec.preferred]
        self.group_heaps: list[list[int]] = [[m for m in pref if m < cap] for pref in groups]
        self.member_groups: list[list[list[int]]] = [[] for _ in range(size)]
        for pref, g in groups.items():
            for m in pref:
                if m < size:
                    self.member_groups[m].append(self.group_heaps[g])
        self.limit = 2 * size + 16
        self.heap: list = []
        self.alive = 0
        self.seq = 0

    def _pick(self, combo: int) -> int:
        """The lowest-numbered free member the visitor prefers, else the lowest-numbered free one."""
        state = self.state
        g = self.group_of[combo] if self.group_of else -1
        if g >= 0:
            heap = self.group_heaps[g]
            while heap:
                m = heappop(heap)
                if state[m] == _FREE:
                    state[m] = _BUSY
                    self.n_free -= 1
                    return m
        heap = self.free_heap
        while True:
            m = heappop(heap)
            if state[m] == _FREE:
                state[m] = _BUSY
                self.n_free -= 1
                return m

    def _free(self, m: int) -> None:
        self.state[m] = _FREE
        self.n_free += 1
        heappush(self.free_heap, m)
        for heap in self.member_groups[m]:
            heappush(heap, m)
            if len(heap) > self.limit:
                self._compact(heap)
        if len(self.free_heap) > self.limit:  # stale entries pile up where another heap takes the members
            self._compact(self.free_heap)

    def _compact(self, heap: list) -> None:
        """Drop a heap's entries of members no longer free (a sorted list is a heap)."""
        state = self.state
        heap[:] = sorted({m for m in heap if state[m] == _FREE})

    def take(self, combo: int) -> int:
        """A member now (preferring one with the visitor's language or errand area), or -1."""
        if self.alive or not self.n_free:
            return -1
        return self._pick(combo)

    def wait(self, grant: Grant, priority: int, combo: int, deadline: float = INF) -> Request:
        """Join the line; `grant` succeeds with the member granted, or GAVE_UP once past `deadline`."""
        req = Request(grant, combo, deadline)
        heappush(self.heap, (priority, self.seq, req))
        self.seq += 1
        self.alive += 1
        return req

    def cancel(self, req: Request) -> bool:
        """Take a request out of the line (its patience ran out); False if it had already left it."""
        if req.alive:
            req.alive = False
            self.alive -= 1
            return True
        return False

    def _next(self) -> Request | None:
        """The first live request; those whose patience ran out leave (at their deadline)."""
        heap = self.heap
        now = self.env.now
        while heap:
            req = heappop(heap)[2]
            if req.alive:
                req.alive = False
                self.alive -= 1
                if req.deadline < now:
                    wake_now(self.env, req.grant, GAVE_UP)
                    continue
                return req
        return None

    def release(self, m: int) -> None:
        """A member is done: it serves the first in line, or becomes free (unless its shift is over)."""
        if m >= self.cap:
            self.state[m] = _OFF  # the member's shift is over
            return
        req = self._next() if self.alive else None
        if req is None:
            self._free(m)
        else:
            wake_now(self.env, req.grant, m)

    def set_capacity(self, cap: int) -> None:
        """Follow the roster: new members start free; members beyond `cap` leave once done."""
        old, self.cap = self.cap, cap
        state = self.state
        if cap > old:
            for m in range(old, cap):
                if state[m] == _OFF:
                    self._free(m)
            while self.n_free and self.alive:
                req = self._next()
                if req is None:
                    break
                wake_now(self.env, req.grant, self._pick(req.combo))
        else:
            for m in range(cap, old):
                if state[m] == _FREE:
                    state[m] = _OFF
                    self.n_free -= 1

    def send_home_all(self) -> None:
        """Everyone waiting leaves (closing time); those already past their patience gave up."""
        while self.alive:
            req = self._next()
            if req is None:
                break
            wake_now(self.env, req.grant, SENT_HOME)
        self.heap.clear()
