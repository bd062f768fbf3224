"""The outbox sender: delivers queued e-mails with retries and backoff, once each.

A row goes pending -> sending -> sent. The claim is committed before the SMTP transaction,
with a lease (next_attempt_at) long enough for any SMTP attempt, and the result right after
it. A claimed row is only taken over by another sender when its lease has run out, so a
sender that outlives a killed web server finishes its message and nobody sends it again.
Every message carries a stable Message-ID built from the outbox row.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from contextlib import contextmanager, nullcontext
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Protocol

from sqlalchemy import select, true, update
from sqlalchemy.engine import Engine

from .config import KioskConfig
from .storage import outbox

__all__ = ["Transport", "SmtpTransport", "FolderTransport", "OutboxSender", "build_message", "transport_from_config"]

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def build_message(row, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row["recipient"]
    msg["Subject"] = row["subject"]
    msg["Message-ID"] = row["message_id"]
    msg["Date"] = row["created_at"].strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg.set_content(row["body"])
    return msg


@dataclass
class SmtpTransport:
    """Plain SMTP, STARTTLS or SMTPS, with optional login; one connection serves a batch."""

    host: str
    port: int = 25
    security: str = "none"
    user: str = ""
    password: str = ""
    timeout: float = 10.0
    ca_file: str = ""

    def _context(self) -> ssl.SSLContext:
        """Certificate and host name are always verified; ca_file adds a private CA."""
        return ssl.create_default_context(cafile=self.ca_file or None)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            client.starttls(context=self._context())
        if self.user:
            client.login(self.user, self.password)
        return client

    @contextmanager
    def batch(self):
        """Yield a send function that reuses one SMTP connection (opened on first use)."""
        client: smtplib.SMTP | None = None

        def send(message: EmailMessage) -> None:
            nonlocal client
            if client is None:
                client = self._connect()
            try:
                client.send_message(message)
            except (OSError, smtplib.SMTPException):
                _quit(client)
                client = None
                raise

        try:
            yield send
        finally:
            if client is not None:
                _quit(client)

    def send(self, message: EmailMessage) -> None:
        with self.batch() as send:
            send(message)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


@dataclass
class FolderTransport:
    """Development backend: each message is a .eml file named after its Message-ID (rewriting is harmless)."""

    folder: Path

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in message["Message-ID"].strip("<>"))
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(bytes(message))
        tmp.replace(self.folder / f"{name}.eml")


def transport_from_config(cfg: KioskConfig) -> Transport:
    if cfg.mail_dir:
        return FolderTransport(Path(cfg.mail_dir))
    if cfg.smtp_host:
        return SmtpTransport(
            cfg.smtp_host, cfg.smtp_port, cfg.smtp_security, cfg.smtp_user, cfg.smtp_password, ca_file=cfg.smtp_ca_file
        )
    return FolderTransport(Path("var/kiosk-mail"))


class OutboxSender:
    """Sends due outbox rows; failed attempts back off exponentially up to max_attempts."""

    def __init__(
        self,
        engine: Engine,
        transport: Transport,
        sender: str = "kiosk@medborgarkontor.invalid",
        clock: Callable[[], datetime] = datetime.now,
        base_delay: float = 2.0,
        max_delay: float = 300.0,
        max_attempts: int = 20,
        on_sent: Callable | None = None,
        lease: timedelta = timedelta(minutes=5),
        keep_running: Callable[[], bool] = lambda: True,
        office_id: str | None = None,
    ):
        self.office_id = office_id  # only this office's mail (None: every office's, e.g. one sender for a city)
        self.lease = lease  # longer than any SMTP attempt (timeouts are 10 s per operation)
        self.keep_running = keep_running  # checked between messages, e.g. "is my web server alive?"
        self.on_sent = on_sent  # on_sent(conn, visit_id, at): record the next step in the same transaction
        self.engine, self.transport, self.sender, self.clock = engine, transport, sender, clock
        self.base_delay, self.max_delay, self.max_attempts = base_delay, max_delay, max_attempts
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1)))

    def recover(self) -> int:
        """Rows whose sender died mid-claim (lease over) are retried with the same Message-ID."""
        with self.engine.begin() as conn:
            return conn.execute(
                update(outbox).where(self._mine(), outbox.c.status == "sending", outbox.c.next_attempt_at <= self.clock())
                .values(status="pending")
            ).rowcount

    def _mine(self):
        """The condition "a row this sender delivers"."""
        return true() if self.office_id is None else outbox.c.office == self.office_id

    def run_once(self) -> int:
        """Send every due message once; returns how many were delivered."""
        self.recover()
        now = self.clock()
        with self.engine.connect() as conn:
            due = conn.execute(
                select(outbox.c.id).where(self._mine(), outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
                .order_by(outbox.c.id)
            ).scalars().all()
        delivered = 0
        batch = getattr(self.transport, "batch", None)
        with (batch() if batch else nullcontext(self.transport.send)) as send:
            for row_id in due:
                if not self.keep_running():
                    break
                delivered += self._deliver(row_id, now, send)
        return delivered

    def _deliver(self, row_id: int, now: datetime, send) -> int:
        """Claim, send and record one message; 1 when it went out, else 0."""
        with self.engine.begin() as conn:  # claim: only one sender gets the row
            claimed = conn.execute(
                update(outbox).where(outbox.c.id == row_id, outbox.c.status == "pending")
                .values(status="sending", attempts=outbox.c.attempts + 1, next_attempt_at=now + self.lease)
            ).rowcount
            row = conn.execute(select(outbox).where(outbox.c.id == row_id)).mappings().first()
        if not claimed:
            return 0
        try:
            send(build_message(row, self.sender))
        except (OSError, smtplib.SMTPException) as exc:
            failed = row["attempts"] >= self.max_attempts
            with self.engine.begin() as conn:
                conn.execute(
                    update(outbox).where(outbox.c.id == row_id).values(
                        status="failed" if failed else "pending",
                        next_attempt_at=self.clock() + self.backoff(row["attempts"]),
                        last_error=f"{type(exc).__name__}: {exc}"[:500],
                    )
                )
            return 0
        at = self.clock()
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == row_id).values(status="sent", sent_at=at, last_error=None))
            if row["visit_id"] and self.on_sent is not None:
                self.on_sent(conn, row["visit_id"], at)
        return 1

    def run_forever(self, interval: float = 0.5) -> None:
        """Poll until stop() or keep_running() turns false."""
        while not self._stop.is_set() and self.keep_running():
            try:
                self.run_once()
            except Exception:  # keep the sender alive; the row stays pending and is retried
                log.exception("sending the kiosk's outbox failed; trying again in %g s", interval)
            self._stop.wait(interval)

    def start(self, interval: float = 0.5) -> None:
        """Run in a daemon thread until stop()."""
        self._thread = threading.Thread(target=self.run_forever, args=(interval,), name="kiosk-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
