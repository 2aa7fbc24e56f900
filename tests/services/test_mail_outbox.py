"""The mail outbox worker: a failing SMTP server loses nothing and a message goes out exactly once;
two workers never send one message; the daily digest; the signed unsubscribe link."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import Notification, OutgoingMail, User
from app.services import follows, mail, mail_outbox, notifications, outbox_rows, posting, review
from app.services.mail_outbox import BadUnsubscribeLink, Outbox

SECRET = "test-only-secret"


class FlakyServer:
    """An SMTP server that refuses the first `failures` messages (451: try later), then takes them."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.failures > 0:
            self.failures -= 1
            return "451 Mailbox busy, try again later"
        self.received.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    servers = []

    def start(failures: int = 0) -> tuple[FlakyServer, Outbox]:
        handler = FlakyServer(failures)
        controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
        controller.start()
        servers.append(controller)
        settings = mail.MailSettings(sender="Peerdesk <no-reply@peerdesk.test>", outbox_dir=None,
                                     smtp_host="127.0.0.1", smtp_port=controller.port, starttls=False, timeout=5)
        return handler, Outbox(site_url="https://help.example", secret_key=SECRET, send=mail.sender(settings))

    yield start
    for controller in servers:
        controller.stop()


def _answer(session, thread, author, body="Restart the spooler, then add the printer again."):
    return posting.answer(session, author, thread_id=thread.id, body=body)


def _mail_rows(session):
    session.commit()
    return session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()


def test_smtp_failure_then_retry_delivers_exactly_once(session, thread, member, helper, smtp_server):
    _answer(session, thread, helper)
    queued = _mail_rows(session)  # the answer for the asker, and the badges asking and answering earned
    server, outbox = smtp_server(failures=len(queued))  # the server refuses each message once
    start = datetime.now(timezone.utc)

    first = mail_outbox.deliver_due(session, outbox, now=start)
    assert (first.sent, first.failed) == (0, len(queued)) and server.received == []
    session.expire_all()
    for row in _mail_rows(session):
        assert row.sent_at is None and row.attempts == 1 and "451" in row.last_error
        assert row.next_attempt_at >= start + outbox_rows.FIRST_RETRY

    # Not due yet: nothing is tried again before the back-off.
    assert mail_outbox.deliver_due(session, outbox, now=start + timedelta(seconds=5)).sent == 0
    later = start + timedelta(minutes=2)
    assert mail_outbox.deliver_due(session, outbox, now=later).sent == len(queued)
    assert mail_outbox.deliver_due(session, outbox, now=later + timedelta(hours=1)).sent == 0
    delivered = [message_from_bytes(raw, policy=policy.default) for raw in server.received]
    assert sorted(m["Subject"] for m in delivered) == sorted(m.subject for m in queued)  # each once
    session.expire_all()
    assert all(r.sent_at is not None and r.attempts == 2 and r.last_error is None for r in _mail_rows(session))
    [answered] = [m for m in delivered if m["To"] == member.email and "answered" in m["Subject"]]
    body = answered.get_content()
    assert "https://help.example/notifications/open?n=" in body and "Helpful Hans answered" in body
    assert answered["List-Unsubscribe"].strip().startswith("<https://help.example/unsubscribe?token=")


def test_unreachable_server_keeps_the_message(session, thread, member, helper):
    _answer(session, thread, helper)
    settings = mail.MailSettings(sender="x@peerdesk.test", outbox_dir=None, smtp_host="127.0.0.1",
                                 smtp_port=_free_port(), starttls=False, timeout=2)
    outbox = Outbox(site_url="https://help.example", secret_key=SECRET, send=mail.sender(settings))
    result = mail_outbox.deliver_due(session, outbox)
    assert result.failed >= 1 and result.sent == 0
    assert all(m.sent_at is None and m.last_error for m in _mail_rows(session))


def test_backoff_doubles_and_is_capped():
    assert outbox_rows.retry_delay(1) == timedelta(minutes=1)
    assert outbox_rows.retry_delay(3) == timedelta(minutes=4)
    assert outbox_rows.retry_delay(30) == outbox_rows.MAX_RETRY


def test_a_claimed_message_is_not_sent_by_a_second_worker(app, session, thread, member, helper):
    _answer(session, thread, helper)
    sent: list[tuple[str, str, str]] = []
    other_session = app.extensions["db_sessionmaker"]()

    def second_worker(message):
        sent.append(("2nd", message.to, message.subject))

    def first_worker(message):
        # While the first worker sends this one, a second worker runs: it takes only the others.
        mail_outbox.deliver_due(other_session, Outbox("https://h.example", SECRET, second_worker))
        sent.append(("1st", message.to, message.subject))

    try:
        mail_outbox.deliver_due(session, Outbox("https://h.example", SECRET, first_worker))
    finally:
        other_session.close()
    rows = _mail_rows(session)
    assert sorted((to, subject) for _w, to, subject in sent) == sorted((m.to_address, m.subject) for m in rows)
    assert {worker for worker, _to, _s in sent} == {"1st", "2nd"}
    assert all(m.sent_at is not None and m.attempts == 1 for m in rows)


