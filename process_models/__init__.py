"""Visitor process models of a citizen office: schema, YAML I/O, checks, graphs, diffs, blueprints."""

from .checks import run_checks
from .diff import ModelDiff, diff_models
from .errors import ModelError, Problem, UserError
from .graph import from_graph, journey_order, to_graph
from .io import dump_model, load_model, model_to_data, parse_model, save_model, validate_data
from .library import library_names, library_path, resolve
from .schema import ProcessModel

__all__ = [
    "ProcessModel",
    "ModelError",
    "UserError",
    "Problem",
    "load_model",
    "parse_model",
    "validate_data",
    "dump_model",
    "save_model",
    "model_to_data",
    "run_checks",
    "to_graph",
    "from_graph",
    "journey_order",
    "diff_models",
    "ModelDiff",
    "library_names",
    "library_path",
    "resolve",
]
