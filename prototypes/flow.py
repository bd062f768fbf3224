"""The kiosk's choices and next steps, derived from the process model (never hard-coded).

The choices are the flows out of the decision step (`kiosk_purpose`), each conditioned on
errand ids; what a choice leads to is read from the target step's lane, kind, pools and
outgoing flows, so editing the YAML model changes the kiosk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from process_models.schema import ProcessModel

__all__ = ["Choice", "KioskFlow", "ModelShapeError", "waiting_range"]

DECISION_STEP = "kiosk_purpose"
LANGUAGE_STEP = "kiosk_language"
KIOSK_LANE = "kiosk"
COMPUTER_POOL = "public_computers"


class ModelShapeError(ValueError):
    """The model lacks what the kiosk needs (a kiosk lane, a decision step)."""


@dataclass(frozen=True)
class Choice:
    """One errand the visitor can pick, and what picking it does.

    screen is one of booking, instructions, register, computer, hours, guide.
    """

    errand: str
    label: dict
    target: str
    screen: str
    group: str  # "top" on the first screen, "errand_help" under "Help with an errand"
    booked: bool = False


@dataclass
class KioskFlow:
    """The entrance part of a future process model, as the kiosk runs it."""

    model: ProcessModel
    choices: list[Choice] = field(default_factory=list)

    @classmethod
    def from_model(cls, model: ProcessModel) -> "KioskFlow":
        steps = {s.id: s for s in model.steps}
        if DECISION_STEP not in steps or LANGUAGE_STEP not in steps:
            raise ModelShapeError(
                f"model {model.id!r} has no {LANGUAGE_STEP!r}/{DECISION_STEP!r} steps: "
                "the kiosk is generated from a future model with an entrance kiosk lane"
            )
        flow = cls(model=model)
        errands = {e.id: e for e in model.errands}
        outgoing = [f for f in model.flows if f.source_step == DECISION_STEP and f.when]
        targets_count: dict[str, int] = {}
        for f in outgoing:
            targets_count[f.target_step] = targets_count.get(f.target_step, 0) + len(f.when.errands)
        for f in outgoing:
            for errand_id in f.when.errands:
                errand = errands.get(errand_id)
                if errand is None:
                    continue
                screen = flow.screen_for(f.target_step, booked=errand.booked)
                target = steps[f.target_step]
                shared_instructions = (
                    target.lane == KIOSK_LANE and target.kind == "self_service" and targets_count[f.target_step] > 1
                )
                group = "errand_help" if shared_instructions or flow.lane_kind(target.lane) == "frontstage" else "top"
                flow.choices.append(
                    Choice(errand_id, errand.label.model_dump(), f.target_step, screen, group, errand.booked)
                )
        return flow

    # --- reading the model -------------------------------------------------
    def step(self, step_id: str):
        return next(s for s in self.model.steps if s.id == step_id)

    def has_step(self, step_id: str) -> bool:
        return any(s.id == step_id for s in self.model.steps)

    def lane_kind(self, lane_id: str) -> str:
        return next((lane.kind for lane in self.model.lanes if lane.id == lane_id), "")

    def pool(self, pool_id: str):
        return next((p for p in self.model.pools if p.id == pool_id), None)

    def next_step(self, step_id: str, outcome: str | None = None) -> str | None:
        """The step after step_id (for outcome success/failure when the step branches)."""
        for f in self.model.flows:
            if f.source_step == step_id and (outcome is None or f.outcome in (outcome, None)):
                return f.target_step
        return None

    def _requests(self, step_id: str) -> set[str]:
        return {r.pool for r in self.step(step_id).requests}

    def downstream(self, step_id: str, depth: int = 3) -> list[str]:
        out, current = [], step_id
        for _ in range(depth):
            current = self.next_step(current, "failure") if self.step(current).success else self.next_step(current)
            if current is None:
                break
            out.append(current)
        return out

    def screen_for(self, step_id: str, booked: bool = False) -> str:
        """Which kiosk screen a step is shown as, from its lane, kind and pools."""
        step = self.step(step_id)
        if booked:
            return "booking"
        if step.kind == "self_service" and step.lane == KIOSK_LANE:
            return "instructions"
        if COMPUTER_POOL in self._requests(step_id) and step.lane != KIOSK_LANE:
            return "computer"
        if self.lane_kind(step.lane) == "frontstage":
            return "guide"
        if step.lane == KIOSK_LANE:
            for later in self.downstream(step_id):
                if COMPUTER_POOL in self._requests(later):
                    return "register"
                for pool_id in self._requests(later):
                    pool = self.pool(pool_id)
                    if pool is not None and pool.roster:
                        return "hours"
        return "guide"

    # --- what the kiosk shows ---------------------------------------------
    def choices_in(self, group: str) -> list[Choice]:
        return [c for c in self.choices if c.group == group]

    def choice(self, errand_id: str) -> Choice | None:
        return next((c for c in self.choices if c.errand == errand_id), None)

    def computer_count(self) -> int:
        pool = self.pool(COMPUTER_POOL)
        return pool.capacity if pool else 0

    def computer_step(self, after: str) -> tuple[str | None, str | None]:
        """(queue step, computer step) after a registering step, e.g. wait_computer, start_at_computer."""
        queue = work = None
        for later in self.downstream(after):
            kind = self.step(later).kind
            if kind == "queue" and queue is None:
                queue = later
            elif COMPUTER_POOL in self._requests(later):
                work = later
                break
        return queue, work

    def roster_pool(self, step_id: str):
        """The pool with opening hours (a roster) that a step leads to, e.g. the duty lawyer."""
        for later in self.downstream(step_id):
            for pool_id in self._requests(later):
                pool = self.pool(pool_id)
                if pool is not None and pool.roster:
                    return pool
        return None

    def mean_minutes(self, step_id: str) -> float:
        """Mean duration of a step in minutes (0 when it has none)."""
        dist = self.step(step_id).duration
        if dist is None:
            return 0.0
        kind = dist.kind
        if kind == "fixed":
            return float(dist.value)
        if kind in ("exponential", "lognormal"):
            return float(dist.mean_minutes)
        if kind == "triangular":
            return (dist.low + dist.mode + dist.high) / 3
        if kind == "empirical":
            weights = dist.weights or [1.0] * len(dist.values)
            return sum(v * w for v, w in zip(dist.values, weights)) / sum(weights)
        return 0.0


def waiting_range(ahead: int, computers: int, mean_minutes: float) -> tuple[int, int]:
    """An honest waiting range in minutes, rounded to 5: half to one and a half times the mean.

    ahead: visitors already waiting for a computer; each computer frees up about every
    mean_minutes, so the visitor waits for (ahead + 1) releases spread over the computers.
    """
    if computers <= 0:
        return (0, 0)
    expected = (ahead + 1) * mean_minutes / computers
    low = max(5, 5 * math.floor(expected * 0.5 / 5))
    high = max(low + 5, 5 * math.ceil(expected * 1.5 / 5))
    return (low, high)
