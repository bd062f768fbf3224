"""`mbk kiosk`: serve the entrance kiosk (default), export the event log, add staff, purge old data."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from process_models.errors import UserError

__all__ = ["register"]

out = Console()
DEFAULT_DB = "var/kiosk.sqlite"
DEFAULT_OFFICE = "default"  # storage.DEFAULT_OFFICE, named here so that `mbk` starts without SQLAlchemy
kiosk_app = typer.Typer(help="The entrance kiosk prototype (visitor kiosk, floor view, reception, display).")

_DB = typer.Option(DEFAULT_DB, "--db", help="SQLite file, or postgresql://user:password@host:port/database.")
# readonly.DB_EXPECTED, named here so that `mbk` starts without SQLAlchemy
_DB_EXPECTED = "expected a SQLite file path or postgresql://user:password@host:port/database of a running server"
_OFFICE_HELP = "Office id (lower-case letters, digits, '-'): offices sharing one database each have their own."


def _sqlite_path(db: str) -> Path | None:
    """The file of a SQLite --db, None for another database or an in-memory one."""
    from .storage import db_url

    url = db_url(db)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///"):])
    return None


def _existing_engine(db: str):
    """The engine of a database that must be there already (export-log, purge): nothing is created."""
    path = _sqlite_path(db)
    if path is not None and not path.is_file():
        raise UserError(f"--db {db}: no such database ({path}); give the --db that `mbk kiosk serve` used")
    return _engine(db)


def _shown(db: str) -> str:
    """The --db as given, with a password hidden (readonly.shown_url, imported late: `mbk` starts without SQLAlchemy)."""
    from .readonly import shown_url

    return shown_url(db)


def _reason(exc: Exception) -> str:
    from .readonly import driver_reason

    return driver_reason(exc)


def _engine(db: str):
    """The engine of --db, migrated to the newest schema; a UserError naming --db for a bad URL or a server that is down."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from .storage import db_url, open_engine

    url = db_url(db)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    elif not (url.startswith("sqlite") or url.startswith("postgresql+psycopg://")):
        raise UserError(f"--db {_shown(db)}: unsupported database; {_DB_EXPECTED}")
    try:
        return open_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UserError(f"--db {_shown(db)}: not a database URL ({_reason(exc)}); {_DB_EXPECTED}") from None
    except DBAPIError as exc:  # the server is down, refuses the login, or the database does not exist
        raise UserError(f"--db {_shown(db)}: cannot open the database ({_reason(exc)}); {_DB_EXPECTED}") from None


def _office(office: str) -> str:
    from .storage import OFFICE_ID

    if not OFFICE_ID.match(office or ""):
        raise UserError(f"--office: expected 1-32 lower-case letters, digits or '-' (such as rinkeby), got {office!r}")
    return office


def _content_dir(content: Optional[Path]) -> Optional[Path]:
    if content is not None and not (content / "index.yaml").is_file():
        raise UserError(f"--content {content}: expected a folder with index.yaml and one YAML file per language "
                        "(like prototypes/content/)")
    return content


PORT_MAX = 65535
ADDRESS = "127.0.0.1"


