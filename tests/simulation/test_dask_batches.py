"""A sweep on Dask is cut into a few tasks per worker (its overhead is per task), with the pool's results."""

from __future__ import annotations

import pytest

from simulation import sweep
from simulation.executors import process_pool

distributed = pytest.importorskip("distributed")


def test_a_dask_sweep_runs_as_a_few_tasks_per_worker_with_identical_results():
    grid = {"pools.public_computers.capacity": [5, 6, 7, 8, 9, 10], "pools.guides.capacity": [3, 4]}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ex = client.get_executor()
        ex._max_workers = 2
        with distributed.get_task_stream(client) as tasks:
            dasked = sweep("skarholmen-current", grid, replications=2, seed=3, executor=ex)
    assert len(dasked) == 12
    assert len(tasks.data) == 4  # 12 scenario jobs in 2 tasks per worker
    pooled = sweep("skarholmen-current", grid, replications=2, seed=3, executor=process_pool(2))
    assert dasked.equals(pooled)
