"""Write a requirements set as Markdown, grouped by area, for reading in a repository or wiki."""

from __future__ import annotations

from pathlib import Path

from .requirement import AREAS, Requirement, RequirementSet
from .texts import texts

__all__ = ["to_markdown", "write_markdown", "trace_text"]


def trace_text(r: Requirement, lang: str = "sv") -> str:
    """Sources and links as one line: `steg: a, b · anteckningar: x · GDPR art. 5.1 c · härledd från: FUNK-A`."""
    w = texts(lang)["trace"]
    parts = []
    if r.sources.steps:
        parts.append(f"{w['steps']}: " + ", ".join(r.sources.steps))
    if r.sources.annotations:
        parts.append(f"{w['notes']}: " + ", ".join(r.sources.annotations))
    if r.sources.scenario:
        parts.append(f"{w['scenario']}: " + r.sources.scenario)
    parts.extend(r.sources.legal)
    parts.extend(f"{w[l.kind]}: {l.target}" for l in r.links)
    return " · ".join(parts) or "–"


def to_markdown(reqs: RequirementSet, lang: str = "sv") -> str:
    """The whole set as a Markdown document."""
    t = texts(lang)
    f = t["md"]["fields"]
    lines = [f"# {reqs.title.get(lang)}", ""]
    for area in AREAS:
        items = [r for r in reqs.requirements if r.area == area]
        if not items:
            continue
        lines += [f"## {t['areas'][area]}", ""]
        for r in items:
            lines += [f"### {r.id} {r.title.get(lang)}", "", r.statement.get(lang), ""]
            lines.append(f"- **{f['kind']}:** {t['kinds'][r.kind]}")
            if r.evidence:
                lines.append(f"- **{f['evidence']}:** {r.evidence.get(lang)}")
            lines.append(f"- **{f['verification']}:** {t['verifications'][r.verification]}; "
                         f"**{f['phase']}:** {t['phases'][r.phase]}")
            lines += [f"- **{f['sources']}:** {trace_text(r, lang)}", ""]
    return "\n".join(lines)


def write_markdown(reqs: RequirementSet, path: str | Path, lang: str = "sv") -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(to_markdown(reqs, lang), encoding="utf-8")
    return p
