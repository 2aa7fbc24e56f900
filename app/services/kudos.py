"""Giving and taking back kudos on questions and answers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Kudos, Post, Thread, User
from app.services import badges, notifications, policies, reputation, search_queue
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES, ReputationRules


def _load_post(session: Session, post_id: int, giver: User) -> Post:
    """The post, locked (and its thread too when the count moved is the question's): locks are
    taken post, thread, members, as everywhere (reputation.lock_members)."""
    post = session.get(Post, post_id, with_for_update=ROW_LOCK, populate_existing=True)
    thread_lock = ROW_LOCK if post is not None and post.kind == "question" else None
    thread = session.get(Thread, post.thread_id, with_for_update=thread_lock, populate_existing=True) if post else None
    if post is None or not policies.can_see_post(giver, post) or not policies.can_see_thread(giver, thread):
        raise NotFound("There is no such post.")
    if post.kind == "comment":
        raise InvalidInput.field("post", "Kudos are for questions and answers.")
    if post.is_hidden:  # what a hidden post earned is held back until it is restored
        raise InvalidInput.field("post", "A hidden post takes no kudos.")
    return post


def _check_giver(giver: User, post: Post) -> None:
    if not policies.can_post(giver):
        if policies.is_suspended(giver):
            raise Forbidden("Your account is suspended, so you cannot give kudos for now.")
        raise Forbidden("Please sign in to give kudos.")
    if post.author_id == giver.id:
        raise Forbidden("You cannot give kudos to your own post.")


def _move_counts(session: Session, post: Post, step: int) -> None:
    session.execute(update(Post).where(Post.id == post.id).values(kudos_count=Post.kudos_count + step))
    search_queue.enqueue(session, post.thread_id)  # kudos weigh in the search ranking
    if post.kind == "question":
        session.execute(update(Thread).where(Thread.id == post.thread_id)
                        .values(kudos_count=Thread.kudos_count + step))


def give(session: Session, giver: User, *, post_id: int, rules: ReputationRules = DEFAULT_RULES,
         now: datetime | None = None) -> int:
    """Give kudos; returns the post's kudos count. Giving twice changes nothing."""
    now = now or datetime.now(timezone.utc)
    with transaction(session):
        post = _load_post(session, post_id, giver)
        _check_giver(giver, post)
        # The giver's row locked too, so one member's simultaneous kudos are counted against the
        # daily allowance one after another (PostgreSQL; SQLite's write lock serialises them anyway).
        reputation.lock_members(session, giver.id, post.author_id)
        if session.scalar(select(Kudos.id).where(Kudos.post_id == post.id, Kudos.giver_id == giver.id)):
            return _count(session, post.id)
        given_today = session.scalar(select(func.count(Kudos.id)).where(
            Kudos.giver_id == giver.id, Kudos.created_at > now - timedelta(days=1)))
        if given_today >= rules.kudos_per_day:
            raise Forbidden(f"You have given {rules.kudos_per_day} kudos in the last 24 hours, the daily "
                            "allowance. Thank you for being generous! Please come back tomorrow.")
        try:
            # The unique constraint decides when two requests from one member race each other.
            with session.begin_nested():
                session.add(Kudos(post_id=post.id, giver_id=giver.id, created_at=now))
        except IntegrityError:
            return _count(session, post.id)
        _move_counts(session, post, +1)
        points = rules.points["kudos_question" if post.kind == "question" else "kudos_answer"]
        reputation.record(session, user_id=post.author_id, delta=points, reason="kudos_received",
                          post_id=post.id, actor_id=giver.id, now=now)
        badges.check(session, [post.author_id, giver.id], now=now)
        notifications.kudos_given(session, post, giver_id=giver.id, now=now)
    return _count(session, post.id)


def take_back(session: Session, giver: User, *, post_id: int, now: datetime | None = None) -> int:
    """Take kudos back; the points they earned are reversed. Harmless when none was given."""
    with transaction(session):
        post = _load_post(session, post_id, giver)
        _check_giver(giver, post)
        reputation.lock_members(session, giver.id, post.author_id)
        removed = session.execute(delete(Kudos).where(Kudos.post_id == post.id, Kudos.giver_id == giver.id))
        if removed.rowcount:
            _move_counts(session, post, -1)
            reputation.reverse(session, user_id=post.author_id, post_id=post.id, reason="kudos_withdrawn",
                               actor_id=giver.id, match_actor=True, now=now)
    return _count(session, post.id)


def _count(session: Session, post_id: int) -> int:
    return session.scalar(select(Post.kudos_count).where(Post.id == post_id).execution_options(populate_existing=True))


def given_by(session: Session, user: User | None, post_ids: list[int]) -> set[int]:
    """Which of these posts the member has given kudos to (one query, for a thread page)."""
    if user is None or not getattr(user, "is_authenticated", False) or not post_ids:
        return set()
    return set(session.scalars(select(Kudos.post_id).where(Kudos.giver_id == user.id, Kudos.post_id.in_(post_ids))))
