"""Write the requirements chapter of the tender documents as DOCX, grouped by area."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .markdown import trace_text
from .requirement import AREAS, Requirement, RequirementSet
from .texts import texts

__all__ = ["write_docx"]

WIDTHS = (Cm(4.0), Cm(12.0))  # A4 with 2.5 cm margins leaves 16 cm
KIND_COLOURS = {"SKA": "C62828", "BÖR": "1F5FA8", "INFO": "616161"}


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _evaluation(r: Requirement, t: dict) -> str:
    if r.evaluation.method == "points":
        return t["docx"]["points"].format(max=r.evaluation.max_points, weight=r.evaluation.weight or 1)
    return t["evaluations"]["yes_no"]


def _requirement(doc, r: Requirement, t: dict, lang: str) -> None:
    heading = doc.add_heading(level=3)
    run = heading.add_run(f"{r.id}  ")
    run.font.color.rgb = RGBColor.from_string(KIND_COLOURS[r.kind])
    heading.add_run(r.title.get(lang))
    heading.paragraph_format.keep_with_next = True
    doc.add_paragraph(r.statement.get(lang)).paragraph_format.keep_with_next = True
    f = t["docx"]["fields"]
    rows = [(f["kind"], t["kinds"][r.kind]), (f["evaluation"], _evaluation(r, t))]
    if r.evidence:
        rows.append((f["evidence"], r.evidence.get(lang)))
    rows.append((f["verification"], f"{t['verifications'][r.verification]} · {f['phase']}: {t['phases'][r.phase]}"))
    if r.rationale:
        rows.append((f["rationale"], r.rationale.get(lang)))
    rows.append((f["sources"], trace_text(r, lang)))
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS):
        column.width = width
    for name, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = name, value
        _shade(cells[0], "EEF3FA")
        for cell, width in zip(cells, WIDTHS):  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = width
        for c in cells:
            for p in c.paragraphs:
                p.paragraph_format.keep_with_next = True  # keep a requirement's table on one page
                for run in p.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph()


def write_docx(reqs: RequirementSet, path: str | Path, lang: str = "sv") -> Path:
    """One heading per area (in a fixed order), one section per requirement with its fields."""
    t = texts(lang)
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
    doc.core_properties.title = reqs.title.get(lang)
    doc.core_properties.language = lang
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    doc.add_heading(reqs.title.get(lang), level=0)
    doc.add_heading(t["docx"]["chapter"], level=1)
    doc.add_paragraph(t["docx"]["intro"])
    for area in AREAS:
        items = [r for r in reqs.requirements if r.area == area]
        if not items:
            continue
        doc.add_heading(t["areas"][area], level=2)
        for r in items:
            _requirement(doc, r, t, lang)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    doc.save(p)
    return p
