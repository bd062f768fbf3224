"""`mbk new office`: asks the few things an office knows (or takes them as options) and writes its models.

The template itself is `process_models.office_template` (pure functions); this module only asks,
re-asks after a bad answer, writes the two files and runs the load check on them. It lives in
`mbk` because it uses both `process_models` and `simulation`.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from process_models.errors import UserError
from process_models.office_template import DEFAULTS, FIELDS, AnswerError, answers_from_texts, build_office, office_slug
from process_models.office_template import office_yaml, parse_answer

__all__ = ["register", "PROMPTS", "OPTIONS"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

#: The command-line option of each answer.
OPTIONS = {"name": "--name", "weekly_visitors": "--visitors", "opening_hours": "--hours",
           "public_computers": "--computers", "kiosks": "--kiosks", "guides": "--guides",
           "desk_staff": "--desk-staff", "languages": "--languages", "errand_mix": "--errand-mix",
           "queue": "--queue"}

#: The question for each answer, in Swedish (the reference language) and English.
PROMPTS = {
    "sv": {
        "name": "Kontorets namn",
        "weekly_visitors": "Besökare per vecka",
        "opening_hours": "Öppettider (dagar och tider, t.ex. mon-fri 09:00-16:00; wed 09:00-18:00)",
        "public_computers": "Publika datorer",
        "kiosks": "Pekskärmar i entrén i framtidsvarianten",
        "guides": "Samhällsvägledare",
        "desk_staff": "Personal i informationsdisken (0 om kontoret inte har någon disk)",
        "languages": "Språk som besökarna talar, med andelar",
        "errand_mix": "Ärendemix: skarholmen, rinkeby eller egen (ärende=andel:väg, ...)",
        "queue": "Arbetssätt: ticket (kölapp) eller floorwalk",
    },
    "en": {
        "name": "The office's name",
        "weekly_visitors": "Visitors per week",
        "opening_hours": "Opening hours (days and times, e.g. mon-fri 09:00-16:00; wed 09:00-18:00)",
        "public_computers": "Public computers",
        "kiosks": "Entrance kiosks in the future variant",
        "guides": "Citizen guides",
        "desk_staff": "Information-desk staff (0 if the office has no desk)",
        "languages": "Languages the visitors speak, with shares",
        "errand_mix": "Errand mix: skarholmen, rinkeby or your own (errand=share:route, ...)",
        "queue": "Way of working: ticket or floorwalk",
    },
}

_TEXTS = {
    "sv": {"intro": "Ett nytt medborgarkontor från mallen. Tryck Enter för förslaget inom [ ].",
           "wrote": "skrev {today} (idag) och {future} (med kiosk i entrén)",
           "exists": "{path} finns redan; välj en annan fil med -o eller skriv över med --force",
           "folder": "-o {path}: mappen {folder} finns inte",
           "suffix": "-o {path}: väntade en .yaml- eller .yml-fil",
           "load": "belastning",
           "next": "nästa steg: mbk simulate {today}, eller mbk simulate {future} --baseline {today}"},
    "en": {"intro": "A new citizen office from the template. Press Enter for the suggestion in [ ].",
           "wrote": "wrote {today} (today) and {future} (with the entrance kiosk)",
           "exists": "{path} already exists; choose another file with -o or overwrite it with --force",
           "folder": "-o {path}: folder {folder} does not exist",
           "suffix": "-o {path}: expected a .yaml or .yml file",
           "load": "load check",
           "next": "next: mbk simulate {today}, or mbk simulate {future} --baseline {today}"},
}


def _lang(value: str) -> str:
    if value not in ("sv", "en"):
        raise typer.BadParameter(f"expected sv or en, got {value!r}")
    return value


def _read(question: str, default: str) -> str:
    """One answer from stdin, the question on stderr (stdout keeps only what was written); Enter takes the default."""
    with contextlib.redirect_stdout(sys.stderr):  # input() writes its prompt to stdout
        try:
            text = input(f"{question}{f' [{default}]' if default else ''}: ")
        except EOFError:
            raise typer.Abort() from None
    return text.strip() or default


def _ask(field: str, lang: str) -> str:
    """Ask until the answer reads; a bad one is named with what was expected, then asked again."""
    while True:
        text = _read(PROMPTS[lang][field], DEFAULTS[field])
        try:
            parse_answer(field, text)
            return text
        except AnswerError as exc:
            err.print(f"[bold red]{escape(exc.message(lang))}[/bold red]")


def _given(field: str, text: str, lang: str) -> str:
    try:
        parse_answer(field, text)
    except AnswerError as exc:
        raise UserError(f"{OPTIONS[field]}: {exc.message(lang)}") from None
    return text


def _targets(output: Optional[Path], slug: str, force: bool, lang: str) -> tuple[Path, Path]:
    t = _TEXTS[lang]
    today = output or Path(f"{slug}-current.yaml")
    if today.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(t["suffix"].format(path=today))
    if not today.parent.exists():
        raise UserError(t["folder"].format(path=today, folder=today.parent))
    stem = today.stem[: -len("-current")] if today.stem.endswith("-current") else today.stem
    future = today.with_name(f"{stem}-kiosk{today.suffix}")
    for p in (today, future):
        if p.exists() and not force:
            raise UserError(t["exists"].format(path=p))
    return today, future


def cmd_new_office(
    name: Optional[str] = typer.Option(None, "--name", help="The office's name, e.g. 'Kista'."),
    visitors: Optional[str] = typer.Option(None, "--visitors", help="Visitors per week (default 1473)."),
    hours: Optional[str] = typer.Option(None, "--hours", help="Opening hours: 'mon-fri 09:00-16:00; wed 09:00-18:00'."),
    computers: Optional[str] = typer.Option(None, "--computers", help="Public computers today (default 8)."),
    kiosks: Optional[str] = typer.Option(None, "--kiosks", help="Entrance kiosks in the future variant (default 3)."),
    guides: Optional[str] = typer.Option(None, "--guides", help="Citizen guides (default 4)."),
    desk_staff: Optional[str] = typer.Option(None, "--desk-staff", help="Information-desk staff, 0 for none (default 4)."),
    languages: Optional[str] = typer.Option(None, "--languages", help="Visitors' languages with shares: 'sv=0.55,ar=0.2,so=0.1,en=0.15'."),
    errand_mix: Optional[str] = typer.Option(None, "--errand-mix", help="skarholmen, rinkeby, or 'errand=share:route,...' "
                                                                       "(routes: booked, question, guidance, computer_help, own_computer)."),
    queue: Optional[str] = typer.Option(None, "--queue", help="ticket or floorwalk (default ticket)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Today's model file (default NAME-current.yaml); "
                                                                       "the kiosk variant goes beside it as NAME-kiosk.yaml."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Ask nothing: the defaults for every answer not given (--name is needed)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
    lang: str = typer.Option("sv", "--lang", callback=_lang, help="Language of the questions and messages: sv or en."),
) -> None:
    """Make a new office's model and its kiosk variant from a template: asks, or takes everything as options."""
    from simulation import load_check  # after the answers: `mbk` starts fast

    given = dict(zip(FIELDS, (name, visitors, hours, computers, kiosks, guides, desk_staff, languages, errand_mix, queue)))
    texts = {f: _given(f, v, lang) for f, v in given.items() if v is not None}
    missing = [f for f in FIELDS if f not in texts]
    if missing and yes and "name" in missing:
        raise UserError(f"--name: {AnswerError('name', '').message(lang)}")
    if missing and not yes:
        err.print(_TEXTS[lang]["intro"])
        texts.update({f: _ask(f, lang) for f in missing})
    answers = answers_from_texts(texts)
    today_path, future_path = _targets(output, office_slug(answers.name), force, lang)
    today, future = build_office(answers)
    today_path.write_text(office_yaml(today, answers), encoding="utf-8")
    future_path.write_text(office_yaml(future, answers), encoding="utf-8")
    t = _TEXTS[lang]
    out.print(t["wrote"].format(today=today_path, future=future_path), markup=False)
    for path in (today_path, future_path):
        for pool in load_check(str(path)):
            if pool.warning:
                err.print(f"[yellow]{t['load']}:[/yellow] {escape(str(path))}: {escape(pool.warning)}")
    out.print(t["next"].format(today=today_path, future=future_path), markup=False)


def register(app: typer.Typer) -> None:
    """Add `mbk new office` to the `mbk` app."""
    new = typer.Typer(help="Make something new from a template.", no_args_is_help=True)
    new.command("office")(cmd_new_office)
    app.add_typer(new, name="new")
