"""The support dashboard's figures for staff: backlog, answer and solution times, review coverage,
busiest boards, top helpers and trending issues, for all boards or one, over 7, 30 or 90 days.

A period is whole UTC days ending with today: 30 days on 15 March runs from 15 February 00:00
to now. Medians are taken in Python over the rows SQL returns, so SQLite and PostgreSQL agree.
Hidden threads (spam, abuse) count nowhere; merged ones leave only the unanswered and trending
lists, since their question was real when it was asked.
"""
from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session, joinedload

from app.models import STAFF_ROLES, Board, Kudos, Post, Thread, ThreadViewDay, User, me_too
from app.services import accounts, product_context
from app.services.errors import InvalidInput

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
# Up to 30 days the charts show days; 90 days as days would be 90 thin bars, so weeks.
WEEK_BUCKETS_FROM = 60
LIST_LIMIT = 10
UNANSWERED_LIMIT = 50
# Reviewed "in time": before the post had this many views since it went live.
COVERAGE_VIEWS = 100
# In the trending score one more "I have this question too" weighs as much as this many views:
# a member who says so has the problem, while most views are passers-by and search engines.
ME_TOO_WEIGHT = 20


@dataclass(frozen=True)
class Period:
    days: int
    start: datetime  # midnight (UTC) of the first day
    end: datetime    # now
    bucket_days: int

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return self.end.date()

    def covers(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment <= self.end


def period(days: int, now: datetime) -> Period:
    """The period of `days` whole UTC days ending with `now`'s day."""
    if days not in PERIODS:
        raise InvalidInput.field("days", "Choose a period of 7, 30 or 90 days.")
    now = now.astimezone(timezone.utc)
    first = now.date() - timedelta(days=days - 1)
    return Period(days=days, start=datetime.combine(first, time.min, tzinfo=timezone.utc), end=now,
                  bucket_days=7 if days >= WEEK_BUCKETS_FROM else 1)


def median(values: Iterable[float]) -> float | None:
    """The median (the mean of the middle two for an even count), or None for no values."""
    values = list(values)
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class Rate:
    """`part` of `whole`; `value` is None when there is nothing to measure (shown as "—", not 0%)."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Split:
    """Who gave the answers counted: members of the community or staff."""

    community: int
    staff: int

    @property
    def community_share(self) -> Rate:
        return Rate(self.community, self.community + self.staff)

    @property
    def staff_share(self) -> Rate:
        return Rate(self.staff, self.community + self.staff)


@dataclass(frozen=True)
class Bucket:
    """One bar of the charts: a day, or a week for long periods (the last may be shorter)."""

    first_day: date
    last_day: date
    asked: int = 0
    solved: int = 0
    first_answer_seconds: float | None = None  # median time to first answer of that bucket's first answers
    first_answers: int = 0


@dataclass(frozen=True)
class BoardCount:
    board: Board
    asked: int


@dataclass(frozen=True)
class Helper:
    user: User
    accepted: int
    kudos: int

    @property
    def score(self) -> int:
        return self.accepted + self.kudos


@dataclass(frozen=True)
class Rise:
    """One thread's "I have this question too" and views this week and the week before."""

    thread_id: int
    product: str | None
    me_too_this_week: int
    me_too_last_week: int
    views_this_week: int
    views_last_week: int

    @property
    def rise(self) -> int:
        return (ME_TOO_WEIGHT * (self.me_too_this_week - self.me_too_last_week)
                + self.views_this_week - self.views_last_week)


@dataclass(frozen=True)
class Trending(Rise):
    """A rising thread as the dashboard lists it."""

    thread: Thread | None = None


@dataclass
class Dashboard:
    period: Period
    board_id: int | None
    unanswered: list[Thread]
    unanswered_total: int
    asked: int
    solve_rate: Rate  # of the threads asked in the period, how many are solved now
    first_answer_seconds: float | None
    solution_seconds: float | None
    first_answers: Split
    solutions: Split
    backlog: int
    oldest_unreviewed_at: datetime | None
    coverage: Rate
    review_delay_seconds: float | None
    busiest: list[BoardCount]
    helpers: list[Helper]
    trending: list[Trending]
    buckets: list[Bucket] = field(default_factory=list)
    # Every rising thread's score summed per product (product_context.by_product).
    trending_by_product: list[product_context.ProductTrend] = field(default_factory=list)

    @property
    def oldest_unreviewed_age(self) -> timedelta | None:
        return self.period.end - self.oldest_unreviewed_at if self.oldest_unreviewed_at else None


def _seconds(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds()


def _in(column, span: Period):  # noqa: ANN001 - a column or SQL expression
    return column.between(span.start, span.end)


def _counted_threads(board_id: int | None) -> list:
    conditions = [Thread.is_hidden.is_(False)]
    if board_id is not None:
        conditions.append(Thread.board_id == board_id)
    return conditions


def _visible_answer():
    return and_(Post.kind == "answer", Post.review_state != "hidden")


def unanswered(session: Session, board_id: int | None, *, limit: int = UNANSWERED_LIMIT) -> tuple[list[Thread], int]:
    """Listed threads without a visible answer, oldest first (whatever their age), and how many."""
    conditions = [*_counted_threads(board_id), Thread.merged_into_id.is_(None),
                  ~exists().where(Post.thread_id == Thread.id, _visible_answer())]
    total = session.scalar(select(func.count(Thread.id)).where(*conditions))
    threads = session.scalars(
        select(Thread).where(*conditions).options(joinedload(Thread.board))
        .order_by(Thread.created_at, Thread.id).limit(limit)
    ).all()
    return list(threads), total


def _first_answers(session: Session, board_id: int | None, span: Period) -> list[tuple[datetime, datetime, bool]]:
    """(thread asked at, first answer at, by staff) for each thread whose first visible answer came in the period."""
    answered_now = select(Post.thread_id).where(_visible_answer(), _in(Post.created_at, span))
    ranked = (
        select(Post.thread_id, Post.created_at, Post.posted_as_staff,
               func.row_number().over(partition_by=Post.thread_id, order_by=(Post.created_at, Post.id)).label("rank"))
        .where(_visible_answer(), Post.thread_id.in_(answered_now))
        .subquery()
    )
    rows = session.execute(
        select(Thread.created_at, ranked.c.created_at, ranked.c.posted_as_staff).select_from(ranked)
        .join(Thread, Thread.id == ranked.c.thread_id)
        .where(ranked.c.rank == 1, _in(ranked.c.created_at, span), *_counted_threads(board_id))
    ).all()
    return [(asked, answered, bool(staff)) for asked, answered, staff in rows]


def _solutions(session: Session, board_id: int | None, span: Period) -> list[tuple[datetime, datetime, bool]]:
    """(asked at, accepted at, by staff) for each thread whose answer was accepted in the period."""
    rows = session.execute(
        select(Thread.created_at, Thread.accepted_at, Post.posted_as_staff)
        .join(Post, Post.id == Thread.accepted_answer_id)
        .where(_in(Thread.accepted_at, span), *_counted_threads(board_id))
    ).all()
    return [(asked, accepted, bool(staff)) for asked, accepted, staff in rows]


def _split(rows: list[tuple[datetime, datetime, bool]]) -> Split:
    staff = sum(1 for *_, by_staff in rows if by_staff)
    return Split(community=len(rows) - staff, staff=staff)


def _review_backlog(session: Session, board_id: int | None) -> tuple[int, datetime | None]:
    """Posts waiting for their review (as the review queue counts them: not those sent back for an edit)."""
    count, oldest = session.execute(
        select(func.count(Post.id), func.min(Post.created_at)).join(Thread, Thread.id == Post.thread_id)
        .where(Post.review_state == "unreviewed", Post.edit_requested_at.is_(None),
               *([Thread.board_id == board_id] if board_id is not None else []))
    ).one()
    return count, oldest


def _reviews(session: Session, board_id: int | None, span: Period) -> tuple[Rate, float | None]:
    """Review coverage and median review delay of members' posts reviewed in the period (staff
    posts are approved as they are written, which would flatter both)."""
    rows = session.execute(
        select(Post.views_at_review, Post.created_at, Post.reviewed_at).join(Thread, Thread.id == Post.thread_id)
        .where(_in(Post.reviewed_at, span), Post.views_at_review.is_not(None), Post.posted_as_staff.is_(False),
               *([Thread.board_id == board_id] if board_id is not None else []))
    ).all()
    in_time = sum(1 for views, *_ in rows if views < COVERAGE_VIEWS)
    return Rate(in_time, len(rows)), median(_seconds(reviewed, created) for _, created, reviewed in rows)


def _busiest(session: Session, span: Period) -> list[BoardCount]:
    """Boards by threads asked in the period (always all boards: it is a comparison)."""
    asked = func.count(Thread.id).label("asked")
    rows = session.execute(
        select(Board, asked).join(Thread, Thread.board_id == Board.id)
        .where(_in(Thread.created_at, span), Thread.is_hidden.is_(False))
        .group_by(Board.id).order_by(asked.desc(), Board.name, Board.id).limit(LIST_LIMIT)
    ).all()
    return [BoardCount(board, count) for board, count in rows]


def _helpers(session: Session, board_id: int | None, span: Period) -> list[Helper]:
    """Members (not staff) by accepted answers plus kudos received in the period."""
    member_post = and_(Post.posted_as_staff.is_(False), Post.review_state != "hidden", *_counted_threads(board_id))
    accepted = dict(session.execute(
        select(Post.author_id, func.count(Thread.id)).select_from(Thread).join(Post, Post.id == Thread.accepted_answer_id)
        .where(_in(Thread.accepted_at, span), member_post).group_by(Post.author_id)
    ).all())
    kudos = dict(session.execute(
        select(Post.author_id, func.count(Kudos.id)).select_from(Kudos).join(Post, Post.id == Kudos.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(_in(Kudos.created_at, span), member_post).group_by(Post.author_id)
    ).all())
    ids = set(accepted) | set(kudos)
    if not ids:
        return []
    users = session.scalars(select(User).where(User.id.in_(ids), User.role.not_in(STAFF_ROLES),
                                               ~accounts.is_stand_in())).all()
    helpers = [Helper(user, accepted.get(user.id, 0), kudos.get(user.id, 0)) for user in users]
    helpers.sort(key=lambda h: (-h.score, -h.accepted, h.user.display_name, h.user.id))
    return helpers[:LIST_LIMIT]


def _week_over_week(session: Session, thread_id, moment, amount, this_start, last_start, until,  # noqa: ANN001
                    conditions: list) -> dict[int, tuple[int, int, str | None]]:
    """Per thread: the sum of `amount` from `this_start` to `until`, the sum from `last_start` to
    before `this_start`, and the thread's product (one grouped query; `moment` is a date or a time
    column of the same table)."""
    this = func.sum(case((moment >= this_start, amount), else_=0))
    before = func.sum(case((moment < this_start, amount), else_=0))
    rows = session.execute(
        select(thread_id, this, before, Thread.product).join(Thread, Thread.id == thread_id)
        .where(moment >= last_start, moment <= until, *conditions).group_by(thread_id, Thread.product)
    )
    return {row[0]: (int(row[1] or 0), int(row[2] or 0), row[3]) for row in rows}


def _with_threads(session: Session, rises: list[Rise]) -> list[Trending]:
    """The rows to list, their threads loaded (only those: a busy week has thousands rising)."""
    threads = {thread.id: thread for thread in session.scalars(
        select(Thread).where(Thread.id.in_([r.thread_id for r in rises])).options(joinedload(Thread.board)))}
    return [Trending(**asdict(r), thread=threads[r.thread_id]) for r in rises]


def rising(session: Session, board_id: int | None, now: datetime) -> list[Rise]:
    """Every listed thread whose me-toos and views rose in the last 7 days (today included) over the
    7 days before, the steepest rise first; two grouped queries, no thread loaded."""
    today = now.astimezone(timezone.utc).date()
    this_week, last_week = today - timedelta(days=6), today - timedelta(days=13)
    listed = [*_counted_threads(board_id), Thread.merged_into_id.is_(None)]
    views = _week_over_week(session, ThreadViewDay.thread_id, ThreadViewDay.day, ThreadViewDay.views,
                            this_week, last_week, today, listed)
    me_toos = _week_over_week(session, me_too.c.thread_id, me_too.c.created_at, 1,
                              datetime.combine(this_week, time.min, tzinfo=timezone.utc),
                              datetime.combine(last_week, time.min, tzinfo=timezone.utc), now, listed)
    rows = []
    for thread_id in set(views) | set(me_toos):
        this_me_too, last_me_too, product = me_toos.get(thread_id, (0, 0, None))
        this_views, last_views, product = views.get(thread_id, (0, 0, product))
        row = Rise(thread_id, product, this_me_too, last_me_too, this_views, last_views)
        if row.rise > 0:
            rows.append(row)
    rows.sort(key=lambda r: (-r.rise, -r.me_too_this_week, r.thread_id))
    return rows


def _buckets(span: Period, asked: list[datetime], solutions: list, first_answers: list) -> list[Bucket]:
    count = -(-span.days // span.bucket_days)

    def index(moment: datetime) -> int:
        return (moment.date() - span.first_day).days // span.bucket_days

    asked_in, solved_in = [0] * count, [0] * count
    waits: list[list[float]] = [[] for _ in range(count)]
    for moment in asked:
        asked_in[index(moment)] += 1
    for _, accepted, _ in solutions:
        solved_in[index(accepted)] += 1
    for asked_at, answered, _ in first_answers:
        waits[index(answered)].append(_seconds(answered, asked_at))
    buckets = []
    for i in range(count):
        first = span.first_day + timedelta(days=i * span.bucket_days)
        last = min(first + timedelta(days=span.bucket_days - 1), span.last_day)
        buckets.append(Bucket(first, last, asked_in[i], solved_in[i], median(waits[i]), len(waits[i])))
    return buckets


def dashboard(session: Session, board_id: int | None, days: int, now: datetime) -> Dashboard:
    """Every figure of the dashboard for one board (None: all boards) over `days` days up to `now`."""
    span = period(days, now)
    asked_rows = session.execute(
        select(Thread.created_at, Thread.status).where(_in(Thread.created_at, span), *_counted_threads(board_id))
    ).all()
    first_answers = _first_answers(session, board_id, span)
    solutions = _solutions(session, board_id, span)
    open_threads, open_total = unanswered(session, board_id)
    backlog, oldest = _review_backlog(session, board_id)
    coverage, review_delay = _reviews(session, board_id, span)
    rises = rising(session, board_id, span.end)
    return Dashboard(
        period=span, board_id=board_id, unanswered=open_threads, unanswered_total=open_total,
        asked=len(asked_rows),
        solve_rate=Rate(sum(1 for _, status in asked_rows if status == "solved"), len(asked_rows)),
        first_answer_seconds=median(_seconds(answered, asked) for asked, answered, _ in first_answers),
        solution_seconds=median(_seconds(accepted, asked) for asked, accepted, _ in solutions),
        first_answers=_split(first_answers), solutions=_split(solutions),
        backlog=backlog, oldest_unreviewed_at=oldest, coverage=coverage, review_delay_seconds=review_delay,
        busiest=_busiest(session, span), helpers=_helpers(session, board_id, span),
        trending=_with_threads(session, rises[:LIST_LIMIT]), trending_by_product=product_context.by_product(rises),
        buckets=_buckets(span, [created for created, _ in asked_rows], solutions, first_answers),
    )


def board_choices(session: Session) -> list[Board]:
    """The boards the filter offers, in their order on the home page."""
    return list(session.scalars(select(Board).order_by(Board.position, Board.name, Board.id)))
