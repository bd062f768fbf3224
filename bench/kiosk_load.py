"""Load test of the kiosk: offices x 20 simultaneous kiosk sessions and 5 floor views each, on loopback.

Every office runs as its own `mbk kiosk serve --office NAME` in a subprocess (outbox sender on,
dev mail folder), all offices of a backend sharing one database: a SQLite file in WAL, then a
PostgreSQL server this bench starts itself (Debian's postgresql, default durable settings, in a
temp folder on 127.0.0.1). Each kiosk session loops: language -> errand -> check-in (register
the errand or a booked arrival, which also queues the caseworker's e-mail) -> start over. Each
floor view polls its office's floor feed every 0.5 s with that office's staff login. Reports
p50/p95 check-in latency and errors per backend against targets (p95 <= 150 ms, 0 errors),
the ratio to a baseline measured in the same run (a read-only GET of the kiosk state under the
same load), and PostgreSQL against SQLite.

Usage: .venv/bin/python bench/kiosk_load.py [--seconds 15] [--offices 3] [--backends sqlite,postgresql]
       [--think 0.25] [--seed 1] [--quick]
(KIOSK_BENCH_DEBUG=1 also prints the slowest check-ins.)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prototypes.auth import StaffAuth  # noqa: E402
from prototypes.storage import appointments, caseworkers, open_engine  # noqa: E402
from tests.prototypes.pg_server import PostgresServer  # noqa: E402

KIOSKS, FLOORS = 20, 5  # per office
P95_TARGET_MS = 150.0
OFFICE_NAMES = ("rinkeby", "skarholmen", "spanga-tensta", "tensta", "kista", "hasselby")
MEETINGS = 20000  # per office: more than any run books


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: str, office: str, meetings: int) -> list[str]:
    """One office's caseworker, today's meetings (one code each) and its staff login."""
    engine = open_engine(db)
    start = datetime.now().replace(hour=0, minute=0, second=1, microsecond=0)
    codes = [f"L{i:06d}" for i in range(meetings)]
    with engine.begin() as conn:
        conn.execute(caseworkers.insert().values(office=office, id="cw", name="Anna L.", email=f"anna@{office}.invalid"))
        conn.execute(appointments.insert(), [
            {"office": office, "code": c, "caseworker_id": "cw", "starts_at": start + timedelta(seconds=i % 80000)}
            for i, c in enumerate(codes)
        ])
    StaffAuth(engine, office_id=office).add_staff("bench", "bench-password-1")
    engine.dispose()
    return codes


def client():
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    return opener


def post(opener, url: str, **form) -> dict:
    req = urllib.request.Request(url, data=urlencode(form).encode(), headers={"Accept": "application/json"})
    return json.loads(opener.open(req, timeout=10).read())


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, round(q / 100 * (len(values) - 1))))
    return values[k]


@dataclass
class Figures:
    """What one backend's run measured (seconds)."""

    backend: str
    offices: int
    seconds: float
    checkin: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def start_servers(db: str, offices: list[str], tmp: Path) -> tuple[list[subprocess.Popen], list[str]]:
    """One `mbk kiosk serve` per office on the shared database; returns the processes and their base URLs."""
    mbk = str(Path(sys.executable).with_name("mbk"))
    procs, bases = [], []
    for office in offices:
        port = free_port()
        env = dict(os.environ, MBK_MAIL_DIR=str(tmp / "mail" / office), MBK_SEND_INTERVAL=os.environ.get("BENCH_SEND", "0.2"))
        log = open(tmp / f"{office}.log", "wb")  # a file, not a pipe: a full pipe would stall the server
        procs.append(subprocess.Popen(
            [mbk, "kiosk", "serve", "--port", str(port), "--db", db, "--office", office, "--no-demo"],
            stdout=subprocess.DEVNULL, stderr=log, env=env))
        bases.append(f"http://127.0.0.1:{port}")
    for proc, base, office in zip(procs, bases, offices):
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/kiosk", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    tail = (tmp / f"{office}.log").read_text(errors="replace")[-500:]
                    raise RuntimeError(f"kiosk server of {office} exited: {tail}") from None
                time.sleep(0.1)
    return procs, bases


