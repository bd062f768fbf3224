"""The e-mail sender as its own process (`python -m prototypes.send`), started by `mbk kiosk serve`.

It imports no Panel, so it starts in well under a second; with --parent-pid it stops when the
web server is gone, after finishing the message in hand (also on SIGTERM).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
from pathlib import Path

__all__ = ["run_sender", "main"]

DEFAULT_OFFICE = "default"  # storage.DEFAULT_OFFICE (this module imports nothing heavy before it runs)


def run_sender(db: str, model: str, config: Path | None, parent_pid: int = 0, office: str = DEFAULT_OFFICE,
               content: Path | None = None) -> None:
    """Deliver one office's outbox until stopped (or until the parent server is gone)."""
    from process_models import load_model

    from .config import load_config
    from .content import load_content
    from .flow import KioskFlow
    from .mailer import OutboxSender, transport_from_config
    from .office import Office
    from .storage import open_engine

    cfg = load_config(config)
    engine = open_engine(db)
    rules = Office(engine, KioskFlow.from_model(load_model(model)), load_content(content) if content else load_content(),
                   office_id=office)
    sender = OutboxSender(engine, transport_from_config(cfg), sender=cfg.mail_from, on_sent=rules.notified, office_id=office)
    if parent_pid:
        sender.keep_running = lambda: os.getppid() == parent_pid
    signal.signal(signal.SIGTERM, lambda *_: sender.stop())
    sender.run_forever(cfg.send_interval)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m prototypes.send", description=__doc__)
    ap.add_argument("--db", required=True)
    ap.add_argument("--model", default="skarholmen-kiosk")
    ap.add_argument("--config", type=Path, default=None)
    ap.add_argument("--parent-pid", type=int, default=0)
    ap.add_argument("--office", default=DEFAULT_OFFICE)
    ap.add_argument("--content", type=Path, default=None)
    args = ap.parse_args(argv)
    # the sender's own process: its failures go to stderr with a time, next to the server's output
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    run_sender(args.db, args.model, args.config, args.parent_pid, args.office, args.content)


if __name__ == "__main__":
    main()
