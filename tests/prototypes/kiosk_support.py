"""Helpers shared by the kiosk tests: a real SMTP server (aiosmtpd), free ports, a live kiosk server."""

from __future__ import annotations

import email
import email.policy
import socket
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message

from aiosmtpd.controller import Controller

from prototypes.config import KioskConfig
from prototypes.demo import seed_demo
from prototypes.mailer import SmtpTransport
from prototypes.server import build_app, serve

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
STAFF_USER, STAFF_PASSWORD = "guide", "kiosk-test-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SmtpCapture:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts (parsed)."""

    port: int = 0
    messages: list[Message] = field(default_factory=list)
    fail: bool = False  # answer 451 (try again later) while True

    async def handle_DATA(self, server, session, envelope):
        if self.fail:
            return "451 4.3.0 temporarily unavailable"
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def start(self) -> "SmtpCapture":
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def transport(self) -> SmtpTransport:
        return SmtpTransport("127.0.0.1", self.port, timeout=5)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        end = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < end:
            time.sleep(0.05)
        return list(self.messages)


class LiveKiosk:
    """The kiosk server in this process on a free port, with demo meetings and a staff login."""

    def __init__(self, db: str, smtp: SmtpCapture, idle_seconds: int = 60, warning_seconds: int = 20, model: str = "skarholmen-kiosk",
                 office: str = "default"):
        cfg = KioskConfig(idle_seconds=idle_seconds, warning_seconds=warning_seconds, send_interval=0.1)
        self.app = build_app(db, model=model, config=cfg, transport=smtp.transport(), office=office)
        self.meetings = seed_demo(self.app.office.engine, datetime.now(), seed=7, per_caseworker=5, office=office)
        self.app.auth.add_staff(STAFF_USER, STAFF_PASSWORD)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = serve(self.app, port=self.port, threaded=True)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            try:
                urllib.request.urlopen(self.url + "/kiosk", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)

    def stop(self) -> None:
        self.app.sender.stop()
        if self.app.retention is not None:
            self.app.retention.set()
        self.server.stop()


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


__all__ = ["SmtpCapture", "LiveKiosk", "free_port", "wait_until", "BROWSER_ARGS", "STAFF_USER", "STAFF_PASSWORD"]
