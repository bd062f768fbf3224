"""Write a requirements set as StrictDoc's own text format (SDoc), for StrictDoc users.

StrictDoc shows the Swedish letters of a ReqIF file garbled (it does so on its own ReqIF
samples too); its native SDoc files it reads as UTF-8, so `-o krav.sdoc` opens cleanly.
Only the fields of StrictDoc's default grammar are used (UID, STATUS, TITLE, STATEMENT,
RATIONALE, COMMENT); kind, evidence, verification and trace go into the comment.
"""

from __future__ import annotations

from pathlib import Path

from .markdown import trace_text
from .requirement import AREAS, Requirement, RequirementSet
from .texts import texts

__all__ = ["to_sdoc", "write_sdoc"]

#: SDoc's multi-line field markers: a line of its own may not be exactly one of them
_OPEN, _CLOSE = ">>>", "<<<"


def _multiline(name: str, text: str) -> list[str]:
    body = [line if line.strip() not in (_OPEN, _CLOSE) else " " + line for line in text.strip().splitlines()]
    return [f"{name}: {_OPEN}", *body, _CLOSE]


def _single(text: str) -> str:
    return " ".join(text.split())


def _requirement(r: Requirement, lang: str) -> list[str]:
    t = texts(lang)
    f = t["md"]["fields"]
    comment = [f"{f['kind']}: {t['kinds'][r.kind]}", f"{t['areas'][r.area]}"]
    if r.evidence:
        comment.append(f"{f['evidence']}: {r.evidence.get(lang)}")
    comment.append(f"{f['verification']}: {t['verifications'][r.verification]}; {f['phase']}: {t['phases'][r.phase]}")
    comment.append(f"{f['sources']}: {trace_text(r, lang)}")
    lines = ["[REQUIREMENT]", f"UID: {r.id}", f"STATUS: {r.status.capitalize()}", f"TITLE: {_single(r.title.get(lang))}"]
    lines += _multiline("STATEMENT", r.statement.get(lang))
    if r.rationale:
        lines += _multiline("RATIONALE", r.rationale.get(lang))
    lines += _multiline("COMMENT", "\n".join(comment))
    return lines + [""]


def to_sdoc(reqs: RequirementSet, lang: str = "sv") -> str:
    """The whole set as one SDoc document, requirements grouped by area in the model's order."""
    lines = ["[DOCUMENT]", f"TITLE: {_single(reqs.title.get(lang))}", ""]
    for area in AREAS:
        for r in reqs.requirements:
            if r.area == area:
                lines += _requirement(r, lang)
    return "\n".join(lines)


def write_sdoc(reqs: RequirementSet, path: str | Path, lang: str = "sv") -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(to_sdoc(reqs, lang), encoding="utf-8")
    return p
