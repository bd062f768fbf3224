"""The facilitator's lead: what the room's following browsers show (tab, model, comparison, map view).

The lead lives in the shared session (in memory: it is about this moment of the workshop, not
its record). Only a facilitator may lead; `SharedSession.set_lead` checks that on the server.
Each browser's `StudioState` applies a new lead while it follows, and stops following on request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = ["Lead", "LEAD_FIELDS", "updated"]

#: What a lead may set; anything else sent as a lead is ignored.
LEAD_FIELDS = ("tab", "model_ref", "comparison", "extent")


@dataclass(frozen=True)
class Lead:
    """One moment of the facilitator's screen; `revision` moves on every change so followers redraw once."""

    by: str
    tab: int = 0
    model_ref: str | None = None
    comparison: str | None = None
    extent: tuple[float, float, float, float] | None = None  # the map area shown: x1, y1, x2, y2
    revision: int = 0


def updated(lead: Lead, **changes) -> Lead:
    """The lead with `changes` (only LEAD_FIELDS) and a new revision, or the same lead when nothing changed."""
    changes = {k: v for k, v in changes.items() if k in LEAD_FIELDS}
    if all(getattr(lead, k) == v for k, v in changes.items()):
        return lead
    return replace(lead, **changes, revision=lead.revision + 1)