def _serve(port: int, db: str, model: str, config: Optional[Path], demo: bool, seed: int, office: str = DEFAULT_OFFICE,
           content: Optional[Path] = None) -> None:
    from .config import load_config
    from .demo import seed_demo
    from .server import build_app, serve

    if not 1 <= port <= PORT_MAX:
        raise UserError(f"--port: expected 1..{PORT_MAX}, got {port}")
    office, content = _office(office), _content_dir(content)
    cfg = load_config(config)
    _engine(db)  # creates the folder, checks the URL and migrates the schema
    app = build_app(db, model=model, config=cfg, content_dir=content, office=office)
    try:
        server = serve(app, port=port, address=ADDRESS, send=False, start=False)
    except OSError as exc:  # the port is taken (another kiosk or workshop server): nothing has started yet
        raise UserError(f"--port {port}: cannot listen on {ADDRESS}:{port} ({exc.strerror or exc}); "
                        "stop the other server or pick another port with --port") from None
    if demo:
        meetings = seed_demo(app.office.engine, datetime.now(), seed=seed, office=office)
        if not app.auth.has_staff():
            app.auth.add_staff("guide", "kiosk-demo-2026")
            out.print("demo staff login: [bold]guide[/bold] / [bold]kiosk-demo-2026[/bold]")
        out.print("demo booking codes today: " + ", ".join(f"{m['starts_at']:%H:%M} {m['code']}" for m in meetings[:6]))
    # the e-mail sender runs in its own process: killing the web server never cuts a message in half
    sender = subprocess.Popen(
        [sys.executable, "-m", "prototypes.send", "--db", db, "--model", model, "--parent-pid", str(os.getpid()),
         "--office", office]
        + (["--config", str(config)] if config else []) + (["--content", str(content)] if content else [])
    )
    out.print(
        f"office {office}: kiosk http://{ADDRESS}:{port}/kiosk · floor /floor · reception /reception · display /display "
        f"({'mail folder ' + cfg.mail_dir if cfg.mail_dir else 'SMTP ' + cfg.smtp_host if cfg.smtp_host else 'mail folder var/kiosk-mail'})"
    )
    sys.stdout.flush()
    try:
        server.start()
        server.io_loop.start()
    except KeyboardInterrupt:  # Ctrl-C is how a person stops it
        out.print("stopped")
    finally:
        sender.terminate()  # graceful: it finishes the message in hand, then exits


_PORT = typer.Option(5006, "--port", help="Port on 127.0.0.1.")
_MODEL = typer.Option("skarholmen-kiosk", "--model", help="Library name or path of the future model.")
_CONFIG = typer.Option(None, "--config", help="YAML settings (SMTP, mail_dir, idle_seconds, ...); MBK_* env overrides.")
_DEMO = typer.Option(True, "--demo/--no-demo", help="Add demo caseworkers, today's meetings and a demo staff login.")
_SEED = typer.Option(1, "--seed", help="Seed of the demo booking codes and times.")
_OFFICE = typer.Option(DEFAULT_OFFICE, "--office", help=_OFFICE_HELP)
_CONTENT = typer.Option(None, "--content", help="Folder of the office's visitor texts (index.yaml + one file per language); "
                        "default: the built-in prototypes/content.")


@kiosk_app.callback(invoke_without_command=True)
def kiosk(
    ctx: typer.Context, port: int = _PORT, db: str = _DB, model: str = _MODEL, config: Optional[Path] = _CONFIG,
    demo: bool = _DEMO, seed: int = _SEED, office: str = _OFFICE, content: Optional[Path] = _CONTENT,
) -> None:
    """Serve the kiosk (same as `mbk kiosk serve`) unless a subcommand is given."""
    if ctx.invoked_subcommand is None:
        _serve(port, db, model, config, demo, seed, office, content)


@kiosk_app.command("serve")
def cmd_serve(
    port: int = _PORT, db: str = _DB, model: str = _MODEL, config: Optional[Path] = _CONFIG, demo: bool = _DEMO,
    seed: int = _SEED, office: str = _OFFICE, content: Optional[Path] = _CONTENT,
) -> None:
    """Serve one office's /kiosk, /floor, /reception and /display on one Panel server (127.0.0.1)."""
    _serve(port, db, model, config, demo, seed, office, content)


@kiosk_app.command("send")
def cmd_send(
    db: str = _DB, model: str = _MODEL, config: Optional[Path] = _CONFIG,
    parent_pid: int = typer.Option(0, "--parent-pid", help="Stop when this process (the web server) is gone."),
    office: str = _OFFICE, content: Optional[Path] = _CONTENT,
) -> None:
    """Deliver one office's outbox e-mails until stopped (started by `serve`; also usable on its own)."""
    from .send import run_sender

    office, content = _office(office), _content_dir(content)
    _engine(db)
    run_sender(db, model, config, parent_pid, office, content)


