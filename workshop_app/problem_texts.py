"""The model checks' findings said in the UI language, for the editor's live checks.

The checks speak English to the command line; here each kind of finding gets a sentence
per language, with the figures taken from the check's own message.
"""

from __future__ import annotations

import re

from process_models.edit import ElementProblem

from .texts import text

__all__ = ["problem_sentence"]

_SUM = re.compile(r"for errand '([^']*)', segment '([^']*)'(?:, outcome '([^']*)')? sum to ([0-9.eE+-]+)")
_POOL = re.compile(r"pool '([^']*)'")
_SKILLS = re.compile(r"skills name (\d+) members but the pool has capacity (-?\d+)")
_NEED = re.compile(r"needs (\d+) of pool '([^']*)', which has only (-?\d+)")
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
