"""The entrance kiosk prototype, generated from the future process model (skarholmen-kiosk).

State (KioskSession, boards) is separate from the views; the Office holds the rules and
writes the event log; the outbox sender delivers caseworkers' e-mails. Offices can share one
database (SQLite or PostgreSQL). For the benefits plan's "measured so far", `open_existing(db)`
opens a kiosk database read-only, `survey_summary(engine, office)` reads the survey's counts with
figures under five visitors hidden, and `measured_waits` the ended visits' waits from the event log.

Names are loaded on first use, so that `mbk` starts without importing every
library this package needs.
"""

from process_models.lazy import lazy_names

__all__ = [
    "KioskFlow",
    "Choice",
    "waiting_range",
    "Content",
    "load_content",
    "KioskConfig",
    "load_config",
    "Office",
    "Registration",
    "RequestError",
    "KioskSession",
    "StaffAuth",
    "hash_password",
    "verify_password",
    "OutboxSender",
    "SmtpTransport",
    "FolderTransport",
    "read_events",
    "write_csv",
    "write_xes",
    "purge",
    "survey_summary",
    "SurveySummary",
    "open_engine",
    "open_existing",
    "measured_waits",
    "MeasuredWaits",
]

_WHERE = {
    "StaffAuth": ".auth",
    "hash_password": ".auth",
    "verify_password": ".auth",
    "KioskConfig": ".config",
    "load_config": ".config",
    "Content": ".content",
    "load_content": ".content",
    "read_events": ".eventlog",
    "write_csv": ".eventlog",
    "write_xes": ".eventlog",
    "Choice": ".flow",
    "KioskFlow": ".flow",
    "waiting_range": ".flow",
    "FolderTransport": ".mailer",
    "OutboxSender": ".mailer",
    "SmtpTransport": ".mailer",
    "Office": ".office",
    "Registration": ".office",
    "RequestError": ".office",
    "purge": ".retention",
    "KioskSession": ".state",
    "survey_summary": ".survey",
    "SurveySummary": ".survey",
    "open_engine": ".storage",
    "open_existing": ".readonly",
    "measured_waits": ".waits",
    "MeasuredWaits": ".waits",
}

__getattr__ = lazy_names(__name__, _WHERE)
