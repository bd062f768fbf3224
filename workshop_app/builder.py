"""State of the scenario builder: a library model plus the set-up a workshop group chooses.

The builder never changes a model itself; it produces the dotted-path overrides that the
simulation's `Scenario` applies (`pools.guides.capacity`, `demand.weekly_visitors`, ...).
"""

from __future__ import annotations

import param

from process_models import ProcessModel, library_names, load_model
from process_models.session import SavedScenario

from .shared_session import SharedSession
from process_models.errors import UserError

from .texts import UiError, default_models, text

__all__ = ["ScenarioBuilder", "POOL_ROLES", "close_time", "opening_hours_overrides", "capacity_overrides",
           "min_capacity", "change_count"]

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
    spread into the new hours instead of the longer day only serving the same crowd; an hour
    no day is open any more gets no weight, so nobody arrives at a closed office.
    """
    out: dict[str, object] = {}
    if not (open_shift or close_shift):
        return out
    opened: set[int] = set()
    was_open: set[int] = set()
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
        was_last = int(hours.close[:2]) - (1 if hours.close.endswith(":00") else 0)
        was_open.update(range(int(hours.open[:2]), was_last + 1))
    profile = {int(h): w for h, w in model.demand.hourly_profile.items() if w > 0}
    if profile:
        for hour in sorted(opened - set(profile)):
            nearest = min(profile, key=lambda h: (abs(h - hour), h))
            out[f"demand.hourly_profile.{hour}"] = profile[nearest]
        for hour in sorted(set(profile) & was_open - opened):  # closed now on every day: nobody arrives then
            out[f"demand.hourly_profile.{hour}"] = 0.0
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


def capacity_overrides(pool, capacity: int) -> dict[str, object]:
    """Overrides that give `pool` this capacity, its skill sets cut to fit (what a sweep cell and a slider set)."""
    out: dict[str, object] = {f"pools.{pool.id}.capacity": capacity}
    skills = _skills_within(pool, capacity)
    if skills is not None:
        out[f"pools.{pool.id}.skills"] = skills
    return out


def min_capacity(model: ProcessModel, pool_id: str) -> int:
    """The fewest members `pool_id` may have and the model stay valid: as many as one step asks for."""
    return max((r.count for s in model.steps for r in s.requests if r.pool == pool_id), default=0)


#: Overrides that follow from another change (skills from a capacity, arrival weights from the hours).
_DERIVED = (".skills", "demand.hourly_profile.")


def change_count(overrides: dict) -> int:
    """How many things a participant changed: derived overrides left out, self-service success counted once."""
    paths = [k for k in overrides if not (k.endswith(_DERIVED[0]) or k.startswith(_DERIVED[1]))]
    success = [k for k in paths if k.startswith("steps.") and k.endswith(".success.default")]
    return len(paths) - len(success) + (1 if success else 0)


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
        self._success_start = 0.5  # the slider's value at reset: success is an override only when moved
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

    def minimum(self, control: str) -> int:
        """The lowest value of a pool control that still makes a valid model (the slider starts there)."""
        pool = POOL_ROLES[control]
        return min_capacity(self.model, pool) if any(p.id == pool for p in self.model.pools) else 0

    def self_service_steps(self) -> list[str]:
        return [s.id for s in self.model.steps if s.kind == "self_service" and s.success is not None]

    @param.depends("base", watch=True)
    def reset(self) -> None:
        """Set every control to the base model's own values."""
        m = self.model
        pools = {p.id: p.capacity for p in m.pools}
        steps = self.self_service_steps()
        success = [m.step(s).success.default for s in steps]
        self._success_start = round(sum(success) / len(success), 2) if success else 0.5
        for control in POOL_ROLES:
            self.param[control].bounds = (self.minimum(control), self.param[control].bounds[1])
        self.param.update(
            weekly_visitors=min(2000, max(1300, m.demand.weekly_visitors)),
            open_shift=0,
            close_shift=0,
            errand_shares={e.id: e.share for e in m.errands},
            self_service_success=self._success_start,
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
                out.update(capacity_overrides(pools[pool], getattr(self, control)))
        out.update(opening_hours_overrides(m, self.open_shift, self.close_shift))
        for e in m.errands:
            share = self.errand_shares.get(e.id, e.share)
            if abs(share - e.share) > 1e-9:
                out[f"errands.{e.id}.share"] = share
        if abs(self.self_service_success - self._success_start) > 1e-9:  # moved: every self-service step
            for sid in self.self_service_steps():
                if abs(m.step(sid).success.default - self.self_service_success) > 1e-9:
                    out[f"steps.{sid}.success.default"] = self.self_service_success
        if self.policy != m.policy.queue:
            out["policy.queue"] = self.policy
        return out

    def problem(self) -> str | None:
        """None when the settings make a valid model, else the text key that says why not."""
        from . import engine

        try:
            engine.load_check(self.base, self.overrides())
        except UserError:
            return "b_invalid"
        return None

    def changes(self, lang: str) -> list[str]:
        """What differs from the base model, one line per thing a participant changed, in words."""
        m, ov = self.model, self.overrides()
        t = lambda k, **v: text(lang, k, **v)  # noqa: E731
        pct = lambda x: f"{x:.0%}".replace("%", " %")  # noqa: E731
        pools = {p.id: p for p in m.pools}
        out = []
        if "demand.weekly_visitors" in ov:
            out.append(f"{t('b_weekly_visitors')}: {m.demand.weekly_visitors} → {ov['demand.weekly_visitors']}")
        for control, pool in POOL_ROLES.items():
            if f"pools.{pool}.capacity" in ov:
                out.append(f"{t('b_' + control)}: {pools[pool].capacity} → {ov[f'pools.{pool}.capacity']}")
        for day, hours in m.opening_hours.items():
            for end, key in (("open", "b_opens"), ("close", "b_closes")):
                if f"opening_hours.{day}.{end}" in ov:
                    out.append(t(key, day=t("day_" + day), before=getattr(hours, end),
                                 after=ov[f"opening_hours.{day}.{end}"]))
        for e in m.errands:
            if f"errands.{e.id}.share" in ov:
                out.append(f"{e.label.get(lang)}: {pct(e.share)} → {pct(ov[f'errands.{e.id}.share'])}")
        if any(k.startswith("steps.") and k.endswith(".success.default") for k in ov):
            out.append(f"{t('b_success')}: {pct(self._success_start)} → {pct(self.self_service_success)}")
        if "policy.queue" in ov:
            out.append(f"{t('b_policy')}: {t('policy_' + m.policy.queue)} → {t('policy_' + ov['policy.queue'])}")
        return out

    def saved(self) -> SavedScenario:
        name = self.scenario_name.strip()
        if not name:
            raise UiError("err_scenario_name")
        if (problem := self.problem()) is not None:
            raise UiError(problem)
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
