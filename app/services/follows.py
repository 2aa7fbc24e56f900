"""Following threads and boards: a member hears of new answers and comments in a followed thread,
and of new questions in a followed board (services/notifications.py reads the followers here)."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import transaction
from app.models import Board, Thread, User
from app.models.notification import Follow
from app.services import policies
from app.services.errors import Forbidden, NotFound


def _require_member(user: User) -> None:
    if user is None or not getattr(user, "is_authenticated", False):
        raise Forbidden("Please sign in to follow threads and boards.")


def _target(session: Session, user: User, *, thread_id: int | None, board_id: int | None) -> dict:
    if thread_id is not None:
        thread = session.get(Thread, thread_id)
        if thread is None or not policies.can_see_thread(user, thread) or thread.merged_into_id is not None:
            raise NotFound("There is no such thread.")
        return {"thread_id": thread.id}
    board = session.get(Board, board_id) if board_id is not None else None
    if board is None:
        raise NotFound("There is no such board.")
    return {"board_id": board.id}


def follow(session: Session, user: User, *, thread_id: int | None = None, board_id: int | None = None) -> None:
    """Follow a thread or a board; following twice changes nothing."""
    _require_member(user)
    with transaction(session):
        target = _target(session, user, thread_id=thread_id, board_id=board_id)
        add(session, user.id, **target)


def unfollow(session: Session, user: User, *, thread_id: int | None = None, board_id: int | None = None) -> None:
    """Stop following; harmless when not following."""
    _require_member(user)
    with transaction(session):
        target = _target(session, user, thread_id=thread_id, board_id=board_id)
        remove(session, user.id, **target)


def add(session: Session, user_id: int, *, thread_id: int | None = None, board_id: int | None = None) -> None:
    """Follow inside the caller's transaction (asking, answering and "me too" follow the thread).

    Written last in the caller's transaction, after its post, thread and member locks, so it adds
    no lock in another order (docs/decisions.md, "One lock order everywhere")."""
    if _find(session, user_id, thread_id=thread_id, board_id=board_id) is not None:
        return
    try:
        # The unique constraint decides when two requests of one member race each other.
        with session.begin_nested():
            session.add(Follow(user_id=user_id, thread_id=thread_id, board_id=board_id))
    except IntegrityError:
        pass


def remove(session: Session, user_id: int, *, thread_id: int | None = None, board_id: int | None = None) -> None:
    condition = Follow.thread_id == thread_id if thread_id is not None else Follow.board_id == board_id
    session.execute(delete(Follow).where(Follow.user_id == user_id, condition))


def _find(session: Session, user_id: int, *, thread_id: int | None, board_id: int | None) -> int | None:
    condition = Follow.thread_id == thread_id if thread_id is not None else Follow.board_id == board_id
    return session.scalar(select(Follow.id).where(Follow.user_id == user_id, condition))


def is_following(session: Session, user: User | None, *, thread_id: int | None = None,
                 board_id: int | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return _find(session, user.id, thread_id=thread_id, board_id=board_id) is not None


def thread_followers(session: Session, thread_id: int) -> list[int]:
    return list(session.scalars(select(Follow.user_id).where(Follow.thread_id == thread_id).order_by(Follow.user_id)))


def board_followers(session: Session, board_id: int) -> list[int]:
    return list(session.scalars(select(Follow.user_id).where(Follow.board_id == board_id).order_by(Follow.user_id)))
