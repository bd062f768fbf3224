"""The pool's free-member pick: a heap per block of like members, and still today's choice (the lowest-numbered free member that fits)."""

from __future__ import annotations

import numpy as np
import simpy

from simulation.compiled import PoolSpec
from simulation.pools import Pool


class ReferencePool:
    """The choice as the engine made it before: the first free preferred member, else min(free)."""

    def __init__(self, cap: int, preferred: tuple):
        self.free, self.busy, self.cap, self.pref = set(range(cap)), set(), cap, preferred

    def take(self, combo: int) -> int:
        if not self.free:
            return -1
        m = next((m for m in self.pref[combo] if m in self.free), None)
        m = min(self.free) if m is None else m
        self.free.remove(m)
        self.busy.add(m)
        return m

    def release(self, m: int) -> None:
        self.busy.discard(m)
        if m < self.cap:
            self.free.add(m)

    def set_capacity(self, cap: int) -> None:
        old, self.cap = self.cap, cap
        if cap > old:
            self.free.update(m for m in range(old, cap) if m not in self.busy)
        else:
            self.free = {m for m in self.free if m < cap}


def test_take_release_and_roster_changes_pick_what_min_free_picked():
    rng = np.random.default_rng(7)
    size = 40
    # combo 0: no preference; 1: members 3, 17, 30 (a language); 2: members 0..9 (an errand area)
    preferred = ((), (3, 17, 30), tuple(range(10)))
    changes = ((0.0, 25), (100.0, size), (200.0, 12))
    pool = Pool(PoolSpec("p", "staff", changes, preferred), simpy.Environment())
    ref = ReferencePool(25, preferred)
    held: list[int] = []
    for step in range(5000):
        if step in (1500, 3000, 4200):
            cap = {1500: size, 3000: 12, 4200: 30}[step]
            pool.set_capacity(cap)
            ref.set_capacity(cap)
        if held and rng.random() < 0.45:
            m = held.pop(int(rng.integers(len(held))))
            pool.release(m)
            ref.release(m)
        else:
            combo = int(rng.integers(3))
            got = pool.take(combo)
            assert got == ref.take(combo), step
            if got >= 0:
                held.append(got)
        assert pool.n_free == len(ref.free)
        # each block's heap holds exactly its free members: no stale entries to skip or drop
        assert sorted(m for h in pool.blocks for m in h) == sorted(ref.free), step


def test_a_waiting_request_is_a_record_served_first_come_first_served():
    env = simpy.Environment()
    pool = Pool(PoolSpec("p", "staff", ((0.0, 1),), ((),)), env)
    assert pool.take(0) == 0
    a = pool.wait(1, 0)  # a request is also the grant its visitor waits on
    b = pool.wait(1, 0)
    assert (a.alive, a.combo, a.deadline) == (True, 0, float("inf"))
    assert pool.cancel(b) and not b.alive and not pool.cancel(b)
    pool.release(0)
    env.run()
    assert a._value == 0 and b._value is None  # the member went to the first; the second had left