@kiosk_app.command("export-log")
def cmd_export_log(
    db: str = _DB,
    csv_path: Optional[Path] = typer.Option(None, "--csv", help="Write the event log as CSV (docs/event-log.md)."),
    xes_path: Optional[Path] = typer.Option(None, "--xes", help="Write the event log as XES."),
    office: Optional[str] = typer.Option(None, "--office", help="Only this office's events (default: every office's)."),
) -> None:
    """Export every event row (the log `mbk calibrate` reads)."""
    from .eventlog import read_events, write_csv, write_xes

    if csv_path is None and xes_path is None:
        raise UserError("export-log: give --csv PATH and/or --xes PATH")
    rows = read_events(_existing_engine(db), None if office is None else _office(office))
    for path, writer in ((csv_path, write_csv), (xes_path, write_xes)):
        if path is not None:
            if not path.parent.exists():
                raise UserError(f"{path}: folder {path.parent} does not exist")
            writer(rows, path)
            out.print(f"wrote {len(rows)} events to {path}")


@kiosk_app.command("add-staff")
def cmd_add_staff(
    username: str = typer.Argument(..., help="Login name (lower case)."),
    db: str = _DB,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    office: str = _OFFICE,
) -> None:
    """Add or replace a staff login of one office (the password is stored as an scrypt hash)."""
    from .auth import StaffAuth

    office = _office(office)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    StaffAuth(_engine(db), office_id=office).add_staff(username, password)
    out.print(f"staff login {username!r} of office {office} saved")


@kiosk_app.command("purge")
def cmd_purge(
    db: str = _DB,
    day: Optional[str] = typer.Option(None, "--date", help="Today's date (YYYY-MM-DD); default: today."),
    keep_days: int = typer.Option(30, "--keep-days", help="Keep visits and events this many days, then keep only statistics."),
    office: Optional[str] = typer.Option(None, "--office", help="Only this office's data (default: every office's)."),
) -> None:
    """Delete phone numbers of earlier days; turn visits older than --keep-days into statistics."""
    from .retention import purge

    try:
        today = date.fromisoformat(day) if day else date.today()
    except ValueError:
        raise UserError(f"--date: expected YYYY-MM-DD, got {day!r}") from None
    if keep_days < 0:
        raise UserError(f"--keep-days: expected 0 or more, got {keep_days}")
    report = purge(_existing_engine(db), today, keep_days, office=None if office is None else _office(office))
    out.print(
        f"phones deleted {report.phones_deleted}, visits aggregated {report.visits_aggregated}, "
        f"events deleted {report.events_deleted}, appointments deleted {report.appointments_deleted}, "
        f"sent mails deleted {report.mails_deleted}"
    )


@kiosk_app.command("survey")
def cmd_survey(
    db: str = _DB,
    office: Optional[list[str]] = typer.Option(None, "--office", help="An office id (repeat for several); default: every office."),
    start: Optional[str] = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last day (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """The survey's answers and two indicators, for everyone, women and men; figures under 5 visitors are hidden."""
    import json

    from .survey import GENDERS, MIN_VISITORS, survey_summary

    for name, day in (("--from", start), ("--to", end)):
        try:
            day and date.fromisoformat(day)
        except ValueError:
            raise UserError(f"{name}: expected YYYY-MM-DD, got {day!r}") from None
    summary = survey_summary(_existing_engine(db), [_office(o) for o in office] if office else None, start, end)
    if as_json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    shown = lambda v: "–" if v is None else str(v)  # noqa: E731
    pct = lambda v: "–" if v is None else f"{100 * v:.0f} %"  # noqa: E731
    out.print(f"offices {', '.join(summary.offices) or '(none)'} · {start or 'start'} to {end or 'today'} · "
              f"answers {shown(summary.total)} (– hidden: fewer than {MIN_VISITORS} visitors)")
    out.print("gender answers: " + ", ".join(f"{g} {shown(summary.respondents[g])}" for g in GENDERS))
    for group, ind in summary.indicators.items():
        out.print(f"{group}: learned something new {pct(ind['learned'].share)} (target 60 %), "
                  f"can do it alone next time {pct(ind['can_alone'].share)} (target 40 %)")


def register(app: typer.Typer) -> None:
    app.add_typer(kiosk_app, name="kiosk")
