"""scripts/wait-apt-lock.sh: `make` on a fresh Debian waits for unattended-upgrades' apt lock, saying so."""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "wait-apt-lock.sh"


def _run(lock: Path, timeout: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "APT_LOCKS": str(lock), "APT_LOCK_TIMEOUT": str(timeout)}
    return subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def test_a_free_lock_goes_on_at_once_and_quietly(tmp_path):
    lock = tmp_path / "lock-frontend"
    lock.touch()
    done = _run(lock, 5)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_held_lock_is_waited_for_with_a_message(tmp_path):
    lock = tmp_path / "lock-frontend"
    with lock.open("a") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)  # apt takes fcntl locks
        timer = threading.Timer(2.5, lambda: fcntl.lockf(held, fcntl.LOCK_UN))
        timer.start()
        done = _run(lock, 30)
        timer.join()
    assert done.returncode == 0
    assert done.stderr.startswith(f"Waiting for another apt/dpkg run (unattended-upgrades?) to release {lock} (up to 30 s) ...\n")
    assert "apt/dpkg lock released after" in done.stderr


def test_a_lock_held_too_long_gives_up_naming_it(tmp_path):
    lock = tmp_path / "lock-frontend"
    with lock.open("a") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)
        done = _run(lock, 1)
    assert done.returncode == 1
    assert f"Gave up after 1 s: {lock} is still held" in done.stderr


def test_ensure_system_waits_for_the_lock_before_apt_get():
    text = (SCRIPT.parent / "ensure-system.sh").read_text(encoding="utf-8")
    assert text.index("wait-apt-lock.sh") < text.index("apt-get -o DPkg::Lock::Timeout=600 update")
