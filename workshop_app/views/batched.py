"""One message per action: what a callback changes goes to its browser together.

Without it Bokeh sends every changed property as a message of its own; after one edit that was
ten or more, each a separate write on the server's loop, where the other browsers' redraws ran
in between (the browser that made the edit saw it after the others did).
"""

from __future__ import annotations

from typing import Any, Callable

from panel.io.document import hold

__all__ = ["batched", "in_one_message"]


def in_one_message(doc=None):
    """A context in which the changes to `doc` (or the current page) are held and sent as one message.

    `freeze` defers Bokeh's walk of the page's models to the end, once, instead of after each change.
    """
    return hold(doc, freeze=True)


def batched(action: Callable[..., Any]) -> Callable[..., Any]:
    """`action`, with what it changes sent in one message."""
    def run(*args, **kwargs):
        with in_one_message():
            return action(*args, **kwargs)

    return run
