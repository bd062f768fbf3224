"""The model checks' findings said in the UI language, for the editor's live checks and uploads.

The checks speak English to the command line; here each kind of finding gets a sentence
per language, with the figures taken from the check's own message. A file's problems keep
their place (file, line, field) in front of the sentence.
"""

from __future__ import annotations

import re

from process_models.edit import ElementProblem
from process_models.errors import Problem, format_path

from .texts import text

__all__ = ["problem_sentence", "file_problem_text"]

_SUM = re.compile(r"for errand '([^']*)', segment '([^']*)'(?:, outcome '([^']*)')? sum to ([0-9.eE+-]+)")
_POOL = re.compile(r"pool '([^']*)'")
_SKILLS = re.compile(r"skills name (\d+) members but the pool has capacity (-?\d+)")
_NEED = re.compile(r"needs (\d+) of pool '([^']*)', which has only (-?\d+)")
#: What pydantic (or the loader) says of a value -> text key; a trailing ", got X" is said after it.
_GOT = r"(?:, got (.*))?$"
_TYPE_PHRASES = (
    (re.compile(r"^missing required field '([^']*)'()$"), "fp_missing"),
    (re.compile(r"^unknown key '([^']*)'; expected one of: (.*)()$"), "fp_unknown_key"),
    (re.compile(r"^unknown key '([^']*)'()$"), "fp_unknown_key_only"),
    (re.compile(r"^Input should be a valid integer.*?" + _GOT), "fp_integer"),
    (re.compile(r"^Input should be a valid number.*?" + _GOT), "fp_number"),
    (re.compile(r"^Input should be a valid (?:dictionary|mapping).*?" + _GOT), "fp_mapping"),
    (re.compile(r"^Input should be a valid list.*?" + _GOT), "fp_list"),
    (re.compile(r"^Input should be a valid string.*?" + _GOT), "fp_string"),
    (re.compile(r"^Input should be a valid boolean.*?" + _GOT), "fp_boolean"),
    (re.compile(r"^Input should be greater than or equal to ([^,]+)" + _GOT), "fp_at_least"),
    (re.compile(r"^Input should be greater than ([^,]+)" + _GOT), "fp_above"),
    (re.compile(r"^Input should be less than or equal to ([^,]+)" + _GOT), "fp_at_most"),
    (re.compile(r"^Input should be less than ([^,]+)" + _GOT), "fp_below"),
    (re.compile(r"^Input should be (.+?)" + _GOT), "fp_one_of"),
    (re.compile(r"^durations are positive minutes; got (.*)()$"), "fp_duration"),
    (re.compile(r"^unknown (lane|pool|step|errand|segment) '([^']*)'; expected one of: (.*)()$"), "fp_unknown_ref"),
    (re.compile(r"^capacity (-?[\d.]+) is negative()"), "fp_negative"),
    (re.compile(r"^capacity ([\d,]+); expected at most ([\d,]+)()$"), "fp_capacity_limit"),
    (re.compile(r"^([\d,]+) visitors a week; expected at most ([\d,]+)()$"), "fp_visitors_limit"),
    (re.compile(r"^shift (\S+)-(\S+) ends before it starts()$"), "fp_shift_backwards"),
    (re.compile(r"^id '([^']*)' is used twice in (\w+)()"), "fp_duplicate_id"),
    (re.compile(r"^(?:shares of \S+|weekday shares) sum to (\S+); expected 1()$"), "fp_shares"),
    (re.compile(r"^(\S+) lies outside the stated range (\S+)-(\S+)()"), "fp_outside_range"),
    (re.compile(r"^unknown weekday '([^']*)'()$"), "fp_weekday"),
    (re.compile(r"^hourly profile is all zero()()"), "fp_hourly_zero"),
    (re.compile(r"^column (\d+): control character (U\+[0-9A-F]+)()"), "fp_control"),
    (re.compile(r"^nested more than (\d+) levels deep()"), "fp_depth"),
    (re.compile(r"^broken YAML: exceeded maximum nesting depth()()"), "fp_depth_parser"),
    (re.compile(r"^more than ([\d,]+) aliases()"), "fp_aliases"),
    (re.compile(r"^alias \*(\S+) points into itself()"), "fp_alias_loop"),
    (re.compile(r"^more than ([\d,]+) values once aliases are expanded()"), "fp_nodes"),
    (re.compile(r"^duplicate key '([^']*)' \(first given on line (\d+)\)()"), "fp_duplicate_key"),
    (re.compile(r"^broken YAML: (.*)()$"), "fp_broken_yaml"),
    (re.compile(r"^the file is empty()()"), "fp_empty"),
    (re.compile(r"^not UTF-8 text()()"), "fp_not_text"),
)
#: The checks whose findings are the editor's live checks too (said by `problem_sentence`).
_MODEL_CHECKS = {"structure", "outcome", "duration", "unreachable", "dead_end", "queue_without_resource",
                 "probabilities", "empty_pool", "capacity"}
