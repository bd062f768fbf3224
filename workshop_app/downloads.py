"""What the app's download buttons hand out: the workshop report, requirements, from the shared session.

The same writers as `mbk export report` and `mbk export requirements`, fed from the live
session instead of a file on the command line.
"""

from __future__ import annotations

import logging
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from process_models import library_names, load_model
from process_models.errors import UserError
from process_models.session import session_annotations

from .model_names import model_facts
from .shared_session import SharedSession

__all__ = ["report_html", "report_pdf", "requirements_file", "future_models", "REQUIREMENT_FORMATS"]

log = logging.getLogger(__name__)
REQUIREMENT_FORMATS = ("xlsx", "docx")


def _source(shared: SharedSession) -> str:
    return str(shared.path) if shared.path else "workshop.json"


def report_html(shared: SharedSession, lang: str) -> str:
    """The workshop report as `mbk export report` writes it, from the session as it is now."""
    from exports.report import render_html

    return render_html(shared.data, source=_source(shared), lang=lang)


def report_pdf(shared: SharedSession, lang: str) -> bytes:
    """The report printed to PDF by headless Chromium.

    Playwright's sync API refuses to run on a thread with an event loop (the server's), so
    the printing happens on a thread of its own.
    """
    from exports.report import print_pdf

    html = report_html(shared, lang)
    with tempfile.TemporaryDirectory(prefix="mbk-report-") as tmp:
        path = Path(tmp) / "report.pdf"
        with ThreadPoolExecutor(1, thread_name_prefix="mbk-pdf") as pool:
            pool.submit(print_pdf, html, path).result(timeout=120)
        return path.read_bytes()


def future_models(shared: SharedSession, lang: str) -> dict[str, str]:
    """Name in `lang` -> ref of every model requirements can be built from: future variants.

    Library models and uploads whose `variant` is future, and the session's own variants
    (as `SESSION.json#VARIANT`, the ref the CLI reads too).
    """
    out: dict[str, str] = {}
    for ref in [*library_names(), *shared.uploaded_models()]:
        try:
            names, variant = model_facts(ref)
        except UserError:
            continue
        if variant == "future":
            out[names[lang]] = ref
    if shared.path is not None:
        for v in getattr(shared.data, "variants", ()):  # the room's own variants, once the session has them
            out.setdefault(v.name, f"{shared.path}#{v.id}")
    return out


def _load(ref: str):
    if "#" in ref:
        from process_models.session import load_variant_model

        return load_variant_model(ref)
    return load_model(ref)


def requirements_file(shared: SharedSession, ref: str, fmt: str, lang: str) -> bytes:
    """The requirements (kravställning) of model `ref` with the session's voted ideas, as XLSX or DOCX."""
    from exports.generate import generate
    from exports.writers import write_requirements

    if fmt not in REQUIREMENT_FORMATS:
        raise ValueError(f"fmt: expected one of {REQUIREMENT_FORMATS}, got {fmt!r}")
    model = _load(ref)
    session = shared.data
    reqs = generate(model, notes=session_annotations(session, model.id), session_title=session.title,
                    session_file=_source(shared))
    with tempfile.TemporaryDirectory(prefix="mbk-reqs-") as tmp:
        path = write_requirements(reqs, Path(tmp) / f"requirements.{fmt}", fmt, lang)
        return Path(path).read_bytes()
