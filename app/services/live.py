"""Live thread updates: the state a reader's thread page started from, what appeared since, and the
new posts themselves, always as that reader may see them.

A page carries a `Since` token: the newest post id it could show (over the whole thread, not only
its page of answers) and the marks it showed (accepted solution, official answer, solved). Post ids
only grow, so "new" is simply "visible and id above the token", and what a poll reports depends on
nothing but the posts and marks the reader can see: a hidden post, a view count or a kudos changes
nothing. No column is needed for it: the count runs on ix_posts_thread_kind_created.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.models import Post, Thread, User
from app.services import policies
from app.services.errors import InvalidInput, NotFound
from app.services.thread_view import visible_to

_TOKEN = re.compile(r"(\d{1,10})\.(\d{1,10})\.(\d{1,10})\.([01])")
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Since:
    """Where a reader's page stands: the newest post it knows and the marks it shows."""

    post_id: int
    accepted_id: int | None
    official_id: int | None
    solved: bool

    @property
    def token(self) -> str:
        return f"{self.post_id}.{self.accepted_id or 0}.{self.official_id or 0}.{int(self.solved)}"

    @classmethod
    def parse(cls, token: str | None) -> Since:
        found = _TOKEN.fullmatch(token or "")
        # Ids stop where an INTEGER column does (as in the app's URL converter).
        if found is None or any(int(part) > MAX_ID for part in found.groups()[:3]):
            raise InvalidInput.field("since", "The page's update marker is not valid; reload the page.")
        post_id, accepted, official, solved = found.groups()
        return cls(int(post_id), int(accepted) or None, int(official) or None, solved == "1")

    @classmethod
    def of(cls, thread: Thread, post_id: int) -> Since:
        return cls(post_id, thread.accepted_answer_id, thread.official_answer_id, thread.is_solved)


@dataclass(frozen=True)
class Updates:
    """What a reader's page lacks. `merged_into_id` set: the thread lives elsewhere now."""

    new_answers: int = 0
    new_comments: int = 0
    marks_changed: bool = False
    solved: bool = False
    accepted_id: int | None = None
    official_id: int | None = None
    merged_into_id: int | None = None

    @property
    def anything(self) -> bool:
        return bool(self.new_answers or self.new_comments or self.marks_changed or self.merged_into_id)


@dataclass
class NewPosts:
    """The posts to add to a reader's page: new answers (with their comments) and, for posts already
    on the page, the full list of their comments when one of them is new."""

    thread: Thread
    answers: list[Post]
    parents: list[Post]  # questions or older answers that got new comments
    comments: dict[int, list[Post]]  # parent id → all visible comments, oldest first
    since: Since

    def comments_for(self, post: Post) -> list[Post]:
        """The page's partial for a post (templates/threads/_post.html) reads comments this way."""
        return self.comments.get(post.id, [])


def _new_filters(thread_id: int, since: Since, viewer: User | None, kind: str) -> tuple:
    visible = visible_to(viewer)
    filters = (Post.thread_id == thread_id, Post.kind == kind, Post.id > since.post_id, visible)
    if kind == "comment":
        # A comment under a post the reader cannot see is not on their page either.
        filters += (Post.parent_id.in_(select(Post.id).where(Post.thread_id == thread_id, visible)),)
    return filters


def _visible_thread(thread: Thread | None, viewer: User | None) -> Thread:
    if thread is None or not policies.can_see_thread(viewer, thread):
        raise NotFound("There is no such thread.")
    return thread


def page_state(session: Session, thread: Thread, viewer: User | None) -> Since:
    """The token for a thread page rendered now for `viewer` (one small query)."""
    newest = session.scalar(
        select(func.max(Post.id)).where(Post.thread_id == thread.id, visible_to(viewer))
    )
    return Since.of(thread, newest or 0)


def updates(session: Session, thread_id: int, *, viewer: User | None, since: Since) -> Updates:
    """What appeared on the thread since `since`, as `viewer` may see it: one query, the thread row
    with two counts. Raises NotFound for a missing thread or one the viewer may not see."""
    counts = [
        select(func.count(Post.id)).where(*_new_filters(thread_id, since, viewer, kind)).scalar_subquery()
        for kind in ("answer", "comment")
    ]
    row = session.execute(select(Thread, *counts).where(Thread.id == thread_id)).one_or_none()
    thread = _visible_thread(row[0] if row else None, viewer)
    if thread.merged_into_id is not None:
        return Updates(merged_into_id=thread.merged_into_id)
    now = Since.of(thread, since.post_id)
    return Updates(
        new_answers=row[1], new_comments=row[2], marks_changed=now != since, solved=thread.is_solved,
        accepted_id=thread.accepted_answer_id, official_id=thread.official_answer_id,
    )


def new_posts(session: Session, thread_id: int, *, viewer: User | None, since: Since) -> NewPosts:
    """The posts behind `updates()`, loaded to be rendered, and the token the page has after
    showing them."""
    thread = _visible_thread(session.get(Thread, thread_id), viewer)
    if thread.merged_into_id is not None:
        raise NotFound("This thread was merged into another one.")
    answers = session.scalars(
        select(Post).where(*_new_filters(thread_id, since, viewer, "answer"))
        .options(joinedload(Post.author)).order_by(Post.created_at, Post.id)
    ).unique().all()
    new_comments = session.scalars(select(Post).where(*_new_filters(thread_id, since, viewer, "comment"))).all()
    newest = max([since.post_id, *(p.id for p in answers), *(c.id for c in new_comments)])
    answer_ids = {a.id for a in answers}
    parent_ids = {c.parent_id for c in new_comments} - answer_ids
    parents = session.scalars(select(Post).where(Post.id.in_(parent_ids)).order_by(Post.id)).all()
    comments: dict[int, list[Post]] = {}
    for comment in session.scalars(
        select(Post).where(Post.kind == "comment", Post.parent_id.in_(answer_ids | parent_ids),
                           Post.id <= newest, visible_to(viewer))
        .options(joinedload(Post.author)).order_by(Post.created_at, Post.id)
    ).unique():
        comments.setdefault(comment.parent_id, []).append(comment)
    return NewPosts(thread=thread, answers=list(answers), parents=list(parents), comments=comments,
                    since=Since(newest, since.accepted_id, since.official_id, since.solved))
