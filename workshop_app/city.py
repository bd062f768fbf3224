"""State of the city panel under Compare: several offices' scenarios run as one city, side by side and in total.

The choices are the compare tab's (library models, the session's proposals, saved scenarios);
the run goes through `engine.run_city`, on a worker thread (`start`) or inline (`run`, what tests
call). No layout here.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import param

from process_models import library_names

from . import engine
from .compare import _Catalogue
from .shared_session import SharedSession
from .texts import DEFAULT_LANG, LANGS, UiError, text

__all__ = ["CityState", "CITY_TABLE_KPIS", "DEFAULT_CITY"]

log = logging.getLogger(__name__)

#: The rows of the city table, in this order.
CITY_TABLE_KPIS = ("arrived", "served", "self_served_share", "mean_wait", "within_20", "gave_up", "staff_hours",
                   "cost.week", "cost.year", "cost.per_visitor")
#: What the panel offers first: the library's two offices of today.
DEFAULT_CITY = ("skarholmen-current", "rinkeby-2006")
MIN_OFFICES = 2


class CityState(_Catalogue, param.Parameterized):
    """Choose the offices, run them as a city, keep the last result (columns: offices, then the total)."""

    lang = param.Selector(default=DEFAULT_LANG, objects=list(LANGS))
    chosen = param.ListSelector(default=[], objects=[])
    replications = param.Integer(default=10, bounds=(2, 200))
    seed = param.Integer(default=2026, bounds=(0, None))
    status = param.Selector(default="idle", objects=["idle", "running", "done", "cancelled", "error"])
    error = param.String(default="", doc="Text key of the last error.")
    progress = param.Number(default=0.0, bounds=(0, 1))
    result = param.Dict(default={}, doc="engine.run_city's answer for the last run.")

    def __init__(self, shared: SharedSession, *, executor=None, **params):
        super().__init__(**params)
        self.shared, self.executor = shared, executor
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.refresh_choices()
        if not self.chosen:
            self.chosen = [n for n in DEFAULT_CITY if n in library_names()]

    def refresh_choices(self) -> None:
        """Offer what the room has now (a proposal made in another browser, a saved scenario)."""
        names = list(self.catalogue())
        self.param.chosen.objects = names
        kept = [c for c in self.chosen if c in names]
        if kept != list(self.chosen):
            self.chosen = kept

    def options(self) -> dict[str, str]:
        """On-screen name (UI language) -> catalogue name."""
        return {self.label(n)[self.lang]: n for n in self.param.chosen.objects}

    def offices(self) -> list[tuple[str, str, dict]]:
        """(office name on screen, model, overrides) of the chosen scenarios; names kept unique."""
        out, seen = [], set()
        for n in self.chosen:
            model, overrides = self.catalogue()[n]
            label = self.label(n)[self.lang]
            while label in seen:
                label += " ·"
            seen.add(label)
            out.append((label, model, overrides))
        return out

    def run(self) -> dict[str, Any] | None:
        """Run the chosen offices as a city; the answer is in `result` (and returned)."""
        if len(self.chosen) < MIN_OFFICES:
            self.param.update(status="error", error="city_too_few")
            raise UiError("city_too_few", n=MIN_OFFICES)
        self._cancel.clear()
        self.param.update(status="running", error="", progress=0.0)

        def progress(done: int, total: int) -> None:
            self.progress = min(1.0, done / total) if total else 0.0

        try:
            result = engine.run_city(text(self.lang, "city_name"), self.offices(), replications=self.replications,
                                     seed=self.seed, executor=self.executor, progress=progress, cancel=self._cancel)
        except engine.RunCancelled:
            self.status = "cancelled"
            return None
        except Exception:
            self.param.update(status="error", error="city_failed")
            raise
        self.param.update(result=result, status="done", progress=1.0)
        return result

    def start(self) -> threading.Thread | None:
        """Run on a worker thread; the view follows `status`, `progress` and `result`."""
        if self.status == "running":
            return self._thread
        if len(self.chosen) < MIN_OFFICES:
            self.param.update(status="error", error="city_too_few")
            return None

        def work():
            try:
                self.run()
            except Exception:  # run() put the error in `status`; the operator sees the cause here
                log.exception("city run failed in the background")

        self.status = "running"
        self._thread = threading.Thread(target=work, name="mbk-city", daemon=True)
        self._thread.start()
        return self._thread

    def cancel(self) -> None:
        self._cancel.set()

    def table(self) -> list[tuple[str, list[dict | None]]]:
        """(kpi, [estimate per column]) for the rows of `CITY_TABLE_KPIS` the last result has."""
        if not self.result:
            return []
        cols = self.result["columns"]
        rows = []
        for kpi in CITY_TABLE_KPIS:
            cells = [self.result["kpis"][c].get(kpi) for c in cols]
            if any(c is not None for c in cells):
                rows.append((kpi, cells))
        return rows
