"""Kill the server with SIGKILL during a burst of check-ins, restart it, and check that every
acknowledged check-in is still there and every caseworker e-mail reaches SMTP exactly once.

`mbk kiosk serve` runs the e-mail sender as a child process; it finishes the message in hand
when the web server dies and then exits, and the restarted server's sender takes the rest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import psutil
from sqlalchemy import select

from prototypes.storage import appointments, caseworkers, open_engine, outbox, visits

from .kiosk_support import SmtpCapture, free_port, wait_until

MBK = str(Path(sys.executable).with_name("mbk"))
N_MEETINGS = 400


def _start(db: Path, cfg: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [MBK, "kiosk", "serve", "--port", str(port), "--db", str(db), "--config", str(cfg), "--no-demo"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    ok = wait_until(lambda: _alive(port) or proc.poll() is not None, timeout=30, interval=0.1)
    assert ok and proc.poll() is None, proc.stderr.read().decode() if proc.poll() is not None else "server did not start"
    return proc


def _alive(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/kiosk", timeout=1).read()
        return True
    except OSError:
        return False


def _visitor(port: int):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def act(**form) -> dict:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/kiosk", data=urlencode(form).encode(), headers={"Accept": "application/json"}
        )
        return json.loads(opener.open(req, timeout=5).read())

    return act


def test_sigkill_during_a_burst_loses_nothing_acknowledged_and_sends_each_mail_once(tmp_path, db_url):
    """On SQLite and on PostgreSQL (db_url runs it on both)."""
    smtp = SmtpCapture().start()
    db, cfg, port = db_url, tmp_path / "kiosk.yaml", free_port()
    cfg.write_text(f"smtp_host: 127.0.0.1\nsmtp_port: {smtp.port}\nsend_interval: 0.05\n")
    engine = open_engine(db)
    today = datetime.now().replace(hour=8, minute=0, second=0, microsecond=0)
    codes = [f"C{i:05d}" for i in range(N_MEETINGS)]
    with engine.begin() as conn:
        conn.execute(caseworkers.insert().values(id="cw", name="Omar H.", email="omar@medborgarkontor.invalid"))
        for i, code in enumerate(codes):
            conn.execute(appointments.insert().values(code=code, caseworker_id="cw", starts_at=today + timedelta(seconds=i)))
    engine.dispose()

    proc = _start(db, cfg, port)
    senders = wait_until(lambda: psutil.Process(proc.pid).children(), timeout=10)
    assert len(senders) == 1 and "prototypes.send" in senders[0].cmdline()
    acked_codes, acked_numbers, lock = [], [], threading.Lock()
    stop = threading.Event()
    todo = iter(codes)

    def burst(kind: str) -> None:
        while not stop.is_set():
            act = _visitor(port)
            try:
                act(action="language", value="sv")
                if kind == "arrival":
                    with lock:
                        code = next(todo, None)
                    if code is None:
                        return
                    act(action="choose", value="booked_meeting")
                    reply = act(action="code", code=code)
                    if reply["screen"] == "arrived":
                        with lock:
                            acked_codes.append(code)
                else:
                    reply = act(action="choose", value="computer_support")
                    if reply["screen"] == "register":
                        with lock:
                            acked_numbers.append(reply["number"])
            except (OSError, urllib.error.URLError, json.JSONDecodeError):
                return  # the server is gone: whatever was not acknowledged may be lost

    threads = [threading.Thread(target=burst, args=(k,)) for k in ["arrival"] * 5 + ["register"] * 2]
    for t in threads:
        t.start()
    # kill once the burst is well under way and the sender is busy delivering
    assert wait_until(lambda: len(acked_codes) >= 30 and len(smtp.messages) >= 5, timeout=60)
    os.kill(proc.pid, signal.SIGKILL)  # mid-burst: requests and e-mails are in flight
    proc.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    sent_before_kill = len(smtp.messages)
    gone, alive = psutil.wait_procs(senders, timeout=15)  # the orphaned sender notices and exits
    assert alive == []

    proc = _start(db, cfg, port)
    try:
        engine = open_engine(db)
        with engine.connect() as conn:
            arrived = {r[0]: r[1] for r in conn.execute(select(appointments.c.code, appointments.c.id).where(appointments.c.arrived_at.is_not(None)))}
            numbers = {r[0] for r in conn.execute(select(visits.c.number).where(visits.c.number.is_not(None)))}
            queued = conn.execute(select(outbox.c.message_id)).scalars().all()
        # nothing acknowledged to a kiosk is lost
        assert set(acked_codes) <= set(arrived)
        assert set(acked_numbers) <= numbers
        # every arrival has exactly one outbox row, and each is delivered exactly once after the restart
        assert len(queued) == len(arrived) == len(set(queued))
        assert wait_until(lambda: len(smtp.messages) >= len(arrived), timeout=30)
        time.sleep(0.5)  # a duplicate, if any, would arrive now
        ids = Counter(m["Message-ID"] for m in smtp.messages)
        assert set(ids) == set(queued)
        assert max(ids.values()) == 1 and len(smtp.messages) == len(arrived)
        with engine.connect() as conn:
            assert set(conn.execute(select(outbox.c.status)).scalars()) == {"sent"}
        print(f"acked arrivals {len(acked_codes)}, registrations {len(acked_numbers)}, "
              f"arrived in db {len(arrived)}, mails before kill {sent_before_kill}, mails total {len(smtp.messages)}")
    finally:
        children = psutil.Process(proc.pid).children()
        proc.terminate()
        proc.wait(timeout=10)
        psutil.wait_procs(children, timeout=15)
        smtp.stop()