def test_daily_digest(session, thread, member, helper, make_user):
    notifications.set_email_setting(session, member, "daily")
    _answer(session, thread, helper)
    other = make_user(name="Other Olga")
    _answer(session, thread, other, body="Or update the firmware from the menu.")
    assert [m for m in _mail_rows(session) if m.to_address == member.email and "answered" in m.subject] == []
    sent: list[mail.Message] = []
    outbox = Outbox("https://help.example", SECRET, sent.append)

    now = datetime.now(timezone.utc)
    assert mail_outbox.build_digests(session, now=now) == 1
    assert mail_outbox.build_digests(session, now=now + timedelta(hours=1)) == 0  # one a day
    mail_outbox.deliver_due(session, outbox, now=now)
    [digest] = [m for m in sent if m.to == member.email and "digest" in m.subject]
    assert "daily digest" in digest.subject and "2 notification" in digest.subject
    assert "Helpful Hans answered “Printer shows offline after update”" in digest.text
    assert "Other Olga answered" in digest.text
    assert digest.text.count("https://help.example/notifications/open?n=") == 2
    assert "https://help.example/unsubscribe?token=" in digest.text
    session.commit()
    assert session.scalars(select(Notification.mail_state).where(Notification.user_id == member.id,
                                                                 Notification.kind == "answer")).all() == ["sent", "sent"]
    # A day later only what is new goes out, and nothing when nothing is new.
    third = make_user(name="Third Theo")
    _answer(session, thread, third, body="Check the cable for damage first.")
    assert mail_outbox.build_digests(session, now=now + timedelta(hours=25)) == 1
    assert mail_outbox.build_digests(session, now=now + timedelta(hours=50)) == 0
    mail_outbox.deliver_due(session, outbox, now=now + timedelta(hours=25))
    second = [m for m in sent if m.to == member.email and "digest" in m.subject][1]
    assert "Third Theo" in second.text and "Helpful Hans" not in second.text


def test_the_digest_leaves_out_what_was_read_or_hidden_since(session, thread, member, helper, moderator, make_user):
    notifications.set_email_setting(session, member, "daily")
    _answer(session, thread, helper)
    hidden = _answer(session, thread, make_user(name="Spammy Sam"), body="Buy cheap ink at my shop today.")
    read = _answer(session, thread, make_user(name="Read Rhea"), body="Update the firmware from the menu.")
    review.hide(session, moderator, post_id=hidden.id, reason="spam")
    read_id = session.scalar(select(Notification.id).where(Notification.post_id == read.id,
                                                           Notification.user_id == member.id))
    notifications.open_one(session, member.id, read_id)
    sent: list[mail.Message] = []

    assert mail_outbox.build_digests(session) == 1
    mail_outbox.deliver_due(session, Outbox("https://help.example", SECRET, sent.append))

    [digest] = [m for m in sent if m.to == member.email and "digest" in m.subject]
    assert "Helpful Hans answered" in digest.text and "1 notification" in digest.subject
    assert "Spammy Sam" not in digest.text and "Read Rhea" not in digest.text
    session.commit()  # every one of them is settled: none waits for tomorrow's digest
    assert set(session.scalars(select(Notification.mail_state).where(Notification.user_id == member.id))) == {"sent"}


def test_the_mail_footer_is_in_the_members_language(app, session, thread, member, helper):
    session.get(User, member.id).locale = "de"
    session.commit()
    sent: list[mail.Message] = []

    with app.app_context():  # as in a request and in the worker command
        _answer(session, thread, helper)
        mail_outbox.deliver_due(session, Outbox("https://help.example", SECRET, sent.append))

    [message] = [m for m in sent if m.to == member.email and "Helpful Hans" in m.subject]
    assert "Hallo" in message.text
    footer = message.text.split("\n--\n")[1]
    assert "https://help.example/unsubscribe?token=" in footer
    assert "notification" not in footer.lower() and "click" not in footer


def test_unsubscribe_token(session, member):
    token = mail_outbox.unsubscribe_token(SECRET, member.id)
    assert mail_outbox.member_of(session, SECRET, token).id == member.id
    forged = mail_outbox.unsubscribe_token("another-secret", member.id)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (forged, tampered, "", "x" * 2000, "not.a.token"):
        with pytest.raises(BadUnsubscribeLink):
            mail_outbox.member_of(session, SECRET, bad)
    mail_outbox.unsubscribe(session, SECRET, token)
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == "off"


def test_unsubscribed_member_gets_no_more_mail(session, thread, member, helper):
    mail_outbox.unsubscribe(session, SECRET, mail_outbox.unsubscribe_token(SECRET, member.id))
    follows.follow(session, member, thread_id=thread.id)
    _answer(session, thread, helper)
    assert [m for m in _mail_rows(session) if m.to_address == member.email and "answered" in m.subject] == []


def test_the_worker_command_writes_the_outbox(app, session, thread, member, helper):
    _answer(session, thread, helper)
    session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert "mail(s) sent, 0 failed" in result.output and "0 waiting" in result.output
    files = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    texts = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    answered = [m for m in texts if m["To"] == member.email and "answered" in m["Subject"]]
    assert len(answered) == 1 and "/unsubscribe?token=" in answered[0].get_content()
    assert all(m.sent_at is not None for m in _mail_rows(session))
