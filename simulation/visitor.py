"""A visitor's walk through the steps: the task part, the queue part, and the bookkeeping of units held.

Mixed into the week (`engine._Week`), which holds the compiled tables, the pools and the
records; the route part (which step comes next) is `routes.Routes`. Only `Walk.visitor`
yields to SimPy (through `simpy_compat.drive`); the parts are plain methods.
"""

from __future__ import annotations

from .arrivals import DAY
from .compiled import END, QUEUE, SELF, TASK
from .pools import GAVE_UP, SENT_HOME, Pool, Request
from .records import Outcome, VisitStatus
from .simpy_compat import wake_now

__all__ = ["Walk", "Visitor", "LEAVE", "POOL", "MEMBER", "SINCE", "UNIT"]

#: What a part of the walk returns when the visitor leaves the office (its outcome is set).
LEAVE = -1
#: What joining a queue returns when nobody is free: the visitor waits in line.
WAIT = -2
# the codes as plain floats in the hot loop: they are only written into the records, which are
# floats (an enum member costs a lookup, an int a conversion when the records become arrays)
DONE, GAVE_UP_VISIT, BALKED_VISIT, SENT_HOME_VISIT = (float(x) for x in VisitStatus)
BALKED, GAVE_UP_CODE, SENT_HOME_CODE = float(Outcome.BALKED), float(Outcome.GAVE_UP), float(Outcome.SENT_HOME)


#: The units a visitor holds are one flat list, three numbers a unit: its pool, its member and
#: `since` (where its busy record starts), grouped by pool in the order the pools were first
#: taken (the order they are recorded and given back in). One list, not a dict of lists of
#: pairs: at city scale thousands of visitors are in the office at once, and five objects
#: fewer each keep them in the CPU's caches (a visitor holds one unit most of the time).
POOL, MEMBER, SINCE, UNIT = 0, 1, 2, 3


class Visitor:
    """One visitor's state while walking: its own clock (`now`, ahead of SimPy's), units held (`POOL`...), wait so far."""

    __slots__ = ("i", "combo", "now", "held", "seen", "first", "waited", "outcome")

    def __init__(self, i: int, combo: int, now: float):
        self.i = i
        self.combo = combo
        self.now = now
        self.held: list = []  # units, UNIT numbers each (POOL, MEMBER, SINCE)
        self.seen: set | None = None  # steps visited: a set in cyclic models (they draw afresh on a revisit)
        self.first = True  # first visit to the current step
        self.waited = 0.0
        self.outcome = float(Outcome.SERVED)


class _Patience:
    """A waiting visitor's patience timer: on expiry it leaves whichever line it is in."""

    __slots__ = ("req", "pool")

    def __init__(self, req: Request, pool: Pool):
        self.req: Request | None = req
        self.pool = pool

    def expire(self, _event) -> None:
        req = self.req
        if req is not None and self.pool.cancel(req):
            wake_now(self.pool.env, req, GAVE_UP)



