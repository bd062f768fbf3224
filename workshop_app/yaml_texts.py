"""What PyYAML says of a broken file, said in the UI language with a hint of the usual cause.

The loader reports PyYAML's own words ("mapping values are not allowed here (while parsing a
block mapping)"); a facilitator who uploads a hand-edited model reads them here in Swedish or
English. A phrase not in the table stays as PyYAML wrote it, so nothing is lost.
"""

from __future__ import annotations

import re

from .texts import text, with_or

__all__ = ["yaml_detail"]

#: PyYAML's problem phrases -> text key; the named groups are the text's values.
_PROBLEMS = tuple((re.compile(pattern), key) for pattern, key in (
    # libyaml's words (the loader's C parser) first, then pure PyYAML's
    (r"^mapping values are not allowed (?:here|in this context)$", "yp_colon"),
    (r"^found character '\\t' that cannot start any token$", "yp_tab"),
    (r"^found a tab character that violates indentation$", "yp_tab"),
    (r"^failed to decode base64 data", "yp_base64"),
    (r"^found character '(?P<char>.+)' that cannot start any token$", "yp_char"),
    (r"^found character that cannot start any token$", "yp_char_unnamed"),
    (r"^found unexpected end of stream$", "yp_end_of_stream"),
    (r"^found undefined alias '(?P<name>[^']*)'$", "yp_alias"),
    (r"^found undefined alias$", "yp_alias_unnamed"),
    (r"^found incompatible YAML document", "yp_version"),
    (r"^could not determine a constructor for the tag '(?P<tag>[^']*)'$", "yp_tag"),
    (r"^could not find expected ':'$", "yp_no_colon"),
    (r"found duplicate anchor", "yp_anchor"),
    (r"found another document", "yp_two_documents"),
    (r"^did not find expected '-' indicator$", "yp_dash"),
    (r"^did not find expected key$", "yp_key"),
    (r"^did not find expected <document start>$", "yp_after_end"),
    (r"^did not find expected (?P<expected>.+)$", "yp_not_found"),
    (r"^expected (?P<expected>.+?), but (?:got|found) (?P<found>.+)$", "yp_expected"),
))
#: PyYAML's context phrases ("while parsing a flow sequence") -> text key.
_CONTEXTS = {
    "while parsing a flow sequence": "yp_in_flow_list",
    "while parsing a flow mapping": "yp_in_flow_mapping",
    "while parsing a block collection": "yp_in_list",
    "while parsing a block sequence": "yp_in_list",
    "while parsing a block mapping": "yp_in_mapping",
    "while scanning a quoted scalar": "yp_in_quoted",
    "while scanning a simple key": "yp_in_key",
    "while scanning a block scalar": "yp_in_block_text",
}
#: Contexts that add nothing a reader can act on: left out.
_SILENT = frozenset({"while scanning for the next token", "while scanning a plain scalar"})
#: PyYAML's names of where a file or block ends -> text key.
_TOKENS = {"<stream end>": "yp_token_end", "<block end>": "yp_token_block_end",
           "<block mapping start>": "yp_token_mapping", "<block sequence start>": "yp_token_list"}
_DETAIL = re.compile(r"^(?P<problem>.*?)(?: \((?P<context>while [^)]*)\))?$", re.S)


def yaml_detail(detail: str, lang: str) -> str:
    """`detail` ("problem (context)" as the loader writes it) in `lang`; unknown phrases as written."""
    m = _DETAIL.match(detail)
    problem, context = (m["problem"], m["context"]) if m else (detail, None)
    said = _problem(problem, lang)
    if context in _CONTEXTS:
        said += text(lang, "yp_context", where=text(lang, _CONTEXTS[context]))
    elif context and context not in _SILENT:
        said += f" ({context})"
    return said


def _problem(problem: str, lang: str) -> str:
    for pattern, key in _PROBLEMS:
        if m := pattern.search(problem):
            values = {k: _token(v, lang) for k, v in m.groupdict().items()}
            if "expected" in values:  # "',' or ']'", with the language's 'or'
                values["expected"] = with_or(values["expected"], lang)
            return text(lang, key, **values)
    return problem


def _token(value: str, lang: str) -> str:
    """PyYAML's '<stream end>' and the like in words; any other token as written."""
    bare = value.strip("'")
    return text(lang, _TOKENS[bare]) if bare in _TOKENS else value
