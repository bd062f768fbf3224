"""One message per action: what a callback changes goes to its browser together.

Without it Bokeh sends every changed property as a message of its own; after one edit that was
ten or more, each a separate write on the server's loop, where the other browsers' redraws ran
in between (the browser that made the edit saw it after the others did).

The page's model graph is frozen meanwhile and walked once at the end, but only when something
in the hold asked for a walk. Bokeh's own freeze walks every model of the page at its end,
changed or not: with each of 20 pages polling twice a second that walk was most of the server's
time (a vote burst waited behind it), though a poll mostly changes no model at all.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator

from panel.io.document import hold
from panel.io.state import state

__all__ = ["batched", "in_one_message", "graph_frozen"]


@contextmanager
def graph_frozen(doc) -> Iterator[None]:
    """Defer walks of `doc`'s model graph to the end of the block, and walk it then only if asked.

    A walk is asked for when a model property that holds models changes (Bokeh's `invalidate`) or
    when code inside the block freezes on its own (adding a root, Panel's per-model freeze): both
    would have walked the graph without this block. Nested blocks pass the question outwards.
    """
    models = getattr(doc, "models", None)
    if models is None or "invalidate" in vars(models):  # no graph, or an outer block already watches
        yield
        return
    asked = False
    push = models._push_freeze

    def note_invalidate() -> None:
        nonlocal asked
        asked = True

    def note_push() -> None:
        nonlocal asked
        asked = True
        push()

    # Bokeh's DocumentModelManager (3.x): `_push_freeze`, `_freeze_count` and `recompute` are what its own
    # `freeze()` uses; tests/workshop_app/test_voting.py checks this still holds after an upgrade.
    models._push_freeze()
    models.invalidate, models._push_freeze = note_invalidate, note_push
    try:
        yield
    finally:
        del models.invalidate, models._push_freeze  # back to the class's methods
        models._freeze_count -= 1
        if models._freeze_count == 0 and asked:
            models.recompute()


@contextmanager
def in_one_message(doc=None) -> Iterator[None]:
    """A context in which the changes to `doc` (or the current page) are held and sent as one message."""
    doc = doc or state.curdoc
    if doc is None:
        yield
        return
    with graph_frozen(doc), hold(doc):
        yield


def batched(action: Callable[..., Any]) -> Callable[..., Any]:
    """`action`, with what it changes sent in one message."""
    def run(*args, **kwargs):
        with in_one_message():
            return action(*args, **kwargs)

    return run
