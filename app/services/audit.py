"""The moderation audit log: every action staff take (and every automatic hide) is one row.

Rows are only ever added; the database refuses UPDATE on the table (migration 0003).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models import ModerationAction, Post, Thread, User
from app.services.pagination import Page

# Action names as stored, with the words the log page shows for them.
ACTIONS = {
    "approve": "Approved",
    "hide": "Hid",
    "auto_hide": "Hidden by members' flags",
    "restore": "Restored",
    "request_edit": "Asked the author to edit",
    "edit": "Edited",
    "official": "Marked official",
    "unofficial": "Removed the official mark",
    "accept": "Accepted a solution for the asker",
    "unaccept": "Took back a solution for the asker",
    "lock": "Locked the thread",
    "unlock": "Unlocked the thread",
    "move": "Moved the thread",
    "merge": "Merged the thread",
    "suspend": "Suspended",
    "unsuspend": "Lifted the suspension",
    "role": "Changed the role",
    "board_create": "Created a board",
    "board_update": "Changed a board",
    "board_archive": "Archived a board",
    "board_unarchive": "Reopened a board",
    "board_reorder": "Reordered the boards",
}


def log(session: Session, action: str, *, actor_id: int | None, post: Post | None = None,
        thread_id: int | None = None, target_user_id: int | None = None, board_id: int | None = None,
        reason: str | None = None, note: str | None = None, before: str | None = None,
        after: str | None = None, now: datetime | None = None) -> ModerationAction:
    """Add one row, in the caller's transaction (so the log and the change commit together)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    entry = ModerationAction(
        action=action, actor_id=actor_id, post_id=post.id if post else None,
        thread_id=thread_id if thread_id is not None else (post.thread_id if post else None),
        target_user_id=target_user_id if target_user_id is not None else (post.author_id if post else None),
        board_id=board_id, reason=reason, note=note, before_text=before, after_text=after,
        created_at=now or datetime.now(timezone.utc),
    )
    session.add(entry)
    return entry


def entries(session: Session, *, actor_id: int | None = None, action: str | None = None,
            member_id: int | None = None, post_id: int | None = None, page: int = 1,
            per_page: int = 50) -> Page[tuple[ModerationAction, Thread | None]]:
    """The log, newest first, filtered by moderator, action, member concerned or post."""
    conditions = []
    if actor_id is not None:
        conditions.append(ModerationAction.actor_id == actor_id)
    if action:
        conditions.append(ModerationAction.action == action)
    if member_id is not None:
        conditions.append(ModerationAction.target_user_id == member_id)
    if post_id is not None:
        conditions.append(ModerationAction.post_id == post_id)
    total = session.scalar(select(func.count(ModerationAction.id)).where(*conditions))
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = session.execute(
        select(ModerationAction, Thread).outerjoin(Thread, Thread.id == ModerationAction.thread_id)
        .where(*conditions)
        .options(selectinload(ModerationAction.actor), selectinload(ModerationAction.target_user))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=[(entry, thread) for entry, thread in rows], number=page, per_page=per_page, total=total)


def staff_members(session: Session) -> list[User]:
    """Everyone who has acted in the log or holds a staff role (for the moderator filter)."""
    acted = select(ModerationAction.actor_id).where(ModerationAction.actor_id.is_not(None)).distinct()
    return list(session.scalars(
        select(User).where((User.role.in_(("moderator", "admin"))) | User.id.in_(acted)).order_by(User.display_name)
    ))
