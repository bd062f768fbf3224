"""The entrance kiosk prototype, generated from the future process model (skarholmen-kiosk).

State (KioskSession, boards) is separate from the views; the Office holds the rules and
writes the event log; the outbox sender delivers caseworkers' e-mails.

Names are loaded on first use, so that `mbk` starts without importing every
library this package needs.
"""

from importlib import import_module

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
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
