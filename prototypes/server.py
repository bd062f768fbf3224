"""The kiosk server: one Panel/Tornado server with the kiosk page, floor, reception and display.

`KioskApp` wires the parts (database, model, content, office, login, outbox sender);
`serve` starts them on one port. Tests start it threaded on a free port.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

import panel as pn

from process_models import load_model

from .auth import StaffAuth
from .config import KioskConfig
from .content import Content, load_content
from .flow import KioskFlow, ModelShapeError
from .mailer import OutboxSender, Transport, transport_from_config
from .office import Office
from .retention import purge
from .storage import DEFAULT_OFFICE, open_engine
from .views import DisplayBoard, DisplayView, FloorBoard, FloorView, LoginNeeded, ReceptionBoard, ReceptionView
from .web import STAFF_COOKIE, KioskSessions, RootHandler, patterns

__all__ = ["KioskApp", "build_app", "serve"]

log = logging.getLogger(__name__)


@dataclass
class KioskApp:
    office: Office
    auth: StaffAuth
    config: KioskConfig
    sender: OutboxSender
    sessions: KioskSessions = field(init=False)
    retention: threading.Event | None = None

    def __post_init__(self) -> None:
        # a screen left alone longer than the idle reset has nothing worth keeping
        self.sessions = KioskSessions(self.office, max_idle=max(600.0, 2.0 * (self.config.idle_seconds + self.config.warning_seconds)))

    @property
    def content(self) -> Content:
        return self.office.content

    @property
    def flow(self) -> KioskFlow:
        return self.office.flow

    # --- Panel apps -------------------------------------------------------
    def _token(self) -> str | None:
        return (pn.state.cookies or {}).get(STAFF_COOKIE)

    def _staff_page(self, board_cls, view_cls, path: str, title: str):
        token = self._token()
        if self.auth.user(token) is None:
            return pn.Column(LoginNeeded(path))
        board = board_cls(self.office, self.auth, token)
        board.refresh()
        pn.state.add_periodic_callback(board.refresh, period=2000)
        return pn.Column(view_cls(board), sizing_mode="stretch_width", name=title)

    def floor_page(self):
        return self._staff_page(FloorBoard, FloorView, "/floor", "Golvet")

    def reception_page(self):
        return self._staff_page(ReceptionBoard, ReceptionView, "/reception", "Receptionen")

    def display_page(self):
        board = DisplayBoard(self.office)
        board.refresh()
        pn.state.add_periodic_callback(board.refresh, period=2000)
        ui = self.content.ui
        headings = {k: f"{ui['sv']['display_' + k]} · {ui['en']['display_' + k]}" for k in ("computer", "waiting", "helping")}
        return DisplayView(board, headings)


def build_app(
    db: str,
    model: str = "skarholmen-kiosk",
    config: KioskConfig | None = None,
    transport: Transport | None = None,
    clock: Callable[[], datetime] = datetime.now,
    content_dir: Path | None = None,
    office: str = DEFAULT_OFFICE,
) -> KioskApp:
    """Open the database, generate the kiosk from the model and wire one office together.

    Offices that share a database each run their own server with their own `office` id,
    model, content and staff; nothing one server shows or changes belongs to another office.
    """
    from process_models.errors import UserError

    config = config or KioskConfig()
    try:
        flow = KioskFlow.from_model(load_model(model))
    except ModelShapeError as exc:
        raise UserError(str(exc)) from None
    content = load_content(content_dir) if content_dir else load_content()
    engine = open_engine(db)
    rules = Office(engine, flow, content, clock=clock, office_id=office)
    auth = StaffAuth(engine, clock=clock, ttl=timedelta(minutes=config.session_minutes), office_id=office)
    sender = OutboxSender(
        engine, transport or transport_from_config(config), sender=config.mail_from, clock=clock, on_sent=rules.notified,
        office_id=office,
    )
    return KioskApp(rules, auth, config, sender)


def start_retention(app: KioskApp, every: float = 3600.0) -> threading.Event:
    """Purge now and then every hour: yesterday's phone numbers, and old visits into statistics."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                purge(app.office.engine, app.office.now().date(), app.config.keep_days, office=app.office.office_id)
            except Exception:  # a locked database now is no reason to stop purging later
                log.exception("purging old kiosk data failed; trying again in %g s", every)
            if stop.wait(every):
                return

    threading.Thread(target=loop, name="kiosk-retention", daemon=True).start()
    return stop


def _start_background(app: KioskApp, send: bool) -> None:
    """The outbox sender (unless it runs as its own process) and the hourly purge."""
    if send:
        app.sender.start(app.config.send_interval)
    app.retention = start_retention(app)


def serve(app: KioskApp, port: int = 5006, address: str = "127.0.0.1", threaded: bool = False, send: bool = True,
          start: bool = True):
    """Serve kiosk, floor, reception and display on one port; returns the server when threaded or not started.

    Not threaded, the port is bound before anything else starts: a port in use is an OSError
    here, with no sender or purge left running. With start=False the caller starts the loop.
    """
    options = dict(
        port=port, address=address, show=False, title="MBK kiosk",
        extra_patterns=patterns(app) + [(r"/", RootHandler, {"app": app})],
        websocket_origin=[f"{address}:{port}", f"localhost:{port}"],
    )
    pages = {"floor": app.floor_page, "reception": app.reception_page, "display": app.display_page}
    if threaded:
        _start_background(app, send)
        return pn.serve(pages, threaded=True, **options)
    server = pn.serve(pages, threaded=False, start=False, **options)
    _start_background(app, send)
    if start:
        server.start()
        server.io_loop.start()
    return server
