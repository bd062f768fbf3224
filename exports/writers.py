"""Pick the writer for a requirements format: xlsx, docx, reqif, json, md or sdoc (StrictDoc)."""

from __future__ import annotations

from pathlib import Path

from process_models.errors import UserError

from .requirement import RequirementSet, save_requirements

__all__ = ["FORMATS", "write_requirements", "format_for"]

FORMATS = ("xlsx", "docx", "reqif", "json", "md", "sdoc")


def format_for(path: Path, fmt: str | None) -> str:
    """The format asked for, or the one the file name's suffix implies."""
    chosen = fmt or path.suffix.lstrip(".").lower()
    if chosen not in FORMATS:
        raise UserError(f"--format: unknown format {chosen or '(none)'!r} for {path}; expected one of {', '.join(FORMATS)}")
    return chosen


def write_requirements(reqs: RequirementSet, path: str | Path, fmt: str | None = None, lang: str = "sv") -> Path:
    """Write `reqs` to `path`; JSON and ReqIF hold both languages, the others (SDoc too) the one asked for.

    Each writer's library (openpyxl, python-docx, reqif) is imported when its format is asked for.
    """
    p = Path(path)
    chosen = format_for(p, fmt)
    if chosen == "json":
        return save_requirements(reqs, p)
    if chosen == "reqif":
        from .reqif_io import write_reqif

        return write_reqif(reqs, p)
    if chosen == "xlsx":
        from .xlsx import write_xlsx

        return write_xlsx(reqs, p, lang)
    if chosen == "docx":
        from .docx_writer import write_docx

        return write_docx(reqs, p, lang)
    if chosen == "sdoc":
        from .sdoc import write_sdoc

        return write_sdoc(reqs, p, lang)
    from .markdown import write_markdown

    return write_markdown(reqs, p, lang)
