"""Members' flags on posts and the append-only log of what staff did."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.types import UTCDateTime
from app.models.user import User


class Flag(Base):
    """A member telling staff that a post is a problem; open until a moderator acts on the post."""

    __tablename__ = "flags"
    __table_args__ = (
        # Once per member per post, enforced by the database so a double click counts once.
        UniqueConstraint("post_id", "flagger_id", name="uq_flags_post_flagger"),
        Index("ix_flags_open", "resolved_at", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    flagger_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    # Experts weigh more: the weight is fixed when the flag is raised, from the flagger's rank.
    weight: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "upheld" when the post was hidden, "dismissed" when it was approved or restored.
    outcome: Mapped[str | None] = mapped_column(String(10))

    flagger: Mapped[User] = relationship(lazy="raise", foreign_keys=[flagger_id])


class ModerationAction(Base):
    """One row of the audit log. Rows are only ever added (the database refuses updates)."""

    __tablename__ = "moderation_log"
    __table_args__ = (
        Index("ix_moderation_log_created", "created_at"),
        Index("ix_moderation_log_actor_created", "actor_id", "created_at"),
        Index("ix_moderation_log_action_created", "action", "created_at"),
        Index("ix_moderation_log_target_user", "target_user_id", "created_at"),
        Index("ix_moderation_log_post", "post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the system acted (a post hidden by members' flags).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    before_text: Mapped[str | None] = mapped_column(Text)
    after_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[actor_id])
    target_user: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[target_user_id])
