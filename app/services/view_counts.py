"""Thread views counted in memory and written in one go, at most once per VIEW_FLUSH_SECONDS.

A visitor without a session cookie (a search engine, someone landing from a search) counts a
view on every page load; one write transaction per view made each thread page wait for the
database's write lock under load. A process buffers the counts instead and adds them with one
UPDATE per thread. What a process holds when it is killed (at most a few seconds of views) is
lost: a view count is a popularity signal, not a ledger.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

from sqlalchemy.orm import Session

from app.services import thread_view


class ViewBuffer:
    def __init__(self, flush_seconds: float) -> None:
        self.flush_seconds = flush_seconds
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
