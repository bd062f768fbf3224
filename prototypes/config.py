"""Kiosk settings from a YAML file and MBK_* environment variables (the environment wins).

SMTP host, port, security (none, starttls, ssl), user and password; or a folder for the
development mail backend; idle timing and staff session length.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from process_models.errors import UserError
from process_models.yaml_lines import read_yaml

__all__ = ["KioskConfig", "load_config"]


@dataclass(frozen=True)
class KioskConfig:
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_security: str = "none"  # none, starttls, ssl
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_ca_file: str = ""  # extra CA bundle to trust (a private mail relay); default: the system's
    mail_from: str = "kiosk@medborgarkontor.invalid"
    mail_dir: str = ""  # development backend: write .eml files here instead of SMTP
    idle_seconds: int = 90
    warning_seconds: int = 30
    session_minutes: int = 480
    send_interval: float = 0.5  # seconds between outbox polls
    keep_days: int = 30  # visits and events older than this become anonymous statistics

    def validate(self, origin: str = "config") -> "KioskConfig":
        if self.smtp_security not in ("none", "starttls", "ssl"):
            raise UserError(f"{origin}: smtp_security: expected none, starttls or ssl, got {self.smtp_security!r}")
        if not (0 < self.smtp_port < 65536):
            raise UserError(f"{origin}: smtp_port: expected 1-65535, got {self.smtp_port}")
        if self.warning_seconds < 20:
            raise UserError(f"{origin}: warning_seconds: expected at least 20 (time to react), got {self.warning_seconds}")
        if self.keep_days < 0:
            raise UserError(f"{origin}: keep_days: expected 0 or more, got {self.keep_days}")
        if self.idle_seconds < 1 or self.session_minutes < 1:
            raise UserError(f"{origin}: idle_seconds and session_minutes: expected positive numbers")
        return self


def _coerce(name: str, kind: type, value, origin: str):
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise UserError(f"{origin}: {name}: expected {kind.__name__}, got {value!r}") from None


def load_config(path: str | Path | None = None, env: dict | None = None) -> KioskConfig:
    """Read the YAML file (optional), then override with MBK_<FIELD> variables, then check."""
    env = os.environ if env is None else env
    cfg = KioskConfig()
    types = {f.name: type(getattr(cfg, f.name)) for f in fields(cfg)}
    values: dict = {}
    origin = "environment"
    if path:
        origin = str(path)
        # the project's one YAML reader: missing, binary, too big, deeply nested or alias-bombed files
        # are refused with the file and line, never a RecursionError or a UnicodeDecodeError
        data, _ = read_yaml(path, "kiosk config file")
        data = {} if data is None else data
        if not isinstance(data, dict):
            raise UserError(f"{path}: expected a mapping of settings")
        for key, value in data.items():
            if key not in types:
                raise UserError(f"{path}: {key}: unknown setting; expected one of {sorted(types)}")
            values[key] = _coerce(key, types[key], value, str(path))
    for name, kind in types.items():
        var = f"MBK_{name.upper()}"
        if var in env:
            values[name] = _coerce(name, kind, env[var], var)
    return replace(cfg, **values).validate(origin)
