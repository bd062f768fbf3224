"""A resource pool at run time: numbered members, a waiting line, capacity that follows a roster.

Lighter than `simpy.Resource`: a free member is granted without scheduling an event, and
the waiting line is one first-come-first-served line per priority (booked meetings, 0, go
before walk-ins, 1): the order a heap keyed by (priority, arrival) gives, at O(1) a visitor
however long the line. Requests that gave up or were sent home are dropped lazily.

Members with the same skills are preferred by the same visitors: they form a block, and
each block keeps its free members in a heap. The lowest-numbered free member a visitor
prefers is the least of the tops of the blocks it prefers (else of all blocks), so a pick
costs O(blocks + log n) however large the office, and a member freed is pushed on one
heap only (a pool has a handful of blocks: one per skill, one for members without).
"""

from __future__ import annotations

from collections import deque
from heapq import heapify, heappop, heappush

from .compiled import PoolSpec
from .simpy_compat import Grant, wake_now

__all__ = ["Pool", "Request", "Grant", "GAVE_UP", "SENT_HOME"]

#: Priorities of a waiting line: 0 (a booked meeting at a step with the priority discipline) before 1.
PRIORITIES = 2
#: What a waiting visitor's grant carries instead of a member: it gave up, or closing time sent it home.
GAVE_UP = -1
SENT_HOME = -2
INF = float("inf")
# a member's state
_OFF, _FREE, _BUSY = 0, 1, 2


class Request(Grant):
    """A visitor in a pool's waiting line, and the grant it waits on: whether still waiting, its combo and deadline."""

    __slots__ = ("alive", "combo", "deadline")

    def __init__(self, combo: int, deadline: float):
        # Grant's fields set here rather than through super(): one call per wait, not two
        self.callbacks = ()
        self._ok = True
        self._value = None
        self.driver = None
        self.alive = True
        self.combo = combo
        self.deadline = deadline


class Pool:
    """One pool of a running week: its members' states, free members by block, and its waiting lines."""

    __slots__ = ("spec", "env", "cap", "state", "n_free", "blocks", "block_of", "prefers", "lines", "alive")

    def __init__(self, spec: PoolSpec, env):
        self.spec = spec
        self.env = env
        self.cap = cap = spec.changes[0][1]
        size = max(spec.max_capacity, cap)
        self.state = [_FREE] * cap + [_OFF] * (size - cap)
        self.n_free = cap
        self.block_of, self.prefers = _blocks(spec, size)
        self.blocks: list[list[int]] = [[] for _ in range(max(self.block_of, default=-1) + 1)]
        for m in range(cap):  # in order: each block's list is sorted, so already a heap
            self.blocks[self.block_of[m]].append(m)
        self.lines = tuple(deque() for _ in range(PRIORITIES))  # waiting requests per priority, in arrival order
        self.alive = 0

    def _pick(self, combo: int) -> int:
        """The lowest-numbered free member the visitor prefers, else the lowest-numbered free one."""
        blocks = self.blocks
        best = None
        for b in self.prefers[combo] if self.prefers else ():
            h = blocks[b]
            if h and (best is None or h[0] < best[0]):
                best = h
        if best is None:
            for h in blocks:
                if h and (best is None or h[0] < best[0]):
                    best = h
        m = heappop(best)
        self.state[m] = _BUSY
        self.n_free -= 1
        return m

    def _free(self, m: int) -> None:
        self.state[m] = _FREE
        self.n_free += 1
        heappush(self.blocks[self.block_of[m]], m)

    def take(self, combo: int) -> int:
        """A member now (preferring one with the visitor's language or errand area), or -1."""
        if self.alive or not self.n_free:
            return -1
        return self._pick(combo)

    def wait(self, priority: int, combo: int, deadline: float = INF) -> Request:
        """Join the line; the request (a grant to wait on) succeeds with the member granted, or GAVE_UP once past `deadline`."""
        req = Request(combo, deadline)
        self.lines[priority].append(req)
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
        now = self.env.now
        for line in self.lines:
            while line:
                req = line.popleft()
                if req.alive:
                    req.alive = False
                    self.alive -= 1
                    if req.deadline < now:
                        wake_now(self.env, req, GAVE_UP)
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
            wake_now(self.env, req, m)

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
                wake_now(self.env, req, self._pick(req.combo))
        else:
            for m in range(cap, old):
                if state[m] == _FREE:
                    state[m] = _OFF
                    self.n_free -= 1
            for h in self.blocks:  # the heaps hold exactly the free members
                if h and max(h) >= cap:
                    h[:] = [m for m in h if m < cap]
                    heapify(h)

    def send_home_all(self) -> None:
        """Everyone waiting leaves (closing time); those already past their patience gave up."""
        while self.alive:
            req = self._next()
            if req is None:
                break
            wake_now(self.env, req, SENT_HOME)
        for line in self.lines:
            line.clear()


#: Pool specs whose blocks are kept (a sweep's models have a few pools each).
BLOCKS_KEPT = 256
_BLOCKS: dict[int, tuple] = {}


def _blocks(spec: PoolSpec, size: int) -> tuple[list[int], tuple[tuple[int, ...], ...]]:
    """Each member's block (members preferred by the same combos) and each combo's preferred blocks.

    Worked out once per pool spec (kept by identity: a spec is immutable), not every week.
    """
    key = id(spec)
    hit = _BLOCKS.get(key)
    if hit is not None and hit[0] is spec and hit[1] == size:
        return hit[2], hit[3]
    wanted_by: list[list[int]] = [[] for _ in range(size)]
    for combo, pref in enumerate(spec.preferred):
        for m in pref:
            if m < size:
                wanted_by[m].append(combo)
    ids: dict[tuple, int] = {}
    block_of = [ids.setdefault(tuple(w), len(ids)) for w in wanted_by]
    prefers = tuple(tuple(sorted({block_of[m] for m in pref if m < size})) for pref in spec.preferred)
    if len(_BLOCKS) > BLOCKS_KEPT:
        _BLOCKS.clear()
    _BLOCKS[key] = (spec, size, block_of, prefers)
    return block_of, prefers
