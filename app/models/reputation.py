"""Kudos, the reputation ledger, badges earned and "I have this question too"."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime


class Kudos(Base):
    __tablename__ = "kudos"
    # One kudos per member per post, enforced by the database so two clicks at once count once.
    __table_args__ = (
        UniqueConstraint("post_id", "giver_id", name="uq_kudos_post_giver"),
        Index("ix_kudos_giver_created", "giver_id", "created_at"),
        Index("ix_kudos_created", "created_at"),  # the dashboard's top helpers: kudos given in a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    # None only for imported votes: Stack Exchange publishes votes without the voter.
    giver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Imported votes: the key a re-run finds them by ("stackexchange:<site>:vote:<id>").
    import_key: Mapped[str | None] = mapped_column(String(120), index=True, unique=True)


class ReputationEvent(Base):
    """One change of a member's reputation; a member's reputation is the sum of their rows."""

    __tablename__ = "reputation_events"
    __table_args__ = (
        Index("ix_reputation_events_user_created", "user_id", "created_at"),
        Index("ix_reputation_events_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(String(32))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BadgeAward(Base):
    __tablename__ = "badge_awards"
    __table_args__ = (UniqueConstraint("user_id", "badge", name="uq_badge_awards_user_badge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    badge: Mapped[str] = mapped_column(String(40))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


me_too = Table(
    "me_too",
    Base.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)
