"""Official answers: a mark staff put on one answer per thread ("confirmed by staff").

It is separate from the solution (a thread can be solved and have an official answer, on the
same answer or on another one). The answer's author earns `answer_official`, unless they marked
their own answer; moving or removing the mark reverses exactly what it earned.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Post, Thread, User
from app.services import audit, badges, notifications, policies, reputation, search_queue
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES, ReputationRules


def set_official(session: Session, thread: Thread, answer: Post | None, actor_id: int | None,
                 rules: ReputationRules, now: datetime) -> None:
    """The single place that changes a thread's official answer and the reputation tied to it."""
    earlier = session.get(Post, thread.official_answer_id) if thread.official_answer_id is not None else None
    reputation.lock_members(session, earlier.author_id if earlier else None, answer.author_id if answer else None)
    if earlier is not None:
        reputation.reverse(session, user_id=earlier.author_id, post_id=earlier.id, reason="official_removed",
                           actor_id=actor_id, now=now)
    thread.official_answer_id = answer.id if answer else None
    thread.official_by_id = actor_id if answer else None
    thread.official_at = now if answer else None
    search_queue.enqueue(session, thread.id, now=now)
    if answer is not None and answer.author_id != actor_id:
        reputation.record(session, user_id=answer.author_id, delta=rules.points["answer_official"],
                          reason="answer_official", post_id=answer.id, actor_id=actor_id, now=now)
        session.flush()
        badges.check(session, [answer.author_id], now=now)
        notifications.marked_official(session, thread, answer, actor_id=actor_id, now=now)


def _require_staff(actor: User) -> None:
    if not policies.is_staff(actor):
        raise Forbidden("Only staff can mark an answer as official.")


def mark(session: Session, actor: User, *, answer_id: int, rules: ReputationRules = DEFAULT_RULES,
         now: datetime | None = None) -> Thread:
    """Mark an answer official; replaces the thread's earlier official answer."""
    _require_staff(actor)
    with transaction(session):
        # Locked and re-read, as hiding locks it too: an answer hidden meanwhile is never marked.
        answer = session.get(Post, answer_id, with_for_update=ROW_LOCK, populate_existing=True)
        if answer is None or answer.kind != "answer":
            raise NotFound("There is no such answer.")
        if answer.is_hidden:
            raise InvalidInput.field("answer", "A hidden answer cannot be official; restore it first.")
        thread = session.get(Thread, answer.thread_id, with_for_update=ROW_LOCK, populate_existing=True)
        if thread.official_answer_id != answer.id:
            now = now or datetime.now(timezone.utc)
            set_official(session, thread, answer, actor.id, rules, now)
            audit.log(session, "official", actor_id=actor.id, post=answer, now=now)
    return thread


def unmark(session: Session, actor: User, *, thread_id: int, rules: ReputationRules = DEFAULT_RULES,
           now: datetime | None = None) -> Thread:
    """Remove the official mark; harmless when there is none."""
    _require_staff(actor)
    with transaction(session):
        thread = session.get(Thread, thread_id, with_for_update=ROW_LOCK, populate_existing=True)
        if thread is None:
            raise NotFound("There is no such thread.")
        if thread.official_answer_id is not None:
            now = now or datetime.now(timezone.utc)
            earlier = session.get(Post, thread.official_answer_id)
            set_official(session, thread, None, actor.id, rules, now)
            audit.log(session, "unofficial", actor_id=actor.id, post=earlier, now=now)
    return thread
