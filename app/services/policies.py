"""Who may do what: pure predicates used alike by services, views and templates."""
from __future__ import annotations

from datetime import datetime, timezone

from app.models import Post, Thread, User


def _signed_in(user: User | None) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_staff(user: User | None) -> bool:
    return _signed_in(user) and user.role in ("moderator", "admin")


def is_admin(user: User | None) -> bool:
    return _signed_in(user) and user.role == "admin"


def is_suspended(user: User | None, now: datetime | None = None) -> bool:
    if not _signed_in(user) or user.suspended_until is None:
        return False
    return user.suspended_until > (now or datetime.now(timezone.utc))


def can_post(user: User | None) -> bool:
    """Signed in and not suspended: the base of every write a member makes."""
    return _signed_in(user) and not is_suspended(user)


def can_reply(user: User | None, thread: Thread) -> bool:
    """Answer or comment: locked threads take posts from staff only."""
    return can_post(user) and (not thread.is_locked or is_staff(user))


def can_edit(user: User | None, post: Post, thread: Thread) -> bool:
    """Authors edit their own posts while the thread is open; staff edit any post."""
    if is_staff(user):
        return True
    return can_post(user) and post.author_id == user.id and not thread.is_locked


def can_see_post(user: User | None, post: Post) -> bool:
    """A hidden post is seen only by its author (with the reason) and by staff."""
    if post.review_state != "hidden":
        return True
    return is_staff(user) or (_signed_in(user) and post.author_id == user.id)


def can_see_thread(user: User | None, thread: Thread) -> bool:
    """A thread whose question is hidden is seen only by the asker and staff."""
    if not thread.is_hidden:
        return True
    return is_staff(user) or (_signed_in(user) and thread.author_id == user.id)


def can_flag(user: User | None, post: Post) -> bool:
    """Members flag others' posts; staff act on a post directly instead of flagging it."""
    return can_post(user) and not is_staff(user) and post.author_id != user.id


def can_accept(user: User | None, thread: Thread) -> bool:
    """The asker chooses the solution; staff may do it on the asker's behalf."""
    if is_staff(user):
        return True
    return can_post(user) and thread.author_id == user.id
