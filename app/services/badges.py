"""Achievements: their definitions, and awarding each one automatically and exactly once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import BadgeAward, Kudos, Post, Thread
from app.services import notifications

STREAK_DAYS = 10


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    description: str
    earned: Callable[[Session, int], bool]


def _count(session: Session, query) -> int:  # noqa: ANN001
    return session.scalar(query) or 0


def _posts(kind: str):
    return lambda s, uid: _count(s, select(func.count(Post.id)).where(Post.author_id == uid, Post.kind == kind)) >= 1


def _solutions(at_least: int):
    def earned(session: Session, user_id: int) -> bool:
        return _count(session, select(func.count(Thread.id)).join(Post, Post.id == Thread.accepted_answer_id)
                      .where(Post.author_id == user_id, Thread.author_id != user_id)) >= at_least
    return earned


def _kudos_received(at_least: int):
    return lambda s, uid: _count(s, select(func.coalesce(func.sum(Post.kudos_count), 0))
                                 .where(Post.author_id == uid)) >= at_least


def _post_with_kudos(kind: str, at_least: int):
    return lambda s, uid: _count(s, select(func.count(Post.id)).where(
        Post.author_id == uid, Post.kind == kind, Post.kudos_count >= at_least)) >= 1


def _well_received_question(session: Session, user_id: int) -> bool:
    return _count(session, select(func.count(Thread.id)).where(
        Thread.author_id == user_id, Thread.kudos_count + Thread.me_too_count >= 5)) >= 1


def _gave_kudos(session: Session, user_id: int) -> bool:
    return _count(session, select(func.count(Kudos.id)).where(Kudos.giver_id == user_id)) >= 1


def _helpful_streak(session: Session, user_id: int) -> bool:
    """Answered on STREAK_DAYS consecutive (UTC) days."""
    days = sorted({_as_date(d) for d in session.scalars(
        select(func.date(Post.created_at)).where(Post.author_id == user_id, Post.kind == "answer").distinct())})
    run = 1
    for before, after in zip(days, days[1:]):
        run = run + 1 if after - before == timedelta(days=1) else 1
        if run >= STREAK_DAYS:
            return True
    return False


def _as_date(value) -> date:  # noqa: ANN001 - SQLite gives text, PostgreSQL a date
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


BADGES: tuple[Badge, ...] = (
    Badge("first_question", "Curious", "Asked a first question.", _posts("question")),
    Badge("first_answer", "First answer", "Answered a question for the first time.", _posts("answer")),
    Badge("first_kudos_given", "Cheerleader", "Gave kudos for the first time.", _gave_kudos),
    Badge("first_solution", "Problem solver", "An answer was accepted as the solution.", _solutions(1)),
    Badge("ten_solutions", "Troubleshooter", "10 answers accepted as solutions.", _solutions(10)),
    Badge("fifty_solutions", "Fixer", "50 answers accepted as solutions.", _solutions(50)),
    Badge("good_answer", "Great answer", "An answer received 10 kudos.", _post_with_kudos("answer", 10)),
    Badge("hundred_kudos", "Appreciated", "Received 100 kudos in all.", _kudos_received(100)),
    Badge("good_question", "Good question", "Asked a question that got 5 kudos or “me too”s.",
          _well_received_question),
    Badge("helpful_streak", "Helpful streak", f"Answered questions on {STREAK_DAYS} days in a row.",
          _helpful_streak),
)
BY_CODE = {badge.code: badge for badge in BADGES}


def check(session: Session, user_ids: list[int], *, now: datetime | None = None) -> list[BadgeAward]:
    """Award every badge these members have earned and do not hold yet (inside the caller's transaction)."""
    now = now or datetime.now(timezone.utc)
    awarded = []
    for user_id in dict.fromkeys(user_ids):
        held = set(session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == user_id)))
        for badge in BADGES:
            if badge.code in held or not badge.earned(session, user_id):
                continue
            try:
                # The unique constraint makes "exactly once" hold even when two actions race.
                with session.begin_nested():
                    award = BadgeAward(user_id=user_id, badge=badge.code, awarded_at=now)
                    session.add(award)
                awarded.append(award)
            except IntegrityError:
                continue
            notifications.achieved(session, user_id, "badge", badge.name, now=now)
    return awarded


def of_user(session: Session, user_id: int) -> list[tuple[Badge, datetime]]:
    rows = session.execute(select(BadgeAward.badge, BadgeAward.awarded_at)
                           .where(BadgeAward.user_id == user_id).order_by(BadgeAward.awarded_at)).all()
    return [(BY_CODE[code], when) for code, when in rows if code in BY_CODE]
