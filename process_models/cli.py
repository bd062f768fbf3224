"""`mbk library`, `mbk validate`, `mbk render` and `mbk diff`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from .diff import diff_models
from .errors import UserError
from .io import load_model
from .library import library_names, library_path
from .render import FORMATS, blueprint, diff_blueprint, write

__all__ = ["register"]

out = Console()


def _lang(value: str) -> str:
    if value not in ("sv", "en"):
        raise typer.BadParameter(f"expected sv or en, got {value!r}")
    return value


def cmd_library() -> None:
    """List the built-in models."""
    table = Table("name", "variant", "office", "steps", "weekly visitors", title="Built-in models")
    for name in library_names():
        m = load_model(library_path(name))
        table.add_row(name, m.variant, m.office, str(len(m.steps)), str(m.demand.weekly_visitors))
    out.print(table)


def cmd_validate(
    paths: List[str] = typer.Argument(None, help="Model files or library names."),
    library: bool = typer.Option(False, "--library", help="Validate every built-in model."),
) -> None:
    """Check models: types, references, reachability, probabilities, shares, capacities."""
    targets = list(paths or []) + (library_names() if library else [])
    if not targets:
        raise UserError("nothing to validate: give model files, library names or --library")
    failed = []
    for target in targets:
        try:
            m = load_model(target)
            out.print(f"[green]ok[/green] {target}: {m.id} ({len(m.steps)} steps, {len(m.flows)} flows)")
        except UserError as exc:
            failed.append(exc)
    if failed:
        raise UserError("\n".join(str(e) for e in failed))


def cmd_render(
    path: Optional[str] = typer.Argument(None, help="Model file or library name."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File, or folder with --all."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="svg, png, pdf or dot."),
    lang: str = typer.Option("sv", "--lang", callback=_lang, help="Label language: sv or en."),
    all_models: bool = typer.Option(False, "--all", help="Render every built-in model (svg and png)."),
) -> None:
    """Draw a model as a service blueprint."""
    if fmt is not None and fmt not in FORMATS:
        raise UserError(f"--format: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if all_models:
        folder = output or Path("exports/out")
        for name in library_names():
            g = blueprint(load_model(name), lang)
            for f in ([fmt] if fmt else ["svg", "png"]):
                out.print(f"wrote {write(g, folder / f'{name}.{lang}.{f}', f)}")
        return
    if path is None:
        raise UserError("give a model file or library name to render, or --all")
    model = load_model(path)
    suffix_fmt = output.suffix.lstrip(".").lower() if output and output.suffix else None
    if suffix_fmt and suffix_fmt not in FORMATS and fmt is None:
        raise UserError(f"-o {output}: unknown format {suffix_fmt!r}; expected one of {', '.join(FORMATS)}")
    fmt = fmt or suffix_fmt or "svg"
    target = output or Path(f"{Path(path).stem}.{fmt}")
    out.print(f"wrote {write(blueprint(model, lang), target, fmt)}")


def cmd_diff(
    old: str = typer.Argument(..., help="The model before (file or library name)."),
    new: str = typer.Argument(..., help="The model after."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Also draw the diff (svg, png, pdf, dot)."),
    lang: str = typer.Option("sv", "--lang", callback=_lang),
) -> None:
    """List steps, flows and pools added, removed and changed; optionally draw them."""
    a, b = load_model(old), load_model(new)
    d = diff_models(a, b)
    if d.empty:
        out.print("no differences")
    for line in d.lines():
        colour = {"+": "green", "-": "red", "~": "yellow"}[line[0]]
        out.print(line, style=colour, highlight=False, markup=False, soft_wrap=True)  # markup ate `[errands=...]`
    if output:
        fmt = output.suffix.lstrip(".").lower() or "svg"
        if fmt not in FORMATS:
            raise UserError(f"-o {output}: unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        out.print(f"wrote {write(diff_blueprint(a, b, d, lang), output, fmt)}")


def register(app: typer.Typer) -> None:
    """Add this package's commands to the `mbk` app."""
    app.command("library")(cmd_library)
    app.command("validate")(cmd_validate)
    app.command("render")(cmd_render)
    app.command("diff")(cmd_diff)
