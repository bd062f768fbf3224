"""The built-in models (YAML files beside this module)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["LIBRARY_DIR", "library_names", "library_path", "resolve"]

LIBRARY_DIR = Path(__file__).resolve().parent


def library_names() -> list[str]:
    """Names of the built-in models, sorted."""
    return sorted(p.stem for p in LIBRARY_DIR.glob("*.yaml"))


def library_path(name: str) -> Path:
    return LIBRARY_DIR / f"{name}.yaml"


def resolve(name_or_path: str | Path) -> Path:
    """A path as given, or the library file when the name of a built-in model is given."""
    p = Path(name_or_path)
    if not p.exists() and str(name_or_path) in library_names():
        return library_path(str(name_or_path))
    return p
