"""The entrance kiosk prototype, generated from the future process model (skarholmen-kiosk).

State (KioskSession, boards) is separate from the views; the Office holds the rules and
writes the event log; the outbox sender delivers caseworkers' e-mails.
"""

from .auth import StaffAuth, hash_password, verify_password
from .config import KioskConfig, load_config
from .content import Content, load_content
from .eventlog import read_events, write_csv, write_xes
from .flow import Choice, KioskFlow, waiting_range
from .mailer import FolderTransport, OutboxSender, SmtpTransport
from .office import Office, Registration, RequestError
from .retention import purge
from .state import KioskSession

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
