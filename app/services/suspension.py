"""Suspending members for a period and lifting it, and what staff look at before deciding.

A suspended member can still read and sign in, but cannot post, edit, give kudos or flag until
the period ends (see policies.can_post); the end simply passes, nothing has to run then.
Staff cannot be suspended: an administrator changes their role first.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Post, Thread, User
from app.services import audit, policies
from app.services.errors import FieldErrors, Forbidden, NotFound
from app.services.text import clean_body

DAYS_MIN, DAYS_MAX = 1, 3650
REASON_MIN, REASON_MAX = 5, 1000


def _require_staff(actor: User) -> None:
    if not policies.is_staff(actor):
        raise Forbidden("Only staff can suspend members or lift a suspension.")


def _load(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, with_for_update=ROW_LOCK, populate_existing=True)
    if user is None:
        raise NotFound("There is no such member.")
    return user


def _validate(days: int, reason: str | None) -> str:
    """The cleaned reason; both problems at once when the period and the reason are wrong."""
    problems = FieldErrors()
    if isinstance(days, bool) or not isinstance(days, int) or not DAYS_MIN <= days <= DAYS_MAX:
        problems.add("days", f"Please choose a period of {DAYS_MIN} to {DAYS_MAX:,} days.")
    reason = clean_body(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        problems.add("reason", f"Please tell the member why, in {REASON_MIN} to {REASON_MAX:,} characters "
                               f"(this has {len(reason):,}).")
    problems.raise_if_any()
    return reason


def suspend(session: Session, actor: User, *, user_id: int, days: int, reason: str,
            now: datetime | None = None) -> User:
    """Suspend a member for `days` from now; suspending again replaces the earlier period."""
    _require_staff(actor)
    if user_id == actor.id:
        raise Forbidden("You cannot suspend yourself.")
    reason = _validate(days, reason)
    with transaction(session):
        user = _load(session, user_id)
        if policies.is_staff(user):
            raise Forbidden(f"{user.display_name} is staff and cannot be suspended; demote them first.")
        now = now or datetime.now(timezone.utc)
        user.suspended_until, user.suspension_reason = now + timedelta(days=days), reason
        audit.log(session, "suspend", actor_id=actor.id, target_user_id=user.id,
                  note=f"{reason} (until {user.suspended_until:%Y-%m-%d %H:%M} UTC)", now=now)
    return user


def unsuspend(session: Session, actor: User, *, user_id: int, now: datetime | None = None) -> User:
    """Lift a suspension now. Harmless (and not logged) when the member is not suspended."""
    _require_staff(actor)
    with transaction(session):
        user = _load(session, user_id)
        now = now or datetime.now(timezone.utc)
        was_suspended = policies.is_suspended(user, now)
        # An expired period is cleared too, so the member page no longer shows it.
        user.suspended_until = user.suspension_reason = None
        if was_suspended:
            audit.log(session, "unsuspend", actor_id=actor.id, target_user_id=user.id, now=now)
    return user


def hidden_posts(session: Session, user_id: int, limit: int = 50) -> list[tuple[Post, Thread]]:
    """The member's hidden posts with their threads, the most recently hidden first."""
    rows = session.execute(
        select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user_id, Post.review_state == "hidden")
        .order_by(Post.hidden_at.desc(), Post.id.desc()).limit(limit)
    ).all()
    return [(post, thread) for post, thread in rows]
