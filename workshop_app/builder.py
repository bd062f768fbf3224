"""State of the scenario builder: a library model plus the set-up a workshop group chooses.

The builder never changes a model itself; it produces the dotted-path overrides that the
simulation's `Scenario` applies (`pools.guides.capacity`, `demand.weekly_visitors`, ...).
"""

from __future__ import annotations

import param

from process_models import ProcessModel, library_names, load_model
from process_models.session import SavedScenario

from .shared_session import SharedSession
from .texts import UiError, default_models

__all__ = ["ScenarioBuilder", "POOL_ROLES", "close_time", "opening_hours_overrides"]

# Which pool of a model each builder control sets, by pool id; a model without the
# pool (today's office has no kiosk) leaves that control disabled.
POOL_ROLES = {
    "public_computers": "public_computers",
    "kiosks": "kiosk",
    "guides": "guides",
    "desk_staff": "info_desk",
}
POLICIES = ("ticket", "floorwalk")


def close_time(clock: str, shift_hours: int) -> str:
    """`clock` ("16:00") moved by whole hours, kept inside the day."""
    hours, minutes = (int(x) for x in clock.split(":"))
    hours = min(23, max(0, hours + shift_hours))
    return f"{hours:02d}:{minutes:02d}"


def opening_hours_overrides(model: ProcessModel, open_shift: int, close_shift: int) -> dict[str, object]:
    """Overrides that move every day's opening and closing by whole hours.

    A day keeps at least one open hour. A clock hour that becomes open but has no weight in the
    hourly arrival profile gets the weight of the nearest weighted hour, so the week's visitors
    spread into the new hours instead of the longer day only serving the same crowd.
    """
    out: dict[str, object] = {}
    if not (open_shift or close_shift):
        return out
    opened: set[int] = set()
    for day, hours in model.opening_hours.items():
        close = close_time(hours.close, close_shift)
        start = close_time(hours.open, open_shift)
        if start >= close:
            start = close_time(close, -1)
        if start != hours.open:
            out[f"opening_hours.{day}.open"] = start
        if close != hours.close:
            out[f"opening_hours.{day}.close"] = close
        last = int(close[:2]) - (1 if close.endswith(":00") else 0)
        opened.update(range(int(start[:2]), last + 1))
    profile = {int(h): w for h, w in model.demand.hourly_profile.items() if w > 0}
    if profile:
        for hour in sorted(opened - set(profile)):
            nearest = min(profile, key=lambda h: (abs(h - hour), h))
            out[f"demand.hourly_profile.{hour}"] = profile[nearest]
    return out


def _skills_within(pool, capacity: int) -> list[dict] | None:
    """The pool's skill sets cut to `capacity` members (the first ones stay), or None if they fit.

    A model may not name more skilled members than the pool has, so fewer guides means
    the last-listed skill sets leave with them.
    """
    if sum(s.count for s in pool.skills) <= capacity:
        return None
    kept, left = [], capacity
    for s in pool.skills:
        if left <= 0:
            break
        kept.append(s.model_copy(update={"count": min(s.count, left)}).model_dump(mode="json"))
        left -= kept[-1]["count"]
    return kept


