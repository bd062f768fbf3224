"""The exports' words and sentence templates, read from data per language (Swedish first)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from process_models.errors import UserError
from process_models.schema import Label

__all__ = ["LANGS", "texts", "label", "check_lang", "DATA_DIR"]

LANGS = ("sv", "en")
DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def _all() -> dict[str, Any]:
    return yaml.safe_load((DATA_DIR / "texts.yaml").read_text(encoding="utf-8"))


def check_lang(lang: str) -> str:
    """Return `lang` if it is one we write, else a UserError."""
    if lang not in LANGS:
        raise UserError(f"--lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def texts(lang: str) -> dict[str, Any]:
    """All words of one language."""
    return _all()[check_lang(lang)]


def label(path: str, **fields: Any) -> Label:
    """A template at dotted `path` filled in for both languages.

    Fields whose value is a Label are filled with that Label's text in each language.
    """
    out = {}
    for lang in LANGS:
        node: Any = texts(lang)
        for part in path.split("."):
            node = node[part]
        values = {k: (v.get(lang) if isinstance(v, Label) else v) for k, v in fields.items()}
        out[lang] = node.format(**values)
    return Label(**out)