class Walk:
    """The visitor generator and its task and queue parts (a mixin of the week)."""

    def visitor(self, i: int, combo: int, t0: float):
        """One visitor's walk through the steps (a generator driven by `simpy_compat.drive`).

        The visitor's own clock (`Visitor.now`) moves with durations only; before touching
        a pool (take, wait, release) the visitor yields its clock, and is sent SimPy's once
        that has caught up (the run loop schedules the lag). Holding a unit through
        consecutive steps therefore costs one event, not one per step. The parts below
        (task, queue, route) do the bookkeeping; only this loop yields.
        """
        env, kinds, cyclic, order, single, fixed = self.env, self.c.kinds, self.cyclic, self.order, self.single, self.fixed
        v = Visitor(i, combo, t0)
        if cyclic:
            v.seen = set()
        held = v.held
        s = self.start if self.start >= 0 else self._first_step(i)
        while True:
            k = kinds[s]
            if k == END:
                v.outcome = self.end_code[s]
                break
            if cyclic:
                v.first = s not in v.seen
                v.seen.add(s)
            if k == TASK or k == SELF:
                t_req = v.now
                reqs = order[s]
                if reqs and not (single[s] and held and reqs[0][0] in held[POOL::UNIT]):  # units to get first
                    if v.now > env.now:
                        v.now = yield v.now  # SimPy's clock catches up
                    if not self._take_now(v, s):
                        status = yield from self.acquire(s, held, combo, None)
                        v.now = env.now
                        if status:
                            self._sent_home(v, s, t_req)
                            break
                nxt = self._work(v, s, t_req)
                if held:
                    gone = self._hand_back(v, s, nxt)
                    if gone is not None:
                        if v.now > env.now:
                            v.now = yield v.now  # SimPy's clock catches up
                        if gone.__class__ is tuple:  # (pool, member): the common single unit
                            self.pools[gone[0]].release(gone[1])
                        else:
                            self._release(held, s, i, gone)
            elif k == QUEUE:
                nxt = fixed[s][combo]
                if nxt < 0:
                    nxt = self._draw_route(v, s)
                if v.now > env.now:
                    v.now = yield v.now  # SimPy's clock catches up
                if held:
                    self._release(held, s, i)
                t_req = v.now
                joined = self._join(v, s, nxt)
                if joined != WAIT:
                    nxt = joined  # balked (LEAVE), or a member was free
                else:
                    patience = self._patience(v, s)
                    if patience is not None and self.c.balk_at[s] is None and single[nxt] and not self.closed:
                        grant = self._wait_lazily(v, nxt, t_req + patience)
                        m = yield grant
                        v.now = env.now
                        nxt = self._granted(v, s, nxt, t_req, m, t_req + patience)
                    else:
                        self.qlen[s] += 1
                        status = yield from self.acquire(nxt, held, combo, patience)
                        self.qlen[s] -= 1
                        v.now = env.now
                        nxt = self._acquired(v, s, nxt, t_req, status)
            else:  # START, DECISION take no time
                nxt = fixed[s][combo]
                if nxt < 0:
                    nxt = self._draw_route(v, s)
            if nxt == LEAVE:
                break
            s = nxt
        if held:
            if v.now > env.now:
                v.now = yield v.now  # SimPy's clock catches up
            self._release(held, s, i)
        self.visitors.extend((i, t0 // DAY, t0, v.now, self._errands[i], self._segments[i], v.outcome, v.waited))

    # --- the task part: get units, work, hand units back ------------------------------
    def _take_now(self, v: Visitor, s: int) -> bool:
        """Take the one unit of one pool that step `s` needs if a member is free now (no event)."""
        p = self.unit_pool[s]
        if p < 0 or v.held or self.closed:
            return False
        m = self.pools[p].take(v.combo)
        if m < 0:
            return False
        v.held += (p, m, v.now)
        return True

    def _sent_home(self, v: Visitor, s: int, t_req: float) -> None:
        """Closing time came while waiting for a task's units: record it and give back what was held."""
        self.visits.extend((v.i, s, t_req, v.now, v.now, SENT_HOME_VISIT))
        v.waited += v.now - t_req
        self._release(v.held, s, v.i)
        v.outcome = SENT_HOME_CODE

    def _work(self, v: Visitor, s: int, t_req: float) -> int:
        """Do task `s` with the units held: move the visitor's clock, record the visit; the next step."""
        t_start = v.now
        v.waited += t_start - t_req
        v.now += self.duration[s][v.i] if v.first else self._again(self.c.durations[s])
        self.visits.extend((v.i, s, t_req, t_start, v.now, DONE))
        nxt = self.after_task[s][v.combo]
        return nxt if nxt >= 0 else self._route_task(v, s)

    def _hand_back(self, v: Visitor, s: int, nxt: int):
        """After task `s`: units step `nxt` also requests stay with the visitor (no event needed).

        Returns what must go back to its pools after the clock has caught up: (pool, member)
        for the common case of one unit (its busy record already closed), else the pools kept
        (a frozenset; the others go back), or None when every unit stays.
        """
        held, kept = v.held, self.keeps[nxt]
        if len(held) == UNIT and self.single[s] and not kept:
            p, m, since = held
            self.busy.extend((p, m, s, v.i, since, v.now))
            held.clear()
            return p, m
        if not kept.issuperset(held[POOL::UNIT]):
            return kept
        self._record_busy(held, s, v.i, v.now)
        return None

    # --- the queue part: join a line, then what waiting came to -----------------------
    def _join(self, v: Visitor, s: int, nxt: int) -> int:
        """Arrive at queue `s` before step `nxt`: balk (LEAVE), get a free unit now (`nxt`), or WAIT in line."""
        t_req = v.now
        balk = self.balk_at[s]
        if balk is not None and self.qlen[s] >= balk:
            self.visits.extend((v.i, s, t_req, t_req, t_req, BALKED_VISIT))
            v.outcome = BALKED
            return LEAVE
        p = self.unit_pool[nxt]
        if p >= 0 and not self.closed:
            m = self.pools[p].take(v.combo)
            if m >= 0:
                v.held += (p, m, t_req)
                return self._waited(v, s, t_req, DONE, nxt)
        return WAIT

    def _patience(self, v: Visitor, s: int) -> float | None:
        pat = self.duration[s]
        return None if pat is None else (pat[v.i] if v.first else self._again(self.c.patience[s]))

    def _wait_lazily(self, v: Visitor, nxt: int, deadline: float) -> Request:
        """Wait for one unit of one pool: the pool drops the visitor lazily once the deadline has
        passed, so no timer event per waiting visitor."""
        c = self.c
        return self.pools[self.unit_pool[nxt]].wait(0 if (c.priority[nxt] and c.booked[v.combo]) else 1, v.combo, deadline)

    def _granted(self, v: Visitor, s: int, nxt: int, t_req: float, m: int, deadline: float) -> int:
        """What a lazy wait came to: a member (on to `nxt`), or gave up at the deadline, or sent home."""
        if m >= 0:
            v.held += (self.unit_pool[nxt], m, v.now)
            return self._waited(v, s, t_req, DONE, nxt)
        if m == GAVE_UP:
            v.now = deadline
            return self._waited(v, s, t_req, GAVE_UP_VISIT, LEAVE, GAVE_UP_CODE)
        return self._waited(v, s, t_req, SENT_HOME_VISIT, LEAVE, SENT_HOME_CODE)

    def _acquired(self, v: Visitor, s: int, nxt: int, t_req: float, status: int) -> int:
        """What waiting for all of `nxt`'s units came to: on to `nxt`, or gave up, or sent home."""
        if not status:
            return self._waited(v, s, t_req, DONE, nxt)
        gave_up = status == GAVE_UP
        self._waited(v, s, t_req, GAVE_UP_VISIT if gave_up else SENT_HOME_VISIT, LEAVE,
                     GAVE_UP_CODE if gave_up else SENT_HOME_CODE)
        self._release(v.held, nxt, v.i)
        return LEAVE

    def _waited(self, v: Visitor, s: int, t_req: float, status: int, nxt: int, outcome: int | None = None) -> int:
        """Record a visit to queue `s` from `t_req` to the visitor's clock; the next step (or LEAVE with `outcome`)."""
        now = v.now
        self.visits.extend((v.i, s, t_req, now, now, status))
        v.waited += now - t_req
        if outcome is not None:
            v.outcome = outcome
        return nxt

    def acquire(self, step: int, held: list, combo: int, patience: float | None):
        """Get every unit `step` requests (keeping those already held); 0 or GAVE_UP/SENT_HOME."""
        env = self.env
        prio = 0 if (self.c.priority[step] and self.c.booked[combo]) else 1
        timer = None
        for p, count in self.order[step]:
            for _ in range(count - held[POOL::UNIT].count(p)):
                pool = self.pools[p]
                if self.closed and (self.send_home_policy or pool.cap == 0):
                    return SENT_HOME
                m = pool.take(combo)
                if m < 0:
                    req = pool.wait(prio, combo)
                    if patience is not None:
                        if timer is None:
                            waiting = _Patience(req, pool)
                            timer = env.timeout(patience)
                            timer.callbacks.append(waiting.expire)
                        elif timer.processed:
                            pool.cancel(req)
                            return GAVE_UP
                        else:
                            waiting.req, waiting.pool = req, pool
                    m = yield req
                    if m < 0:
                        return m
                _add_unit(held, p, m, env.now)
        if timer is not None:
            waiting.req = None
        return 0

    def _record_busy(self, held: list, step: int, visitor: int, now: float) -> None:
        """Close the busy records of the units held through `step`; they go on from `now`."""
        busy = self.busy
        for u in range(0, len(held), UNIT):
            busy.extend((held[u + POOL], held[u + MEMBER], step, visitor, held[u + SINCE], now))
            held[u + SINCE] = now

    def _release(self, held: list, step: int, visitor: int, keep=()) -> None:
        """Record the units held through `step`, give back those of pools not in `keep` (in the order held)."""
        self._record_busy(held, step, visitor, self.env.now)
        kept = []
        for u in range(0, len(held), UNIT):
            p = held[u + POOL]
            if p in keep:
                kept += held[u:u + UNIT]
            else:
                self.pools[p].release(held[u + MEMBER])
        held[:] = kept


def _add_unit(held: list, pool: int, member: int, since: float) -> None:
    """Hold one more unit: after the units of its pool already held, else last (the order of `POOL`)."""
    at = len(held)
    for u in range(len(held) - UNIT, -1, -UNIT):
        if held[u + POOL] == pool:
            at = u + UNIT
            break
    held[at:at] = (pool, member, since)
