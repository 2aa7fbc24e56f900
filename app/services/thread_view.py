"""Everything the thread page shows, loaded in a constant number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, true, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app.db import transaction
from app.models import Post, Thread, User
from app.services import policies
from app.services.errors import NotFound
from app.services.pagination import Page


class MergedThread(Exception):
    """The thread was merged into another; its address should redirect there."""

    def __init__(self, target_id: int) -> None:
        super().__init__(target_id)
        self.target_id = target_id


# Answers after the solution: most kudos first, then the oldest first.
ANSWER_ORDER = (Post.kudos_count.desc(), Post.created_at, Post.id)


@dataclass
class ThreadView:
    thread: Thread
    question: Post
    accepted: Post | None
    official: Post | None  # may be the accepted answer too
    answers: Page[Post]  # the other answers on this page, in ANSWER_ORDER
    comments: dict[int, list[Post]] = field(default_factory=dict)

    def comments_for(self, post: Post) -> list[Post]:
        return self.comments.get(post.id, [])


def load_thread(session: Session, thread_id: int) -> Thread:
    """The thread with its board, author and tags (for redirects and forms)."""
    thread = session.scalars(
        select(Thread).where(Thread.id == thread_id)
        .options(joinedload(Thread.board), joinedload(Thread.author), joinedload(Thread.official_by),
                 selectinload(Thread.tags))
    ).unique().one_or_none()
    if thread is None:
        raise NotFound("There is no such thread.")
    return thread


def visible_to(viewer: User | None):
    """The SQL condition for the posts a viewer may see: hidden ones only their author and staff."""
    if policies.is_staff(viewer):
        return true()
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        return or_(Post.review_state != "hidden", Post.author_id == viewer.id)
    return Post.review_state != "hidden"


def thread_view(session: Session, thread_id: int, *, viewer: User | None = None, page: int = 1,
                per_page: int = 30) -> ThreadView:
    """The question, the official and accepted answers first, one page of the other answers, and
    their comments, as `viewer` may see them (hidden posts: only theirs, or all for staff).

    Five queries whatever the thread's size: thread (+board, author, official marker), tags,
    question and answers of this page (+authors), the answer count, and all comments of those posts.
    """
    thread = load_thread(session, thread_id)
    if thread.merged_into_id is not None:
        raise MergedThread(thread.merged_into_id)
    if not policies.can_see_thread(viewer, thread):
        raise NotFound("There is no such thread.")
    visible = visible_to(viewer)
    marked = [i for i in (thread.official_answer_id, thread.accepted_answer_id) if i is not None]
    others_filter = (Post.thread_id == thread.id, Post.kind == "answer", visible)
    if marked:
        others_filter += (Post.id.not_in(marked),)
    total_others = session.scalar(select(func.count(Post.id)).where(*others_filter))
    pages = max(1, -(-total_others // per_page))
    page = min(max(page, 1), pages)

    # The question, the accepted answer and this page's answers together, in one round trip.
    page_ids = (
        select(Post.id).where(*others_filter)
        .order_by(*ANSWER_ORDER).limit(per_page).offset((page - 1) * per_page)
        .scalar_subquery()
    )
    wanted = [Post.kind == "question", Post.id.in_(page_ids), *(Post.id == i for i in marked)]
    posts = session.scalars(
        select(Post).where(Post.thread_id == thread.id, or_(*wanted)).options(joinedload(Post.author))
        .order_by(Post.created_at, Post.id)
    ).unique().all()
    question = next((p for p in posts if p.kind == "question"), None)
    if question is None:
        raise NotFound("This thread has no question.")
    accepted = next((p for p in posts if p.id == thread.accepted_answer_id), None)
    official = next((p for p in posts if p.id == thread.official_answer_id), None)
    answers = sorted((p for p in posts if p.kind == "answer" and p.id not in marked),
                     key=lambda p: (-p.kudos_count, p.created_at, p.id))

    comments: dict[int, list[Post]] = defaultdict(list)
    for comment in session.scalars(
        select(Post).where(Post.kind == "comment", Post.parent_id.in_([p.id for p in posts]), visible)
        .options(joinedload(Post.author)).order_by(Post.created_at, Post.id)
    ).unique():
        comments[comment.parent_id].append(comment)

    return ThreadView(
        thread=thread, question=question, accepted=accepted, official=official,
        answers=Page(items=answers, number=page, per_page=per_page, total=total_others),
        comments=dict(comments),
    )


def answer_page(session: Session, post: Post, *, viewer: User | None = None, per_page: int = 30) -> int:
    """Which page of its thread a post is shown on (for links to a post)."""
    target = post if post.kind != "comment" else session.get(Post, post.parent_id)
    if target is None or target.kind == "question":
        return 1
    thread = session.get(Thread, target.thread_id)
    marked = [i for i in (thread.accepted_answer_id, thread.official_answer_id) if i is not None]
    if target.id in marked:
        return 1
    before = session.scalar(
        select(func.count(Post.id)).where(
            Post.thread_id == target.thread_id, Post.kind == "answer", Post.id.not_in(marked),
            visible_to(viewer),
            (Post.kudos_count > target.kudos_count)
            | ((Post.kudos_count == target.kudos_count) & (Post.created_at < target.created_at))
            | ((Post.kudos_count == target.kudos_count) & (Post.created_at == target.created_at)
               & (Post.id < target.id)),
        )
    )
    return before // per_page + 1


def record_view(session: Session, thread_id: int) -> None:
    record_views(session, {thread_id: 1})


def record_views(session: Session, counts: dict[int, int]) -> None:
    """Add views to threads (thread id → views) in one transaction, in SQL so that simultaneous
    writers all count."""
    with transaction(session):
        for thread_id, views in sorted(counts.items()):
            session.execute(update(Thread).where(Thread.id == thread_id).values(view_count=Thread.view_count + views))
