"""Unanswered routing: a board's invite and escalation settings, and the tick that applies them.

A question is waiting when its thread is open (not solved), not hidden, not merged, not locked, in a
board that is not archived, and has no answer that is not hidden. In a board with the step switched
on, a waiting question
- `invite_after_hours` after it was asked, invites the members with the most solutions (accepted
  answers) in that board (at most `max_invites`: not the asker, not suspended, not a member who
  cannot sign in) and tells staff;
- `escalate_after_hours` after it was asked, goes to the company's ticket system: an e-mail to
  `escalation_email` (through the mail outbox) and/or a signed webhook to `escalation_webhook_url`
  (through the webhook outbox, services/webhooks.py), and staff are told.
Each step happens once per thread: its stamp (Thread.invited_at, Thread.escalated_at) is set by a
conditional UPDATE that only one tick can win, in the transaction that writes the step's effects,
so running ticks twice, or two at once, invites and escalates once. A step also applies to the
questions already waiting when it is switched on. `flask support tick` runs it (app/cli.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale, gettext as _
from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from app.db import transaction
from app.models import STAFF_ROLES, Board, OutgoingMail, Post, Thread, User
from app.services import notifications, webhooks
from app.services.errors import FieldErrors
from app.services.mail_outbox import SITE_MARK, SITE_NAME
from app.services.text import clean_line

HOURS_MAX = 24 * 365
EMAIL_MAX, URL_MAX = 254, 500
BATCH = 200  # threads per step and tick: a board switched on over a large backlog is worked off over ticks


# --- a board's settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRouting:
    """A board's routing settings, checked (None: not set)."""

    invite_after_hours: int | None = None
    escalate_after_hours: int | None = None
    escalation_email: str | None = None
    escalation_webhook_url: str | None = None

    @classmethod
    def of(cls, board: Board) -> "BoardRouting":
        return cls(board.invite_after_hours, board.escalate_after_hours, board.escalation_email,
                   board.escalation_webhook_url)

    def apply_to(self, board: Board) -> None:
        board.invite_after_hours, board.escalate_after_hours = self.invite_after_hours, self.escalate_after_hours
        board.escalation_email, board.escalation_webhook_url = self.escalation_email, self.escalation_webhook_url

    def describe(self) -> str:
        """One line per setting that is on, for the audit log."""
        lines = []
        if self.invite_after_hours is not None:
            lines.append(f"Invite helpers after {self.invite_after_hours} h")
        if self.escalate_after_hours is not None:
            lines.append(f"Escalate after {self.escalate_after_hours} h")
        if self.escalation_email:
            lines.append(f"Escalation e-mail: {self.escalation_email}")
        if self.escalation_webhook_url:
            lines.append(f"Escalation webhook: {self.escalation_webhook_url}")
        return "\n".join(lines)


def clean_settings(problems: FieldErrors, *, invite_after_hours: str | int | None = None,
                   escalate_after_hours: str | int | None = None, escalation_email: str | None = None,
                   escalation_webhook_url: str | None = None) -> BoardRouting:
    """Check typed settings (empty: off), adding a message per wrong field to `problems`."""
    invite = _hours(problems, "invite_after_hours", invite_after_hours)
    escalate = _hours(problems, "escalate_after_hours", escalate_after_hours)
    if invite is not None and escalate is not None and escalate <= invite:
        problems.add("escalate_after_hours", "Escalate later than you invite helpers: give more hours here than "
                                             "for the invitation.")
    email = clean_line(escalation_email or "") or None
    if email is not None:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            problems.add("escalation_email", "Please give a valid e-mail address, e.g. support@example.com.")
        else:
            if len(email) > EMAIL_MAX:
                problems.add("escalation_email", "This e-mail address is too long.")
    url = clean_line(escalation_webhook_url or "") or None
    if url is not None and not _is_web_address(url):
        problems.add("escalation_webhook_url", "Please give a web address starting with https:// (or http://), "
                                               "e.g. https://tickets.example.com/hooks/peerdesk.")
    if escalate is not None and email is None and url is None:
        problems.add("escalation_email", "Escalating needs somewhere to go: give an e-mail address, a webhook "
                                         "address, or both.")
    return BoardRouting(invite, escalate, email, url)


