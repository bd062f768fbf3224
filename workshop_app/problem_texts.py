"""The model checks' findings said in the UI language, for the editor's live checks and uploads.

The checks speak English to the command line; here each kind of finding gets a sentence
per language, with the figures taken from the check's own message. A file's problems keep
their place (file, line, field) in front of the sentence.
"""

from __future__ import annotations

import re

from process_models.edit import ElementProblem
from process_models.errors import Problem, format_path

from .texts import text, with_or
from .yaml_texts import yaml_detail

__all__ = ["problem_sentence", "file_problem_text"]

_SUM = re.compile(r"for errand '([^']*)', segment '([^']*)'(?:, outcome '([^']*)')? sum to ([0-9.eE+-]+)")
_POOL = re.compile(r"pool '([^']*)'")
_SKILLS = re.compile(r"skills name (\d+) members but the pool has capacity (-?\d+)")
_NEED = re.compile(r"needs (\d+) of pool '([^']*)', which has only (-?\d+)")
#: What pydantic (or the loader) says of a value -> text key; the named groups are the text's values,
#: and a trailing ", got X" (`tail`) is said after the sentence.
_GOT = r"(?:, got (?P<tail>.*))?$"
_TYPE_PHRASES = tuple((re.compile(pattern), key) for pattern, key in (
    (r"^missing required field '(?P<field>[^']*)'$", "fp_missing"),
    (r"^unknown key '(?P<name>[^']*)'; expected one of: (?P<allowed>.*)$", "fp_unknown_key"),
    (r"^unknown key '(?P<field>[^']*)'$", "fp_unknown_key_only"),
    (r"^Input should be a valid integer.*?" + _GOT, "fp_integer"),
    (r"^Input should be a valid number.*?" + _GOT, "fp_number"),
    (r"^Input should be a valid (?:dictionary|mapping).*?" + _GOT, "fp_mapping"),
    (r"^Input should be a valid list.*?" + _GOT, "fp_list"),
    (r"^Input should be a valid string.*?" + _GOT, "fp_string"),
    (r"^Input should be a valid boolean.*?" + _GOT, "fp_boolean"),
    (r"^Input should be greater than or equal to (?P<limit>[^,]+)" + _GOT, "fp_at_least"),
    (r"^Input should be greater than (?P<limit>[^,]+)" + _GOT, "fp_above"),
    (r"^Input should be less than or equal to (?P<limit>[^,]+)" + _GOT, "fp_at_most"),
    (r"^Input should be less than (?P<limit>[^,]+)" + _GOT, "fp_below"),
    (r"^Input should be (?P<expected>.+?)" + _GOT, "fp_one_of"),
    (r"^durations are positive minutes; got (?P<got>.*)$", "fp_duration"),
    (r"^unknown (?P<kind>lane|pool|step|errand|segment) '(?P<name>[^']*)'; expected one of: (?P<allowed>.*)$",
     "fp_unknown_ref"),
    (r"^capacity (?P<got>-?[\d.]+) is negative", "fp_negative"),
    (r"^capacity (?P<got>[\d,]+); expected at most (?P<limit>[\d,]+)$", "fp_capacity_limit"),
    (r"^(?P<got>[\d,]+) visitors a week; expected at most (?P<limit>[\d,]+)$", "fp_visitors_limit"),
    (r"^shift (?P<start>\S+)-(?P<end>\S+) ends before it starts$", "fp_shift_backwards"),
    (r"^id '(?P<name>[^']*)' is used twice in (?P<field>\w+)", "fp_duplicate_id"),
    (r"^(?:shares of \S+|weekday shares) sum to (?P<total>\S+); expected 1$", "fp_shares"),
    (r"^(?P<got>\S+) lies outside the stated range (?P<low>\S+)-(?P<high>\S+)", "fp_outside_range"),
    (r"^unknown weekday '(?P<got>[^']*)'$", "fp_weekday"),
    (r"^hourly profile is all zero", "fp_hourly_zero"),
    (r"^column (?P<column>\d+): control character (?P<code>U\+[0-9A-F]+)", "fp_control"),
    (r"^character (?P<code>U\+[0-9A-F]+) at position (?P<position>\d+) cannot be in a text", "fp_text_character"),
    (r"^nested more than (?P<limit>\d+) levels deep", "fp_depth"),
    (r"^broken YAML: exceeded maximum nesting depth", "fp_depth_parser"),
    (r"^more than (?P<limit>[\d,]+) aliases", "fp_aliases"),
    (r"^alias \*(?P<name>\S+) points into itself", "fp_alias_loop"),
    (r"^more than (?P<limit>[\d,]+) values once aliases are expanded", "fp_nodes"),
    (r"^duplicate key '(?P<name>[^']*)' \(first given on line (?P<line>\d+)\)", "fp_duplicate_key"),
    (r"^broken YAML: (?P<detail>.*)$", "fp_broken_yaml"),
    (r"^the file is empty", "fp_empty"),
    (r"^not UTF-8 text", "fp_not_text"),
))
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
            values = m.groupdict()
            tail = values.pop("tail", None)
            if "kind" in values:
                values["kind"] = text(lang, f"fp_kind_{values['kind']}")
            if "expected" in values:  # 'a' or 'b', with the language's 'or'
                values["expected"] = with_or(values["expected"], lang)
            if key == "fp_broken_yaml":  # PyYAML's own words, said in the language too
                values["detail"] = yaml_detail(values["detail"], lang)
            return text(lang, key, **values) + (text(lang, "fp_got", got=tail) if tail else "")
    if problem.check in _MODEL_CHECKS:
        return problem_sentence(ElementProblem(element="", check=problem.check, message=msg), lang)
    return text(lang, "chk_other", detail=msg)
