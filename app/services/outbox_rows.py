"""Sending the rows of an outbox table (mail_outbox, webhook_outbox): each at most once per lease,
retried with back-off until it goes out.

Per row: claim it (one conditional UPDATE that only one worker can win, on SQLite and PostgreSQL
alike: it pushes next_attempt_at out by a lease and counts the attempt), build what to send while
the row is loaded, send it with no transaction open, then mark it sent, or note the error and retry
after a back-off that doubles per attempt. A worker that dies between sending and marking leaves
the claim to expire, and that one row is sent again after the lease: the only way a row can go out
twice (a mail server or a webhook receiver cannot take part in our transaction).

The tables share the columns used here: id, sent_at, next_attempt_at, attempts, last_error.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import transaction

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)

Message = TypeVar("Message")


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0


def retry_delay(attempts: int) -> timedelta:
    """1 minute after the first failure, doubling each time, at most 6 hours."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), MAX_RETRY)


def deliver_due(session: Session, model: type, *, now: datetime, limit: int,
                prepare: Callable[[Session, object], Message], send: Callable[[Message], None],
                failure: type[Exception]) -> Delivery:
    """Send the rows of `model` that are due. `prepare` turns a claimed row into what `send` takes;
    `send` raises `failure` when the other side did not take it (the row is then retried later)."""
    due_ids = list(session.scalars(select(model.id)
                                   .where(model.sent_at.is_(None), model.next_attempt_at <= now)
                                   .order_by(model.next_attempt_at, model.id).limit(limit)))
    session.rollback()
    sent = failed = 0
    for row_id in due_ids:
        with transaction(session):
            claimed = session.execute(
                update(model)
                .where(model.id == row_id, model.sent_at.is_(None), model.next_attempt_at <= now)
                .values(next_attempt_at=now + LEASE, attempts=model.attempts + 1)
            ).rowcount
        if not claimed:
            continue  # another worker has it
        row = session.get(model, row_id, populate_existing=True)
        message, attempts = prepare(session, row), row.attempts
        session.rollback()  # no transaction stays open while the other side is talked to
        try:
            send(message)
        except failure as exc:
            error = str(exc.__cause__ or exc)[:1000]
            with transaction(session):
                session.execute(update(model).where(model.id == row_id)
                                .values(last_error=error, next_attempt_at=now + retry_delay(attempts)))
            log.warning("%s #%s not sent (attempt %s), retried later: %s", model.__tablename__, row_id, attempts, error)
            failed += 1
        else:
            with transaction(session):
                session.execute(update(model).where(model.id == row_id)
                                .values(sent_at=datetime.now(timezone.utc), last_error=None))
            sent += 1
    return Delivery(sent=sent, failed=failed)
