"""The review queue: what staff should look at next, riskiest first, and why.

The queue holds every post not yet reviewed (unless its author was asked to edit it), every post
with open flags, and every hidden post its author has edited since (a correction to look at).
Each item gets a risk score, the sum of the parts below; the queue page shows the parts, so a
moderator sees why an item is on top. The weights are documented in docs/moderation.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from app.models import Flag, Post, Thread
from app.services import flags as flag_service
from app.services import spam
from app.services.pagination import Page
from app.services.spam import DEFAULT_SPAM_RULES, SpamRules

TABS = ("review", "edits", "hidden")

FLAG_POINTS = 10           # per unit of open flag weight
AUTO_HIDDEN_POINTS = 20    # hidden by members' flags, waiting for a moderator's decision
VIEW_POINTS = 4            # times log2(1 + views since the post went live)
LINK_POINTS, LINK_CAP = 3, 5
NEW_ACCOUNT_POINTS = ((1, 8), (7, 5), (30, 2))  # (younger than N days, points), first match wins
FIRST_POST_POINTS, FEW_POSTS_POINTS, FEW_POSTS = 6, 3, 5
EARLIER_HIDDEN_POINTS, EARLIER_HIDDEN_CAP = 5, 3
EDITED_AFTER_APPROVAL_POINTS = 4
EDITED_WHILE_HIDDEN_POINTS = 6
TRUSTED_REPUTATION, TRUSTED_POINTS = 200, -5
WAITING_POINTS_PER_DAY, WAITING_CAP_DAYS = 1, 10
# Per spam signal (services/spam.py): more than a first post by a brand-new account with links
# (about 20), so a post that trips one is looked at before ordinary new posts.
SPAM_SIGNAL_POINTS = 25


@dataclass
class QueueItem:
    post: Post
    thread: Thread
    views: int
    flags: list[Flag] = field(default_factory=list)
    author_posts: int = 0
    author_hidden: int = 0
    repeats: int = 0  # other posts with exactly this text (spam.repeat_counts)
    score: float = 0.0
    reasons: list[tuple[str, float]] = field(default_factory=list)

    @property
    def flag_summary(self) -> list[tuple[str, int]]:
        return flag_service.summary(self.flags)

    @property
    def links(self) -> int:
        return spam.link_count(self.post.body_html)


@dataclass(frozen=True)
class QueueStats:
    to_review: int
    flagged: int
    waiting_for_edit: int
    hidden: int
    oldest_unreviewed_at: datetime | None


def score(item: QueueItem, now: datetime, rules: SpamRules = DEFAULT_SPAM_RULES) -> tuple[float, list[tuple[str, float]]]:
    """The risk score of one item and its parts, largest first (pure: the tests call it directly)."""
    post, author = item.post, item.post.author
    parts: list[tuple[str, float]] = [(f"Spam signal: {signal}", SPAM_SIGNAL_POINTS)
                                      for signal in spam.signals(post, repeats=item.repeats, rules=rules)]
    weight = sum(f.weight for f in item.flags)
    if weight:
        parts.append((f"Flagged ({weight} weight)", FLAG_POINTS * weight))
    if post.is_hidden and post.hidden_by_id is None:
        parts.append(("Hidden by flags, waiting for a decision", AUTO_HIDDEN_POINTS))
    if item.views:
        parts.append((f"{item.views:,} views since it went live", round(VIEW_POINTS * math.log2(1 + item.views), 1)))
    if item.links:
        parts.append((f"{item.links} link{'s' if item.links != 1 else ''} or image{'s' if item.links != 1 else ''}",
                      LINK_POINTS * min(item.links, LINK_CAP)))
    age_days = (now - author.created_at).total_seconds() / 86400
    for days, points in NEW_ACCOUNT_POINTS:
        if age_days < days:
            parts.append((f"Account younger than {days} day{'s' if days != 1 else ''}", points))
            break
    if item.author_posts <= 1:
        parts.append(("The member's first post", FIRST_POST_POINTS))
    elif item.author_posts < FEW_POSTS:
        parts.append((f"The member has only {item.author_posts} posts", FEW_POSTS_POINTS))
    if item.author_hidden:
        parts.append((f"{item.author_hidden} earlier hidden post{'s' if item.author_hidden != 1 else ''}",
                      EARLIER_HIDDEN_POINTS * min(item.author_hidden, EARLIER_HIDDEN_CAP)))
    if post.edited_after_approval:
        parts.append(("Edited after it was approved", EDITED_AFTER_APPROVAL_POINTS))
    if post.is_hidden and post.edited_at and post.hidden_at and post.edited_at > post.hidden_at:
        parts.append(("Edited by the author since it was hidden", EDITED_WHILE_HIDDEN_POINTS))
    if (author.reputation or 0) >= TRUSTED_REPUTATION:
        parts.append(("Trusted author (reputation)", TRUSTED_POINTS))
    waiting = min((now - post.created_at).total_seconds() / 86400, WAITING_CAP_DAYS)
    if waiting >= 1:
        parts.append((f"Waiting {int(waiting)} day{'s' if int(waiting) != 1 else ''}", round(WAITING_POINTS_PER_DAY * waiting, 1)))
    parts.sort(key=lambda part: -abs(part[1]))
    return round(sum(points for _, points in parts), 1), parts


def _open_flag_posts():
    return select(Flag.post_id).where(Flag.resolved_at.is_(None))


def _review_condition():
    return or_(
        and_(Post.review_state == "unreviewed", Post.edit_requested_at.is_(None)),
        Post.id.in_(_open_flag_posts()),
        and_(Post.review_state == "hidden", Post.edited_at > Post.hidden_at),
    )


def size(session: Session) -> int:
    """How many posts wait in the "review" tab."""
    return session.scalar(select(func.count(Post.id)).where(_review_condition()))


def stats(session: Session) -> QueueStats:
    """The numbers the queue shows at the top (and the dashboard will reuse)."""
    to_review = size(session)
    flagged = session.scalar(select(func.count(func.distinct(Flag.post_id))).where(Flag.resolved_at.is_(None)))
    waiting = session.scalar(select(func.count(Post.id)).where(Post.edit_requested_at.is_not(None),
                                                               Post.review_state != "hidden"))
    hidden = session.scalar(select(func.count(Post.id)).where(Post.review_state == "hidden"))
    oldest = session.scalar(select(func.min(Post.created_at)).where(Post.review_state == "unreviewed",
                                                                    Post.edit_requested_at.is_(None)))
    return QueueStats(to_review, flagged, waiting, hidden, oldest)


def queue(session: Session, *, tab: str = "review", page: int = 1, per_page: int = 20,
          now: datetime | None = None, rules: SpamRules = DEFAULT_SPAM_RULES) -> Page[QueueItem]:
    """One page of a queue tab: "review" riskiest first, "edits" (waiting for the author's edit)
    oldest request first, "hidden" most recently hidden first."""
    now = now or datetime.now(timezone.utc)
    tab = tab if tab in TABS else "review"
    query = select(Post, Thread).join(Thread, Thread.id == Post.thread_id).options(joinedload(Post.author))
    if tab == "review":
        rows = session.execute(query.where(_review_condition())).unique().all()
        items = _enrich(session, rows)
        for item in items:
            item.score, item.reasons = score(item, now, rules)
        items.sort(key=lambda item: (-item.score, item.post.created_at, item.post.id))
        total = len(items)
        page = min(max(page, 1), max(1, -(-total // per_page)))
        return Page(items=items[(page - 1) * per_page: page * per_page], number=page, per_page=per_page, total=total)
    if tab == "edits":
        condition = and_(Post.edit_requested_at.is_not(None), Post.review_state != "hidden")
        order = (Post.edit_requested_at, Post.id)
    else:
        condition, order = Post.review_state == "hidden", (Post.hidden_at.desc(), Post.id.desc())
    total = session.scalar(select(func.count(Post.id)).where(condition))
    page = min(max(page, 1), max(1, -(-total // per_page)))
    rows = session.execute(query.where(condition).order_by(*order).limit(per_page)
                           .offset((page - 1) * per_page)).unique().all()
    return Page(items=_enrich(session, rows), number=page, per_page=per_page, total=total)


def item_for(session: Session, post_id: int, now: datetime | None = None,
             rules: SpamRules = DEFAULT_SPAM_RULES) -> QueueItem | None:
    """One post as a queue item (for the review page of a single post)."""
    rows = session.execute(select(Post, Thread).join(Thread, Thread.id == Post.thread_id)
                           .options(joinedload(Post.author)).where(Post.id == post_id)).unique().all()
    if not rows:
        return None
    item = _enrich(session, rows)[0]
    item.score, item.reasons = score(item, now or datetime.now(timezone.utc), rules)
    return item


def _enrich(session: Session, rows) -> list[QueueItem]:
    """Views, open flags, the authors' post and hidden-post counts and repeated texts, in four
    queries for all rows."""
    items = [QueueItem(post=post, thread=thread, views=max(0, thread.view_count - post.thread_views_at_post))
             for post, thread in rows]
    if not items:
        return items
    post_ids = [item.post.id for item in items]
    author_ids = {item.post.author_id for item in items}
    open_flags: dict[int, list[Flag]] = {}
    for flag in session.scalars(select(Flag).where(Flag.post_id.in_(post_ids), Flag.resolved_at.is_(None))
                                .options(joinedload(Flag.flagger)).order_by(Flag.created_at)):
        open_flags.setdefault(flag.post_id, []).append(flag)
    counts = {author_id: (posts, hidden) for author_id, posts, hidden in session.execute(
        select(Post.author_id, func.count(Post.id), func.count(Post.id).filter(Post.review_state == "hidden"))
        .where(Post.author_id.in_(author_ids)).group_by(Post.author_id)
    )}
    repeats = spam.repeat_counts(session, [item.post for item in items])
    for item in items:
        item.repeats = repeats.get(item.post.id, 0)
        item.flags = open_flags.get(item.post.id, [])
        posts, hidden = counts.get(item.post.author_id, (0, 0))
        item.author_posts = posts
        # Earlier hidden posts: the post itself does not count against its author twice.
        item.author_hidden = hidden - (1 if item.post.is_hidden else 0)
    return items


def context_posts(session: Session, post: Post) -> list[Post]:
    """What a post answers: its thread's question, and for a comment the post it comments on."""
    wanted = [] if post.kind == "question" else [and_(Post.thread_id == post.thread_id, Post.kind == "question")]
    if post.kind == "comment":
        wanted.append(Post.id == post.parent_id)
    if not wanted:
        return []
    return list(session.scalars(select(Post).where(or_(*wanted)).options(joinedload(Post.author))
                                .order_by(Post.created_at, Post.id)).unique())
