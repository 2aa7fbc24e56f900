"""Outgoing mail: the outbox folder by default, SMTP (to a local receiver) when a host is configured."""
from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from app.services import mail
from app.services.mail import MailNotSent, MailSettings, Message

MESSAGE = Message(to="anna@example.com", subject="Your answer was accepted",
                  text="Hello Anna,\n\nyour answer solved it.\n", html="<p>Hello Anna,</p><p>your answer solved it.</p>")


def _read(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd's hook
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """An SMTP receiver on 127.0.0.1 that accepts the login peerdesk / s3cret (without TLS)."""
    inbox = Inbox()
    logins = []

    def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
        logins.append((auth_data.login, auth_data.password))
        accepted = (auth_data.login, auth_data.password) == (b"peerdesk", b"s3cret")
        return AuthResult(success=accepted, handled=False)  # handled=False: the server answers 535

    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    inbox.port, inbox.logins = controller.port, logins
    yield inbox
    controller.stop()


def _smtp_settings(tmp_path: Path, port: int, **changes) -> MailSettings:
    values = {"sender": "Peerdesk <no-reply@peerdesk.test>", "outbox_dir": tmp_path / "outbox",
              "smtp_host": "127.0.0.1", "smtp_port": port, "starttls": False, "timeout": 5.0}
    return MailSettings(**{**values, **changes})


def test_by_default_a_message_is_written_to_the_outbox_and_logged(app, tmp_path, caplog):
    settings = MailSettings.from_config(app.config)
    assert settings.outbox_dir == tmp_path / "outbox" and not settings.smtp_host
    caplog.set_level("INFO", logger="app.services.mail")

    mail.send(settings, MESSAGE)

    (written,) = settings.outbox_dir.glob("*.eml")
    email = _read(written.read_bytes())
    assert (email["To"], email["Subject"], email["From"]) == (
        "anna@example.com", "Your answer was accepted", "Peerdesk <no-reply@peerdesk.test>")
    assert email["Date"] and email["Message-ID"].endswith("@peerdesk.test>")
    assert email.get_body(("plain",)).get_content() == MESSAGE.text
    assert email.get_body(("html",)).get_content().strip() == MESSAGE.html
    assert [p.name for p in settings.outbox_dir.iterdir()] == [written.name]  # no temporary file left
    assert f"anna@example.com written to {written}" in caplog.text


def test_a_text_only_message_has_no_html_part(tmp_path):
    settings = MailSettings(sender="no-reply@peerdesk.test", outbox_dir=tmp_path)

    mail.send(settings, Message(to="anna@example.com", subject="Hi", text="Just text.\n"))

    email = _read(next(tmp_path.glob("*.eml")).read_bytes())
    assert not email.is_multipart() and email.get_content() == "Just text.\n"


def test_an_outbox_that_cannot_be_written_is_mail_not_sent(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")

    with pytest.raises(MailNotSent):
        mail.send(MailSettings(sender="no-reply@peerdesk.test", outbox_dir=blocked), MESSAGE)


def test_with_an_smtp_host_the_message_goes_to_the_server(smtp_server, tmp_path):
    settings = _smtp_settings(tmp_path, smtp_server.port, smtp_user="peerdesk", smtp_password="s3cret")

    mail.send(settings, MESSAGE)

    (envelope,) = smtp_server.envelopes
    assert envelope.mail_from == "no-reply@peerdesk.test" and envelope.rcpt_tos == ["anna@example.com"]
    email = _read(envelope.original_content)
    assert email["Subject"] == "Your answer was accepted"
    assert email.get_body(("plain",)).get_content().replace("\r\n", "\n") == MESSAGE.text  # SMTP sends CRLF
    assert smtp_server.logins == [(b"peerdesk", b"s3cret")]
    assert not (tmp_path / "outbox").exists()


def test_without_a_user_no_login_is_tried(smtp_server, tmp_path):
    mail.send(_smtp_settings(tmp_path, smtp_server.port), MESSAGE)

    assert len(smtp_server.envelopes) == 1 and smtp_server.logins == []


@pytest.mark.parametrize("changes", [{"smtp_password": "wrong"}, {"starttls": True}])
def test_a_refused_login_or_a_server_without_starttls_is_mail_not_sent(smtp_server, tmp_path, changes):
    settings = _smtp_settings(tmp_path, smtp_server.port, smtp_user="peerdesk", smtp_password="s3cret")

    with pytest.raises(MailNotSent):
        mail.send(MailSettings(**{**settings.__dict__, **changes}), MESSAGE)

    assert smtp_server.envelopes == []


def test_a_server_that_does_not_answer_is_mail_not_sent(tmp_path):
    with pytest.raises(MailNotSent):
        mail.send(_smtp_settings(tmp_path, _free_port()), MESSAGE)


def test_a_background_sender_returns_at_once_and_the_message_arrives(smtp_server, tmp_path):
    send = mail.sender(_smtp_settings(tmp_path, smtp_server.port), background=True)

    send(MESSAGE)

    deadline = time.monotonic() + 10
    while not smtp_server.envelopes and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [e.rcpt_tos for e in smtp_server.envelopes] == [["anna@example.com"]]


def test_the_outbox_is_written_before_a_background_sender_returns(tmp_path):
    send = mail.sender(MailSettings(sender="no-reply@peerdesk.test", outbox_dir=tmp_path), background=True)

    send(MESSAGE)

    assert len(list(tmp_path.glob("*.eml"))) == 1