#: (check, a phrase of its English message) -> text key; the first that matches is said.
_BY_PHRASE = (
    ("structure", "no step of kind 'start'", "chk_no_start"),
    ("structure", "no step of kind 'end'", "chk_no_end"),
    ("structure", "cannot have outgoing flows", "chk_end_out"),
    ("structure", "cannot have incoming flows", "chk_start_in"),
    ("structure", "cannot request resources", "chk_no_requests"),
    ("outcome", "needs `success`", "chk_success_missing"),
    ("outcome", "only self_service steps take", "chk_success_extra"),
    ("outcome", "need `outcome: success`", "chk_outcome_missing"),
    ("outcome", "`outcome` is only for flows", "chk_outcome_extra"),
    ("duration", "needs a duration", "chk_duration_missing"),
    ("duration", "takes no time", "chk_duration_extra"),
)
_BY_CHECK = {"unreachable": "chk_unreachable", "dead_end": "chk_dead_end",
             "queue_without_resource": "chk_queue_without_resource"}


def problem_sentence(problem: ElementProblem, lang: str, labels: dict[str, str] | None = None) -> str:
    """One finding as a sentence a participant can act on, in `lang` (names shown by their labels)."""
    labels = labels or {}
    name = lambda ident: labels.get(ident, ident)  # noqa: E731
    msg, check = problem.message, problem.check
    if check in _BY_CHECK:
        return text(lang, _BY_CHECK[check])
    if check == "probabilities" and (m := _SUM.search(msg)):
        errand, segment, _outcome, total = m.groups()
        pct = f"{float(total):.0%}".replace("%", " %")
        return text(lang, "chk_probabilities", total=pct, errand=name(errand), segment=name(segment))
    if check == "empty_pool" and (m := _POOL.search(msg)):
        return text(lang, "chk_empty_pool", pool=name(m.group(1)))
    if check == "capacity" and (m := _SKILLS.search(msg)):
        return text(lang, "chk_skills", skilled=m.group(1), capacity=m.group(2))
    if check == "capacity" and (m := _NEED.search(msg)):
        return text(lang, "chk_need", count=m.group(1), pool=name(m.group(2)), capacity=m.group(3))
    for code, phrase, key in _BY_PHRASE:
        if check == code and phrase in msg:
            return text(lang, key)
    return text(lang, "chk_other", detail=msg)


def file_problem_text(problem: Problem, lang: str) -> str:
    """One problem of an uploaded file in `lang`: "file:line: field: sentence" (the CLI's place, our words)."""
    where = problem.file or "<model>"
    if problem.line is not None:
        where += f":{problem.line}"
    field = format_path(problem.path) if problem.path else text(lang, "fp_top_level")
    return f"{where}: {field}: {_value_sentence(problem, lang)}"


def _value_sentence(problem: Problem, lang: str) -> str:
    msg = problem.message
    for pattern, key in _TYPE_PHRASES:
        if m := pattern.search(msg):
            *values, got = m.groups()
            sentence = text(lang, key, **_values(key, values, lang))
            return sentence + (text(lang, "fp_got", got=got) if got else "")
    if problem.check in _MODEL_CHECKS:
        return problem_sentence(ElementProblem(element="", check=problem.check, message=msg), lang)
    return text(lang, "chk_other", detail=msg)


def _values(key: str, groups: list, lang: str) -> dict:
    """The text's values from the message's groups ('a' or 'b' said with the language's 'or')."""
    first = groups[0] if groups else ""
    if key in ("fp_missing", "fp_unknown_key_only"):
        return {"field": first}
    if key == "fp_unknown_key":
        return {"name": first, "allowed": groups[1]}
    if key == "fp_one_of":
        return {"expected": first.replace(" or ", f" {text(lang, 'fp_or')} ")}
    if key in ("fp_duration", "fp_weekday", "fp_negative"):
        return {"got": first}
    if key == "fp_unknown_ref":
        return {"kind": text(lang, f"fp_kind_{first}"), "name": groups[1], "allowed": groups[2]}
    if key in ("fp_capacity_limit", "fp_visitors_limit"):
        return {"got": first, "limit": groups[1]}
    if key == "fp_shift_backwards":
        return {"start": first, "end": groups[1]}
    if key == "fp_duplicate_id":
        return {"name": first, "field": groups[1]}
    if key == "fp_control":
        return {"column": first, "code": groups[1]}
    if key in ("fp_depth", "fp_aliases", "fp_nodes"):
        return {"limit": first}
    if key == "fp_alias_loop":
        return {"name": first}
    if key == "fp_duplicate_key":
        return {"name": first, "line": groups[1]}
    if key == "fp_broken_yaml":
        return {"detail": first}
    if key == "fp_shares":
        return {"total": first}
    if key == "fp_outside_range":
        return {"got": first, "low": groups[1], "high": groups[2]}
    if key in ("fp_at_least", "fp_above", "fp_at_most", "fp_below"):
        return {"limit": first}
    return {}
