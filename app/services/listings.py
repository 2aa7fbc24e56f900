"""Read-side queries for the lists the site shows: boards, threads of a board or tag, profiles."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, false, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Board, Post, Tag, Thread, User, thread_tags
from app.services import policies
from app.services.errors import NotFound
from app.services.pagination import Page

THREAD_FILTERS = ("all", "unanswered", "solved")
THREAD_SORTS = ("activity", "newest", "me_too", "kudos")


@dataclass(frozen=True)
class BoardSummary:
    board: Board
    thread_count: int
    solved_count: int
    last_activity_at: datetime | None

    @property
    def solved_share(self) -> int:
        """Share of threads solved, in whole percent."""
        return round(100 * self.solved_count / self.thread_count) if self.thread_count else 0


# Public lists leave out threads whose question is hidden and threads merged into another.
LISTED = (Thread.is_hidden == false(), Thread.merged_into_id.is_(None))


def board_summaries(session: Session) -> list[BoardSummary]:
    """Every board with its thread count, solved count and last activity, in one query."""
    stats = (
        select(
            Thread.board_id,
            func.count(Thread.id).label("threads"),
            func.sum(case((Thread.status == "solved", 1), else_=0)).label("solved"),
            func.max(Thread.last_activity_at).label("last_activity"),
        )
        .where(*LISTED)
        .group_by(Thread.board_id)
        .subquery()
    )
    rows = session.execute(
        select(Board, stats.c.threads, stats.c.solved, stats.c.last_activity)
        .outerjoin(stats, stats.c.board_id == Board.id)
        .order_by(Board.position, Board.name, Board.id)
    ).all()
    return [
        BoardSummary(board, threads or 0, solved or 0, last)
        for board, threads, solved, last in rows
    ]


def boards(session: Session, *, include_archived: bool = True) -> list[Board]:
    """Boards in their order; leave archived ones out where a new question is asked."""
    query = select(Board).order_by(Board.position, Board.name, Board.id)
    if not include_archived:
        query = query.where(Board.is_archived == false())
    return list(session.scalars(query))


def get_board(session: Session, slug: str) -> Board:
    # No slug holds a NUL, and PostgreSQL refuses one in a query parameter outright.
    board = None if "\x00" in slug else session.scalar(select(Board).where(Board.slug == slug))
    if board is None:
        raise NotFound("There is no such board.")
    return board


def _thread_list_query(filter_: str, sort: str):
    query = select(Thread).where(*LISTED).options(
        joinedload(Thread.author), joinedload(Thread.board), selectinload(Thread.tags)
    )
    if filter_ == "unanswered":
        query = query.where(Thread.answer_count == 0)
    elif filter_ == "solved":
        query = query.where(Thread.status == "solved")
    if sort == "newest":
        order = (Thread.created_at.desc(),)
    elif sort == "me_too":  # the most members with the same question first, then the liveliest
        order = (Thread.me_too_count.desc(), Thread.last_activity_at.desc())
    elif sort == "kudos":  # the question's kudos
        order = (Thread.kudos_count.desc(), Thread.last_activity_at.desc())
    else:
        order = (Thread.last_activity_at.desc(),)
    return query.order_by(*order, Thread.id.desc())


def _paged(session: Session, query, number: int, per_page: int) -> Page[Thread]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // per_page))
    number = min(number, pages)
    items = session.scalars(query.limit(per_page).offset((number - 1) * per_page)).unique().all()
    return Page(items=items, number=number, per_page=per_page, total=total)


def board_threads(session: Session, board: Board, *, filter_: str = "all", sort: str = "activity",
                  page: int = 1, per_page: int = 20) -> Page[Thread]:
    """One page of a board's threads, filtered and sorted; unknown options fall back to defaults."""
    filter_ = filter_ if filter_ in THREAD_FILTERS else "all"
    sort = sort if sort in THREAD_SORTS else "activity"
    query = _thread_list_query(filter_, sort).where(Thread.board_id == board.id)
    return _paged(session, query, page, per_page)


def tag_threads(session: Session, tag_name: str, *, filter_: str = "all", sort: str = "activity",
                page: int = 1, per_page: int = 20) -> tuple[Tag, Page[Thread]]:
    tag = session.scalar(select(Tag).where(Tag.name == tag_name))
    if tag is None:
        raise NotFound("There is no such tag.")
    filter_ = filter_ if filter_ in THREAD_FILTERS else "all"
    sort = sort if sort in THREAD_SORTS else "activity"
    query = _thread_list_query(filter_, sort).where(
        Thread.id.in_(select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == tag.id))
    )
    return tag, _paged(session, query, page, per_page)


def recent_threads(session: Session, limit: int = 10) -> list[Thread]:
    return list(session.scalars(_thread_list_query("all", "activity").limit(limit)).unique())


@dataclass(frozen=True)
class Profile:
    user: User
    question_count: int
    answer_count: int
    solution_count: int
    questions: list[Thread]
    answers: list[tuple[Post, Thread]]


def profile(session: Session, user_id: int, *, viewer: User | None = None, limit: int = 20) -> Profile:
    """A member's profile: counts, latest questions and latest answers. Counts leave hidden posts
    out; the lists show them only to the member themself and to staff (marked as hidden)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such member.")
    sees_hidden = policies.is_staff(viewer) or (viewer is not None and getattr(viewer, "id", None) == user.id)
    counts = session.execute(
        select(
            func.count(Post.id).filter(Post.kind == "question"),
            func.count(Post.id).filter(Post.kind == "answer"),
        ).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id, Post.review_state != "hidden", *LISTED)
    ).one()
    solutions = session.scalar(
        select(func.count(Thread.id)).join(Post, Post.id == Thread.accepted_answer_id)
        .where(Post.author_id == user.id)
    )
    question_query = (
        select(Thread).where(Thread.merged_into_id.is_(None), Thread.author_id == user.id)
        .options(joinedload(Thread.author), joinedload(Thread.board), selectinload(Thread.tags))
        .order_by(Thread.created_at.desc(), Thread.id.desc()).limit(limit)
    )
    answer_query = (
        select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == user.id, Post.kind == "answer")
        .order_by(Post.created_at.desc(), Post.id.desc()).limit(limit)
    )
    if not sees_hidden:
        question_query = question_query.where(Thread.is_hidden == false())
        answer_query = answer_query.where(Post.review_state != "hidden", *LISTED)
    questions = session.scalars(question_query).unique().all()
    answers = session.execute(answer_query).all()
    return Profile(user, counts[0], counts[1], solutions or 0, list(questions),
                   [(post, thread) for post, thread in answers])
