"""Numbers as a reader of the language writes them: a decimal comma in Swedish, a point in English.

Both languages group thousands with a space (SI style). In the app it is a no-break space, so
a figure on a card never wraps in the middle, and a negative sign is the typographic minus;
the exports keep a plain space and hyphen (`group`, `minus`). Every figure a person reads in
the app, the report and the benefits plan goes through here, so it follows the language.
"""

from __future__ import annotations

import math

__all__ = ["GROUP", "MINUS", "FILE_STYLE", "number", "percent", "plain", "signed"]

#: Between groups of thousands: a no-break space.
GROUP = "\u00a0"
#: The minus sign of a negative figure (not the hyphen Python writes).
MINUS = "\u2212"
#: How the exports write a figure (a report, the benefits plan): a plain space and a hyphen, as
#: they always have; pass as `number(x, 0, lang, **FILE_STYLE)`.
FILE_STYLE = {"group": " ", "minus": "-"}
#: The decimal mark of each UI language.
DECIMAL_MARK = {"sv": ",", "en": "."}


def number(x: float, digits: int = 1, lang: str = "sv", group: str = GROUP, minus: str = MINUS) -> str:
    """`x` with `digits` decimals and grouped thousands: 1 234,5 in Swedish, 1 234.5 in English."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else minus + "∞"
    text = f"{x:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # a rounded -0.0 reads as 0
    return text.replace(",", group).replace(".", DECIMAL_MARK.get(lang, ".")).replace("-", minus)


def signed(x: float, digits: int = 1, lang: str = "sv") -> str:
    """`x` with its sign always written: +2,5 or −2,5 (0 as +0)."""
    body = number(abs(x), digits, lang)
    return ("+" if x >= 0 or body.strip("0,.") == "" else MINUS) + body


def percent(share: float, digits: int = 0, lang: str = "sv", group: str = GROUP, minus: str = MINUS) -> str:
    """A share (0.125) as a percentage with a space before the sign: 12,5 % / 12.5 %."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{number(share * 100, digits, lang, group, minus)}{group}%"


def plain(x: float | int, lang: str = "sv") -> str:
    """A figure from a model file as short as it was written (3.5, 12, 0.25), with the language's decimal mark."""
    text = str(x) if isinstance(x, int) else f"{x:g}"
    return text.replace(".", DECIMAL_MARK.get(lang, ".")).replace("-", MINUS)
