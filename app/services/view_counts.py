"""Thread views counted in memory and written in one go, at most once per VIEW_FLUSH_SECONDS.

A visitor without a session cookie (a search engine, someone landing from a search) counts a
view on every page load; one write transaction per view made each thread page wait for the
database's write lock under load. A process buffers the counts instead and adds them with one
UPDATE per thread. What a process holds when it is killed (at most a few seconds of views) is
lost: a view count is a popularity signal, not a ledger.

Each flush also adds the views to today's row per thread in thread_view_days (one multi-row
INSERT … ON CONFLICT DO UPDATE per flush), the history the support dashboard's trending list
compares week over week. Views buffered across midnight count for the day of the flush.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import transaction, utcnow
from app.models import ThreadViewDay
from app.services import thread_view

# Rows per INSERT: three parameters each stays far below SQLite's oldest limit of 999 variables.
DAY_ROWS_PER_STATEMENT = 300
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def record_view_days(session: Session, counts: Mapping[int, int], day: date) -> None:
    """Add views (thread id → views) to each thread's row for `day`, creating it when missing.

    One INSERT … ON CONFLICT DO UPDATE adding in SQL, so simultaneous writers all count; rows go
    in thread order so two PostgreSQL writers lock them in the same order (no deadlock).
    """
    rows = [{"thread_id": thread_id, "day": day, "views": views}
            for thread_id, views in sorted(counts.items()) if views > 0]
    if not rows:
        return
    insert = _INSERTS[session.get_bind().dialect.name]
    with transaction(session):
        for start in range(0, len(rows), DAY_ROWS_PER_STATEMENT):
            statement = insert(ThreadViewDay).values(rows[start:start + DAY_ROWS_PER_STATEMENT])
            session.execute(statement.on_conflict_do_update(
                index_elements=[ThreadViewDay.thread_id, ThreadViewDay.day],
                set_={"views": ThreadViewDay.views + statement.excluded.views},
            ))


class ViewBuffer:
    def __init__(self, flush_seconds: float, *, today: Callable[[], date] = lambda: utcnow().date()) -> None:
        self.flush_seconds = flush_seconds
        self.today = today  # the UTC day views are filed under (injectable for tests)
        self._pending: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._last_flush = time.monotonic()

    def add(self, session: Session, thread_id: int) -> None:
        """Count a view; write the buffered counts when they are due."""
        with self._lock:
            self._pending[thread_id] += 1
            if time.monotonic() - self._last_flush < self.flush_seconds:
                return
            due, self._pending = self._pending, Counter()
            self._last_flush = time.monotonic()
        thread_view.record_views(session, due)
        record_view_days(session, due, self.today())
