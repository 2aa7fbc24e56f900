"""Post-moderation: the review states of a post and the moves between them.

    unreviewed ──approve──▶ approved
    unreviewed / approved ──hide(reason)──▶ hidden ──restore──▶ approved

A post is live from the moment it is saved; staff review it afterwards. Nothing is deleted:
hiding keeps the post for its author (who sees the reason) and for staff. Hiding an answer
takes away its solution and official marks and whatever it earned its author, through the
reputation ledger; restoring gives all of it back. Every move is a row in the audit log.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.i18n import N_
from app.models import Flag, Post, Thread, User
from app.services import audit, notifications, official, policies, reputation, search_queue, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES, ReputationRules
from app.services.text import clean_body

# Why a post is hidden (or flagged), as stored, with the words members and staff see.
HIDE_REASONS = {
    "spam": N_("Spam"),
    "abusive": N_("Abusive or harassing"),
    "off_topic": N_("Off-topic"),
    "incorrect": N_("Incorrect or unsafe advice"),
    "terms": N_("Breaks the terms of use"),
    "competitor": N_("Promotes a competitor"),
    "other": N_("Other"),
}
# The reason of a post hidden automatically because members' flags reached the threshold.
FLAGGED = "flagged"
NOTE_MAX = 1000


def reason_label(code: str | None) -> str:
    if code == FLAGGED:
        return N_("Flagged by members, waiting for a moderator")
    return HIDE_REASONS.get(code or "", code or "")


def _require_staff(actor: User) -> None:
    if not policies.is_staff(actor):
        raise Forbidden("Only staff can review posts.")


def _load(session: Session, post_id: int) -> Post:
    post = session.get(Post, post_id, with_for_update=ROW_LOCK, populate_existing=True)
    if post is None:
        raise NotFound("There is no such post.")
    return post


def _views_since_live(session: Session, post: Post) -> int:
    views = session.scalar(select(Thread.view_count).where(Thread.id == post.thread_id)) or 0
    return max(0, views - post.thread_views_at_post)


def _mark_reviewed(session: Session, post: Post, actor_id: int, now: datetime) -> None:
    if post.views_at_review is None:  # the first review is the one coverage is measured by
        post.views_at_review = _views_since_live(session, post)
    post.reviewed_at, post.reviewed_by_id = now, actor_id


def _resolve_flags(session: Session, post_id: int, actor_id: int | None, outcome: str, now: datetime) -> None:
    session.execute(update(Flag).where(Flag.post_id == post_id, Flag.resolved_at.is_(None))
                    .values(resolved_at=now, resolved_by_id=actor_id, outcome=outcome))


def _check_note(reason: str, note: str | None) -> str | None:
    note = clean_body(note or "")[:NOTE_MAX] or None
    if reason == "other" and not note:
        raise InvalidInput.field("note", "Please say in a few words why, when the reason is “other”.")
    return note


def approve(session: Session, actor: User, *, post_id: int, now: datetime | None = None) -> Post:
    """Reviewed and fine: leaves the queue; its open flags are dismissed. A hidden post is restored."""
    _require_staff(actor)
    with transaction(session):
        post = _load(session, post_id)
        if post.is_hidden:
            raise InvalidInput.field("post", "This post is hidden; restore it instead.")
        _approve(session, post, actor, now or datetime.now(timezone.utc))
    return post


def _approve(session: Session, post: Post, actor: User, now: datetime) -> None:
    post.review_state = "approved"
    post.edited_after_approval = False
    _mark_reviewed(session, post, actor.id, now)
    _resolve_flags(session, post.id, actor.id, "dismissed", now)
    audit.log(session, "approve", actor_id=actor.id, post=post, now=now)


def approve_many(session: Session, actor: User, *, post_ids: list[int], now: datetime | None = None) -> int:
    """Approve several posts at once (hidden ones and ones already approved are left alone)."""
    _require_staff(actor)
    now = now or datetime.now(timezone.utc)
    approved = 0
    with transaction(session):
        for post_id in sorted(set(post_ids)):
            post = session.get(Post, post_id, with_for_update=ROW_LOCK, populate_existing=True)
            if post is None or post.is_hidden:
                continue
            has_flags = session.scalar(select(Flag.id).where(Flag.post_id == post.id, Flag.resolved_at.is_(None)).limit(1))
            if post.review_state == "approved" and not has_flags:
                continue
            _approve(session, post, actor, now)
            approved += 1
    return approved


def hide(session: Session, actor: User, *, post_id: int, reason: str, note: str | None = None,
         rules: ReputationRules = DEFAULT_RULES, now: datetime | None = None) -> Post:
    """Hide a post with a reason; a post hidden by flags is confirmed as hidden with this reason."""
    _require_staff(actor)
    if reason not in HIDE_REASONS:
        raise InvalidInput.field("reason", "Please choose why the post is hidden.")
    note = _check_note(reason, note)
    with transaction(session):
        post = _load(session, post_id)
        now = now or datetime.now(timezone.utc)
        if post.is_hidden:
            post.hidden_reason, post.hidden_note, post.hidden_by_id = reason, note, actor.id
        else:
            hide_post(session, post, actor_id=actor.id, reason=reason, note=note, rules=rules, now=now)
        _mark_reviewed(session, post, actor.id, now)
        _resolve_flags(session, post.id, actor.id, "upheld", now)
        audit.log(session, "hide", actor_id=actor.id, post=post, reason=reason, note=note, now=now)
        notifications.moderated(session, post, "post_hidden", actor_id=actor.id,
                                detail=reason_label(reason) + (f" — {note}" if note else ""), now=now)
    return post


def hide_post(session: Session, post: Post, *, actor_id: int | None, reason: str, note: str | None,
              rules: ReputationRules, now: datetime) -> None:
    """Take a visible post out of sight, with its marks, counts and earnings (caller's transaction)."""
    thread = session.get(Thread, post.thread_id, with_for_update=ROW_LOCK, populate_existing=True)
    reputation.lock_members(session, post.author_id, thread.author_id)  # whose points may move below
    if post.kind == "answer":
        if thread.accepted_answer_id == post.id:
            post.hidden_accepted_by_id = thread.accepted_by_id
            solutions.set_solution(session, thread, None, actor_id, rules, now)
        if thread.official_answer_id == post.id:
            post.hidden_official_by_id = thread.official_by_id
            official.set_official(session, thread, None, actor_id, rules, now)
        thread.answer_count = max(0, thread.answer_count - 1)
    elif post.kind == "question":
        thread.is_hidden = True
    reputation.reverse(session, user_id=post.author_id, post_id=post.id, reason="post_hidden",
                       actor_id=actor_id, now=now)
    search_queue.enqueue(session, thread.id, now=now)
    post.review_state = "hidden"
    post.hidden_reason, post.hidden_note, post.hidden_at, post.hidden_by_id = reason, note, now, actor_id


def restore(session: Session, actor: User, *, post_id: int, rules: ReputationRules = DEFAULT_RULES,
            now: datetime | None = None) -> Post:
    """Bring a hidden post back, approved, with what hiding took away (marks only if still free)."""
    _require_staff(actor)
    with transaction(session):
        post = _load(session, post_id)
        if not post.is_hidden:
            raise InvalidInput.field("post", "This post is not hidden.")
        now = now or datetime.now(timezone.utc)
        thread = session.get(Thread, post.thread_id, with_for_update=ROW_LOCK, populate_existing=True)
        reputation.lock_members(session, post.author_id, thread.author_id)
        post.review_state = "approved"
        reputation.reverse(session, user_id=post.author_id, post_id=post.id, reason="post_restored",
                           actor_id=actor.id, now=now)
        search_queue.enqueue(session, thread.id, now=now)
        if post.kind == "answer":
            thread.answer_count += 1
            if post.hidden_accepted_by_id is not None and thread.accepted_answer_id is None:
                solutions.set_solution(session, thread, post, post.hidden_accepted_by_id, rules, now)
            if post.hidden_official_by_id is not None and thread.official_answer_id is None:
                official.set_official(session, thread, post, post.hidden_official_by_id, rules, now)
        elif post.kind == "question":
            thread.is_hidden = False
        post.hidden_accepted_by_id = post.hidden_official_by_id = None
        post.hidden_reason = post.hidden_note = post.hidden_at = post.hidden_by_id = None
        post.edited_after_approval = False
        _mark_reviewed(session, post, actor.id, now)
        _resolve_flags(session, post.id, actor.id, "dismissed", now)
        audit.log(session, "restore", actor_id=actor.id, post=post, now=now)
        notifications.moderated(session, post, "post_restored", actor_id=actor.id, now=now)
    return post


def request_edit(session: Session, actor: User, *, post_id: int, reason: str,
                 now: datetime | None = None) -> Post:
    """Ask the author to correct the post: it stays live, leaves the queue, and comes back to it
    when the author edits (correcting instead of silencing)."""
    _require_staff(actor)
    reason = clean_body(reason or "")[:NOTE_MAX]
    if len(reason) < 5:
        raise InvalidInput.field("reason", "Please tell the author what to change (at least a few words).")
    with transaction(session):
        post = _load(session, post_id)
        if post.is_hidden:
            raise InvalidInput.field("post", "This post is hidden; restore it first, or leave it hidden.")
        now = now or datetime.now(timezone.utc)
        post.edit_request_reason, post.edit_requested_at, post.edit_requested_by_id = reason, now, actor.id
        _mark_reviewed(session, post, actor.id, now)
        _resolve_flags(session, post.id, actor.id, "upheld", now)
        audit.log(session, "request_edit", actor_id=actor.id, post=post, note=reason, now=now)
        notifications.moderated(session, post, "edit_requested", actor_id=actor.id, detail=reason, now=now)
    return post


def after_edit(session: Session, post: Post, editor: User, *, before: str, after: str, reason: str | None,
               now: datetime) -> None:
    """What an edit means for review (caller's transaction).

    The author's edit of an approved post, or of one staff asked them to edit, sends it back to
    the queue; an author's edit of a hidden post puts it in front of staff again (still hidden).
    A moderator's edit of someone else's post goes into the audit log with both texts.
    """
    if editor.id == post.author_id and not policies.is_staff(editor):
        if post.edit_requested_at is not None:
            post.edit_request_reason = post.edit_requested_at = post.edit_requested_by_id = None
            if post.review_state == "approved":
                post.review_state = "unreviewed"
        elif post.review_state == "approved":
            post.review_state = "unreviewed"
            post.edited_after_approval = True
    elif editor.id != post.author_id:
        audit.log(session, "edit", actor_id=editor.id, post=post, note=reason, before=before, after=after, now=now)
