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

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.models import SearchQueueEntry


def enqueue(session: Session, *thread_ids: int, now: datetime | None = None) -> None:
    """Queue threads for indexing (an upsert: a thread waits once, with a fresh token)."""
    ids = sorted({i for i in thread_ids if i is not None})
    if not ids:
        return
    now = now or datetime.now(timezone.utc)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"thread_id": i, "token": uuid.uuid4().hex, "queued_at": now} for i in ids]
    statement = insert(SearchQueueEntry).values(rows)
    session.execute(statement.on_conflict_do_update(
        index_elements=["thread_id"],
        set_={"token": statement.excluded.token, "queued_at": statement.excluded.queued_at},
    ))


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
