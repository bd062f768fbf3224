"""The built-in requirement library: accessibility, languages, data protection, security, operations.

Each requirement is data in `exports/library/*.yaml`, in Swedish and English, citing its
legal reference; ids are fixed in the files so they stay the same across runs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from process_models.errors import UserError

from .requirement import Requirement

__all__ = ["LIBRARY_DIR", "library_requirements"]

LIBRARY_DIR = Path(__file__).parent / "library"


def _load_file(path: Path) -> list[Requirement]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for i, item in enumerate(items):
        try:
            out.append(Requirement.model_validate(item))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(x) for x in first["loc"])
            raise UserError(f"{path}: [{i}] {item.get('id', '?')}: {where}: {first['msg']}") from None
    return out


@lru_cache(maxsize=None)
def library_requirements() -> tuple[Requirement, ...]:
    """Every library requirement, file by file in area order."""
    order = ["accessibility", "language", "data_protection", "security", "operations"]
    files = sorted(LIBRARY_DIR.glob("*.yaml"), key=lambda p: (order.index(p.stem) if p.stem in order else 99, p.stem))
    return tuple(r for f in files for r in _load_file(f))
