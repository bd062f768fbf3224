"""A real PostgreSQL server for the kiosk's tests and its load bench, started from Debian's `postgresql`.

initdb and pg_ctl in a temporary folder, listening on 127.0.0.1 (a free port) and a Unix socket
in that folder only, trust authentication for the one local user. As root (PostgreSQL refuses
to run as root) the server runs as the `postgres` user. `stop()` shuts it down and removes
the folder; an exit hook does the same if a test run is interrupted.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "pg_bin_dir", "PG_MISSING"]

PG_MISSING = "PostgreSQL's initdb/pg_ctl not found: install Debian's postgresql package (make test does)"
_USER = "kiosk"
_RUN_AS_WHEN_ROOT = "postgres"


def pg_bin_dir() -> Path | None:
    """The folder of initdb and pg_ctl: Debian keeps them off PATH in /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One throw-away server; `database()` makes a fresh database and returns its URL."""

    def __init__(self, fast: bool = True):
        self.fast = fast  # fsync off: a test server that may lose everything on a power cut
        self.bin = pg_bin_dir()
        if self.bin is None:
            raise RuntimeError(PG_MISSING)
        self.port = _free_port()
        self.dir: Path | None = None
        self._names = itertools.count(1)
        self._started = False

    def _demote(self):
        """As root, run the server's programs as the postgres user (None when not root)."""
        if os.geteuid() != 0:
            return None
        user = pwd.getpwnam(_RUN_AS_WHEN_ROOT)

        def demote() -> None:
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)

        return demote

    def _run(self, *args: str) -> None:
        run = subprocess.run(args, capture_output=True, text=True, preexec_fn=self._demote(), timeout=120,
                             env=dict(os.environ, LC_ALL="C"))
        if run.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({run.returncode}): {run.stderr.strip() or run.stdout.strip()}")

    def start(self) -> "PostgresServer":
        self.dir = Path(tempfile.mkdtemp(prefix="mbk-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam(_RUN_AS_WHEN_ROOT)
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", _USER, "--auth=trust", "-E", "UTF8", "--no-locale",
                  "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=200"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.dir / "server.log"),
                  "-w", "-t", "60", "start")
        self._started = True
        atexit.register(self.stop)
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={_USER} dbname=postgres", autocommit=True) as conn:
            conn.execute(sql)

    def database(self, prefix: str = "kiosk") -> str:
        """A new empty database; its URL."""
        name = f"{prefix}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._started:
            self._started = False
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass  # already gone; the folder goes anyway
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
