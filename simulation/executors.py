"""Executors for replications: a reused local process pool, or a Dask cluster's executor."""

from __future__ import annotations

import atexit
import os
import socket
from concurrent.futures import ProcessPoolExecutor

from process_models.errors import UserError

__all__ = ["process_pool", "dask_executor", "shutdown_pools"]

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
    executor = client.get_executor()
    executor._max_workers = max(1, sum(client.nthreads().values()))
    return client, executor


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