def run_load(base: list[str], codes: list[list[str]], seconds: float, think: float, seed: int, fig: Figures) -> None:
    """Drive every office's server with KIOSKS kiosk sessions and FLOORS floor views for `seconds`."""
    lock, stop = threading.Lock(), threading.Event()
    todo = [iter(c) for c in codes]

    def pause(rng) -> None:
        if think > 0:
            stop.wait(think * rng.uniform(0.5, 1.5))

    def kiosk_arrival(o: int, i: int) -> None:
        n, rng = i, random.Random(seed * 100000 + o * 1000 + i)
        while not stop.is_set():
            op = client()
            try:
                post(op, base[o] + "/kiosk", action="language", value=["sv", "ar", "so", "fa", "ti", "en"][n % 6])
                pause(rng)
                post(op, base[o] + "/kiosk", action="choose", value="booked_meeting")
                pause(rng)
                with lock:
                    code = next(todo[o])
                t = time.perf_counter()
                reply = post(op, base[o] + "/kiosk", action="code", code=code)  # check-in + outbox row
                dt = time.perf_counter() - t
                if reply.get("screen") != "arrived":
                    raise RuntimeError(f"check-in not acknowledged: {reply}")
                with lock:
                    fig.checkin.append(dt)
                pause(rng)
                t = time.perf_counter()
                op.open(urllib.request.Request(base[o] + "/kiosk?format=json"), timeout=10).read()
                with lock:
                    fig.baseline.append(time.perf_counter() - t)
                pause(rng)
                post(op, base[o] + "/kiosk", action="reset")
            except Exception as exc:  # every failure counts
                with lock:
                    fig.errors.append(f"{type(exc).__name__}: {exc}")
            n += 1

    def kiosk_register(o: int, i: int) -> None:
        rng = random.Random(seed * 100000 + o * 1000 + 500 + i)
        while not stop.is_set():
            op = client()
            try:
                post(op, base[o] + "/kiosk", action="language", value="sv")
                pause(rng)
                t = time.perf_counter()
                reply = post(op, base[o] + "/kiosk", action="choose", value="computer_support")  # registers: a check-in
                dt = time.perf_counter() - t
                if reply.get("screen") != "register" or not reply.get("number"):
                    raise RuntimeError(f"check-in not acknowledged: {reply}")
                with lock:
                    fig.checkin.append(dt)
                pause(rng)
                t = time.perf_counter()
                op.open(urllib.request.Request(base[o] + "/kiosk?format=json"), timeout=10).read()
                with lock:
                    fig.baseline.append(time.perf_counter() - t)
                pause(rng)
                post(op, base[o] + "/kiosk", action="reset")
            except Exception as exc:
                with lock:
                    fig.errors.append(f"{type(exc).__name__}: {exc}")

    def floor(o: int) -> None:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **kw):  # keep the login cookie, do not open the Panel page
                return None

        op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect())
        login = urllib.request.Request(base[o] + "/login",
                                       data=urlencode({"username": "bench", "password": "bench-password-1"}).encode())
        try:
            op.open(login, timeout=10).read()
        except urllib.error.HTTPError as exc:
            if exc.code != 303:
                with lock:
                    fig.errors.append(f"floor login {exc.code}")
                return
        while not stop.is_set():
            try:
                t = time.perf_counter()
                rows = json.loads(op.open(base[o] + "/api/floor", timeout=10).read())
                with lock:
                    fig.floor.append(time.perf_counter() - t)
                if not isinstance(rows, list):
                    raise RuntimeError(f"floor feed is not a list: {rows!r}")
            except Exception as exc:
                with lock:
                    fig.errors.append(f"floor {type(exc).__name__}: {exc}")
            stop.wait(0.5)

    threads = []
    for o in range(len(base)):
        # half the kiosks check in booked arrivals (+ e-mail), half register errands
        threads += [threading.Thread(target=kiosk_arrival, args=(o, i)) for i in range(KIOSKS // 2)]
        threads += [threading.Thread(target=kiosk_register, args=(o, i)) for i in range(KIOSKS - KIOSKS // 2)]
        threads += [threading.Thread(target=floor, args=(o,)) for _ in range(FLOORS)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=15)


def warm_up(base: str, code: str) -> None:
    """One visitor through every screen the load uses, so that no measured request pays for a first import."""
    op = client()
    post(op, base + "/kiosk", action="language", value="sv")
    post(op, base + "/kiosk", action="choose", value="booked_meeting")
    post(op, base + "/kiosk", action="code", code=code)
    post(op, base + "/kiosk", action="reset")
    post(op, base + "/kiosk", action="language", value="ar")
    post(op, base + "/kiosk", action="choose", value="computer_support")
    post(op, base + "/kiosk", action="reset")


def measure(backend: str, offices: list[str], seconds: float, think: float, seed: int) -> Figures:
    """Start the database and one server per office, drive them, stop everything."""
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    pg = None
    procs: list[subprocess.Popen] = []
    try:
        if backend == "postgresql":
            pg = PostgresServer(fast=False).start()  # durable defaults, as a city's server would run
            db = pg.database("bench")
        else:
            db = str(tmp / "kiosk.sqlite")
        codes = [prepare(db, office, MEETINGS) for office in offices]
        procs, bases = start_servers(db, offices, tmp)
        for base, office_codes in zip(bases, codes):
            warm_up(base, office_codes.pop())
        fig = Figures(backend, len(offices), seconds)
        run_load(bases, codes, seconds, think, seed, fig)
        return fig
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)
        time.sleep(1)  # the sender children notice their parent is gone and exit
        if pg is not None:
            pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def report(fig: Figures, think: float) -> bool:
    ms = lambda xs, q: 1000 * percentile(xs, q)  # noqa: E731
    p50, p95 = ms(fig.checkin, 50), ms(fig.checkin, 95)
    b50, b95 = ms(fig.baseline, 50), ms(fig.baseline, 95)
    print(f"== {fig.backend}: {fig.offices} offices x ({KIOSKS} kiosk sessions, mean {think:.2f} s between taps, "
          f"+ {FLOORS} floor views polling every 0.5 s), {fig.seconds:.0f} s; one server and outbox sender per office")
    print(f"check-ins: {len(fig.checkin)} ({len(fig.checkin) / fig.seconds:.1f}/s), p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(target p95 <= {P95_TARGET_MS:.0f} ms)")
    print(f"baseline (read-only GET of the kiosk state, same load): {len(fig.baseline)}, p50 {b50:.1f} ms, p95 {b95:.1f} ms")
    print(f"ratio check-in / baseline: p50 {p50 / b50:.2f}, p95 {p95 / b95:.2f}")
    print(f"floor feed: {len(fig.floor)} polls, p95 {ms(fig.floor, 95):.1f} ms")
    if os.environ.get("KIOSK_BENCH_DEBUG"):
        print("slowest check-ins (ms):", [round(1000 * x) for x in sorted(fig.checkin)[-15:]])
    print(f"errors: {len(fig.errors)} (target 0)" + (f"; first: {fig.errors[0]}" if fig.errors else ""))
    ok = bool(fig.checkin) and p95 <= P95_TARGET_MS and not fig.errors
    print(f"result: {'PASS' if ok else 'FAIL'} (p95 {'ok' if p95 <= P95_TARGET_MS else 'over target'}, "
          f"errors {'ok' if not fig.errors else 'not 0'})")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--quick", action="store_true", help="5 seconds per backend")
    ap.add_argument("--offices", type=int, default=3, help=f"offices sharing one database (1..{len(OFFICE_NAMES)})")
    ap.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    ap.add_argument("--think", type=float, default=0.25,
                    help="mean pause between a visitor's taps in seconds (0 = hammer, a saturation test)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the think-time jitter")
    args = ap.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not 1 <= args.offices <= len(OFFICE_NAMES) or not set(backends) <= {"sqlite", "postgresql"} or not backends:
        ap.error(f"--offices 1..{len(OFFICE_NAMES)} and --backends from sqlite,postgresql")
    offices = list(OFFICE_NAMES[: args.offices])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.platform()}; load average {os.getloadavg()[0]:.1f} at the start")
    figures = {b: measure(b, offices, seconds, args.think, args.seed) for b in backends}
    results = [report(fig, args.think) for fig in figures.values()]
    if {"sqlite", "postgresql"} <= set(figures):
        pg, lite = figures["postgresql"], figures["sqlite"]
        ratio = lambda q: percentile(pg.checkin, q) / percentile(lite.checkin, q)  # noqa: E731
        print(f"PostgreSQL / SQLite check-in latency, same load in the same run: p50 {ratio(50):.2f}, p95 {ratio(95):.2f}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
