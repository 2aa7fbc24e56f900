"""'I have this question too': members add themselves to a question (once each) and can undo it."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import transaction
from app.models import Thread, User, me_too
from app.services import badges, follows, policies
from app.services.errors import Forbidden, NotFound


def _load(session: Session, user: User, thread_id: int) -> Thread:
    thread = session.get(Thread, thread_id)
    if thread is None or not policies.can_see_thread(user, thread) or thread.merged_into_id is not None:
        raise NotFound("There is no such thread.")
    if not policies.can_post(user):
        raise Forbidden("Your account is suspended." if policies.is_suspended(user) else "Please sign in first.")
    if thread.author_id == user.id:
        raise Forbidden("This is your own question.")
    return thread


def add(session: Session, user: User, *, thread_id: int) -> int:
    """Add the member; returns the thread's count. Adding twice changes nothing."""
    with transaction(session):
        thread = _load(session, user, thread_id)
        try:
            with session.begin_nested():
                session.execute(me_too.insert().values(thread_id=thread.id, user_id=user.id,
                                                       created_at=datetime.now(timezone.utc)))
        except IntegrityError:
            return _count(session, thread.id)
        session.execute(update(Thread).where(Thread.id == thread.id).values(me_too_count=Thread.me_too_count + 1))
        badges.check(session, [thread.author_id])
        follows.add(session, user.id, thread_id=thread.id)  # to hear when it is solved
    return _count(session, thread.id)


def remove(session: Session, user: User, *, thread_id: int) -> int:
    with transaction(session):
        thread = _load(session, user, thread_id)
        removed = session.execute(delete(me_too).where(me_too.c.thread_id == thread.id, me_too.c.user_id == user.id))
        if removed.rowcount:
            session.execute(update(Thread).where(Thread.id == thread.id)
                            .values(me_too_count=Thread.me_too_count - 1))
    return _count(session, thread.id)


def has(session: Session, user: User | None, thread_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return session.scalar(select(me_too.c.user_id).where(me_too.c.thread_id == thread_id,
                                                         me_too.c.user_id == user.id)) is not None


def _count(session: Session, thread_id: int) -> int:
    return session.scalar(select(Thread.me_too_count).where(Thread.id == thread_id)
                          .execution_options(populate_existing=True))
