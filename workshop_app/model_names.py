"""A model's name per language and its variant, read once per file version (pickers list them on every page)."""

from __future__ import annotations

import os
from functools import lru_cache

from process_models import load_model

from .texts import LANGS

__all__ = ["model_facts"]


@lru_cache(maxsize=256)
def _facts(ref: str, stamp: float) -> tuple[dict[str, str], str]:
    model = load_model(ref)
    return {lang: model.name.get(lang) for lang in LANGS}, model.variant


def model_facts(ref: str) -> tuple[dict[str, str], str]:
    """({lang: name}, variant) of a library model or model file; a file is read again when it changes.

    Raises the loader's UserError for a ref that does not load.
    """
    stamp = os.path.getmtime(ref) if os.path.isfile(ref) else 0.0
    return _facts(ref, stamp)
