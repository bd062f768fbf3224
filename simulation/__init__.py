"""Simulate weeks at a citizen office: scenarios, replications, comparisons, sweeps, calibration.

Describe (a Scenario: model plus overrides), run (SimPy, replications on any Executor),
collect (flat records, KPIs with 95 % confidence intervals).
"""

from process_models.session import Estimate

from .calibrate import calibrate, read_event_log, write_event_log
from .executors import dask_executor, process_pool, shutdown_pools
from .loadcheck import PoolLoad, erlang_c, erlang_c_wait, load_check
from .results import (
    Comparison,
    Records,
    RunResult,
    hourly_queue_length,
    hourly_utilisation,
    kpi_estimates,
    outcome_counts_per_day,
    step_waits,
)
from .runner import Cancelled, compare, run, simulate_replication, sweep
from .scenario import Learning, Scenario, apply_overrides, load_scenario, parse_assignment

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
]
