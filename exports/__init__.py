"""Exports for kravställning: requirements (XLSX, DOCX, ReqIF, JSON, Markdown), BPMN 2.0 and the workshop report.

Names are loaded on first use, so that `mbk` starts without importing every
library this package needs.
"""

from process_models.lazy import lazy_names

# imported at once: the submodule has the function's name, and once loaded it would shadow it
from .generate import DEFAULT_VOTE_THRESHOLD, generate

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

_WHERE = {
    "read_bpmn": ".bpmn",
    "to_bpmn": ".bpmn",
    "write_bpmn": ".bpmn",
    "FINDING_KINDS": ".check",
    "Finding": ".check",
    "check_requirements": ".check",
    "library_requirements": ".library",
    "SCHEMA_VERSION": ".requirement",
    "Evaluation": ".requirement",
    "Link": ".requirement",
    "Requirement": ".requirement",
    "RequirementSet": ".requirement",
    "Sources": ".requirement",
    "load_requirements": ".requirement",
    "save_requirements": ".requirement",
    "print_pdf": ".report",
    "render_html": ".report",
    "write_report": ".report",
    "read_reqif": ".reqif_io",
    "write_reqif": ".reqif_io",
    "ScenarioFigures": ".scenario",
    "scenario_figures": ".scenario",
    "FORMATS": ".writers",
    "write_requirements": ".writers",
    "read_answers": ".xlsx",
    "write_xlsx": ".xlsx",
}

__getattr__ = lazy_names(__name__, _WHERE)