class ScenarioBuilder(param.Parameterized):
    """Sliders and inputs of one scenario; `overrides()` is what the simulation receives."""

    base = param.Selector(default=None, objects=[], doc="Library model the scenario starts from.")
    scenario_name = param.String(default="", doc="Name the scenario is saved under.")
    weekly_visitors = param.Integer(default=1473, bounds=(1300, 2000))
    public_computers = param.Integer(default=7, bounds=(0, 30))
    kiosks = param.Integer(default=0, bounds=(0, 6))
    guides = param.Integer(default=3, bounds=(0, 12))
    desk_staff = param.Integer(default=0, bounds=(0, 6))
    open_shift = param.Integer(default=0, bounds=(-2, 2), doc="Hours added to every day's opening time.")
    close_shift = param.Integer(default=0, bounds=(-2, 3), doc="Hours added to every day's closing time.")
    errand_shares = param.Dict(default={}, doc="errand id -> share of visitors (sums to 1).")
    self_service_success = param.Number(default=0.5, bounds=(0, 1), doc="Used only by models with self-service steps.")
    policy = param.Selector(default="ticket", objects=list(POLICIES))

    def __init__(self, shared: SharedSession, **params):
        self.shared = shared
        self._models: dict[str, ProcessModel] = {}
        super().__init__(**params)
        self.param.base.objects = self.bases()
        self.base = self.base or default_models(library_names())[0]
        self.reset()

    def bases(self) -> list[str]:
        """What a scenario can start from: the library, the session's valid variants, uploaded files."""
        return [*library_names(), *self.shared.variant_refs().values(), *self.shared.uploaded_models()]

    def refresh_bases(self) -> None:
        """Offer variants made or edited in any browser (a base on an older version moves to the newest)."""
        bases = self.bases()
        if bases == self.param.base.objects:
            return
        current = self.base
        self.param.base.objects = bases
        if current not in bases:
            head = current.rsplit("@", 1)[0]
            self.base = next((b for b in bases if b.rsplit("@", 1)[0] == head), bases[0])

    def model_for(self, ref: str) -> ProcessModel:
        if ref not in self._models:
            self._models[ref] = load_model(ref)
        return self._models[ref]

    @property
    def model(self) -> ProcessModel:
        return self.model_for(self.base)

    def available(self) -> dict[str, bool]:
        """Which pool controls apply to the base model."""
        pools = {p.id for p in self.model.pools}
        return {control: pool in pools for control, pool in POOL_ROLES.items()}

    def self_service_steps(self) -> list[str]:
        return [s.id for s in self.model.steps if s.kind == "self_service" and s.success is not None]

    @param.depends("base", watch=True)
    def reset(self) -> None:
        """Set every control to the base model's own values."""
        m = self.model
        pools = {p.id: p.capacity for p in m.pools}
        steps = self.self_service_steps()
        success = [m.step(s).success.default for s in steps]
        self.param.update(
            weekly_visitors=min(2000, max(1300, m.demand.weekly_visitors)),
            open_shift=0,
            close_shift=0,
            errand_shares={e.id: e.share for e in m.errands},
            self_service_success=round(sum(success) / len(success), 2) if success else 0.5,
            policy=m.policy.queue,
            **{control: pools.get(pool, 0) for control, pool in POOL_ROLES.items()},
        )

    def set_errand_share(self, errand: str, share: float) -> None:
        """Set one errand's share and scale the others so the mix still sums to 1."""
        if errand not in self.errand_shares:
            raise UiError("err_errand", errand=errand, model=self.base)
        if not 0 <= share <= 1:
            raise UiError("err_share", errand=errand, share=share)
        rest = {e: s for e, s in self.errand_shares.items() if e != errand}
        total = sum(rest.values())
        scale = (1 - share) / total if total else 0.0
        mix = {e: s * scale for e, s in rest.items()}
        mix[errand] = float(share)
        self.errand_shares = {e: mix[e] for e in self.errand_shares}

    def overrides(self) -> dict[str, object]:
        """Dotted-path overrides of everything that differs from the base model."""
        m, out = self.model, {}
        if self.weekly_visitors != m.demand.weekly_visitors:
            out["demand.weekly_visitors"] = self.weekly_visitors
        pools = {p.id: p for p in m.pools}
        for control, pool in POOL_ROLES.items():
            if pool in pools and getattr(self, control) != pools[pool].capacity:
                out[f"pools.{pool}.capacity"] = getattr(self, control)
                skills = _skills_within(pools[pool], getattr(self, control))
                if skills is not None:
                    out[f"pools.{pool}.skills"] = skills
        out.update(opening_hours_overrides(m, self.open_shift, self.close_shift))
        for e in m.errands:
            share = self.errand_shares.get(e.id, e.share)
            if abs(share - e.share) > 1e-9:
                out[f"errands.{e.id}.share"] = share
        for sid in self.self_service_steps():
            if abs(m.step(sid).success.default - self.self_service_success) > 1e-9:
                out[f"steps.{sid}.success.default"] = self.self_service_success
        if self.policy != m.policy.queue:
            out["policy.queue"] = self.policy
        return out

    def saved(self) -> SavedScenario:
        name = self.scenario_name.strip()
        if not name:
            raise UiError("err_scenario_name")
        return SavedScenario(name=name, model=self.base, overrides=self.overrides())

    def save(self) -> SavedScenario:
        """Save (or replace) the named scenario in the workshop session."""
        scenario = self.saved()
        self.shared.save_scenario(scenario)
        return scenario

    def load(self, scenario: SavedScenario) -> None:
        """Put a saved scenario's values back into the controls."""
        self.param.base.objects = self.bases()
        if scenario.model not in self.param.base.objects:
            raise UiError("err_scenario_model", name=scenario.name, model=scenario.model)
        self.base = scenario.model
        self.reset()
        m, changes, shares = self.model, {"scenario_name": scenario.name}, dict(self.errand_shares)
        controls = {pool: control for control, pool in POOL_ROLES.items()}
        for path, value in scenario.overrides.items():
            parts = path.split(".")
            if path == "demand.weekly_visitors":
                changes["weekly_visitors"] = int(value)
            elif path == "policy.queue":
                changes["policy"] = value
            elif parts[0] == "pools" and parts[1] in controls and parts[-1] == "capacity":
                changes[controls[parts[1]]] = int(value)
            elif parts[0] == "errands":
                shares[parts[1]] = float(value)
            elif parts[0] == "steps" and parts[-1] == "default":
                changes["self_service_success"] = float(value)
            elif parts[0] == "opening_hours" and parts[-1] in ("open", "close"):
                now = getattr(m.opening_hours[parts[1]], parts[-1])
                changes[f"{parts[-1]}_shift"] = int(value[:2]) - int(now[:2])
            # demand.hourly_profile.* follows from the opening hours: nothing to set
        self.param.update(errand_shares=shares, **changes)
