"""Texts shown to visitors, one YAML file per language under `content/` (never strings in code).

Swedish is the reference: every language must have the same `ui` keys. Errand labels and
the purpose question come from the process model for sv/en and from the file otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from process_models.errors import UserError
from process_models.yaml_lines import read_yaml

__all__ = ["CONTENT_DIR", "Language", "Content", "load_content", "MODEL_LANGUAGES"]

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MODEL_LANGUAGES = ("sv", "en")  # the process model's Label carries these two
_MODEL_ONLY_KEYS = {"purpose_question"}


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    dir: str  # ltr or rtl


@dataclass
class Content:
    """All languages' texts, with the reference language first."""

    languages: list[Language]
    ui: dict[str, dict[str, str]]
    errands: dict[str, dict[str, str]]
    instructions: dict[str, dict[str, dict]]
    email: dict[str, str]
    reference: str = "sv"
    source: dict[str, Path] = field(default_factory=dict)

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    def text(self, lang: str, key: str, **values) -> str:
        raw = self.ui[lang].get(key) or self.ui[self.reference][key]
        return raw.format(**values) if values else raw

    def errand_label(self, lang: str, errand_id: str, model_label: dict) -> str:
        if lang in MODEL_LANGUAGES:
            return model_label[lang]
        return self.errands[lang].get(errand_id) or model_label["en"]

    def instruction(self, lang: str, errand_id: str) -> dict | None:
        """{'steps': [...], 'url': ...} for an errand, or None when no file has it."""
        return self.instructions[lang].get(errand_id) or self.instructions[self.reference].get(errand_id)


def _read(path: Path) -> dict:
    """One content file through the project's hardened YAML reader (limits on size, depth, aliases)."""
    data, _ = read_yaml(path, "content file")
    if not isinstance(data, dict):
        raise UserError(f"{path}: expected a mapping with language, ui, errands, instructions")
    return data


def load_content(folder: Path | str = CONTENT_DIR) -> Content:
    """Read and check every language file named in `index.yaml`."""
    folder = Path(folder)
    index = _read(folder / "index.yaml")
    codes = index.get("languages") or []
    reference = index.get("reference", "sv")
    if reference not in codes:
        raise UserError(f"{folder / 'index.yaml'}: reference language {reference!r} is not in languages {codes}")
    langs, ui, errands, instructions, sources = [], {}, {}, {}, {}
    email: dict[str, str] = {}
    for code in codes:
        path = folder / f"{code}.yaml"
        data = _read(path)
        meta = data.get("language") or {}
        if meta.get("code") != code or not meta.get("name") or meta.get("dir") not in ("ltr", "rtl"):
            raise UserError(f"{path}: language: expected {{code: {code}, name: <own name>, dir: ltr|rtl}}, got {meta}")
        langs.append(Language(code, meta["name"], meta["dir"]))
        ui[code] = {str(k): str(v) for k, v in (data.get("ui") or {}).items()}
        errands[code] = dict(data.get("errands") or {})
        instructions[code] = dict(data.get("instructions") or {})
        sources[code] = path
        if code == reference:
            email = dict(data.get("email") or {})
    required = set(ui[reference]) - _MODEL_ONLY_KEYS
    for code in codes:
        missing = sorted(required - set(ui[code]))
        if code not in MODEL_LANGUAGES and "purpose_question" not in ui[code]:
            missing.append("purpose_question")
        if missing:
            raise UserError(f"{sources[code]}: ui: missing keys {missing} (every key of {reference}.yaml is expected)")
        for errand_id, item in instructions[code].items():
            if not isinstance(item, dict) or not item.get("steps") or not str(item.get("url", "")).startswith("https://"):
                raise UserError(
                    f"{sources[code]}: instructions.{errand_id}: expected steps (a list) and url (https://...)"
                )
    for key in ("arrived_subject", "arrived_body"):
        if key not in email:
            raise UserError(f"{sources[reference]}: email.{key}: missing (the caseworker's message)")
    return Content(langs, ui, errands, instructions, email, reference, sources)
