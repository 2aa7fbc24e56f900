"""Top helpers: by reputation earned in a period, or by solutions, overall or in one board."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import Post, ReputationEvent, Thread, User
from app.services import accounts

PERIODS = ("all", "month")
MEASURES = ("reputation", "solutions")


@dataclass(frozen=True)
class Entry:
    user: User
    score: int


def period_start(period: str, now: datetime | None = None) -> datetime | None:
    """Start of the period: the first of this month (UTC) for "month", nothing for "all"."""
    if period != "month":
        return None
    now = now or datetime.now(timezone.utc)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def top(session: Session, *, measure: str = "reputation", period: str = "all", board_id: int | None = None,
        limit: int = 20, now: datetime | None = None) -> list[Entry]:
    """The best members by `measure`, highest first; ties go to who got there first (lower id)."""
    since = period_start(period, now)
    if measure == "solutions":
        answer = aliased(Post)
        score = func.count(Thread.id)
        query = (select(answer.author_id, score).join(answer, answer.id == Thread.accepted_answer_id)
                 .where(answer.author_id != Thread.author_id).group_by(answer.author_id))
        if since is not None:
            query = query.where(Thread.accepted_at >= since)
        if board_id is not None:
            query = query.where(Thread.board_id == board_id)
    else:
        score = func.sum(ReputationEvent.delta)
        query = select(ReputationEvent.user_id, score).group_by(ReputationEvent.user_id)
        if since is not None:
            query = query.where(ReputationEvent.created_at >= since)
        if board_id is not None:
            query = (query.join(Post, Post.id == ReputationEvent.post_id)
                     .join(Thread, Thread.id == Post.thread_id).where(Thread.board_id == board_id))
    scored = query.subquery()
    rows = session.execute(
        select(User, scored.c[1]).join(scored, scored.c[0] == User.id)
        .where(scored.c[1] > 0, ~accounts.is_stand_in()).order_by(scored.c[1].desc(), User.id).limit(limit)
    ).all()
    return [Entry(user, int(value)) for user, value in rows]
