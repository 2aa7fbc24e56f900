"""Draining the index queue: each queued thread is written as it is in the database now.

`drain()` is what the background thread of the embedded default, `flask search worker` and the
tests call. Only one process writes the Whoosh index at a time: one that finds the write lock
taken stops and leaves the queue to the holder, which keeps draining until the queue is empty.
A queue row is deleted only after the index committed, and only if nobody queued the thread
again meanwhile (see services/search_queue.py). `reconcile()` compares index and database and
queues what differs, for what a crash between commit and fsync could have lost.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Thread
from app.search import documents
from app.search.backend import SearchBackend
from app.services import search_queue

BATCH = 200


def drain(session: Session, backend: SearchBackend, *, batch: int = BATCH, max_batches: int | None = None) -> int:
    """Index queued threads until the queue is empty (or another writer holds the lock);
    returns how many threads were written."""
    written, batches = 0, 0
    while max_batches is None or batches < max_batches:
        waiting = search_queue.pending(session, 1)  # a cheap look first: most polls find nothing
        session.rollback()
        if not waiting:
            break
        entries: list[tuple[int, str]] = []

        def fresh() -> dict[int, documents.ThreadDocument | None]:
            # Read with the write lock held: read before it, a thread could be written over a
            # newer version another process wrote meanwhile (reconcile would mend it only later).
            entries[:] = search_queue.pending(session, batch)
            session.rollback()
            docs = documents.load(session, [thread_id for thread_id, _ in entries])
            session.rollback()  # end the read: the next batch reads a fresh snapshot
            return docs

        if not backend.write(fresh):
            break
        if not entries:
            break
        search_queue.done(session, entries)
        written += len(entries)
        batches += 1
    return written


@dataclass(frozen=True)
class Difference:
    thread_id: int
    problem: str  # "missing", "stale" or "extra"


def verify(session: Session, backend: SearchBackend) -> list[Difference]:
    """Threads whose index entry differs from what the database says it should be."""
    indexed = backend.digests()
    differences: list[Difference] = []
    expected: set[int] = set()
    for document in documents.all_documents(session):
        expected.add(document.thread_id)
        digest = indexed.get(document.thread_id)
        if digest is None:
            differences.append(Difference(document.thread_id, "missing"))
        elif digest != document.digest:
            differences.append(Difference(document.thread_id, "stale"))
    differences.extend(Difference(thread_id, "extra") for thread_id in sorted(set(indexed) - expected))
    session.rollback()
    return sorted(differences, key=lambda d: d.thread_id)


def reconcile(session: Session, backend: SearchBackend) -> list[Difference]:
    """Queue every thread whose index entry differs; the next drain rewrites them."""
    differences = verify(session, backend)
    existing = set(session.scalars(select(Thread.id).where(Thread.id.in_([d.thread_id for d in differences]))))
    if existing:
        search_queue.enqueue(session, *existing)
        session.commit()
    # A document for a thread that no longer exists at all is removed directly.
    gone = {d.thread_id: None for d in differences if d.thread_id not in existing}
    if gone:
        backend.write(gone)
    return differences


def rebuild(session: Session, backend: SearchBackend, progress=None) -> int:  # noqa: ANN001
    """Write the whole index anew from the database, swapping it in when done."""
    # What waits in the queue now is read by the rebuild anyway; rows queued again meanwhile stay.
    waiting = search_queue.pending(session, limit=10**9)
    total = session.scalar(select(func.count(Thread.id)))
    count = backend.rebuild(documents.all_documents(session), total, progress)
    search_queue.done(session, waiting)
    return count
