"""Members flagging posts for staff, and the automatic hide when enough weight agrees.

A flag's weight comes from the flagger's rank (experts weigh more, see rules.py). When the open
flags on a post weigh at least the configured threshold, the post is hidden at once, pending a
moderator's review; its author sees why. Every flag puts the post at the top of the queue.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Flag, Post, Thread, User
from app.services import audit, policies, review
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.ranks import rank_for
from app.services.rules import DEFAULT_RULES, ReputationRules
from app.services.text import clean_body

FLAG_REASONS = review.HIDE_REASONS


def raise_flag(session: Session, flagger: User, *, post_id: int, reason: str, note: str | None = None,
               rules: ReputationRules = DEFAULT_RULES, now: datetime | None = None) -> Flag:
    """Flag a post (once per member per post; a second flag returns the first)."""
    if reason not in FLAG_REASONS:
        raise InvalidInput.field("reason", "Please choose what is wrong with the post.")
    note = clean_body(note or "")[: review.NOTE_MAX] or None
    if reason == "other" and not note:
        raise InvalidInput.field("note", "Please say in a few words what is wrong, when the reason is “other”.")
    now = now or datetime.now(timezone.utc)
    with transaction(session):
        post = session.get(Post, post_id, with_for_update=ROW_LOCK, populate_existing=True)
        # Re-read: the thread may have been loaded before its question was hidden.
        thread = session.get(Thread, post.thread_id, populate_existing=True) if post else None
        if post is None or not policies.can_see_post(flagger, post) or not policies.can_see_thread(flagger, thread):
            raise NotFound("There is no such post.")
        if not policies.can_flag(flagger, post):
            if policies.is_suspended(flagger):
                raise Forbidden("Your account is suspended, so you cannot flag posts for now.")
            if policies.is_staff(flagger):
                raise Forbidden("Staff hide or approve posts directly from the review queue.")
            if getattr(flagger, "is_authenticated", False) and post.author_id == flagger.id:
                raise Forbidden("You cannot flag your own post; you can edit it.")
            raise Forbidden("Please sign in to flag a post.")
        existing = session.scalar(select(Flag).where(Flag.post_id == post.id, Flag.flagger_id == flagger.id))
        if existing is not None:
            return existing
        weight = rules.flag_weight(rank_for(flagger.reputation or 0, rules.ranks).level)
        flag = Flag(post_id=post.id, flagger_id=flagger.id, reason=reason, note=note, weight=weight, created_at=now)
        try:
            with session.begin_nested():  # the unique constraint decides between two clicks at once
                session.add(flag)
        except IntegrityError:
            return session.scalar(select(Flag).where(Flag.post_id == post.id, Flag.flagger_id == flagger.id))
        if not post.is_hidden and open_weight(session, post.id) >= rules.flag_hide_weight:
            review.hide_post(session, post, actor_id=None, reason=review.FLAGGED, note=None, rules=rules, now=now)
            audit.log(session, "auto_hide", actor_id=None, post=post, reason=review.FLAGGED,
                      note=summary_text(open_flags(session, post.id)), now=now)
    return flag


def open_weight(session: Session, post_id: int) -> int:
    return session.scalar(select(func.coalesce(func.sum(Flag.weight), 0))
                          .where(Flag.post_id == post_id, Flag.resolved_at.is_(None)))


def open_flags(session: Session, post_id: int) -> list[Flag]:
    return list(session.scalars(select(Flag).where(Flag.post_id == post_id, Flag.resolved_at.is_(None))
                                .order_by(Flag.created_at)))


def summary(flags: list[Flag]) -> list[tuple[str, int]]:
    """(reason label, count) for a list of flags, the most frequent reason first."""
    counts: dict[str, int] = {}
    for flag in flags:
        counts[flag.reason] = counts.get(flag.reason, 0) + 1
    return sorted(((FLAG_REASONS.get(r, r), n) for r, n in counts.items()), key=lambda pair: -pair[1])


def summary_text(flags: list[Flag]) -> str:
    return ", ".join(f"{label} ({count})" for label, count in summary(flags))


def flagged_by(session: Session, user: User | None, post_ids: list[int]) -> set[int]:
    """Which of these posts the member has flagged (one query, for a thread page)."""
    if user is None or not getattr(user, "is_authenticated", False) or not post_ids:
        return set()
    return set(session.scalars(select(Flag.post_id).where(Flag.flagger_id == user.id, Flag.post_id.in_(post_ids))))
