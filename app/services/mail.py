"""Outgoing mail: a message is sent by SMTP when MAIL_SMTP_HOST is set, otherwise written as an
.eml file to the outbox folder (and logged), so a site without a mail server still works and an
operator can read what would have been sent.
"""
from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Callable, Mapping

from app.services.errors import ServiceError

log = logging.getLogger(__name__)


class MailNotSent(ServiceError):
    """The mail server refused the message or could not be reached."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str | None = None
    # Further header lines, e.g. List-Unsubscribe on notification mail (services/mail_outbox.py).
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MailSettings:
    sender: str
    outbox_dir: Path
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    starttls: bool = True
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping) -> MailSettings:
        return cls(
            sender=config["MAIL_FROM"], outbox_dir=Path(config["MAIL_OUTBOX_DIR"]),
            smtp_host=config.get("MAIL_SMTP_HOST", ""), smtp_port=config.get("MAIL_SMTP_PORT", 587),
            smtp_user=config.get("MAIL_SMTP_USER", ""), smtp_password=config.get("MAIL_SMTP_PASSWORD", ""),
            starttls=config.get("MAIL_SMTP_STARTTLS", True),
        )


Sender = Callable[[Message], None]
# One thread: background mail is rare (password resets), and order is kept. Its threads start on
# the first use, so a server that forks its workers after importing the app gets one per worker.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="peerdesk-mail")


def sender(settings: MailSettings, *, background: bool = False) -> Sender:
    """A function that sends one message with these settings (what services receive).

    `background`: an SMTP conversation is handed to a worker thread and not waited for, so a page
    takes as long whether or not it sent a mail (the forgotten-password form must not tell who has
    an account); a failure is then only logged. Writing to the outbox is quick: always waited for.
    """
    if background and settings.smtp_host:
        def submit(message: Message) -> None:
            _background.submit(_send_logged, settings, message)

        return submit
    return lambda message: send(settings, message)


def _send_logged(settings: MailSettings, message: Message) -> None:
    try:
        send(settings, message)
    except MailNotSent:
        pass  # send() logged it; nobody is waiting for the answer


def build(settings: MailSettings, message: Message) -> EmailMessage:
    """The message as a MIME e-mail: plain text, plus an HTML alternative when given."""
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2].strip("> ") or None)
    for name, value in message.headers:
        email[name] = value
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
    return email


def send(settings: MailSettings, message: Message) -> None:
    """Send by SMTP when a host is configured, else write to the outbox; MailNotSent on failure."""
    email = build(settings, message)
    if settings.smtp_host:
        _send_smtp(settings, email)
        log.info("Mail sent to %s by %s: %s", message.to, settings.smtp_host, message.subject)
    else:
        path = _write_outbox(settings.outbox_dir, email)
        log.info("Mail to %s written to %s: %s", message.to, path, message.subject)


def _send_smtp(settings: MailSettings, email: EmailMessage) -> None:
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(email)
    except (smtplib.SMTPException, OSError) as exc:
        log.error("Mail to %s not sent by %s: %s", email["To"], settings.smtp_host, exc)
        raise MailNotSent("The mail could not be sent just now; please try again in a few minutes.") from exc


def _write_outbox(outbox_dir: Path, email: EmailMessage) -> Path:
    """Write atomically (a temporary name, then rename), so a reader never sees half a message."""
    name = f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
    temporary = outbox_dir / f".{name}.tmp"
    try:
        outbox_dir.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(email.as_bytes())
        os.replace(temporary, outbox_dir / name)
    except OSError as exc:
        log.error("Mail to %s not written to %s: %s", email["To"], outbox_dir, exc)
        raise MailNotSent("The mail could not be sent just now; please try again in a few minutes.") from exc
    return outbox_dir / name
