"""Staff actions on whole threads: lock and unlock, move to another board, merge a duplicate.

Each action is staff-only and writes its audit-log row in the same transaction as the change.
The asker is the member an action concerns (`target_user_id`), so the member page of the
moderation area lists what happened to their threads.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Board, Post, Thread, User, me_too
from app.services import audit, badges, official, policies, search_queue, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES, ReputationRules


def _require_staff(actor: User) -> None:
    if not policies.is_staff(actor):
        raise Forbidden("Only staff can lock, move or merge threads.")


def _load(session: Session, thread_id: int, message: str = "There is no such thread.") -> Thread:
    thread = session.get(Thread, thread_id, with_for_update=ROW_LOCK, populate_existing=True)
    if thread is None:
        raise NotFound(message)
    return thread


def move_targets(session: Session) -> list[Board]:
    """The boards a thread can be moved to: every board that takes questions, in their order."""
    return list(session.scalars(
        select(Board).where(Board.is_archived.is_(False)).order_by(Board.position, Board.name)
    ))


def lock(session: Session, actor: User, *, thread_id: int, now: datetime | None = None) -> Thread:
    """Lock a thread: only staff can answer, comment or edit in it. Locking twice changes nothing."""
    return _set_locked(session, actor, thread_id, True, now)


def unlock(session: Session, actor: User, *, thread_id: int, now: datetime | None = None) -> Thread:
    """Open a locked thread for members' answers again. Harmless on an unlocked thread."""
    return _set_locked(session, actor, thread_id, False, now)


def _set_locked(session: Session, actor: User, thread_id: int, locked: bool, now: datetime | None) -> Thread:
    _require_staff(actor)
    with transaction(session):
        thread = _load(session, thread_id)
        if thread.is_locked != locked:
            thread.is_locked = locked
            audit.log(session, "lock" if locked else "unlock", actor_id=actor.id, thread_id=thread.id,
                      target_user_id=thread.author_id, now=now or datetime.now(timezone.utc))
    return thread


def move(session: Session, actor: User, *, thread_id: int, board_id: int, now: datetime | None = None) -> Thread:
    """Move a thread to another board that takes questions. Moving it where it is changes nothing."""
    _require_staff(actor)
    with transaction(session):
        thread = _load(session, thread_id)
        board = session.get(Board, board_id, populate_existing=True) if board_id else None
        if board is None:
            raise InvalidInput.field("board", "Please choose the board to move the thread to.")
        if board.is_archived:
            raise InvalidInput.field("board", f"The board “{board.name}” is archived and takes no threads; "
                                              "please choose another.")
        if board.id != thread.board_id:
            old = session.get(Board, thread.board_id)
            thread.board_id = board.id
            search_queue.enqueue(session, thread.id)
            audit.log(session, "move", actor_id=actor.id, thread_id=thread.id, target_user_id=thread.author_id,
                      board_id=board.id, note=f"from {old.name} to {board.name}",
                      now=now or datetime.now(timezone.utc))
    return thread


