"""The process pool the served app runs simulations on, started once and warmed up."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor

__all__ = ["shared_executor"]

_EXECUTOR: Executor | None = None
_LOCK = threading.Lock()


def shared_executor(workers: int | None = None) -> Executor:
    """One pool per server process; forkserver, because the server already runs threads."""
    global _EXECUTOR
    with _LOCK:
        if _EXECUTOR is None:
            n = workers or max(1, min(4, os.cpu_count() or 1))
            _EXECUTOR = ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("forkserver"))
        return _EXECUTOR
