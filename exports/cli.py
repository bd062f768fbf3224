"""`mbk export requirements|bpmn|report|benefits` and `mbk import answers|bpmn`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from process_models import load_model
from process_models.errors import UserError
from process_models.session import load_session, session_annotations

from .check import check_requirements
from .generate import DEFAULT_VOTE_THRESHOLD, generate
from .requirement import RequirementSet, load_requirements
from .scenario import scenario_figures
from .texts import check_lang
from .writers import FORMATS, format_for, write_requirements

__all__ = ["register", "export_app", "import_app"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
export_app = typer.Typer(help="Export requirements (XLSX, DOCX, ReqIF, JSON, Markdown), BPMN 2.0 and the workshop report.",
                         no_args_is_help=True)
import_app = typer.Typer(help="Import a supplier's answered sheet, or a BPMN 2.0 process.", no_args_is_help=True)


# typer vendors click; this is its ClickException, which `mbk.cli.main` turns into an exit code
_CLICK_EXCEPTION = typer.BadParameter.__mro__[2]


class FindingsFound(_CLICK_EXCEPTION):
    """The checker found something: exit 1 (not 2, which means bad input).

    A ClickException because `mbk.cli.main` ignores the return code of `typer.Exit`.
    """

    exit_code = 1


def _requirements(source: str, session: Optional[Path], scenario: Optional[Path], threshold: int):
    """Generate from a model (library name or YAML), or read an existing JSON set; plus the check context."""
    if source.endswith(".json"):
        reqs = load_requirements(source)
        model = load_model(reqs.model) if reqs.model and not session and not scenario else None
        return reqs, model, None
    model = load_model(source)
    if model.variant != "future":
        raise UserError(f"{source}: variant: {model.id} is today's process (variant: {model.variant}); the requirements "
                        "specify what is to be procured, so expected a future model (variant: future), "
                        "such as skarholmen-kiosk")
    notes, title = [], ""
    if session is not None:
        s = load_session(session)
        notes, title = session_annotations(s, model.id), s.title
    figures = scenario_figures(scenario) if scenario is not None else None
    if figures is not None and figures.model.id != model.id:
        raise UserError(f"{scenario}: the scenario simulates model {figures.model.id}, not {model.id}; "
                        "expected a scenario of the model the requirements are built from")
    reqs = generate(model, notes=notes, scenario=figures, vote_threshold=threshold, session_title=title,
                    session_file=str(session) if session else None)
    known_notes = {a.id for a in model.annotations} | {a.id for a in notes}
    return reqs, (figures.model if figures else model), known_notes


@export_app.command("requirements")
def cmd_requirements(
    source: str = typer.Argument(..., help="A future process model (library name or YAML), or a requirements JSON to check."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write; the format follows the suffix."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help=f"One of {', '.join(FORMATS)}."),
    session: Optional[Path] = typer.Option(None, "--session", help="Workshop session file: its voted ideas become BÖR requirements."),
    scenario: Optional[Path] = typer.Option(None, "--scenario", help="Scenario YAML: its pool sizes become quantity requirements."),
    lang: str = typer.Option("sv", "--lang", help="sv or en (XLSX, DOCX and Markdown)."),
    threshold: int = typer.Option(DEFAULT_VOTE_THRESHOLD, "--vote-threshold", min=0, help="Votes an idea needs."),
    check: bool = typer.Option(False, "--check", help="List findings and exit 1 if there are any; nothing is written then."),
) -> None:
    """Build the requirements specification (kravställning) and write it, or check it."""
    check_lang(lang)
    if output is None and not check:
        raise UserError("give -o FILE to write, or --check to review")
    if output is not None:
        format_for(output, fmt)  # a bad format is reported before any work
    reqs, model, notes = _requirements(source, session, scenario, threshold)
    if check:
        findings = check_requirements(reqs, model, notes)
        for f in findings:
            out.print(str(f), markup=False)
        if findings:
            raise FindingsFound(f"{len(findings)} finding(s) in {len(reqs.requirements)} requirements")
        out.print(f"ok: {len(reqs.requirements)} requirements, no findings")
    if output is not None:
        out.print(f"wrote {write_requirements(reqs, output, fmt, lang)} ({len(reqs.requirements)} requirements)")


@export_app.command("bpmn")
def cmd_export_bpmn(
    model: str = typer.Argument(..., help="Model file or library name."),
    output: Path = typer.Option(..., "-o", "--output", help="The .bpmn file to write."),
    lang: str = typer.Option("sv", "--lang", help="Language of names: sv or en."),
) -> None:
    """Write a process model as BPMN 2.0 XML: lanes, tasks, exclusive gateways with branch probabilities."""
    from .bpmn import write_bpmn

    check_lang(lang)
    out.print(f"wrote {write_bpmn(load_model(model), output, lang)}")


@export_app.command("report")
def cmd_report(
    session: Path = typer.Argument(..., help="Workshop session file (JSON)."),
    output: Path = typer.Option(..., "-o", "--output", help="report.html or report.pdf"),
    lang: str = typer.Option("sv", "--lang", help="sv or en."),
    threshold: int = typer.Option(DEFAULT_VOTE_THRESHOLD, "--vote-threshold", min=0),
) -> None:
    """The workshop report: maps, scenario comparison, top-voted ideas, requirements summary."""
    from .report import write_report

    check_lang(lang)
    if output.suffix.lower() not in (".html", ".pdf"):
        raise UserError(f"-o {output}: expected a .html or .pdf file")
    out.print(f"wrote {write_report(session, output, lang=lang, vote_threshold=threshold)}")


@export_app.command("benefits")
def cmd_benefits(
    source: str = typer.Argument(..., metavar="SESSION_OR_SCENARIO",
                                 help="A session file (.json: its scenario against its baseline), or a model or scenario to simulate."),
    output: Path = typer.Option(..., "-o", "--output", help="nytta.xlsx, nytta.docx or nytta.md"),
    scenario: Optional[str] = typer.Option(None, "--scenario", help="Which of the session's results (default: the first with a baseline)."),
    baseline: str = typer.Option("skarholmen-current", "--baseline", help="What a model or scenario is compared with."),
    replications: int = typer.Option(10, "--replications", "-r", min=1),
    seed: int = typer.Option(0, "--seed", min=0),
    years: int = typer.Option(5, "--years", help="Years of the nyttokalkyl, 1 to 5."),
    learned: float = typer.Option(0.60, "--target-learned", min=0, max=1, help="Target share who learned something new."),
    handle: float = typer.Option(0.40, "--target-handle", min=0, max=1, help="Target share who can handle the errand next time."),
    lang: str = typer.Option("sv", "--lang", help="sv or en."),
    kiosk_db: Optional[str] = typer.Option(None, "--kiosk-db", metavar="DB",
                                           help="The kiosk's database, as `mbk kiosk serve --db` takes it (a SQLite file, "
                                                "sqlite:///… or postgresql://…): its survey and log fill 'measured so far'. "
                                                "Read only: nothing is created or migrated."),
    office: Optional[str] = typer.Option(None, "--office", help="With --kiosk-db: one office's figures (default: every office)."),
    kiosk_model: Optional[str] = typer.Option(None, "--kiosk-model",
                                              help="With --kiosk-db: the --model the kiosk runs (default skarholmen-kiosk); "
                                                   "its queue steps say which logged time is waiting."),
) -> None:
    """The benefits realisation plan: benefits, owners, indicators, baselines, targets, nyttokalkyl, effect chains."""
    from .benefits import BENEFIT_FORMATS, plan_from_comparison, plan_from_session, write_plan
    from .measured import DEFAULT_KIOSK_MODEL, read_follow_up

    check_lang(lang)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in BENEFIT_FORMATS:
        raise UserError(f"-o {output}: unknown format {fmt!r}; expected .xlsx, .docx or .md")
    if not output.parent.exists():
        raise UserError(f"-o {output}: folder {output.parent} does not exist")
    if not 1 <= years <= 5:
        raise UserError(f"--years: expected 1 to 5, got {years}")
    targets = {"learned": learned, "handle_next_time": handle}
    for name, value in (("--office", office), ("--kiosk-model", kiosk_model)):
        if value is not None and kiosk_db is None:
            raise UserError(f"{name}: only with --kiosk-db")
    # read before anything is simulated or written: a bad database is said at once and leaves no file
    follow_up = (read_follow_up(kiosk_db, office, kiosk_model or DEFAULT_KIOSK_MODEL) if kiosk_db is not None
                 else None)
    if source.endswith(".json"):
        plan = plan_from_session(source, scenario, targets=targets, years=years, follow_up=follow_up)
    else:
        plan = plan_from_comparison(source, baseline, replications=replications, seed=seed, targets=targets, years=years,
                                    follow_up=follow_up)
    out.print(f"wrote {write_plan(plan, output, lang)}: {len(plan.benefits)} benefits, {len(plan.years)} years, "
              f"{len(plan.chains)} effect chains")


@import_app.command("answers")
def cmd_import_answers(
    sheet: Path = typer.Argument(..., help="The supplier's answered XLSX sheet."),
    output: Path = typer.Option(..., "-o", "--output", help="answers.json to write."),
    requirements: Optional[Path] = typer.Option(None, "--requirements", help="The JSON master: check ids and SKA answers against it."),
) -> None:
    """Read a supplier's answers (Ja/Nej, comment) into JSON, keyed by requirement id."""
    from .xlsx import read_answers, save_answers

    answers = read_answers(sheet)
    if requirements is not None:
        reqs: RequirementSet = load_requirements(requirements)
        known = reqs.by_id()
        unknown = [a["id"] for a in answers if a["id"] not in known]
        if unknown:
            raise UserError(f"{sheet}: ids not in {requirements}: {', '.join(unknown)}")
        missing = [rid for rid in known if rid not in {a["id"] for a in answers}]
        if missing:
            raise UserError(f"{sheet}: requirements missing from the sheet: {', '.join(missing)}")
        for a in answers:
            if known[a["id"]].kind == "SKA" and a["answer"] == "no":
                out.print(f"[red]{a['id']}: SKA answered No[/red]", markup=True)
    save_answers(answers, output, str(sheet))
    answered = sum(1 for a in answers if a["answer"] is not None)
    out.print(f"wrote {output}: {answered} of {len(answers)} requirements answered")


@import_app.command("bpmn")
def cmd_import_bpmn(
    source: Path = typer.Argument(..., help="A BPMN 2.0 XML file."),
    output: Path = typer.Option(..., "-o", "--output", help="MODEL.yaml to write."),
    base: Optional[str] = typer.Option(None, "--base", help="Model whose errands, segments, pools, hours and demand to use "
                                                            "when the BPMN was not written by MBK Studio."),
) -> None:
    """Turn a BPMN 2.0 process into a process model YAML (lanes, steps, flows with probabilities)."""
    from process_models import save_model

    from .bpmn import read_bpmn

    warnings: list[str] = []
    model = read_bpmn(source, base=load_model(base) if base else None, warnings=warnings)
    for line in warnings:
        err.print(f"warning: {line}", markup=False)
    save_model(model, output)
    out.print(f"wrote {output}: {model.id} ({len(model.steps)} steps, {len(model.flows)} flows)")


def register(app: typer.Typer) -> None:
    """Add `export` and `import` to the `mbk` app."""
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
