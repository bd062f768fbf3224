"""The outbox sender against a real SMTP server (aiosmtpd on 127.0.0.1): once each, retries with backoff."""

from __future__ import annotations

import email
import email.policy
import logging
from datetime import timedelta

from sqlalchemy import select

from prototypes.config import load_config
from prototypes.mailer import FolderTransport, OutboxSender, SmtpTransport
from prototypes.state import KioskSession
from prototypes.storage import outbox

from .kiosk_support import free_port, wait_until


def _arrive(office, code):
    s = KioskSession(office)
    s.act("language", {"value": "en"})
    s.act("choose", {"value": "booked_meeting"})
    s.act("code", {"code": code})
    return s


def test_the_caseworker_gets_one_mail_with_nothing_about_the_errand(office, clock, smtp):
    s = _arrive(office, "AB12CD")
    sender = OutboxSender(office.engine, smtp.transport(), clock=clock, on_sent=office.notified)
    assert sender.run_once() == 1
    assert sender.run_once() == 0  # nothing due any more: never sent twice
    [msg] = smtp.messages
    assert msg["To"] == "anna@medborgarkontor.invalid"
    assert msg["Subject"] == "Din besökare till 10:30 har kommit"
    body = msg.get_content()
    assert "10:30" in body and "booked_meeting" not in body and "Jag har en bokad tid" not in body
    assert msg["Message-ID"] == f"<arrival-1-{s.visit_id}@mbk-kiosk.invalid>"
    events = [(r["event"], r["step_id"]) for r in __import__("prototypes").read_events(office.engine)][-3:]
    assert events == [("step_started", "notify_caseworker"), ("step_finished", "notify_caseworker"),
                      ("step_started", "wait_caseworker")]


def test_smtp_down_then_up_retries_with_backoff_and_delivers_once(office, clock, smtp):
    _arrive(office, "AB12CD")
    smtp.fail = True
    sender = OutboxSender(office.engine, smtp.transport(), clock=clock, base_delay=2.0)
    assert sender.run_once() == 0
    with office.engine.connect() as conn:
        row = conn.execute(select(outbox)).mappings().one()
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert (row["next_attempt_at"] - clock()).total_seconds() == 2.0
    assert "451" in row["last_error"]
    clock.advance(seconds=1)
    assert sender.run_once() == 0  # not due yet: backoff respected
    clock.advance(seconds=1)
    assert sender.run_once() == 0  # second failure doubles the wait
    with office.engine.connect() as conn:
        row = conn.execute(select(outbox)).mappings().one()
    assert row["attempts"] == 2 and (row["next_attempt_at"] - clock()).total_seconds() == 4.0
    smtp.fail = False
    clock.advance(seconds=4)
    assert sender.run_once() == 1
    assert len(smtp.messages) == 1


def test_no_server_listening_is_a_retry_not_a_crash(office, clock):
    _arrive(office, "AB12CD")
    sender = OutboxSender(office.engine, SmtpTransport("127.0.0.1", free_port(), timeout=2), clock=clock, max_attempts=2)
    sender.run_once()
    clock.advance(seconds=10)
    sender.run_once()
    with office.engine.connect() as conn:
        row = conn.execute(select(outbox)).mappings().one()
    assert (row["status"], row["attempts"]) == ("failed", 2)
    assert "ConnectionRefusedError" in row["last_error"]


def test_a_row_left_sending_by_a_crash_is_sent_again_with_the_same_message_id(office, clock, smtp):
    s = _arrive(office, "AB12CD")
    lease = timedelta(minutes=5)
    with office.engine.begin() as conn:  # as a sender leaves it when killed mid-message
        conn.execute(outbox.update().values(status="sending", attempts=1, next_attempt_at=clock() + lease))
    sender = OutboxSender(office.engine, smtp.transport(), clock=clock, lease=lease)
    assert sender.run_once() == 0  # a claimed row is not touched while its sender may be alive
    clock.advance(minutes=4, seconds=59)
    assert sender.run_once() == 0
    clock.advance(seconds=1)  # the lease ran out: that sender is dead
    assert sender.run_once() == 1
    assert [m["Message-ID"] for m in smtp.messages] == [f"<arrival-1-{s.visit_id}@mbk-kiosk.invalid>"]


