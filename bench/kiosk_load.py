"""Load test of the kiosk: 20 simultaneous kiosk sessions and 5 floor views on loopback.

The server runs as `mbk kiosk serve` in a subprocess (SQLite in WAL, outbox sender on, dev
mail folder). Each kiosk session loops: language -> errand -> check-in (register the errand or
a booked arrival, which also queues the caseworker's e-mail) -> start over. Each floor view
polls the floor feed every 0.5 s with a staff login. Reports p50/p95 check-in latency and
errors against targets (p95 <= 150 ms, 0 errors), and the ratio to a baseline measured in the
same run: a read-only GET of the kiosk state under the same load.

Usage: .venv/bin/python bench/kiosk_load.py [--seconds 15] [--think 0.25] [--seed 1] [--quick]
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
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from prototypes.auth import StaffAuth  # noqa: E402
from prototypes.storage import appointments, caseworkers, open_engine  # noqa: E402

KIOSKS, FLOORS = 20, 5
P95_TARGET_MS = 150.0


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: Path, meetings: int) -> list[str]:
    engine = open_engine(db)
    start = datetime.now().replace(hour=0, minute=0, second=1, microsecond=0)
    codes = [f"L{i:06d}" for i in range(meetings)]
    with engine.begin() as conn:
        conn.execute(caseworkers.insert().values(id="cw", name="Anna L.", email="anna@medborgarkontor.invalid"))
        conn.execute(appointments.insert(), [
            {"code": c, "caseworker_id": "cw", "starts_at": start + timedelta(seconds=i % 80000)} for i, c in enumerate(codes)
        ])
    StaffAuth(engine).add_staff("bench", "bench-password-1")
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--quick", action="store_true", help="5 seconds")
    ap.add_argument("--think", type=float, default=0.25,
                    help="mean pause between a visitor's taps in seconds (0 = hammer, a saturation test)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the think-time jitter")
    ap.add_argument("--url", default="", help="use a kiosk already serving this URL on --db (for profiling)")
    ap.add_argument("--db", default="", help="database of the server given with --url")
    args = ap.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    db = Path(args.db) if args.url else tmp / "kiosk.sqlite"
    codes = prepare(db, 20000)
    port = free_port()
    base = args.url or f"http://127.0.0.1:{port}"
    env = dict(os.environ, MBK_MAIL_DIR=str(tmp / "mail"), MBK_SEND_INTERVAL=os.environ.get("BENCH_SEND", "0.2"))
    mbk = str(Path(sys.executable).with_name("mbk"))
    command = [mbk, "kiosk", "serve", "--port", str(port), "--db", str(db), "--no-demo"]
    proc = subprocess.Popen(["sleep", "86400"] if args.url else command,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/kiosk", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        checkin, baseline, floor_lat, errors = [], [], [], []
        lock, stop = threading.Lock(), threading.Event()
        todo = iter(codes)

        def pause(rng) -> None:
            if args.think > 0:
                stop.wait(args.think * rng.uniform(0.5, 1.5))

        def kiosk_arrival(i: int) -> None:
            n, rng = i, random.Random(args.seed * 1000 + i)
            while not stop.is_set():
                op = client()
                try:
                    post(op, base + "/kiosk", action="language", value=["sv", "ar", "so", "fa", "ti", "en"][n % 6])
                    pause(rng)
                    post(op, base + "/kiosk", action="choose", value="booked_meeting")
                    pause(rng)
                    with lock:
                        code = next(todo)
                    t = time.perf_counter()
                    reply = post(op, base + "/kiosk", action="code", code=code)  # check-in + outbox row
                    dt = time.perf_counter() - t
                    if reply.get("screen") != "arrived":
                        raise RuntimeError(f"check-in not acknowledged: {reply}")
                    with lock:
                        checkin.append(dt)
                    pause(rng)
                    t = time.perf_counter()
                    op.open(urllib.request.Request(base + "/kiosk?format=json"), timeout=10).read()
                    with lock:
                        baseline.append(time.perf_counter() - t)
                    pause(rng)
                    post(op, base + "/kiosk", action="reset")
                except Exception as exc:  # every failure counts
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                n += 1

        def kiosk_register(i: int) -> None:
            rng = random.Random(args.seed * 1000 + 500 + i)
            while not stop.is_set():
                op = client()
                try:
                    post(op, base + "/kiosk", action="language", value="sv")
                    pause(rng)
                    t = time.perf_counter()
                    reply = post(op, base + "/kiosk", action="choose", value="computer_support")  # registers: a check-in
                    dt = time.perf_counter() - t
                    if reply.get("screen") != "register" or not reply.get("number"):
                        raise RuntimeError(f"check-in not acknowledged: {reply}")
                    with lock:
                        checkin.append(dt)
                    pause(rng)
                    t = time.perf_counter()
                    op.open(urllib.request.Request(base + "/kiosk?format=json"), timeout=10).read()
                    with lock:
                        baseline.append(time.perf_counter() - t)
                    pause(rng)
                    post(op, base + "/kiosk", action="reset")
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")

        def floor() -> None:
            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *a, **kw):  # keep the login cookie, do not open the Panel page
                    return None

            op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect())
            post_login = urllib.request.Request(base + "/login", data=urlencode({"username": "bench", "password": "bench-password-1"}).encode())
            try:
                op.open(post_login, timeout=10).read()
            except urllib.error.HTTPError as exc:
                if exc.code != 303:
                    raise
            while not stop.is_set():
                try:
                    t = time.perf_counter()
                    rows = json.loads(op.open(base + "/api/floor", timeout=10).read())
                    with lock:
                        floor_lat.append(time.perf_counter() - t)
                    assert isinstance(rows, list)
                except Exception as exc:
                    with lock:
                        errors.append(f"floor {type(exc).__name__}: {exc}")
                stop.wait(0.5)

        # half the kiosks check in booked arrivals (+ e-mail), half register errands
        threads = [threading.Thread(target=kiosk_arrival, args=(i,)) for i in range(KIOSKS // 2)]
        threads += [threading.Thread(target=kiosk_register, args=(i,)) for i in range(KIOSKS - KIOSKS // 2)]
        threads += [threading.Thread(target=floor) for _ in range(FLOORS)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=15)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if not args.url:
            time.sleep(1)  # the sender child notices its parent is gone and exits
            shutil.rmtree(tmp, ignore_errors=True)
    ms = lambda xs, q: 1000 * percentile(xs, q)  # noqa: E731
    p50, p95 = ms(checkin, 50), ms(checkin, 95)
    b50, b95 = ms(baseline, 50), ms(baseline, 95)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.platform()}")
    print(f"load: {KIOSKS} kiosk sessions (mean {args.think:.2f} s between taps) + {FLOORS} floor views polling every 0.5 s, "
          f"{seconds:.0f} s on loopback; SQLite WAL; outbox sender on")
    print(f"check-ins: {len(checkin)} ({len(checkin) / seconds:.1f}/s), p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= {P95_TARGET_MS:.0f} ms)")
    print(f"baseline (read-only GET of the kiosk state, same load): {len(baseline)}, p50 {b50:.1f} ms, p95 {b95:.1f} ms")
    print(f"ratio check-in / baseline: p50 {p50 / b50:.2f}, p95 {p95 / b95:.2f}")
    print(f"floor feed: {len(floor_lat)} polls, p95 {ms(floor_lat, 95):.1f} ms")
    if os.environ.get("KIOSK_BENCH_DEBUG"):
        print("slowest check-ins (ms):", [round(1000 * x) for x in sorted(checkin)[-15:]])
    print(f"errors: {len(errors)} (target 0)" + (f"; first: {errors[0]}" if errors else ""))
    ok = p95 <= P95_TARGET_MS and not errors and checkin
    print(f"result: {'PASS' if ok else 'FAIL'} (p95 {'ok' if p95 <= P95_TARGET_MS else 'over target'}, errors {'ok' if not errors else 'not 0'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
