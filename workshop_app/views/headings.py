"""Section headings of the tabs: h2 under the app's h1, without Panel's "¶" anchor links."""

from __future__ import annotations

import panel as pn

__all__ = ["section"]


def section(title: str) -> pn.pane.Markdown:
    """An h2 section heading (the outline runs h1, h2, h3; anchors would repeat ids across tabs)."""
    return pn.pane.Markdown(f"## {title}", disable_anchors=True)