def _hours(problems: FieldErrors, name: str, value: str | int | None) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= HOURS_MAX:
        problems.add(name, "Please give a whole number of hours from 1 to 8760 (a year), or leave it empty.")
        return None
    return int(text)


def _is_web_address(url: str) -> bool:
    if len(url) > URL_MAX or any(c.isspace() for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.username


# --- the tick -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """What the tick needs from the site's settings."""

    url: str
    max_invites: int = 3
    locale: str = "en"  # the language of escalation mail (the site's default)


@dataclass
class Report:
    """What one tick did: (thread id, title, names invited) and (thread id, title, where it went)."""

    invited: list[tuple[int, str, list[str]]] = field(default_factory=list)
    escalated: list[tuple[int, str, list[str]]] = field(default_factory=list)


# Each step: the thread's stamp that it happened, and the board's setting that switches it on.
INVITE = (Thread.invited_at, Board.invite_after_hours)
ESCALATE = (Thread.escalated_at, Board.escalate_after_hours)


def tick(session: Session, site: Site, *, now: datetime) -> Report:
    """Invite, then escalate, every waiting question that is due."""
    report = Report()
    for step, act, done in ((INVITE, _invite, report.invited), (ESCALATE, _escalate, report.escalated)):
        for board_id, cutoff in _due_boards(session, step, now):
            for thread_id in _due_threads(session, step, board_id, cutoff):
                with transaction(session):
                    thread = _claim(session, step, thread_id, board_id, cutoff, now)
                    if thread is not None:
                        done.append(act(session, site, thread, now))
    return report


def _waiting(setting) -> list:
    """Conditions on a thread for waiting for an answer in a board where `setting` is on."""
    return [
        Thread.status == "open", Thread.is_hidden.is_(False), Thread.merged_into_id.is_(None),
        Thread.is_locked.is_(False),
        Thread.board_id.in_(select(Board.id).where(Board.is_archived.is_(False), setting.is_not(None))),
        ~exists().where(Post.thread_id == Thread.id, Post.kind == "answer", Post.review_state != "hidden"),
    ]


def _due_boards(session: Session, step, now: datetime) -> list[tuple[int, datetime]]:
    """(board id, the latest a question may have been asked to be due) per board with the step on."""
    setting = step[1]
    rows = session.execute(select(Board.id, setting).where(Board.is_archived.is_(False), setting.is_not(None))
                           .order_by(Board.id)).all()
    return [(board_id, now - timedelta(hours=hours)) for board_id, hours in rows]


def _due_threads(session: Session, step, board_id: int, cutoff: datetime) -> list[int]:
    stamp, setting = step
    ids = list(session.scalars(select(Thread.id).where(Thread.board_id == board_id, Thread.created_at <= cutoff,
                                                       stamp.is_(None), *_waiting(setting))
                               .order_by(Thread.created_at, Thread.id).limit(BATCH)))
    session.rollback()  # end the read snapshot before writing
    return ids


def _claim(session: Session, step, thread_id: int, board_id: int, cutoff: datetime, now: datetime) -> Thread | None:
    """Stamp the thread if it is still due and unstamped (caller's transaction); None when it is
    not, or another tick stamped it first: the UPDATE's row count decides, as in outbox_rows."""
    stamp, setting = step
    claimed = session.execute(
        update(Thread)
        .where(Thread.id == thread_id, Thread.board_id == board_id, Thread.created_at <= cutoff, stamp.is_(None),
               *_waiting(setting))
        .values({stamp.key: now})
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return None
    return session.scalar(select(Thread).where(Thread.id == thread_id)
                          .options(joinedload(Thread.board), joinedload(Thread.author))
                          .execution_options(populate_existing=True))


def _invite(session: Session, site: Site, thread: Thread, now: datetime) -> tuple[int, str, list[str]]:
    helpers = top_helpers(session, thread, now=now, limit=site.max_invites)
    recipients = [(user.id, "invited_to_answer") for user in helpers]
    recipients += [(staff_id, "unanswered") for staff_id in _staff_ids(session)]
    notifications.notify(session, recipients, actor_id=None, thread=thread, detail=str(len(helpers)), now=now)
    return thread.id, thread.title, [user.display_name for user in helpers]


def top_helpers(session: Session, thread: Thread, *, now: datetime, limit: int) -> list[User]:
    """The members with the most accepted answers in the thread's board (ties: the earlier member),
    leaving out the asker, staff (they are told of every waiting question anyway: the invitation is
    for the community) and members who cannot post: suspended ones, and imported ones, whose
    addresses end in .invalid so they can neither sign in nor reset a password."""
    answer, solved = aliased(Post), aliased(Thread)
    solutions = func.count(solved.id)
    rows = session.execute(
        select(User, solutions)
        .select_from(solved)
        .join(answer, answer.id == solved.accepted_answer_id)
        .join(User, User.id == answer.author_id)
        .where(solved.board_id == thread.board_id, solved.is_hidden.is_(False), answer.review_state != "hidden",
               User.id != thread.author_id, User.role.not_in(STAFF_ROLES),
               or_(User.suspended_until.is_(None), User.suspended_until <= now),
               ~func.lower(User.email).like("%.invalid"))
        .group_by(User.id)
        .order_by(solutions.desc(), User.id)
        .limit(limit)
    ).all()
    return [user for user, _count in rows]


def _staff_ids(session: Session) -> list[int]:
    return list(session.scalars(select(User.id).where(User.role.in_(STAFF_ROLES)).order_by(User.id)))


def _escalate(session: Session, site: Site, thread: Thread, now: datetime) -> tuple[int, str, list[str]]:
    board = thread.board
    question = session.scalar(select(Post.body_source).where(Post.thread_id == thread.id, Post.kind == "question"))
    path = f"/t/{thread.id}-{thread.slug}"
    sent_to = []
    if board.escalation_email:
        with force_locale(site.locale):
            session.add(_escalation_mail(thread, question or "", path, now))
        sent_to.append(board.escalation_email)
    if board.escalation_webhook_url:
        webhooks.queue(session, thread_id=thread.id, url=board.escalation_webhook_url,
                       event=_escalation_event(thread, question or "", site.url.rstrip("/") + path), now=now)
        sent_to.append(board.escalation_webhook_url)
    notifications.notify(session, [(staff_id, "escalated") for staff_id in _staff_ids(session)], actor_id=None,
                         thread=thread, now=now)
    return thread.id, thread.title, sent_to


def _escalation_event(thread: Thread, question: str, url: str) -> dict:
    """The webhook's JSON (docs/decisions.md documents it for receivers)."""
    event = {
        "event": "thread.escalated",
        "thread_id": thread.id,
        "title": thread.title,
        "url": url,
        "board": {"id": thread.board.id, "slug": thread.board.slug, "name": thread.board.name},
        "author": thread.author.display_name,
        "created_at": thread.created_at.isoformat(),
        "question": question,
        "escalated_at": thread.escalated_at.isoformat(),
    }
    for name in ("product", "os_version"):
        if getattr(thread, name):
            event[name] = getattr(thread, name)
    return event


def _escalation_mail(thread: Thread, question: str, path: str, now: datetime) -> OutgoingMail:
    """The mail to the ticket system's address. It is for no member, so it carries no unsubscribe
    link; its link gets the site's address when it is sent."""
    board = thread.board
    waited = int((now - thread.created_at).total_seconds() // 3600)  # the board's limit, or more when ticks were late
    lines = [
        _("A question in %(board)s has had no answer for %(hours)s hours and is escalated to support.",
          board=board.name, hours=waited), "",
        _("Title: %(title)s", title=thread.title),
        _("Asked by %(name)s at %(time)s UTC", name=thread.author.display_name,
          time=thread.created_at.strftime("%Y-%m-%d %H:%M")),
    ]
    if thread.product:
        lines.append(_("Product: %(product)s", product=thread.product))
    if thread.os_version:
        lines.append(_("OS / version: %(version)s", version=thread.os_version))
    lines += [_("Thread: %(link)s", link=SITE_MARK + path), "", _("The question:"), "", question]
    subject = _("[%(site)s] Escalated: %(title)s", site=SITE_NAME, title=thread.title)
    return OutgoingMail(user_id=None, to_address=board.escalation_email, subject=subject[:300],
                        body_text="\n".join(lines), created_at=now, next_attempt_at=now)
