"""Package names loaded on first use (PEP 562), so `mbk` starts without every library."""

from __future__ import annotations

from importlib import import_module
from typing import Callable

__all__ = ["lazy_names"]


def lazy_names(package: str, where: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` that imports each name from its module (`where`: name -> module) when asked."""
    def __getattr__(name: str) -> object:
        if name in where:
            return getattr(import_module(where[name], package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
