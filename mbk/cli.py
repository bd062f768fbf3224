"""The `mbk` command: each package registers its own subcommands here.

A user's mistake (UserError, bad usage) exits 2 with a message and no traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markup import escape

from exports import cli as exports_cli
from mbk import new_office
from process_models import cli as process_models_cli
from process_models import session_cli
from process_models.errors import UserError
from prototypes import cli as prototypes_cli
from simulation import cli as simulation_cli
from workshop_app import cli as workshop_app_cli

__all__ = ["app", "main"]

app = typer.Typer(
    name="mbk",
    help="MBK Studio: model, simulate and redesign a citizen office (medborgarkontor).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
process_models_cli.register(app)
session_cli.register(app)
prototypes_cli.register(app)
exports_cli.register(app)
simulation_cli.register(app)
workshop_app_cli.register(app)
new_office.register(app)

err = Console(stderr=True, highlight=False)
# typer vendors click; its ClickException is the base of every usage error
_CLICK_EXCEPTION = typer.BadParameter.__mro__[2]


def main(argv: list[str] | None = None) -> int:
    """Run `mbk` and return its exit code (also the entry point of the console script)."""
    try:
        # without standalone mode, click returns a subcommand's `typer.Exit(code)` as the value
        rc = app(args=argv, prog_name="mbk", standalone_mode=False)
    except UserError as exc:
        err.print(f"[bold red]error:[/bold red] {escape(str(exc))}", markup=True, soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 130
    except _CLICK_EXCEPTION as exc:  # bad usage: typer prints the usage and the reason
        exc.show(file=sys.stderr)
        return exc.exit_code or 2
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
