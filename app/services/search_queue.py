"""Recording which threads the search index must rewrite, in the caller's transaction.

Every service that changes what a thread's index entry holds (a post written, edited, hidden or
restored; a solution, official mark or kudos; a move or merge) calls `enqueue()` inside its
transaction. The indexer (app/search/indexer.py) reads the rows, writes each thread as it is in
the database at that moment, and deletes a row only after the index committed and only if its
token is unchanged, so a change made meanwhile is indexed again rather than lost.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import delete, event, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import SearchQueueEntry


def enqueue(session: Session, *thread_ids: int, now: datetime | None = None) -> None:
    """Queue threads for indexing in this session's transaction (one row per thread, with a
    fresh token). The rows are written when the transaction commits, as its last statement: every
    writer touches the queue rows last and in thread order, so a queue row is never held while its
    transaction waits for a post, thread or member lock (which deadlocked answers against kudos on
    PostgreSQL when the row was written mid-transaction)."""
    ids = {i for i in thread_ids if i is not None}
    if ids:
        moment = now or datetime.now(timezone.utc)
        session.info.setdefault(_PENDING, {}).update(dict.fromkeys(ids, moment))


_PENDING = "search_queue_pending"


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint is released: the real commit comes later
        return
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"thread_id": i, "token": uuid.uuid4().hex, "queued_at": pending[i]} for i in sorted(pending)]
    statement = insert(SearchQueueEntry).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=["thread_id"],
        set_={"token": statement.excluded.token, "queued_at": statement.excluded.queued_at},
    ))


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, previous_transaction) -> None:  # noqa: ANN001
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def pending(session: Session, limit: int) -> list[tuple[int, str]]:
    """The oldest waiting threads: (thread id, token)."""
    return [(row.thread_id, row.token) for row in session.execute(
        select(SearchQueueEntry.thread_id, SearchQueueEntry.token)
        .order_by(SearchQueueEntry.queued_at, SearchQueueEntry.thread_id).limit(limit))]


def done(session: Session, entries: list[tuple[int, str]]) -> int:
    """Remove the rows that were indexed, unless they were queued again meanwhile."""
    removed = 0
    for thread_id, token in entries:
        removed += session.execute(delete(SearchQueueEntry).where(
            SearchQueueEntry.thread_id == thread_id, SearchQueueEntry.token == token)).rowcount
    session.commit()
    return removed


def size(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SearchQueueEntry))


def oldest(session: Session) -> datetime | None:
    return session.scalar(select(func.min(SearchQueueEntry.queued_at)))
