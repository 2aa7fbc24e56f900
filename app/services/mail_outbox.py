"""The mail outbox: notification mail is queued as rows of mail_outbox in the transaction of the
event, and sent afterwards by the worker (`flask notifications send`), so a request never waits
for a mail server and a failing one loses nothing.

Sending: each message is claimed, sent with no transaction open, and marked sent or retried with
back-off (services/outbox_rows.py, shared with the webhook outbox): a message goes out once, unless
a worker dies between sending and marking it.

Links in a queued text start with SITE_MARK; the worker puts the site's address there and adds the
member's signed unsubscribe link (and the List-Unsubscribe header) when it sends.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_babel import force_locale, gettext as _
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from app.db import transaction
from app.models import Notification, OutgoingMail, Thread, User
from app.services.errors import ServiceError
from app.services.mail import MailNotSent, Message, Sender
from app.services.outbox_rows import Delivery, deliver_due as deliver_rows

SITE_MARK = "[[site]]"
SITE_NAME = "Peerdesk"
UNSUBSCRIBE_SALT = "peerdesk.unsubscribe"
MAX_TOKEN_LENGTH = 500
DIGEST_EVERY = timedelta(hours=24)


class BadUnsubscribeLink(ServiceError):
    """The unsubscribe link is forged, cut off or names no member."""

    def __init__(self) -> None:
        super().__init__("This unsubscribe link is not valid: it may have been cut off or changed. Copy the whole "
                         "link from the mail, or sign in and change your notification mail in your account settings.")


@dataclass(frozen=True)
class Outbox:
    """What the worker needs from the site: its address, its secret, and a mail sender."""

    site_url: str
    secret_key: str
    send: Sender


# --- queueing (inside the event's transaction) --------------------------------------------------


def queue_notification(session: Session, user: User, notification: Notification, *, actor_name: str | None,
                       thread_title: str | None, now: datetime) -> OutgoingMail:
    """Queue the mail of one notification for a member who wants mail at once."""
    from app.services.notifications import describe

    with force_locale(user.locale or "en"):
        text = describe(notification.kind, actor=actor_name, thread=thread_title, detail=notification.detail)
        body = "\n".join((
            _("Hello %(name)s,", name=user.display_name), "", text, "",
            _("Open it: %(link)s", link=f"{SITE_MARK}/notifications/open?n={notification.id}"),
        ))
        subject = f"[{SITE_NAME}] {text}"
    mail = OutgoingMail(user_id=user.id, to_address=user.email, subject=subject[:300], body_text=body,
                        created_at=now, next_attempt_at=now)
    session.add(mail)
    return mail


# --- the daily digest -------------------------------------------------------------------------


def build_digests(session: Session, *, now: datetime | None = None) -> int:
    """Queue one digest per "daily" member whose last one is over a day old and who has pending
    notifications; returns how many were queued. Each member is claimed by a conditional UPDATE of
    digest_sent_at, so two workers never build the same digest."""
    now = now or datetime.now(timezone.utc)
    due = or_(User.digest_sent_at.is_(None), User.digest_sent_at <= now - DIGEST_EVERY)
    pending = exists().where(Notification.user_id == User.id, Notification.mail_state == "pending")
    user_ids = list(session.scalars(select(User.id).where(User.email_notifications == "daily", due, pending)
                                    .order_by(User.id)))
    session.rollback()  # end the read snapshot before writing
    built = 0
    for user_id in user_ids:
        with transaction(session):
            claimed = session.execute(update(User).where(User.id == user_id, User.email_notifications == "daily", due)
                                      .values(digest_sent_at=now)).rowcount
            if not claimed:
                continue
            built += _queue_digest(session, session.get(User, user_id, populate_existing=True), now)
    return built


def _queue_digest(session: Session, user: User, now: datetime) -> int:
    from app.services.notifications import describe, visible_to_member

    actor = select(User.display_name).where(User.id == Notification.actor_id).scalar_subquery()
    rows = session.execute(
        select(Notification, actor, Thread.title, visible_to_member(user.id))
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .where(Notification.user_id == user.id, Notification.mail_state == "pending")
        .order_by(Notification.created_at, Notification.id)
    ).all()
    # Only the rows read here are settled: one written meanwhile waits for the next digest.
    session.execute(update(Notification).where(Notification.id.in_([row[0].id for row in rows]))
                    .values(mail_state="sent"))
    # What the bell would still show: not read yet, and not about a post or thread hidden since.
    shown = [(n, a, t) for n, a, t, visible in rows if visible and n.read_at is None]
    if not shown:
        return 0
    with force_locale(user.locale or "en"):
        lines = [_("Hello %(name)s,", name=user.display_name), "",
                 _("Here is what happened on %(site)s since your last digest:", site=SITE_NAME), ""]
        for notification, actor_name, thread_title in shown:
            lines.append("- " + describe(notification.kind, actor=actor_name, thread=thread_title,
                                         detail=notification.detail))
            lines.append(f"  {SITE_MARK}/notifications/open?n={notification.id}")
        lines += ["", _("All your notifications: %(link)s", link=f"{SITE_MARK}/notifications")]
        subject = _("[%(site)s] Your daily digest: %(count)s notification(s)", site=SITE_NAME, count=len(shown))
    session.add(OutgoingMail(user_id=user.id, to_address=user.email, subject=subject, body_text="\n".join(lines),
                             created_at=now, next_attempt_at=now))
    return 1


# --- sending (the worker) -----------------------------------------------------------------------


def deliver_due(session: Session, outbox: Outbox, *, now: datetime | None = None, limit: int = 100) -> Delivery:
    """Send the messages that are due; each is claimed first, so two workers never send one twice."""
    def prepare(session: Session, mail: OutgoingMail) -> Message:
        locale = session.scalar(select(User.locale).where(User.id == mail.user_id)) if mail.user_id else None
        return compose(mail, outbox, locale=locale)

    return deliver_rows(session, OutgoingMail, now=now or datetime.now(timezone.utc), limit=limit, prepare=prepare,
                        send=outbox.send, failure=MailNotSent)


def compose(mail: OutgoingMail, outbox: Outbox, *, locale: str | None = None) -> Message:
    """The message as sent: the site's address in its links, and the unsubscribe link and header
    (its words in the member's language, like the rest of the mail)."""
    site = outbox.site_url.rstrip("/")
    text = mail.body_text.replace(SITE_MARK, site)
    headers: tuple[tuple[str, str], ...] = ()
    if mail.user_id is not None:
        link = f"{site}/unsubscribe?token={unsubscribe_token(outbox.secret_key, mail.user_id)}"
        with force_locale(locale or "en"):
            text += "\n".join(("\n\n--", _("You get this mail because of your notification setting on %(site)s.",
                                              site=SITE_NAME),
                               _("Stop all notification mail with one click: %(link)s", link=link),
                               _("Or choose a daily digest in your account settings: %(link)s", link=f"{site}/account")))
        # Mail programs show an "Unsubscribe" button that opens the link.
        headers = (("List-Unsubscribe", f"<{link}>"),)
    return Message(to=mail.to_address, subject=mail.subject, text=text, headers=headers)


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count(OutgoingMail.id)).where(OutgoingMail.sent_at.is_(None))) or 0


# --- unsubscribing ------------------------------------------------------------------------------


def unsubscribe_token(secret_key: str, user_id: int) -> str:
    """A signed, non-expiring token naming the member: anyone holding the mail may stop it."""
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).dumps({"u": user_id})


def member_of(session: Session, secret_key: str, token: str) -> User:
    """The member a token names; BadUnsubscribeLink when it is forged, changed or stale."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadUnsubscribeLink()
    try:
        payload = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT).loads(token)
    except BadData as exc:
        raise BadUnsubscribeLink() from exc
    user_id = payload.get("u") if isinstance(payload, dict) else None
    user = session.get(User, user_id) if isinstance(user_id, int) and 0 < user_id < 2**31 else None
    if user is None:
        raise BadUnsubscribeLink()
    return user


def unsubscribe(session: Session, secret_key: str, token: str) -> User:
    """Turn the member's notification mail off (what the link in every notification mail does)."""
    with transaction(session):
        user = member_of(session, secret_key, token)
        user.email_notifications = "off"
        # Nothing still waiting for a digest is mailed now.
        session.execute(update(Notification).where(Notification.user_id == user.id,
                                                   Notification.mail_state == "pending").values(mail_state="none"))
    return user
