"""Loads the demo boards, members and threads through the normal services; safe to run twice."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.db import transaction
from app.demo import deflection
from app.models import Board, Post, Revision, Thread, User
from app.services import accounts, flags, kudos, me_too, official, posting, review, solutions

DEMO_PASSWORD = "peerdesk-demo-2026"
DEMO_ADMIN = {"handle": "admin", "display_name": "Dana (Admin)", "email": "admin@example.com",
              "role": "admin", "joined_days_ago": 500}


@dataclass
class LoadResult:
    boards: int = 0
    members: int = 0
    threads: int = 0
    skipped: int = 0


def database_is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count(Board.id)))


def _members():
    from app.demo.content import MEMBERS
    from app.demo.content.moderation import SPAMMER

    return [DEMO_ADMIN, *MEMBERS, SPAMMER]


def accounts_text() -> str:
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for member in _members()[:4] + [m for m in _members()[4:] if m["role"] != "member"]:
        lines.append(f"  {member['role']:<9} {member['email']:<28} {member['display_name']}")
    lines.append(f"  … and {len(_members()) - 5} more members; see app/demo/content/boards.py")
    return "\n".join(lines)


def load(session: Session, *, now: datetime | None = None,
         progress: Callable[[int, int], None] | None = None) -> LoadResult:
    """Write every demo item that is not there yet; timestamps are spread back from `now`."""
    from app.demo.content import BOARDS, THREADS

    now = now or datetime.now(timezone.utc)
    result = LoadResult()
    boards = _load_boards(session, BOARDS, result)
    users = _load_members(session, now, result)
    for done, item in enumerate(THREADS, start=1):
        board = boards[item["board"]]
        exists = session.scalar(select(Thread.id).where(Thread.board_id == board.id, Thread.title == item["title"]))
        if exists:
            result.skipped += 1
        else:
            _load_thread(session, item, board, users, now)
            result.threads += 1
        if progress:
            progress(done, len(THREADS))
    if result.threads:
        _moderate(session, users, now)
        _quiet_history(session)
        deflection.load(session, now)
    return result


def _quiet_history(session: Session) -> None:
    """The demo's history went through the services, which notified as it went. Keep the
    notifications (the bell is part of the demo) dated by their posts, but send no mail: nobody
    should find hundreds of messages about a past that was just made up."""
    from app.models import Notification, OutgoingMail

    with transaction(session):
        session.execute(delete(OutgoingMail).where(OutgoingMail.sent_at.is_(None)))
        session.execute(update(Notification).where(Notification.mail_state == "pending").values(mail_state="none"))
        posted = select(Post.created_at).where(Post.id == Notification.post_id).scalar_subquery()
        session.execute(update(Notification).where(Notification.post_id.is_not(None)).values(created_at=posted))


def _moderate(session: Session, users: dict[str, User], now: datetime) -> None:
    """Staff answers become official, older posts approved, and a reported spam answer waits."""
    from app.demo.content.moderation import REVIEWED_AFTER_DAYS, SPAM_ANSWER

    moderator = users["staff_sam"]
    for answer in session.scalars(select(Post).join(User, User.id == Post.author_id)
                                  .where(Post.kind == "answer", User.role != "member").order_by(Post.id)).all():
        if session.scalar(select(Thread.official_answer_id).where(Thread.id == answer.thread_id)) is None:
            official.mark(session, moderator, answer_id=answer.id, now=now)
    old = session.scalars(select(Post.id).where(Post.review_state == "unreviewed",
                                                Post.created_at < now - timedelta(days=REVIEWED_AFTER_DAYS))).all()
    review.approve_many(session, moderator, post_ids=list(old), now=now)
    thread_id = session.scalar(select(Thread.id).where(Thread.title == SPAM_ANSWER["thread"]))
    spam = posting.answer(session, users[SPAM_ANSWER["author"]], thread_id=thread_id, body=SPAM_ANSWER["body"])
    for flag in SPAM_ANSWER["flags"]:
        flags.raise_flag(session, users[flag["by"]], post_id=spam.id, reason=flag["reason"], note=flag["note"])


def _load_boards(session: Session, items: list[dict], result: LoadResult) -> dict[str, Board]:
    boards = {b.slug: b for b in session.scalars(select(Board))}
    with transaction(session):
        for position, item in enumerate(items):
            if item["slug"] not in boards:
                board = Board(slug=item["slug"], name=item["name"], description=item["description"],
                              product_label=item.get("product_label"), position=position,
                              **item.get("routing", {}))
                session.add(board)
                boards[item["slug"]] = board
                result.boards += 1
    return boards


def _load_members(session: Session, now: datetime, result: LoadResult) -> dict[str, User]:
    users: dict[str, User] = {}
    for item in _members():
        user = session.scalar(select(User).where(User.email == item["email"]))
        if user is None:
            user = accounts.register(session, email=item["email"], display_name=item["display_name"],
                                     password=DEMO_PASSWORD, role=item["role"],
                                     allow_reserved_name=item["role"] != "member")
            with transaction(session):
                user.created_at = now - timedelta(days=item.get("joined_days_ago", 200))
                session.add(user)
            result.members += 1
        users[item["handle"]] = user
    return users


def _appreciate(session: Session, post: Post, posted_at: datetime, users: dict[str, User], now: datetime,
                rng: random.Random, *, accepted: bool, thread_id: int | None = None) -> None:
    """Some members give kudos (more for accepted answers) and say "me too" on questions."""
    others = [u for u in users.values() if u.id != post.author_id and u.role == "member"]
    wanted = rng.randint(2, 6) if accepted else rng.choice([0, 0, 1, 1, 2, 3])
    for offset, giver in enumerate(rng.sample(others, min(wanted, len(others)))):
        moment = min(posted_at + timedelta(hours=3 + 5 * offset), now)
        kudos.give(session, giver, post_id=post.id, now=moment)
    if thread_id is not None:
        for member in rng.sample(others, min(rng.choice([0, 0, 1, 2, 4]), len(others))):
            me_too.add(session, member, thread_id=thread_id)


def _load_thread(session: Session, item: dict, board: Board, users: dict[str, User], now: datetime) -> None:
    rng = random.Random(item["title"])  # the same kudos on every machine
    asked_at = now - timedelta(days=item["days_ago"])
    thread = posting.ask(session, users[item["author"]], board_id=board.id, title=item["title"],
                         body=item["body"], tags=item.get("tags", []), product=item.get("product"),
                         os_version=item.get("os"))
    question = session.scalar(select(Post).where(Post.thread_id == thread.id, Post.kind == "question"))
    moments = {question.id: asked_at}
    for comment in item.get("comments", []):
        post = posting.comment(session, users[comment["author"]], post_id=question.id, body=comment["body"])
        moments[post.id] = asked_at + timedelta(hours=comment["hours_after"])
    for entry in item.get("answers", []):
        answer = posting.answer(session, users[entry["author"]], thread_id=thread.id, body=entry["body"])
        moments[answer.id] = asked_at + timedelta(hours=entry["hours_after"])
        for comment in entry.get("comments", []):
            post = posting.comment(session, users[comment["author"]], post_id=answer.id, body=comment["body"])
            moments[post.id] = asked_at + timedelta(hours=comment["hours_after"])
        if entry.get("accepted"):
            solutions.accept(session, users[item["author"]], answer_id=answer.id,
                             now=min(moments[answer.id] + timedelta(hours=2), now))
        _appreciate(session, answer, moments[answer.id], users, now, rng, accepted=entry.get("accepted", False))
    _appreciate(session, question, asked_at, users, now, rng, accepted=False, thread_id=thread.id)
    # The services stamp everything "now"; spread it over the past so the forum looks lived in.
    moments = {post_id: min(moment, now) for post_id, moment in moments.items()}
    with transaction(session):
        for post_id, moment in moments.items():
            session.execute(update(Post).where(Post.id == post_id).values(created_at=moment))
            session.execute(update(Revision).where(Revision.post_id == post_id).values(created_at=moment))
        session.execute(update(Thread).where(Thread.id == thread.id).values(
            created_at=asked_at, last_activity_at=max(moments.values()), view_count=item.get("views", 0)))
