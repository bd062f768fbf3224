"""`mbk workshop`: serve the workshop app and print its address."""

from __future__ import annotations

import signal
from pathlib import Path
import typer

from process_models.errors import UserError

from .access import normalise_code as normalise

__all__ = ["register", "cmd_workshop", "DEFAULT_SESSION"]

#: Where notes and votes go unless --session says otherwise (git-ignored).
DEFAULT_SESSION = Path("var/workshop/session.json")


def cmd_workshop(
    port: int = typer.Option(5006, "--port", help="Port to listen on (0 picks a free one)."),
    session: Path = typer.Option(
        DEFAULT_SESSION, "--session", help="Workshop session file (JSON); created if missing, kept across restarts."),
    address: str = typer.Option("127.0.0.1", "--address", help="Interface to listen on (0.0.0.0 for the room's network)."),
    join_code: str = typer.Option("", "--join-code", help="The room's join code (default: a new random one)."),
    facilitator_code: str = typer.Option(
        "", "--facilitator-code", help="The facilitator's code (default: a new random one); keep it to yourself."),
    origin: list[str] = typer.Option(
        [], "--origin", help="Another host name the room's browsers use for this machine (repeatable)."),
) -> None:
    """Serve the workshop app (maps, scenario builder, comparison, notes and votes)."""
    if not 0 <= port <= 65535:
        raise UserError(f"--port: expected 0..65535, got {port}")
    from process_models.session import load_session

    if session.is_dir():
        raise UserError(f"--session {session}: is a folder; expected a session file such as workshop.json")
    if session.exists():
        load_session(session)  # a broken file is a UserError naming file and field; nothing is changed
    from dataclasses import replace

    from .access import RoomAccess, join_url, new_access, room_host
    from .app import serve
    from .executor import shared_executor

    fresh = new_access()
    try:
        access = RoomAccess(join_code=normalise(join_code) or fresh.join_code,
                            facilitator_code=normalise(facilitator_code) or fresh.facilitator_code)
    except ValueError as exc:
        option = "--facilitator-code" if str(exc).startswith("facilitator") else "--join-code"
        raise UserError(f"{option}: {str(exc).split(': ', 1)[1]}") from None
    executor = shared_executor()
    try:
        server = serve(session, port=port, address=address, show=False, threaded=False, start=False,
                       executor=executor, access=access, origins=tuple(origin))
    except OSError as exc:  # the port is taken, or the address is not this machine's (no worker started yet)
        raise UserError(f"--port {port}: cannot listen on {address}:{port} ({exc.strerror or exc}); "
                        f"stop the other server or pick another port with --port") from None
    access = replace(access, url=f"http://{room_host(address)}:{server.port}")
    from .shared_session import shared_session

    shared_session(session).access = access  # the facilitator's screen shows this address as a QR code
    typer.echo(f"MBK Studio workshop: {join_url(access)}", nl=True)
    typer.echo(f"join code: {access.display_join_code} (the facilitator's screen shows it as a QR code)")
    typer.echo(f"facilitator code: {access.facilitator_code} (join as facilitator with it; keep it to yourself)")
    typer.echo(f"session file: {session.resolve()}")
    server.start()
    # Ctrl-C or a plain `kill`: stop serving, then let the simulation workers go
    stop = lambda *_: server.io_loop.add_callback_from_signal(server.io_loop.stop)  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    try:
        server.io_loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        typer.echo("stopped")


def register(app: typer.Typer) -> None:
    """Add `mbk workshop` to the `mbk` app."""
    app.command("workshop")(cmd_workshop)
