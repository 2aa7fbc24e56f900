"""Database helpers for web tests: a snapshot of every row, to show a request changed nothing."""
from __future__ import annotations

from sqlalchemy import select

from app.db import Base

# Columns every request may touch without changing anything a member did: when a signed-in member
# was last seen, and how often a thread was viewed (in all, and per day for the dashboard).
BOOKKEEPING = {("users", "last_seen_at"), ("threads", "view_count"),
               *(("thread_view_days", column) for column in ("thread_id", "day", "views"))}


def snapshot(session, *, ignore: set[tuple[str, str]] = frozenset()) -> dict[str, list[tuple]]:
    """Every row of every table (minus the `ignore`d (table, column) pairs), sorted."""
    session.rollback()
    result = {}
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in ignore]
        if not columns:
            continue
        result[table.name] = sorted(tuple(map(repr, row)) for row in session.execute(select(*columns)))
    return result