def merge(session: Session, actor: User, *, source_id: int, target_id: int,
          rules: ReputationRules = DEFAULT_RULES, now: datetime | None = None) -> Thread:
    """Merge a duplicate thread (source) into another (target); returns the target.

    The answers and comments move to the target; the source keeps its question (a thread has
    exactly one) and from then on redirects to the target. A solution or official mark moves with
    its answer when the target has none yet (it stays earned: the ledger is keyed by the answer);
    otherwise it is removed, reversing what it earned. Members who had the source's question too
    are counted on the target. The source question's text goes into the log, so nothing is lost.
    """
    _require_staff(actor)
    if source_id == target_id:
        raise InvalidInput.field("target", "A thread cannot be merged into itself; please name the other thread.")
    with transaction(session):
        # Rows are locked in id order, so two merges of the same pair cannot deadlock.
        locked = {i: _load(session, i, f"There is no thread #{i}.") for i in sorted((source_id, target_id))}
        source, target = locked[source_id], locked[target_id]
        _check_mergeable(source, target)
        now = now or datetime.now(timezone.utc)
        _carry_solution(session, source, target, actor, rules, now)
        _carry_official(session, source, target, actor, rules, now)
        question_id = session.scalar(select(Post.id).where(Post.thread_id == source.id, Post.kind == "question"))
        # Answers and their comments move; comments on the source question stay with it. Each moved
        # post keeps the views it had: "views since it went live" is counted on the target from now.
        session.execute(
            update(Post).where(Post.thread_id == source.id, Post.kind != "question",
                               or_(Post.parent_id.is_(None), Post.parent_id != question_id))
            .values(thread_id=target.id,
                    thread_views_at_post=target.view_count - (source.view_count - Post.thread_views_at_post))
        )
        _move_me_too(session, source, target)
        for thread in (source, target):
            thread.answer_count = _visible_answers(session, thread.id)
            thread.me_too_count = _me_too_count(session, thread.id)
        target.last_activity_at = max(source.last_activity_at, target.last_activity_at)
        source.merged_into_id = target.id
        search_queue.enqueue(session, source.id, target.id, now=now)
        question = session.scalar(select(Post.body_source).where(Post.id == question_id))
        audit.log(session, "merge", actor_id=actor.id, thread_id=source.id, target_user_id=source.author_id,
                  note=f"into thread #{target.id}: {target.title}", before=question, now=now)
        session.flush()
        badges.check(session, [target.author_id], now=now)  # more "me too" on the target's question
    return target


def _check_mergeable(source: Thread, target: Thread) -> None:
    if source.merged_into_id is not None:
        raise InvalidInput.field("target", f"This thread was already merged into thread #{source.merged_into_id}.")
    if target.merged_into_id is not None:
        raise InvalidInput.field("target", f"Thread #{target.id} was itself merged into thread "
                                           f"#{target.merged_into_id}; please merge into that one.")
    if target.is_hidden:
        # The answers would vanish from everyone's sight along with the hidden question.
        raise InvalidInput.field("target", f"The question of thread #{target.id} is hidden; restore it "
                                           "first or choose another thread.")


def _carry_solution(session: Session, source: Thread, target: Thread, actor: User, rules: ReputationRules,
                    now: datetime) -> None:
    """The source's solution leaves it (reversing what it earned); the target takes the answer as
    its solution when it has none, as accepted by the moderator on the asker's behalf (the
    target's asker did not choose it, so only the answer's author earns points again)."""
    if source.accepted_answer_id is None:
        return
    answer = session.get(Post, source.accepted_answer_id)
    solutions.set_solution(session, source, None, actor.id, rules, now)
    if target.accepted_answer_id is None:
        solutions.set_solution(session, target, answer, actor.id, rules, now)


def _carry_official(session: Session, source: Thread, target: Thread, actor: User, rules: ReputationRules,
                    now: datetime) -> None:
    """Like the solution; the official mark keeps the name of the staff member who confirmed it."""
    if source.official_answer_id is None:
        return
    answer, confirmed_by = session.get(Post, source.official_answer_id), source.official_by_id
    official.set_official(session, source, None, actor.id, rules, now)
    if target.official_answer_id is None:
        official.set_official(session, target, answer, confirmed_by, rules, now)


def _move_me_too(session: Session, source: Thread, target: Thread) -> None:
    """Members who had the source's question have the target's; each is counted there once, and
    the target's asker not at all (nobody has their own question "too")."""
    already = select(me_too.c.user_id).where(me_too.c.thread_id == target.id)
    session.execute(
        update(me_too)
        .where(me_too.c.thread_id == source.id, me_too.c.user_id.not_in(already),
               me_too.c.user_id != target.author_id)
        .values(thread_id=target.id)
    )


def _visible_answers(session: Session, thread_id: int) -> int:
    return session.scalar(select(func.count(Post.id)).where(
        Post.thread_id == thread_id, Post.kind == "answer", Post.review_state != "hidden"))


def _me_too_count(session: Session, thread_id: int) -> int:
    return session.scalar(select(func.count()).select_from(me_too).where(me_too.c.thread_id == thread_id))
