"""Same seed, same records; executors and worker counts change nothing; CRN keeps comparisons tight."""

from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from simulation import Cancelled, Scenario, compare, run, sweep
from simulation.executors import dask_local_cluster


def _same_records(a, b) -> bool:
    return all(
        np.array_equal(ra[k], rb[k]) for ra, rb in zip(a.records.reps, b.records.reps) for k in ("visitors", "visits", "busy")
    )


def test_same_seed_identical_records_different_seed_not():
    a = run("skarholmen-kiosk", replications=2, seed=3)
    b = run("skarholmen-kiosk", replications=2, seed=3)
    c = run("skarholmen-kiosk", replications=2, seed=4)
    assert _same_records(a, b)
    assert a.rep_kpis == b.rep_kpis
    assert not np.array_equal(a.records.reps[0]["visitors"], c.records.reps[0]["visitors"])


def test_process_pool_and_dask_give_identical_results():
    serial = run("skarholmen-current", replications=6, seed=21)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = run("skarholmen-current", replications=6, seed=21, executor=pool)
    assert _same_records(serial, pooled)
    assert serial.kpis() == pooled.kpis()
    distributed = pytest.importorskip("distributed")
    with dask_local_cluster(2, processes=False) as cluster, \
            distributed.Client(cluster) as client:
        ex = client.get_executor()
        dasked = run("skarholmen-current", replications=6, seed=21, executor=ex)
        grid = {"pools.public_computers.capacity": [6, 8]}
        swept_dask = sweep("skarholmen-current", grid, replications=3, seed=2, executor=ex)
    assert _same_records(serial, dasked)
    swept_serial = sweep("skarholmen-current", grid, replications=3, seed=2)
    assert swept_serial.equals(swept_dask)


def test_replication_i_does_not_depend_on_how_many_run():
    few = run("skarholmen-current", replications=2, seed=9)
    many = run("skarholmen-current", replications=5, seed=9)
    assert many.rep_kpis[:2] == few.rep_kpis


def test_common_random_numbers_make_differences_tight():
    more = Scenario(name="10 computers", model="skarholmen-current", overrides={"pools.public_computers.capacity": 10})
    cmp = compare(["skarholmen-current", more], replications=8, seed=1)
    paired = cmp.difference(1)["mean_wait"]
    k0, k1 = cmp.kpis()
    unpaired_half = ((k0["mean_wait"].high - k0["mean_wait"].low) ** 2 + (k1["mean_wait"].high - k1["mean_wait"].low) ** 2) ** 0.5 / 2
    assert (paired.high - paired.low) / 2 < 0.5 * unpaired_half
    # same visitors: arrivals are identical in both scenarios
    assert [d["arrived"] for d in cmp.results[0].rep_kpis] == [d["arrived"] for d in cmp.results[1].rep_kpis]
    table = cmp.table()
    assert table.loc["wait.wait_computer", "10 computers verdict"] == "better"
    assert table.loc["arrived", "10 computers diff"] == 0
    # guide minutes freed against the baseline, paired per replication
    freed = [b["staff_minutes.guides"] - m["staff_minutes.guides"]
             for b, m in zip(cmp.results[0].rep_kpis, cmp.results[1].rep_kpis)]
    assert table.loc["guide_minutes_freed", "10 computers"] == pytest.approx(np.mean(freed))
    assert table.loc["guide_minutes_freed", "skarholmen-current"] == 0


def test_a_staff_pool_the_future_drops_counts_as_freed():
    """The kiosk office has no information desk: all the desk's minutes are freed, and they count in the total."""
    cmp = compare(["skarholmen-current", "skarholmen-kiosk"], replications=4, seed=1)
    today, kiosk = cmp.results[0].rep_kpis, cmp.results[1].rep_kpis
    rows = cmp.rep_kpis(1)
    assert "staff_minutes.info_desk" not in kiosk[0]
    assert [r["staff_minutes_freed.info_desk"] for r in rows] == [b["staff_minutes.info_desk"] for b in today]
    pools = ("info_desk", "guides", "caseworkers", "duty_lawyer")
    for r in rows:
        assert r["staff_minutes_freed"] == pytest.approx(sum(r[f"staff_minutes_freed.{p}"] for p in pools))
    table = cmp.table()
    assert table.loc["staff_minutes_freed", "skarholmen-kiosk verdict"] == "better"
    assert round(table.loc["staff_minutes_freed", "skarholmen-kiosk"], 1) == 4665.6  # exact under seed 1, 4 replications


def test_cancel_stops_a_run_and_progress_counts_replications():
    seen = []
    cancel = threading.Event()

    def progress(done, total):
        seen.append((done, total))
        if done >= 2:
            cancel.set()

    s = Scenario(name="s", model="skarholmen-current")
    with ProcessPoolExecutor(max_workers=2) as pool:
        with pytest.raises(Cancelled):
            run(s, replications=40, seed=0, executor=pool, progress=progress, cancel=cancel)
    assert seen and seen[-1][1] == 40 and seen[-1][0] < 40
    seen.clear()
    run(s, replications=3, seed=0, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(3, 3)]
