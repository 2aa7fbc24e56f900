"""Notifications: who hears of what (the events the other services report here), the bell's
unread count, the notifications page, and marking them read.

Every event is written inside the transaction of the action that caused it, as its last writes:
plain INSERTs of new rows, which take no lock another transaction waits for, so the lock order of
docs/decisions.md (post → thread → members by id → queue rows at commit) is kept. An immediate
mail is queued in the same transaction (services/mail_outbox.py); the worker sends it later.

Rules, the same for every event: the actor never hears of their own action; nothing is said about
a hidden post or a hidden thread (except to its author, when a moderator hid or restored it); one
event gives each member at most one notification, of the most specific kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from app.db import transaction
from app.models import Notification, Post, Thread, User, me_too
from app.services import follows, mail_outbox
from app.services.errors import InvalidInput
from app.services.pagination import Page, clamp_page

# What a notification says, per kind. Values: actor, thread (title), detail (reason, badge, rank).
TEXTS = {
    "answer": _l("%(actor)s answered “%(thread)s”"),
    "comment": _l("%(actor)s commented in “%(thread)s”"),
    "mention": _l("%(actor)s mentioned you in “%(thread)s”"),
    "new_question": _l("%(actor)s asked “%(thread)s”"),
    "accepted": _l("Your answer in “%(thread)s” was accepted as the solution"),
    "official": _l("Your answer in “%(thread)s” was marked official by staff"),
    "kudos": _l("%(actor)s gave kudos to your post in “%(thread)s”"),
    "solved": _l("“%(thread)s”, a question you have too, has a solution"),
    "post_hidden": _l("A moderator hid your post in “%(thread)s”. Reason: %(detail)s"),
    "post_restored": _l("A moderator restored your post in “%(thread)s”"),
    "edit_requested": _l("A moderator asked you to edit your post in “%(thread)s”: %(detail)s"),
    "badge": _l("You earned the badge “%(detail)s”"),
    "rank": _l("You reached the rank “%(detail)s”"),
    # Unanswered routing (services/routing.py): helpers asked to answer, and staff told.
    "invited_to_answer": _l("“%(thread)s” has no answer yet. You have solved questions in this board: can you help?"),
    "unanswered": _l("“%(thread)s” is still unanswered. Members invited to help: %(detail)s"),
    "escalated": _l("“%(thread)s” got no answer in time and was escalated to support"),
}
# About the recipient's own post or account: told even when the post is hidden.
ABOUT_YOURSELF = frozenset({"post_hidden", "post_restored", "edit_requested", "badge", "rank"})
MAIL_STATES = {"immediate": "sent", "daily": "pending", "off": "none"}
EMAIL_SETTINGS = ("immediate", "daily", "off")
PER_PAGE = 30
MAX_MENTIONS = 20
# "@Display Name": display names may hold spaces, so up to four words are tried, longest first.
_MENTION = re.compile(r"(?<![\w@])@(\w[\w.'\-]*(?: \w[\w.'\-]*){0,3})")


def describe(kind: str, *, actor: str | None, thread: str | None, detail: str | None) -> str:
    """The sentence for one notification, in the current language."""
    text = TEXTS.get(kind)
    if text is None:
        return kind
    return str(text) % {"actor": actor or _("Someone"), "thread": thread or "", "detail": detail or ""}


def notify(session: Session, recipients: Iterable[tuple[int | None, str]], *, actor_id: int | None,
           thread: Thread | None = None, post: Post | None = None, detail: str | None = None,
           now: datetime | None = None) -> list[Notification]:
    """Write one notification per member for one event (caller's transaction).

    `recipients` are (member id, kind) in order of preference: a member listed twice gets only the
    first (the asker mentioned in an answer hears "answered", not "mentioned" as well)."""
    kinds: dict[int, str] = {}
    for user_id, kind in recipients:
        if user_id is not None and user_id != actor_id and user_id not in kinds:
            kinds[user_id] = kind
    if post is not None and post.is_hidden or thread is not None and thread.is_hidden:
        kinds = {uid: kind for uid, kind in kinds.items() if kind in ABOUT_YOURSELF}
    if not kinds:
        return []
    now = now or datetime.now(timezone.utc)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(sorted(kinds))))}
    actor_name = session.scalar(select(User.display_name).where(User.id == actor_id)) if actor_id else None
    written = []
    for user_id in sorted(users):
        user = users[user_id]
        notification = Notification(
            user_id=user_id, kind=kinds[user_id], actor_id=actor_id, thread_id=thread.id if thread else None,
            post_id=post.id if post else None, detail=detail, created_at=now,
            mail_state=MAIL_STATES.get(user.email_notifications, "none") if _mailable(user) else "none",
        )
        session.add(notification)
        written.append(notification)
    session.flush()
    for notification in written:
        user = users[notification.user_id]
        if notification.mail_state == "sent":
            mail_outbox.queue_notification(session, user, notification, actor_name=actor_name,
                                           thread_title=thread.title if thread else None, now=now)
    return written


def _mailable(user: User) -> bool:
    """Members brought in by an import have addresses under .invalid (RFC 2606): never mailed."""
    return not user.email.lower().endswith(".invalid")


# --- the events the other services report -------------------------------------------------------


def new_post(session: Session, post: Post, thread: Thread, *, now: datetime | None = None) -> None:
    """A question, answer or comment was saved: its thread's people, the mentioned, the followers."""
    recipients: list[tuple[int | None, str]] = []
    if post.kind == "question":
        recipients += [(uid, "mention") for uid in mentioned(session, post.body_source)]
        recipients += [(uid, "new_question") for uid in follows.board_followers(session, thread.board_id)]
    else:
        kind = post.kind  # "answer" or "comment"
        if post.parent_id is not None:
            recipients.append((session.scalar(select(Post.author_id).where(Post.id == post.parent_id)), kind))
        recipients.append((thread.author_id, kind))
        recipients += [(uid, "mention") for uid in mentioned(session, post.body_source)]
        recipients += [(uid, kind) for uid in follows.thread_followers(session, thread.id)]
    notify(session, recipients, actor_id=post.author_id, thread=thread, post=post, now=now)


def mentions_added(session: Session, post: Post, thread: Thread, *, before: str, editor_id: int,
                   now: datetime | None = None) -> None:
    """An edit named members: those the post had never told of a mention hear of it now (a name
    removed and put back, or named before the edit, is not news)."""
    named = mentioned(session, post.body_source)
    if not named:  # most edits name nobody: no further query
        return
    earlier = set(mentioned(session, before))
    told = set(session.scalars(select(Notification.user_id).where(Notification.post_id == post.id,
                                                                  Notification.kind == "mention")))
    new = [uid for uid in named if uid not in earlier and uid not in told]
    notify(session, [(uid, "mention") for uid in new], actor_id=editor_id, thread=thread, post=post, now=now)


def solution_chosen(session: Session, thread: Thread, answer: Post, *, actor_id: int | None, first: bool,
                    now: datetime | None = None) -> None:
    """An answer became the solution: its author hears so; when the thread had no solution before,
    so does everyone who said "I have this question too"."""
    notify(session, [(answer.author_id, "accepted")], actor_id=actor_id, thread=thread, post=answer, now=now)
    if first:
        members = session.scalars(select(me_too.c.user_id).where(me_too.c.thread_id == thread.id)
                                  .order_by(me_too.c.user_id))
        notify(session, [(uid, "solved") for uid in members if uid != answer.author_id], actor_id=actor_id,
               thread=thread, post=answer, now=now)


def marked_official(session: Session, thread: Thread, answer: Post, *, actor_id: int | None,
                    now: datetime | None = None) -> None:
    notify(session, [(answer.author_id, "official")], actor_id=actor_id, thread=thread, post=answer, now=now)


def kudos_given(session: Session, post: Post, *, giver_id: int, now: datetime | None = None) -> None:
    thread = session.get(Thread, post.thread_id)
    notify(session, [(post.author_id, "kudos")], actor_id=giver_id, thread=thread, post=post, now=now)


def moderated(session: Session, post: Post, kind: str, *, actor_id: int, detail: str | None = None,
              now: datetime | None = None) -> None:
    """A moderator hid or restored the post, or asked its author to edit it (`kind`)."""
    thread = session.get(Thread, post.thread_id)
    notify(session, [(post.author_id, kind)], actor_id=actor_id, thread=thread, post=post, detail=detail, now=now)


def achieved(session: Session, user_id: int, kind: str, name: str, *, now: datetime | None = None) -> None:
    """A badge or a rank (`kind`) earned: nobody's action, so nobody is left out as the actor."""
    notify(session, [(user_id, kind)], actor_id=None, detail=name, now=now)


def mentioned(session: Session, body: str) -> list[int]:
    """The members a text names with @Display Name (case-insensitive, longest name first)."""
    matches = [m.group(1) for m in _MENTION.finditer(body)][:MAX_MENTIONS]
    candidates: list[list[str]] = []
    for match in matches:
        words = match.split(" ")
        candidates.append([" ".join(words[:n]).rstrip(".'-").lower() for n in range(len(words), 0, -1)])
    names = {name for group in candidates for name in group if name}
    if not names:
        return []
    found = dict(session.execute(select(func.lower(User.display_name), User.id)
                                 .where(func.lower(User.display_name).in_(sorted(names)))).all())
    ids: list[int] = []
    for group in candidates:
        hit = next((found[name] for name in group if name in found), None)
        if hit is not None and hit not in ids:
            ids.append(hit)
    return ids


# --- reading and marking read -------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One row of the notifications page."""

    notification: Notification
    actor_name: str | None
    thread_title: str | None
    thread_slug: str | None

    @property
    def text(self) -> str:
        n = self.notification
        return describe(n.kind, actor=self.actor_name, thread=self.thread_title, detail=n.detail)


def visible_to_member(user_id: int):
    """The member's notifications that may be shown: none about a post or thread hidden since,
    unless it is about the member's own post."""
    post, thread = aliased(Post), aliased(Thread)  # apart from the page's own join of threads
    return and_(
        Notification.user_id == user_id,
        or_(Notification.kind.in_(sorted(ABOUT_YOURSELF)), Notification.post_id.is_(None),
            ~select(post.id).where(post.id == Notification.post_id, post.review_state == "hidden").exists()),
        or_(Notification.kind.in_(sorted(ABOUT_YOURSELF)), Notification.thread_id.is_(None),
            ~select(thread.id).where(thread.id == Notification.thread_id, thread.is_hidden.is_(True)).exists()),
    )


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count(Notification.id))
                          .where(visible_to_member(user_id), Notification.read_at.is_(None))) or 0