def test_folder_backend_writes_readable_eml(office, clock, tmp_path):
    _arrive(office, "EF34GH")
    OutboxSender(office.engine, FolderTransport(tmp_path / "mail"), clock=clock).run_once()
    [path] = list((tmp_path / "mail").glob("*.eml"))
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "Din besökare till 14:00 har kommit"


def test_smtp_settings_from_file_and_environment(tmp_path):
    path = tmp_path / "kiosk.yaml"
    path.write_text("smtp_host: mail.example.invalid\nsmtp_port: 587\nsmtp_security: starttls\nsmtp_user: kiosk\n")
    cfg = load_config(path, env={"MBK_SMTP_PASSWORD": "s3cret", "MBK_SMTP_PORT": "2525"})
    assert (cfg.smtp_host, cfg.smtp_port, cfg.smtp_security, cfg.smtp_user, cfg.smtp_password) == (
        "mail.example.invalid", 2525, "starttls", "kiosk", "s3cret")


def test_starttls_and_login_against_a_real_tls_smtp_server(office, clock, tmp_path):
    """aiosmtpd demands STARTTLS and a login; the sender verifies the server's certificate."""
    import ssl
    import subprocess

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from prototypes.mailer import transport_from_config

    from .kiosk_support import SmtpCapture

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"kiosk", b"relay-secret"))

    capture = SmtpCapture()
    capture.port = free_port()
    controller = Controller(capture, hostname="127.0.0.1", port=capture.port, tls_context=server_ctx,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True,
                            auth_exclude_mechanism=["LOGIN"])
    controller.start()
    try:
        _arrive(office, "AB12CD")
        cfg_file = tmp_path / "kiosk.yaml"
        cfg_file.write_text(
            f"smtp_host: 127.0.0.1\nsmtp_port: {capture.port}\nsmtp_security: starttls\nsmtp_user: kiosk\n"
            f"smtp_ca_file: {cert}\n"
        )
        # a wrong password: aiosmtpd refuses (slowly, against guessing); nothing delivered, retried later
        wrong = OutboxSender(office.engine, SmtpTransport("127.0.0.1", capture.port, "starttls", "kiosk", "nope",
                                                          timeout=2, ca_file=str(cert)), clock=clock)
        assert wrong.run_once() == 0 and capture.messages == []
        with office.engine.connect() as conn:
            assert conn.execute(select(outbox.c.status, outbox.c.attempts)).one() == ("pending", 1)
        untrusted = OutboxSender(office.engine, SmtpTransport("127.0.0.1", capture.port, "starttls", "kiosk", "relay-secret"),
                                 clock=clock)
        clock.advance(seconds=5)
        assert untrusted.run_once() == 0  # the system CAs do not know this certificate: refused, retried later
        with office.engine.connect() as conn:
            assert "CERTIFICATE_VERIFY_FAILED" in conn.execute(select(outbox.c.last_error)).scalar()
        right = OutboxSender(office.engine, transport_from_config(
            load_config(cfg_file, env={"MBK_SMTP_PASSWORD": "relay-secret"})), clock=clock)
        clock.advance(seconds=10)
        assert right.run_once() == 1
        assert [m["Subject"] for m in capture.messages] == ["Din besökare till 10:30 har kommit"]
    finally:
        controller.stop()


class _BrokenTransport:
    """A transport with a bug of its own (not a network error): the sender thread must say so."""

    def send(self, message) -> None:
        raise ValueError("recipient is not an address")


def test_the_sender_thread_logs_an_unexpected_error_and_keeps_going(office, clock, caplog):
    _arrive(office, "AB12CD")
    sender = OutboxSender(office.engine, _BrokenTransport(), clock=clock, lease=timedelta(0))
    with caplog.at_level(logging.ERROR, logger="prototypes.mailer"):
        sender.start(interval=0.05)
        try:
            assert wait_until(lambda: len([r for r in caplog.records if r.name == "prototypes.mailer"]) >= 2, timeout=10)
        finally:
            sender.stop()
    record = next(r for r in caplog.records if r.name == "prototypes.mailer")
    assert record.levelno == logging.ERROR and record.getMessage() == "sending the kiosk's outbox failed; trying again in 0.05 s"
    assert record.exc_info[0] is ValueError and str(record.exc_info[1]) == "recipient is not an address"
