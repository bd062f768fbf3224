"""Simulate weeks at a citizen office: scenarios, replications, comparisons, sweeps, calibration.

Describe (a Scenario: model plus overrides), run (SimPy, replications on any Executor),
collect (flat records, KPIs with 95 % confidence intervals).

Names are loaded on first use, so that `mbk` starts without importing every
library this package needs.
"""

from process_models.lazy import lazy_names

# imported at once: the submodule has the function's name, and once loaded it would shadow it
from .calibrate import calibrate, read_event_log, write_event_log

__all__ = [
    "Scenario",
    "Learning",
    "load_scenario",
    "apply_overrides",
    "parse_assignment",
    "run",
    "compare",
    "sweep",
    "Cancelled",
    "RunResult",
    "Comparison",
    "Records",
    "Estimate",
    "PoolLoad",
    "load_check",
    "erlang_c",
    "erlang_c_wait",
    "kpi_estimates",
    "step_waits",
    "hourly_queue_length",
    "hourly_utilisation",
    "outcome_counts_per_day",
    "simulate_replication",
    "process_pool",
    "dask_executor",
    "shutdown_pools",
    "calibrate",
    "read_event_log",
    "write_event_log",
    "Outcome",
    "VisitStatus",
    "OutsideRangeWarning",
    "City",
    "load_city",
    "run_city",
    "sweep_city",
    "city_totals",
]

_WHERE = {
    "Estimate": "process_models.session",
    "dask_executor": ".executors",
    "process_pool": ".executors",
    "shutdown_pools": ".executors",
    "PoolLoad": ".loadcheck",
    "erlang_c": ".loadcheck",
    "erlang_c_wait": ".loadcheck",
    "load_check": ".loadcheck",
    "Comparison": ".results",
    "Records": ".results",
    "RunResult": ".results",
    "hourly_queue_length": ".results",
    "hourly_utilisation": ".results",
    "kpi_estimates": ".results",
    "outcome_counts_per_day": ".results",
    "step_waits": ".results",
    "Cancelled": ".runner",
    "compare": ".runner",
    "run": ".runner",
    "simulate_replication": ".runner",
    "sweep": ".runner",
    "Outcome": ".records",
    "VisitStatus": ".records",
    "OutsideRangeWarning": ".scenario",
    "Learning": ".scenario",
    "Scenario": ".scenario",
    "apply_overrides": ".scenario",
    "load_scenario": ".scenario",
    "parse_assignment": ".scenario",
    "City": ".city",
    "load_city": ".city",
    "run_city": ".city",
    "sweep_city": ".city",
    "city_totals": ".city",
}

__getattr__ = lazy_names(__name__, _WHERE)
