"""Exports for kravställning: requirements (XLSX, DOCX, ReqIF, JSON, Markdown), BPMN 2.0 and the workshop report."""

from .bpmn import read_bpmn, to_bpmn, write_bpmn
from .check import FINDING_KINDS, Finding, check_requirements
from .generate import DEFAULT_VOTE_THRESHOLD, generate
from .library import library_requirements
from .requirement import (
    SCHEMA_VERSION,
    Evaluation,
    Link,
    Requirement,
    RequirementSet,
    Sources,
    load_requirements,
    save_requirements,
)
from .report import print_pdf, render_html, write_report
from .reqif_io import read_reqif, write_reqif
from .scenario import ScenarioFigures, scenario_figures
from .writers import FORMATS, write_requirements
from .xlsx import read_answers, write_xlsx

__all__ = [
    "SCHEMA_VERSION",
    "DEFAULT_VOTE_THRESHOLD",
    "FORMATS",
    "FINDING_KINDS",
    "Requirement",
    "RequirementSet",
    "Evaluation",
    "Sources",
    "Link",
    "Finding",
    "ScenarioFigures",
    "generate",
    "library_requirements",
    "check_requirements",
    "scenario_figures",
    "write_requirements",
    "load_requirements",
    "save_requirements",
    "write_reqif",
    "read_reqif",
    "write_xlsx",
    "read_answers",
    "to_bpmn",
    "write_bpmn",
    "read_bpmn",
    "render_html",
    "write_report",
    "print_pdf",
]
