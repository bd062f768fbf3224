"""Confirmations that go by themselves: a "✓ done" line is read, then it clears."""

from __future__ import annotations

import panel as pn

__all__ = ["CONFIRM_MS", "clear_later"]

CONFIRM_MS = 6000  # long enough to read (and for a busy page to show), short enough not to linger


def clear_later(pane, said: str, doc=None, period_ms: int = CONFIRM_MS) -> None:
    """Empty `pane` after `period_ms` unless something newer was shown there (only in a served page).

    Args:
        doc: the page's Bokeh document (a view keeps the one it was built in); else the current one.
    """
    doc = doc or pn.state.curdoc
    if doc is None or doc.session_context is None:
        return

    def clear():
        if pane.object == said:
            pane.object = ""
    doc.add_timeout_callback(clear, period_ms)
