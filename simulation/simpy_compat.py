"""The one place that touches SimPy's private attributes (`_queue`, `_eid`, `_now`, `_value`, `_ok`).

The engine puts light entries straight on SimPy's event queue instead of full
`simpy.Event`s, drives visitor generators without `simpy.Process` (no Initialize and end
events per visitor) and runs the queue with its own loop (`run`), which resumes a visitor's
generator at the end of its delay and hands every other entry to its callbacks as
`Environment.step` does; grants due now wait in a line beside the heap (`Environment`). That
relies on how SimPy 4 stores its queue, so `pyproject.toml` pins SimPy below its next major;
a new major needs a look at this module only.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush
from types import GeneratorType
from typing import Generator

import simpy
from simpy.events import NORMAL

__all__ = ["Environment", "Grant", "drive", "run", "wake_after", "wake_now", "SIMPY_MAJOR"]

#: The SimPy major version this module was written against (checked at import).
SIMPY_MAJOR = 4
if int(simpy.__version__.split(".")[0]) != SIMPY_MAJOR:  # pragma: no cover - the pin keeps it so
    raise ImportError(f"simulation needs SimPy {SIMPY_MAJOR}.x (it reads SimPy's event queue), "
                      f"found {simpy.__version__}")


class Environment(simpy.Environment):
    """SimPy's environment with the time as a plain attribute and a line of the grants due now.

    A grant is always triggered for the current time, after the events already due then,
    so on SimPy's heap it would sift up to the top and back down: O(log n) comparisons of
    queue entries, n growing with the visitors in the office. In a line, with the sequence
    number its heap entry would have had, it costs O(1), and `run` takes it exactly where
    the heap would have put it (before any later time, after earlier entries due now).
    """

    #: The current time as a plain attribute, not SimPy's property: the visitors and pools read it
    #: several times per visitor, and `run`, the only thing that moves the clock, keeps it equal to `_now`.
    now = None

    def __init__(self):
        super().__init__()
        self.now = self._now
        self.due: deque = deque()  # (sequence number, grant), all due at the current time


class Grant:
    """What a waiting visitor yields: the event queue resumes its generator with the member granted.

    The least an entry of SimPy's queue needs (callbacks, `_ok`, `_value`) plus the generator
    to resume (`driver`): a grant is triggered exactly once, by its pool (or the patience timer),
    never fails, and has one waiter, so `run` resumes that generator directly (no callback list).
    """

    __slots__ = ("callbacks", "_ok", "_value", "driver")

    def __init__(self):
        self.callbacks = ()  # what `Environment.step` would call: nothing (tests step pools that way)
        self._ok = True
        self._value = None
        self.driver = None


class _Wake(Grant):
    """A queue entry that calls one function: the next arrival batch."""

    __slots__ = ()

    def __init__(self, callback):
        self.callbacks = [callback]
        self._ok = True
        self._value = None
        self.driver = None


def wake_now(env: simpy.Environment, grant: Grant, value) -> None:
    """Trigger `grant` with `value` at the current time (after the events already due now)."""
    grant._value = value
    if env.__class__ is Environment:
        env.due.append((next(env._eid), grant))
    else:  # a plain SimPy environment (tests drive a pool with env.run())
        heappush(env._queue, (env._now, NORMAL, next(env._eid), grant))


def wake_after(env: simpy.Environment, delay: float, callback) -> None:
    """Call `callback(event)` after `delay` minutes, through SimPy's own event queue."""
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), _Wake(callback)))


def drive(gen: Generator, env: simpy.Environment, value=None) -> None:
    """Run a visitor generator to its next wait: lighter than a `simpy.Process`; None starts it.

    The generator yields either the time (minutes, a float) its own clock has reached or a
    `Grant`. A time ahead of SimPy's puts the generator itself on the queue, at SimPy's time
    plus the lag, as a Timeout of that lag would be; `run` resumes it there, sending SimPy's
    time. A time not ahead is sent straight back. A grant, once `run` reaches it, resumes
    the generator with the grant's value.
    Grants never fail and nobody waits on a visitor, so SimPy's Initialize and process-end
    events, a Timeout and its callback list per delay are not needed (nor an object per
    visitor to drive it); the events still go through SimPy's queue, in SimPy's order.
    """
    while True:
        try:
            target = gen.send(value)
        except StopIteration:
            return
        if target.__class__ is not float:
            target.driver = gen
            return
        now = env._now
        if target > now:
            heappush(env._queue, (now + (target - now), NORMAL, next(env._eid), gen))
            return
        value = target


def run(env: Environment) -> None:
    """Process the queue (and the grants due now) until both are empty, as `env.run()` does.

    A grant due now sends its visitor's generator the member granted; a generator on the queue
    is a visitor's delay: it is sent the time. What the generator yields next is
    handled inline for the common cases (a later time, a grant), as `drive` would.
    Any other entry is a SimPy event (or the next arrival batch): its callbacks run, and a
    failed event that nobody defused stops the run with its exception, as in `Environment.step`.
    """
    queue, due, eid = env._queue, env.due, env._eid
    while queue or due:
        # the first grant due now goes before the heap's first entry exactly when
        # (now, NORMAL, its number) sorts first
        if due and (not queue or queue[0][0] > env._now or (
                queue[0][0] == env._now and queue[0][1] == NORMAL and queue[0][2] > due[0][0])):
            grant = due.popleft()[1]
            driver, value, now = grant.driver, grant._value, env._now
        else:
            now, _, _, event = heappop(queue)
            env._now = env.now = now
            if event.__class__ is not GeneratorType:
                _callbacks(event)
                continue
            driver, value = event, now
        try:
            target = driver.send(value)
        except StopIteration:
            continue
        if target.__class__ is not float:
            target.driver = driver
        elif target > now:
            heappush(queue, (now + (target - now), NORMAL, next(eid), driver))
        else:  # already due: go on at once
            drive(driver, env, target)


def _callbacks(event) -> None:
    """A SimPy event's turn (or the next arrival batch's), as in `Environment.step`."""
    callbacks, event.callbacks = event.callbacks, None
    for callback in callbacks:
        callback(event)
    if not event._ok and not hasattr(event, "_defused"):
        exc = type(event._value)(*event._value.args)
        exc.__cause__ = event._value
        raise exc
