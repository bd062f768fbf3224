"""Executors for replications: a reused local process pool, or a Dask cluster's executor."""

from __future__ import annotations

import atexit
import os
import socket
from concurrent.futures import ProcessPoolExecutor

from process_models.errors import UserError

__all__ = ["process_pool", "dask_executor", "shutdown_pools", "DASK_CONFIG", "dask_local_cluster", "dask_workers"]

_POOLS: dict[int, ProcessPoolExecutor] = {}


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool with `workers` processes, created once and reused (default: CPU count)."""
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise UserError(f"--workers: expected at least 1, got {n}")
    pool = _POOLS.get(n)
    if pool is None:
        pool = _POOLS[n] = ProcessPoolExecutor(max_workers=n)
    return pool


def shutdown_pools() -> None:
    for pool in _POOLS.values():
        pool.shutdown(wait=True, cancel_futures=True)
    _POOLS.clear()


atexit.register(shutdown_pools)


def dask_executor(address: str, timeout: float = 10.0):
    """(client, executor) for a running Dask scheduler, e.g. tcp://127.0.0.1:8786."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - the `cluster` extra is installed in tests
        raise UserError("--dask needs the optional extra: pip install 'mbk-studio[cluster]'") from None
    _reachable(address)
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"--dask {address}: cannot reach a Dask scheduler ({exc.__class__.__name__}: {exc})") from None
    return client, client.get_executor()


#: Dask settings for a cluster that runs replications (issue 16), also what README's "On a Dask
#: cluster" tells an operator to set on `dask scheduler` and `dask worker`. Dask's defaults wake
#: every worker 160 times a second (sampling profiler, tick watchdog, memory monitor) and make
#: glibc give each week's large arrays back to the OS, faulting them in again for the next week.
DASK_CONFIG: dict[str, object] = {
    "distributed.admin.tick.interval": "1s",  # event-loop watchdog, 20 ms by default
    "distributed.worker.profile.enabled": False,  # the dashboard's sampling profiler, every 10 ms
    "distributed.worker.memory.monitor-interval": "1s",  # RSS checks, 100 ms by default
    "distributed.admin.system-monitor.interval": "2s",  # the dashboard's CPU/memory/net samples, 500 ms
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,  # keep glibc's adaptive malloc
}


def dask_local_cluster(workers: int = 2, threads_per_worker: int = 1, processes: bool = True, **kwargs):
    """A `distributed.LocalCluster` with DASK_CONFIG, no dashboard: the set-up the bench and tests use."""
    import dask
    from distributed import LocalCluster

    kwargs.setdefault("dashboard_address", None)
    # the nannies copy the config for their workers here; scheduler and workers read the intervals at start
    with dask.config.set(DASK_CONFIG):
        return LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=processes, **kwargs)


def dask_workers(executor) -> int:
    """Threads of the Dask cluster behind a `client.get_executor()` (at least 1: a cluster may be scaling up)."""
    return max(1, sum(executor._client.nthreads().values()))


def _reachable(address: str) -> None:
    """Fail fast (instead of after the client's timeout) when nothing listens at a tcp:// address."""
    if not address.startswith("tcp://"):
        return
    host, _, port = address[len("tcp://"):].rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=3):
            pass
    except ValueError:
        raise UserError(f"--dask {address}: expected tcp://HOST:PORT") from None
    except OSError as exc:
        raise UserError(f"--dask {address}: cannot reach a Dask scheduler ({exc.strerror or exc})") from None