def page(session: Session, user_id: int, number: int | None = 1, *, per_page: int = PER_PAGE) -> Page[Item]:
    """The member's notifications, newest first."""
    number = clamp_page(number)
    total = session.scalar(select(func.count(Notification.id)).where(visible_to_member(user_id))) or 0
    actor = aliased(User)
    rows = session.execute(
        select(Notification, actor.display_name, Thread.title, Thread.slug)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .outerjoin(Thread, Thread.id == Notification.thread_id)
        .where(visible_to_member(user_id))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((number - 1) * per_page).limit(per_page)
    ).all()
    return Page(items=[Item(*row) for row in rows], number=number, per_page=per_page, total=total)


def open_one(session: Session, user_id: int, notification_id: int) -> Notification | None:
    """Mark one of the member's notifications read and return it (None: not theirs or not shown)."""
    with transaction(session):
        notification = session.scalar(select(Notification).where(Notification.id == notification_id,
                                                                 visible_to_member(user_id)))
        if notification is not None and notification.read_at is None:
            notification.read_at = datetime.now(timezone.utc)
    return notification


def mark_all_read(session: Session, user_id: int) -> int:
    with transaction(session):
        result = session.execute(update(Notification)
                                 .where(Notification.user_id == user_id, Notification.read_at.is_(None))
                                 .values(read_at=datetime.now(timezone.utc)))
    return result.rowcount


def set_email_setting(session: Session, user: User, value: str) -> User:
    """Change how the member gets notification mail: "immediate", "daily" or "off"."""
    if value not in EMAIL_SETTINGS:
        raise InvalidInput.field("email_notifications", "Please choose one of the offered settings.")
    with transaction(session):
        member = session.get(User, user.id, populate_existing=True)
        member.email_notifications = value
    return member
