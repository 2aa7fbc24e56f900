"""What the sitemaps list: the visible threads, cut into numbered files, read in keyset batches."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from app.models import Thread
from app.services.errors import NotFound
from app.services.listings import LISTED

URLS_PER_FILE = 50_000  # the most one sitemap file may list (sitemaps.org)
BATCH = 1_000  # rows per query while a file is written out


@dataclass(frozen=True)
class ThreadFile:
    number: int  # from 1, as in /sitemap-threads-<number>.xml
    last_modified: datetime  # the latest activity of the threads it lists


def w3c_datetime(moment: datetime) -> str:
    """A time as sitemaps want it (W3C Datetime, UTC): 2026-11-24T07:36:28+00:00."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def thread_files(session: Session, *, per_file: int = URLS_PER_FILE) -> list[ThreadFile]:
    """The thread sitemap files there are, in one query: visible threads numbered in id order,
    `per_file` to a file, with each file's latest activity for the index's <lastmod>."""
    numbered = (
        select(((func.row_number().over(order_by=Thread.id) - 1) // per_file).label("file"),
               Thread.last_activity_at)
        .where(*LISTED)
        .subquery()
    )
    rows = session.execute(
        select(numbered.c.file, func.max(numbered.c.last_activity_at))
        .group_by(numbered.c.file).order_by(numbered.c.file)
    )
    return [ThreadFile(number=file + 1, last_modified=last) for file, last in rows]


def thread_entries(session: Session, number: int, *, per_file: int = URLS_PER_FILE,
                   batch: int = BATCH) -> Iterator[Row]:
    """The rows (id, slug, last_activity_at) of thread sitemap file `number`, in id order.

    Checked at once (NotFound beyond the last file, so the answer can be a 404 before anything is
    written); the rows then come lazily, `batch` at a time, each batch starting after the last id
    seen, so a 50,000-line file never holds more than one batch of plain tuples in memory.
    """
    first_id = session.scalar(
        select(Thread.id).where(*LISTED).order_by(Thread.id).offset((number - 1) * per_file).limit(1)
    ) if number >= 1 else None
    if first_id is None:
        raise NotFound("There is no such sitemap.")
    return _rows_from(session, first_id, per_file, batch)


def _rows_from(session: Session, first_id: int, count: int, batch: int) -> Iterator[Row]:
    after = Thread.id >= first_id
    while count > 0:
        size = min(batch, count)
        rows = session.execute(
            select(Thread.id, Thread.slug, Thread.last_activity_at)
            .where(*LISTED, after).order_by(Thread.id).limit(size)
        ).all()
        yield from rows
        if len(rows) < size:
            return
        count -= size
        after = Thread.id > rows[-1].id
