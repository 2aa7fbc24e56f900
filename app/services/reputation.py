"""The reputation ledger: every change is a row; a member's stored reputation is their rows' sum.

Writers call `record()` or `reverse()` inside the transaction of the action that earns the points.
`verify()` / `fix()` compare the stored numbers with the ledger, and `expected_from_state()`
recomputes what every member should have from the posts as they are now (used by the tests).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session, aliased

from app.db import ROW_LOCK
from app.models import Kudos, Post, ReputationEvent, Thread, User
from app.services import notifications, ranks
from app.services.pagination import Page
from app.services.rules import DEFAULT_RULES, ReputationRules

# Reasons, as stored in the ledger, with the words the profile shows for them.
REASONS = {
    "kudos_received": "Kudos received",
    "kudos_withdrawn": "Kudos taken back",
    "answer_accepted": "Answer accepted as the solution",
    "answer_unaccepted": "Answer no longer the solution",
    "accepted_solution": "Accepted a solution",
    "solution_withdrawn": "Solution mark taken back",
    "answer_official": "Answer marked official",
    "official_removed": "Official mark removed",
    "post_hidden": "Post hidden by a moderator",
    "post_restored": "Post restored by a moderator",
}
# What each reversal undoes (the reversal writes minus the net of these for the same post).
REVERSES = {
    "kudos_withdrawn": ("kudos_received", "kudos_withdrawn"),
    "answer_unaccepted": ("answer_accepted", "answer_unaccepted"),
    "solution_withdrawn": ("accepted_solution", "solution_withdrawn"),
    "official_removed": ("answer_official", "official_removed"),
    # Hiding takes away whatever the post still earns its author; restoring gives exactly that back.
    "post_hidden": ("kudos_received", "kudos_withdrawn", "answer_accepted", "answer_unaccepted",
                    "answer_official", "official_removed", "post_hidden", "post_restored"),
    "post_restored": ("post_hidden", "post_restored"),
}


def lock_members(session: Session, *user_ids: int | None) -> None:
    """Lock these members' rows, in id order, before moving their reputation.

    Every transaction takes its locks in one order: the post, then the thread, then the members by
    id (the index queue comes last, at commit: services/search_queue.py). Without it, kudos given
    both ways at once deadlocked on PostgreSQL: A→B locked A then waited for B, B→A the reverse.
    """
    ids = sorted({i for i in user_ids if i is not None})
    if ids:
        session.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update(**ROW_LOCK))


def record(session: Session, *, user_id: int, delta: int, reason: str, post_id: int | None = None,
           actor_id: int | None = None, now: datetime | None = None) -> ReputationEvent | None:
    """Write one ledger row and move the stored reputation by the same delta (same transaction)."""
    if reason not in REASONS:
        raise ValueError(f"unknown reputation reason {reason!r}")
    if delta == 0:
        return None
    event = ReputationEvent(user_id=user_id, delta=delta, reason=reason, post_id=post_id, actor_id=actor_id,
                            created_at=now or datetime.now(timezone.utc))
    session.add(event)
    session.execute(update(User).where(User.id == user_id).values(reputation=User.reputation + delta))
    if delta > 0:
        _tell_new_rank(session, user_id, delta, event.created_at)
    return event


def _tell_new_rank(session: Session, user_id: int, delta: int, now: datetime) -> None:
    """Notify a member whose reputation just crossed into a higher rank (the row is locked already:
    lock_members)."""
    after = session.scalar(select(User.reputation).where(User.id == user_id)) or 0
    rank = ranks.rank_for(after)
    if rank.level > ranks.rank_for(after - delta).level:
        notifications.achieved(session, user_id, "rank", rank.name, now=now)


def reverse(session: Session, *, user_id: int, post_id: int, reason: str, actor_id: int | None = None,
            match_actor: bool = False, now: datetime | None = None) -> ReputationEvent | None:
    """Undo exactly what the reversed events gave for this post (even if the point values changed
    since), by writing minus their net sum. Nothing is written when the net is already zero."""
    conditions = [ReputationEvent.user_id == user_id, ReputationEvent.post_id == post_id,
                  ReputationEvent.reason.in_(REVERSES[reason])]
    if match_actor:
        conditions.append(ReputationEvent.actor_id == actor_id)
    net = session.scalar(select(func.coalesce(func.sum(ReputationEvent.delta), 0)).where(*conditions))
    return record(session, user_id=user_id, delta=-net, reason=reason, post_id=post_id, actor_id=actor_id, now=now)


@dataclass(frozen=True)
class Mismatch:
    user_id: int
    display_name: str
    stored: int
    ledger: int


def verify(session: Session) -> list[Mismatch]:
    """Members whose stored reputation differs from the sum of their ledger rows."""
    sums = (select(ReputationEvent.user_id, func.sum(ReputationEvent.delta).label("total"))
            .group_by(ReputationEvent.user_id).subquery())
    ledger = func.coalesce(sums.c.total, 0)
    rows = session.execute(
        select(User.id, User.display_name, User.reputation, ledger)
        .outerjoin(sums, sums.c.user_id == User.id).where(User.reputation != ledger).order_by(User.id)
    ).all()
    return [Mismatch(*row) for row in rows]


def fix(session: Session) -> list[Mismatch]:
    """Set every mismatching member's stored reputation to their ledger sum; returns what changed."""
    mismatches = verify(session)
    if mismatches:
        # The sum is taken inside the UPDATE, so a kudos given meanwhile is not overwritten.
        ledger_sum = (select(func.coalesce(func.sum(ReputationEvent.delta), 0))
                      .where(ReputationEvent.user_id == User.id).scalar_subquery())
        session.execute(update(User).where(User.id.in_([m.user_id for m in mismatches]))
                        .values(reputation=ledger_sum))
    session.commit()
    return mismatches


