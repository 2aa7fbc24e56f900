"""Accepting an answer as the solution of a thread, changing it and taking it back.

Reputation moves with the mark: the answer's author earns `answer_accepted` and the asker
`accepted_solution` when they chose it themselves; nothing is earned for accepting one's own
answer. Changing or taking back the solution reverses exactly what the earlier one earned.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Post, Thread, User
from app.services import audit, badges, notifications, policies, reputation, search_queue
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES, ReputationRules


def set_solution(session: Session, thread: Thread, answer: Post | None, actor_id: int | None,
                 rules: ReputationRules, now: datetime) -> None:
    """The single place that changes a thread's solution, its status and the reputation tied to it.

    `actor_id` is who chose the answer (None: the system, when hiding takes the mark away); the
    asker earns `accepted_solution` only when they chose it themselves.
    """
    earlier = session.get(Post, thread.accepted_answer_id) if thread.accepted_answer_id is not None else None
    reputation.lock_members(session, thread.author_id, earlier.author_id if earlier else None,
                            answer.author_id if answer else None)
    if earlier is not None:
        reputation.reverse(session, user_id=earlier.author_id, post_id=earlier.id, reason="answer_unaccepted",
                           actor_id=actor_id, now=now)
        reputation.reverse(session, user_id=thread.author_id, post_id=earlier.id, reason="solution_withdrawn",
                           actor_id=actor_id, now=now)
    thread.accepted_answer_id = answer.id if answer else None
    thread.accepted_by_id = actor_id if answer else None
    thread.accepted_at = now if answer else None
    thread.status = "solved" if answer else "open"
    search_queue.enqueue(session, thread.id, now=now)
    if answer is not None and answer.author_id != thread.author_id:
        reputation.record(session, user_id=answer.author_id, delta=rules.points["answer_accepted"],
                          reason="answer_accepted", post_id=answer.id, actor_id=actor_id, now=now)
        if actor_id == thread.author_id:
            reputation.record(session, user_id=thread.author_id, delta=rules.points["accepted_solution"],
                              reason="accepted_solution", post_id=answer.id, actor_id=actor_id, now=now)
        session.flush()
        badges.check(session, [answer.author_id], now=now)
    if answer is not None:
        notifications.solution_chosen(session, thread, answer, actor_id=actor_id, first=earlier is None, now=now)


def _log_on_behalf(session: Session, actor: User, thread: Thread, action: str, post: Post | None,
                   now: datetime) -> None:
    """A moderator choosing for the asker is a moderation action, and goes into the audit log."""
    if actor.id != thread.author_id:
        audit.log(session, action, actor_id=actor.id, post=post, thread_id=thread.id,
                  target_user_id=thread.author_id, now=now)


def accept(session: Session, actor: User, *, answer_id: int, rules: ReputationRules = DEFAULT_RULES,
           now: datetime | None = None) -> Thread:
    """Mark an answer as the solution; replaces an earlier one. Accepting it again changes nothing."""
    with transaction(session):
        # Locked and re-read, as hiding locks it too: an answer hidden meanwhile is never accepted.
        answer = session.get(Post, answer_id, with_for_update=ROW_LOCK, populate_existing=True)
        if answer is None:
            raise NotFound("There is no such answer.")
        if answer.kind != "answer":
            raise InvalidInput.field("answer", "Only an answer can be accepted as the solution.")
        thread = session.get(Thread, answer.thread_id, with_for_update=ROW_LOCK, populate_existing=True)
        if not policies.can_see_thread(actor, thread) or not policies.can_see_post(actor, answer):
            raise NotFound("There is no such answer.")
        if not policies.can_accept(actor, thread):
            raise Forbidden("Only the member who asked (or a moderator) can choose the solution.")
        if answer.is_hidden:
            raise InvalidInput.field("answer", "A hidden answer cannot be the solution; restore it first.")
        if thread.accepted_answer_id != answer.id:
            now = now or datetime.now(timezone.utc)
            set_solution(session, thread, answer, actor.id, rules, now)
            _log_on_behalf(session, actor, thread, "accept", answer, now)
    return thread


def unaccept(session: Session, actor: User, *, thread_id: int, rules: ReputationRules = DEFAULT_RULES,
             now: datetime | None = None) -> Thread:
    """Take the solution back: the thread is open again. Harmless when nothing is accepted."""
    with transaction(session):
        thread = session.get(Thread, thread_id, with_for_update=ROW_LOCK, populate_existing=True)
        if thread is None:
            raise NotFound("There is no such thread.")
        if not policies.can_accept(actor, thread):
            raise Forbidden("Only the member who asked (or a moderator) can change the solution.")
        if thread.accepted_answer_id is not None:
            now = now or datetime.now(timezone.utc)
            earlier = session.get(Post, thread.accepted_answer_id)
            set_solution(session, thread, None, actor.id, rules, now)
            _log_on_behalf(session, actor, thread, "unaccept", earlier, now)
    return thread
