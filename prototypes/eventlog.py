"""Export the event log as CSV (docs/event-log.md, read by `mbk calibrate`) and as XES (IEEE 1849)."""

from __future__ import annotations

import csv
from pathlib import Path
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .event_names import STEP_FINISHED, STEP_STARTED
from .storage import events

__all__ = ["COLUMNS", "read_events", "write_csv", "write_xes"]

COLUMNS = ["visit_id", "event", "step_id", "timestamp", "errand", "language"]
_LIFECYCLE = {STEP_STARTED: "start", STEP_FINISHED: "complete"}


def read_events(engine: Engine, office: str | None = None) -> list[dict]:
    """Every event row (of one office, or of all) in the order written, timestamps as ISO 8601 local time (seconds)."""
    query = select(events).order_by(events.c.id)
    if office is not None:
        query = query.where(events.c.office == office)
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [
        {
            "visit_id": r["visit_id"], "event": r["event"], "step_id": r["step_id"] or "",
            "timestamp": r["timestamp"].isoformat(timespec="seconds"), "errand": r["errand"] or "",
            "language": r["language"] or "",
        }
        for r in rows
    ]


def write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def write_xes(rows: list[dict], path: Path) -> None:
    """One trace per visit; an event's name is its step (or the event for arrived/left)."""
    log = ET.Element("log", {"xes.version": "1.0", "xes.features": "nested-attributes", "xmlns": "http://www.xes-standard.org/"})
    for name, prefix, uri in (
        ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
        ("Time", "time", "http://www.xes-standard.org/time.xesext"),
        ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ):
        ET.SubElement(log, "extension", {"name": name, "prefix": prefix, "uri": uri})
    traces: dict[str, ET.Element] = {}
    for r in rows:
        trace = traces.get(r["visit_id"])
        if trace is None:
            trace = traces[r["visit_id"]] = ET.SubElement(log, "trace")
            ET.SubElement(trace, "string", {"key": "concept:name", "value": r["visit_id"]})
        ev = ET.SubElement(trace, "event")
        ET.SubElement(ev, "string", {"key": "concept:name", "value": r["step_id"] or r["event"]})
        ET.SubElement(ev, "string", {"key": "lifecycle:transition", "value": _LIFECYCLE.get(r["event"], r["event"])})
        ET.SubElement(ev, "date", {"key": "time:timestamp", "value": r["timestamp"]})
        for key in ("event", "errand", "language"):
            if r[key]:
                ET.SubElement(ev, "string", {"key": key, "value": r[key]})
    ET.ElementTree(log).write(path, encoding="utf-8", xml_declaration=True)