def expected_from_state(session: Session, rules: ReputationRules = DEFAULT_RULES) -> dict[int, int]:
    """What every member's reputation should be, computed from kudos, solutions and official marks
    as they are now; a hidden post earns nothing."""
    totals: dict[int, int] = {}

    def add(user_id: int, points: int) -> None:
        totals[user_id] = totals.get(user_id, 0) + points

    for author_id, kind, count in session.execute(
        select(Post.author_id, Post.kind, func.count(Kudos.id)).join(Kudos, Kudos.post_id == Post.id)
        .where(Post.review_state != "hidden").group_by(Post.author_id, Post.kind)
    ):
        add(author_id, count * rules.points["kudos_question" if kind == "question" else "kudos_answer"])
    answer = aliased(Post)
    for answer_author, asker, accepter in session.execute(
        select(answer.author_id, Thread.author_id, Thread.accepted_by_id)
        .join(answer, and_(answer.id == Thread.accepted_answer_id))
    ):
        if answer_author != asker:
            add(answer_author, rules.points["answer_accepted"])
            if accepter == asker:
                add(asker, rules.points["accepted_solution"])
    for answer_author, marker in session.execute(
        select(answer.author_id, Thread.official_by_id).join(answer, answer.id == Thread.official_answer_id)
    ):
        if answer_author != marker:
            add(answer_author, rules.points["answer_official"])
    return totals


def history(session: Session, user_id: int, *, page: int = 1, per_page: int = 25) -> Page:
    """A member's ledger rows, newest first, each with the post and thread it concerns."""
    total = session.scalar(select(func.count(ReputationEvent.id)).where(ReputationEvent.user_id == user_id))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = session.execute(
        select(ReputationEvent, Thread.id, Thread.title, Thread.slug)
        .outerjoin(Post, Post.id == ReputationEvent.post_id).outerjoin(Thread, Thread.id == Post.thread_id)
        .where(ReputationEvent.user_id == user_id)
        .order_by(ReputationEvent.created_at.desc(), ReputationEvent.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=rows, number=page, per_page=per_page, total=total)


def timeline(session: Session, user_id: int) -> list[tuple[datetime, int]]:
    """The member's reputation after each day with a change: (day, running total), oldest first."""
    day = func.date(ReputationEvent.created_at)
    rows = session.execute(
        select(day, func.sum(ReputationEvent.delta)).where(ReputationEvent.user_id == user_id)
        .group_by(day).order_by(day)
    ).all()
    running, points = 0, []
    for value, delta in rows:
        running += delta
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        points.append((moment.replace(tzinfo=timezone.utc), running))
    return points
