"""The record schema the engine writes and the KPIs, results and event log read.

Three flat record kinds per week, each a float array with the columns named here (a
replication adds a trailing `week` column); a model whose segments give a share of women
adds a fourth, `gender`, one `Gender` code per visitor row. Codes stored in them are the enums below, so
the engine, the KPI functions and the tests share one name for each.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "Outcome",
    "VisitStatus",
    "Gender",
    "OUTCOMES",
    "VISIT_STATUS",
    "FINISHED",
    "VISITOR_COLUMNS",
    "VISIT_COLUMNS",
    "BUSY_COLUMNS",
    "V_VISITOR", "V_DAY", "V_ARR", "V_DEP", "V_ERRAND", "V_SEGMENT", "V_OUTCOME", "V_WAITED", "V_WEEK",
    "S_VISITOR", "S_STEP", "S_REQ", "S_START", "S_END", "S_STATUS", "S_WEEK",
    "B_POOL", "B_MEMBER", "B_STEP", "B_VISITOR", "B_START", "B_END", "B_WEEK",
]


class Outcome(IntEnum):
    """How a visitor's visit ended (the `outcome` column of the visitor records)."""

    SERVED = 0
    SELF_SERVED = 1
    REFERRED = 2
    LEFT = 3
    BALKED = 4
    GAVE_UP = 5
    SENT_HOME = 6


class VisitStatus(IntEnum):
    """How one visit to a step ended (the `status` column of the visit records)."""

    DONE = 0
    GAVE_UP = 1
    BALKED = 2
    SENT_HOME = 3


class Gender(IntEnum):
    """A simulated visitor's gender (the `gender` array beside the visitor records), drawn from
    their segment's share of women; UNKNOWN where the segment gives no share."""

    WOMAN = 0
    MAN = 1
    UNKNOWN = 2


#: Outcome names in code order (an end step's `outcome` field is one of the first four).
OUTCOMES = tuple(o.name.lower() for o in Outcome)
#: Visit status names in code order.
VISIT_STATUS = tuple(s.name.lower() for s in VisitStatus)
#: Outcomes below this code finished their errand (alone, served, referred or left on purpose).
FINISHED = Outcome.BALKED

VISITOR_COLUMNS = ("visitor", "day", "arrival", "departure", "errand", "segment", "outcome", "waited")
VISIT_COLUMNS = ("visitor", "step", "requested", "started", "ended", "status")
BUSY_COLUMNS = ("pool", "member", "step", "visitor", "start", "end")

# column indices; the trailing WEEK column is added per replication
V_VISITOR, V_DAY, V_ARR, V_DEP, V_ERRAND, V_SEGMENT, V_OUTCOME, V_WAITED, V_WEEK = range(9)
S_VISITOR, S_STEP, S_REQ, S_START, S_END, S_STATUS, S_WEEK = range(7)
B_POOL, B_MEMBER, B_STEP, B_VISITOR, B_START, B_END, B_WEEK = range(7)
