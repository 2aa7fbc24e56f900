"""Accepting an answer as the solution of a thread, changing it and taking it back."""
from __future__ import annotations

from sqlalchemy.orm import Session

from app.db import transaction
from app.models import Post, Thread, User
from app.services import policies
from app.services.errors import Forbidden, InvalidInput, NotFound


def _set_solution(thread: Thread, answer_id: int | None) -> None:
    """The single place that keeps a thread's status in step with its accepted answer."""
    thread.accepted_answer_id = answer_id
    thread.status = "solved" if answer_id is not None else "open"


def accept(session: Session, actor: User, *, answer_id: int) -> Thread:
    """Mark an answer as the solution; replaces an earlier one. Accepting it again changes nothing."""
    with transaction(session):
        answer = session.get(Post, answer_id)
        if answer is None:
            raise NotFound("There is no such answer.")
        if answer.kind != "answer":
            raise InvalidInput.field("answer", "Only an answer can be accepted as the solution.")
        thread = session.get(Thread, answer.thread_id)
        if not policies.can_accept(actor, thread):
            raise Forbidden("Only the member who asked (or a moderator) can choose the solution.")
        if thread.accepted_answer_id != answer.id:
            _set_solution(thread, answer.id)
    return thread


def unaccept(session: Session, actor: User, *, thread_id: int) -> Thread:
    """Take the solution back: the thread is open again. Harmless when nothing is accepted."""
    with transaction(session):
        thread = session.get(Thread, thread_id)
        if thread is None:
            raise NotFound("There is no such thread.")
        if not policies.can_accept(actor, thread):
            raise Forbidden("Only the member who asked (or a moderator) can change the solution.")
        _set_solution(thread, None)
    return thread
