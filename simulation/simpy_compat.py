"""The one place that touches SimPy's private attributes (`_queue`, `_eid`, `_now`, `_value`, `_ok`).

The engine puts light event-queue entries straight on SimPy's heap instead of full
`simpy.Event`s and drives visitor generators from their callbacks instead of
`simpy.Process` (no Initialize and end events per visitor). That relies on how SimPy 4
stores its queue, so `pyproject.toml` pins SimPy below its next major; a new major needs a
look at this module only.
"""

from __future__ import annotations

from heapq import heappush

import simpy
from simpy.events import NORMAL

__all__ = ["Grant", "Driver", "wake_after", "wake_now", "SIMPY_MAJOR"]

#: The SimPy major version this module was written against (checked at import).
SIMPY_MAJOR = 4
if int(simpy.__version__.split(".")[0]) != SIMPY_MAJOR:  # pragma: no cover - the pin keeps it so
    raise ImportError(f"simulation needs SimPy {SIMPY_MAJOR}.x (it reads SimPy's event queue), "
                      f"found {simpy.__version__}")


class Grant:
    """What a waiting visitor yields: SimPy's event queue calls back with the member granted.

    The least an entry of SimPy's queue needs (callbacks, `_ok`, `_value`): a grant is
    triggered exactly once, by its pool (or the patience timer), and never fails.
    """

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self):
        self.callbacks = []
        self._ok = True
        self._value = None


class _Wake(Grant):
    """A queue entry that calls one function: a visitor's delay, or the next arrival batch."""

    __slots__ = ()

    def __init__(self, callback):
        self.callbacks = [callback]
        self._ok = True
        self._value = None


def wake_now(env: simpy.Environment, grant: Grant, value) -> None:
    """Trigger `grant` with `value` at the current time (after the events already due now)."""
    grant._value = value
    heappush(env._queue, (env._now, NORMAL, next(env._eid), grant))


def wake_after(env: simpy.Environment, delay: float, callback) -> None:
    """Call `callback(event)` after `delay` minutes, through SimPy's own event queue."""
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), _Wake(callback)))


class Driver:
    """Drives a visitor generator from event callbacks: lighter than a `simpy.Process`.

    The generator yields either a delay in minutes (a float) or a `Grant`; it is sent the
    grant's value (None after a delay). Grants never fail and nobody waits on a visitor,
    so SimPy's Initialize and process-end events and a full Timeout per delay are not
    needed; the events still go through SimPy's queue, in SimPy's order.
    """

    __slots__ = ("gen", "env")

    def __init__(self, gen, env: simpy.Environment):
        self.gen = gen
        self.env = env

    def resume(self, event) -> None:
        try:
            target = self.gen.send(event._value)
        except StopIteration:
            return
        if target.__class__ is float:
            env = self.env
            heappush(env._queue, (env._now + target, NORMAL, next(env._eid), _Wake(self.resume)))
        else:
            target.callbacks.append(self.resume)
