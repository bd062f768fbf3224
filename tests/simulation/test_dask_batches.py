"""A sweep on Dask is cut into a few tasks per worker (its overhead is per task), with the pool's results;
the recommended cluster settings reach the workers, and README tells an operator the same settings."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from simulation import sweep
from simulation.executors import DASK_CONFIG, dask_local_cluster, process_pool
from simulation.runner import DASK_TASKS_PER_WORKER

distributed = pytest.importorskip("distributed")

README = Path(__file__).resolve().parents[2] / "README.md"
GRID = {"pools.public_computers.capacity": [5, 6, 7, 8, 9, 10], "pools.guides.capacity": [3, 4]}


@pytest.mark.parametrize("workers", [2, 3])
def test_a_dask_sweep_runs_as_a_few_tasks_per_worker_the_client_counts_with_identical_results(workers):
    with dask_local_cluster(workers, processes=False) as cluster, distributed.Client(cluster) as client:
        with distributed.get_task_stream(client) as tasks:
            dasked = sweep("skarholmen-current", GRID, replications=2, seed=3, executor=client.get_executor())
    assert len(dasked) == 12
    assert len(tasks.data) == workers * DASK_TASKS_PER_WORKER  # 12 scenario jobs, the workers asked of the client
    pooled = sweep("skarholmen-current", GRID, replications=2, seed=3, executor=process_pool(2))
    assert dasked.equals(pooled)


def _worker_settings() -> dict:
    import dask

    settings = {key: dask.config.get(key) for key in DASK_CONFIG}
    settings["env MALLOC_TRIM_THRESHOLD_"] = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    return settings


def test_the_recommended_settings_reach_the_worker_processes_of_a_local_cluster():
    with dask_local_cluster(1) as cluster, distributed.Client(cluster) as client:
        (settings,) = client.run(_worker_settings).values()
    assert settings == {**DASK_CONFIG, "env MALLOC_TRIM_THRESHOLD_": None}


def test_readme_tells_an_operator_the_settings_the_bench_measures():
    exports = re.findall(r"^export (DASK_\w+)=(.+)$", README.read_text(encoding="utf-8"), re.M)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASK_")}
    env.update({name: shlex.split(value, comments=True)[0] for name, value in exports})
    script = ("import dask, distributed, json; from simulation.executors import DASK_CONFIG; "
              "print(json.dumps({k: dask.config.get(k) for k in DASK_CONFIG}))")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
                         cwd=README.parent)
    assert json.loads(out.stdout) == DASK_CONFIG
