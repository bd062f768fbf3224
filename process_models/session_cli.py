"""`mbk session list SESSION.json`: the variants a workshop made, to use as `SESSION.json#VARIANT`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .session import load_session
from .variants import variant_summary

__all__ = ["register"]

out = Console()
session_app = typer.Typer(help="Workshop session files: the variants a room made.", no_args_is_help=True)


@session_app.command("list")
def cmd_list(
    session: Path = typer.Argument(..., help="A workshop session file (JSON)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per variant instead of a table."),
) -> None:
    """List a session's variants: id, name, base, edits and last change (use them as SESSION.json#ID)."""
    rows = [variant_summary(v) for v in load_session(session).variants]
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        out.print(f"{escape(str(session))}: no variants yet")
        return
    table = Table("id", "name", "base", "edits", "last change", "by", title=escape(str(session)))
    for r in rows:
        table.add_row(*(escape(str(r[k])) for k in ("id", "name", "base", "edits", "last_change", "last_by")))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(session_app, name="session")
