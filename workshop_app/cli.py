"""`mbk workshop`: serve the workshop app and print its address."""

from __future__ import annotations

import signal
from pathlib import Path
import typer

from process_models.errors import UserError

__all__ = ["register", "cmd_workshop", "DEFAULT_SESSION"]

#: Where notes and votes go unless --session says otherwise (git-ignored).
DEFAULT_SESSION = Path("var/workshop/session.json")


def cmd_workshop(
    port: int = typer.Option(5006, "--port", help="Port to listen on (0 picks a free one)."),
    session: Path = typer.Option(
        DEFAULT_SESSION, "--session", help="Workshop session file (JSON); created if missing, kept across restarts."),
    address: str = typer.Option("127.0.0.1", "--address", help="Interface to listen on (0.0.0.0 for the room's network)."),
) -> None:
    """Serve the workshop app (maps, scenario builder, comparison, notes and votes)."""
    if not 0 <= port <= 65535:
        raise UserError(f"--port: expected 0..65535, got {port}")
    from process_models.session import load_session

    if session.is_dir():
        raise UserError(f"--session {session}: is a folder; expected a session file such as workshop.json")
    if session.exists():
        load_session(session)  # a broken file is a UserError naming file and field; nothing is changed
    from .app import serve
    from .executor import shared_executor

    executor = shared_executor()
    try:
        server = serve(session, port=port, address=address, show=False, threaded=False, start=False,
                       executor=executor)
    except OSError as exc:  # the port is taken, or the address is not this machine's (no worker started yet)
        raise UserError(f"--port {port}: cannot listen on {address}:{port} ({exc.strerror or exc}); "
                        f"stop the other server or pick another port with --port") from None
    host = "localhost" if address in ("127.0.0.1", "0.0.0.0") else address
    typer.echo(f"MBK Studio workshop: http://{host}:{server.port}/", nl=True)
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
