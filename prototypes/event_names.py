"""The names of the events in the kiosk's log (docs/event-log.md): what the office writes and its readers read.

Plain strings, because the log is a CSV file other tools read (`mbk calibrate`, process mining).
"""

from __future__ import annotations

__all__ = ["ARRIVED", "STEP_STARTED", "STEP_FINISHED", "LANGUAGE_CHANGED", "REFERRED_TO_BOOKING", "LEFT", "EVENT_NAMES"]

ARRIVED = "arrived"
#: a step of the model begins; written twice where the visitor first waits for it (the last one is the real start)
STEP_STARTED = "step_started"
STEP_FINISHED = "step_finished"
LANGUAGE_CHANGED = "language_changed"
REFERRED_TO_BOOKING = "referred_to_booking"
LEFT = "left"
#: every event the kiosk writes, in the order docs/event-log.md lists them
EVENT_NAMES = (ARRIVED, STEP_STARTED, STEP_FINISHED, LANGUAGE_CHANGED, REFERRED_TO_BOOKING, LEFT)
