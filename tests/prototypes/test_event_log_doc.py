"""docs/event-log.md lists exactly the events the kiosk writes (prototypes/event_names.py), and no other."""

from __future__ import annotations

import re
from pathlib import Path

from prototypes import office
from prototypes.event_names import EVENT_NAMES

DOC = Path(__file__).resolve().parents[2] / "docs" / "event-log.md"


def test_the_doc_lists_every_event_the_kiosk_writes_in_order():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## The events the kiosk writes", 1)[1].split("\n## ", 1)[0]
    assert tuple(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M)) == EVENT_NAMES
    assert "no `survey_answered` event" in table  # the survey is counts only: the doc says so, not lists it


def test_the_office_writes_its_events_by_these_names_only():
    source = Path(office.__file__).read_text(encoding="utf-8")
    written = re.findall(r"self\._event\(conn, \w+, (\w+|\"[^\"]*\")", source)
    assert written and set(written) <= {"ARRIVED", "STEP_STARTED", "STEP_FINISHED", "LANGUAGE_CHANGED",
                                        "REFERRED_TO_BOOKING", "LEFT"}
