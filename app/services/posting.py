"""Asking, answering, commenting and editing: the writes that make a thread."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app.db import ROW_LOCK, transaction
from app.models import Board, Post, Revision, Thread, User
from app.services import badges, follows, notifications, policies, product_context, review, search_queue, spam
from app.services.errors import Conflict, FieldErrors, Forbidden, InvalidInput, NotFound
from app.services.rendering import render_markdown
from app.services.spam import DEFAULT_SPAM_RULES, SpamRules
from app.services.tags import get_or_create_tags, parse_tags
from app.services.text import clean_body, clean_line, slugify

TITLE_MIN, TITLE_MAX = 10, 150
BODY_MAX = 30_000
# Minimum lengths per kind: a question needs enough detail to be answerable.
BODY_MIN = {"question": 20, "answer": 10, "comment": 2}
COMMENT_MAX = 2_000
DEFAULT_MAX_TAGS = 5


@dataclass(frozen=True)
class Draft:
    """What a member typed for a question, cleaned; `title` is None for answers and comments."""

    body: str
    title: str | None = None
    tags: tuple[str, ...] = ()


def _body_problems(body: str, kind: str) -> list[str]:
    limit = COMMENT_MAX if kind == "comment" else BODY_MAX
    if len(body) < BODY_MIN[kind]:
        return [f"Please write at least {BODY_MIN[kind]} characters."]
    if len(body) > limit:
        return [f"Please keep it under {limit:,} characters (this has {len(body):,})."]
    return []


def validate_question(title: str, body: str, tags: str | list[str] | None, *, max_tags: int,
                      problems: FieldErrors | None = None) -> Draft:
    """Clean and check a question; raises InvalidInput naming every field that is wrong
    (together with any `problems` the caller found already)."""
    problems = problems or FieldErrors()
    title, body = clean_line(title), clean_body(body)
    if not (TITLE_MIN <= len(title) <= TITLE_MAX):
        problems.add("title", f"The title needs {TITLE_MIN} to {TITLE_MAX} characters (it has {len(title)}).")
    for message in _body_problems(body, "question"):
        problems.add("body", message)
    tag_names, tag_problems = parse_tags(tags, limit=max_tags)
    for message in tag_problems:
        problems.add("tags", message)
    problems.raise_if_any()
    return Draft(body=body, title=title, tags=tuple(tag_names))


def validate_reply(body: str, kind: str) -> Draft:
    body = clean_body(body)
    problems = _body_problems(body, kind)
    if problems:
        raise InvalidInput({"body": problems})
    return Draft(body=body)


def _require_can_post(user: User) -> None:
    if not policies.can_post(user):
        if policies.is_suspended(user):
            raise Forbidden("Your account is suspended, so you cannot post for now.")
        raise Forbidden("Please sign in to post.")


def ask(
    session: Session, author: User, *, board_id: int, title: str, body: str,
    tags: str | list[str] | None = None, max_tags: int = DEFAULT_MAX_TAGS,
    spam_rules: SpamRules = DEFAULT_SPAM_RULES, language: str = "en",
    product: str | None = None, os_version: str | None = None,
) -> Thread:
    """Open a thread with its question; it is live at once (moderation reviews it afterwards).
    `language` is the question's (search stems its words by it): the asker's interface language.
    `product` counts only in a board with a product label; both it and `os_version` are optional."""
    _require_can_post(author)
    problems = FieldErrors()
    board = session.get(Board, board_id) if board_id else None
    if board is None:
        problems.add("board", "Please choose a board.")
    elif board.is_archived:
        problems.add("board", "This board is archived and takes no new questions; please choose another.")
    cleaned = clean_body(body)
    # A text over the length limit is refused for that; rendering it to count links would only cost time.
    too_many_links = len(cleaned) <= BODY_MAX and spam.link_problem(author, render_markdown(cleaned), spam_rules)
    if too_many_links:
        problems.add("body", too_many_links)
    context = product_context.validate(board, product, os_version, problems)
    draft = validate_question(title, body, tags, max_tags=max_tags, problems=problems)
    with transaction(session):
        board = session.get(Board, board_id, populate_existing=True)
        if board is None or board.is_archived:  # changed in the moment between the check and the write
            raise InvalidInput.field("board", "Please choose a board.")
        now = datetime.now(timezone.utc)
        thread = Thread(
            board_id=board.id, author_id=author.id, title=draft.title,
            slug=slugify(draft.title, fallback="question"), created_at=now, last_activity_at=now,
            # The label is read again here: an admin may have removed it a moment ago.
            product=context.product if board.product_label else None, os_version=context.os_version,
        )
        thread.tags = get_or_create_tags(session, list(draft.tags))
        session.add(thread)
        session.flush()
        question = _new_post(session, thread, author, "question", draft.body, now, title=draft.title,
                             language=language)
        session.flush()
        badges.check(session, [author.id], now=now)
        # Last, after every lock this transaction takes (docs/decisions.md, lock order).
        follows.add(session, author.id, thread_id=thread.id)
        notifications.new_post(session, question, thread, now=now)
    return thread


def answer(session: Session, author: User, *, thread_id: int, body: str,
           spam_rules: SpamRules = DEFAULT_SPAM_RULES, language: str = "en") -> Post:
    """Add an answer to a thread."""
    _require_can_post(author)
    draft = validate_reply(body, "answer")
    spam.check_links(author, render_markdown(draft.body), spam_rules)
    with transaction(session):
        thread = _load_thread(session, thread_id, viewer=author)
        if not policies.can_reply(author, thread):
            raise Forbidden("This thread is locked: it takes no new answers.")
        now = datetime.now(timezone.utc)
        post = _new_post(session, thread, author, "answer", draft.body, now, language=language)
        # Counted in SQL, so two answers saved at the same moment both count.
        session.execute(
            update(Thread).where(Thread.id == thread.id)
            .values(answer_count=Thread.answer_count + 1, last_activity_at=now)
        )
        badges.check(session, [author.id], now=now)
        notifications.new_post(session, post, thread, now=now)
        follows.add(session, author.id, thread_id=thread.id)
    return post


def comment(session: Session, author: User, *, post_id: int, body: str,
            spam_rules: SpamRules = DEFAULT_SPAM_RULES) -> Post:
    """Comment on a question or an answer."""
    _require_can_post(author)
    draft = validate_reply(body, "comment")
    spam.check_links(author, render_markdown(draft.body), spam_rules)
    with transaction(session):
        parent = session.get(Post, post_id)
        if parent is None or parent.kind == "comment" or not policies.can_see_post(author, parent):
            raise NotFound("There is no such question or answer to comment on.")
        thread = _load_thread(session, parent.thread_id, viewer=author)
        if not policies.can_reply(author, thread):
            raise Forbidden("This thread is locked: it takes no new comments.")
        now = datetime.now(timezone.utc)
        post = _new_post(session, thread, author, "comment", draft.body, now, parent_id=parent.id)
        session.execute(update(Thread).where(Thread.id == thread.id).values(last_activity_at=now))
        notifications.new_post(session, post, thread, now=now)
    return post


def edit(
    session: Session, editor: User, *, post_id: int, body: str, title: str | None = None,
    tags: str | list[str] | None = None, reason: str | None = None,
    base_revision: int | None = None, max_tags: int = DEFAULT_MAX_TAGS,
    spam_rules: SpamRules = DEFAULT_SPAM_RULES, product: str | None = None, os_version: str | None = None,
) -> Post:
    """Change a post; the new text becomes a revision and every earlier one is kept. A question's
    title, tags, product and OS/version change with it (None: as they are).

    `base_revision` is the revision the editor started from: if someone saved a newer one in the
    meantime, the edit is refused (Conflict) rather than silently overwriting their change.
    """
    with transaction(session):
        # The row lock serialises edits of one post, so two saves never take the same revision
        # number (PostgreSQL; SQLite's write lock, taken at BEGIN, already does this).
        post = session.get(Post, post_id, with_for_update=ROW_LOCK, populate_existing=True)
        if post is None or not policies.can_see_post(editor, post):
            raise NotFound("There is no such post.")
        thread = _load_thread(session, post.thread_id, viewer=editor)
        if not policies.can_edit(editor, post, thread):
            if policies.is_suspended(editor):
                raise Forbidden("Your account is suspended, so you cannot edit for now.")
            raise Forbidden("You can edit only your own posts, and not in a locked thread.")
        if post.kind == "question":
            problems = FieldErrors()
            board = session.get(Board, thread.board_id)
            context = product_context.validate(board, thread.product if product is None else product,
                                               thread.os_version if os_version is None else os_version, problems)
            if not board.product_label:  # the board dropped its product field: what was given stays
                context = product_context.Context(thread.product, context.os_version)
            draft = validate_question(title if title is not None else thread.title, body,
                                      tags if tags is not None else [t.name for t in thread.tags],
                                      max_tags=max_tags, problems=problems)
        else:
            draft = validate_reply(body, post.kind)
        html = render_markdown(draft.body)
        spam.check_links(editor, html, spam_rules, before=post.body_html)
        latest = session.scalar(select(func.max(Revision.number)).where(Revision.post_id == post.id)) or 0
        if base_revision is not None and base_revision != latest:
            raise Conflict("Someone saved a newer version of this post while you were editing. "
                           "Your text is below; compare it with the current version and save again.")
        unchanged = draft.body == post.body_source and (
            post.kind != "question"
            or (draft.title == thread.title and list(draft.tags) == [t.name for t in thread.tags]
                and context == product_context.Context(thread.product, thread.os_version))
        )
        if unchanged:
            return post
        now = datetime.now(timezone.utc)
        before = _as_text(thread.title if post.kind == "question" else None, post.body_source)
        old_body = post.body_source
        post.body_source, post.body_html, post.edited_at = draft.body, html, now
        notifications.mentions_added(session, post, thread, before=old_body, editor_id=editor.id, now=now)
        review.after_edit(session, post, editor, before=before, after=_as_text(draft.title, draft.body),
                          reason=clean_line(reason)[:300] or None, now=now)
        search_queue.enqueue(session, thread.id, now=now)
        if post.kind == "question":
            thread.title = draft.title
            thread.slug = slugify(draft.title, fallback="question")
            thread.tags = get_or_create_tags(session, list(draft.tags))
            thread.product, thread.os_version = context.product, context.os_version
        session.add(Revision(post_id=post.id, number=latest + 1, editor_id=editor.id, title=draft.title,
                             body_source=draft.body, reason=clean_line(reason)[:300] or None, created_at=now))
    return post


def revisions(session: Session, post_id: int, *, viewer: User | None = None) -> tuple[Post, list[Revision]]:
    """A post and all its revisions, newest first (a hidden post's only for its author and staff)."""
    post = session.get(Post, post_id)
    if post is None or not policies.can_see_post(viewer, post):
        raise NotFound("There is no such post.")
    rows = session.scalars(
        select(Revision).where(Revision.post_id == post_id)
        .options(selectinload(Revision.editor)).order_by(Revision.number.desc())
    ).all()
    return post, list(rows)


def latest_revision_number(session: Session, post_id: int) -> int:
    return session.scalar(select(func.max(Revision.number)).where(Revision.post_id == post_id)) or 0


def _as_text(title: str | None, body: str) -> str:
    """A post as one text for the audit log's before/after."""
    return f"{title}\n\n{body}" if title else body


def _load_thread(session: Session, thread_id: int, *, viewer: User) -> Thread:
    thread = session.scalars(
        select(Thread).where(Thread.id == thread_id).options(selectinload(Thread.tags))
    ).one_or_none()
    if thread is None or not policies.can_see_thread(viewer, thread):
        raise NotFound("There is no such thread.")
    if thread.merged_into_id is not None:
        raise NotFound("This thread was merged into another one; please answer there.")
    return thread


def _new_post(session: Session, thread: Thread, author: User, kind: str, body: str, now: datetime,
              *, title: str | None = None, parent_id: int | None = None, language: str = "en") -> Post:
    staff = policies.is_staff(author)
    # Staff posts need no review; theirs carry the staff badge for good.
    post = Post(thread_id=thread.id, author_id=author.id, kind=kind, parent_id=parent_id,
                body_source=body, body_html=render_markdown(body), created_at=now,
                posted_as_staff=staff, language=language,
                # Read in SQL: the thread row in this session may be older than the last view.
                thread_views_at_post=select(Thread.view_count).where(Thread.id == thread.id).scalar_subquery(),
                review_state="approved" if staff else "unreviewed",
                reviewed_at=now if staff else None, reviewed_by_id=author.id if staff else None,
                views_at_review=0 if staff else None)
    session.add(post)
    session.flush()
    search_queue.enqueue(session, thread.id, now=now)
    session.add(Revision(post_id=post.id, number=1, editor_id=author.id, title=title,
                         body_source=body, created_at=now))
    return post
