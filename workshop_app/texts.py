"""UI strings per language, read from `i18n/<lang>.yaml`; Swedish is the reference language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from process_models.errors import UserError

__all__ = ["LANGS", "DEFAULT_LANG", "DEFAULT_MODELS", "default_models", "text", "strings", "with_or", "UiError"]

LANGS = ("sv", "en")
DEFAULT_LANG = "sv"
_DIR = Path(__file__).resolve().parent / "i18n"
#: What the app opens on: Skärholmen today and its kiosk redesign (the brief's two processes).
DEFAULT_MODELS = ("skarholmen-current", "skarholmen-kiosk")


def default_models(names: list[str]) -> list[str]:
    """The two models to show first, from the library names available."""
    chosen = [n for n in DEFAULT_MODELS if n in names]
    return (chosen + [n for n in names if n not in chosen])[:2]


@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, str]:
    """All strings of one language (a flat key -> text mapping)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return yaml.safe_load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))


def text(lang: str, key: str, **values) -> str:
    """The string `key` in `lang`, formatted with `values`; a missing key is a bug, so it raises."""
    template = strings(lang)[key]
    return template.format(**values) if values else template


def with_or(phrase: str, lang: str) -> str:
    """An English alternative ("'a' or 'b'", from a check or a parser) with the language's 'or'."""
    return phrase.replace(" or ", f" {text(lang, 'fp_or')} ")


class UiError(UserError):
    """A mistake a participant made in the app; shown in their language via its text key."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(text("en", key, **values))

    def in_lang(self, lang: str) -> str:
        return text(lang, self.key, **self.values)
