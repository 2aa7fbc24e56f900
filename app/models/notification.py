"""Notifications: what happened that a member should hear of, what they follow, and the mail
outbox that delivers e-mail with retries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime


class Follow(Base):
    """A member following a thread or a board (exactly one of the two)."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("(thread_id IS NULL) <> (board_id IS NULL)", name="thread_or_board"),
        UniqueConstraint("user_id", "thread_id", name="uq_follows_user_thread"),
        UniqueConstraint("user_id", "board_id", name="uq_follows_user_board"),
        Index("ix_follows_thread_id", "thread_id"),
        Index("ix_follows_board_id", "board_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    """One event for one member: shown under the bell, and mailed at once or in the daily digest."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_mail_state", "mail_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # What the event needs besides the ids: a moderator's reason, a badge or rank name.
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "pending" (waits for mail or the digest), "sent", or "none" (the member wants no mail).
    mail_state: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")


class OutgoingMail(Base):
    """A message to send. Written in the transaction that caused it, sent afterwards by the
    worker (`flask notifications send`), retried with back-off until the server takes it."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The member it is for: the worker signs their unsubscribe link when it sends (None: not a
    # notification, so no unsubscribe link).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
