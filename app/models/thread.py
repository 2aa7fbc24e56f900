"""A thread (one question with its answers), and the tags it carries."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.board import Board
from app.models.types import UTCDateTime
from app.models.user import User

THREAD_STATUSES = ("open", "solved")

thread_tags = Table(
    "thread_tags",
    Base.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class Thread(Base):
    __tablename__ = "threads"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'solved')", name="status"),
        Index("ix_threads_board_activity", "board_id", "last_activity_at"),
        Index("ix_threads_board_created", "board_id", "created_at"),
        Index("ix_threads_board_status_activity", "board_id", "status", "last_activity_at"),
        Index("ix_threads_board_answers_created", "board_id", "answer_count", "created_at"),
        Index("ix_threads_author_created", "author_id", "created_at"),
        Index("ix_threads_board_me_too", "board_id", "me_too_count"),
        Index("ix_threads_board_kudos", "board_id", "kudos_count"),
        Index("ix_threads_merged_into_id", "merged_into_id"),
        Index("ix_threads_board_product", "board_id", "product"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(150))
    slug: Mapped[str] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(8), default="open", server_default="open")
    is_locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The official answer: a separate mark by staff; a thread can be solved and have one too.
    official_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )
    official_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    official_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # True while the question is hidden: the thread leaves every public list.
    is_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when a moderator merged this thread into another; its address redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id"))
    view_count: Mapped[int] = mapped_column(default=0, server_default="0")
    answer_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Kudos on the question and "I have this question too": what sorting by popularity uses.
    kudos_count: Mapped[int] = mapped_column(default=0, server_default="0")
    me_too_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Product context: the model (when the board asks for one) and the OS/version, both optional.
    product: Mapped[str | None] = mapped_column(String(80))
    os_version: Mapped[str | None] = mapped_column(String(80))
    # Unanswered routing: when helpers were invited and when the thread went to the ticket system.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    board: Mapped[Board] = relationship(lazy="raise")
    author: Mapped[User] = relationship(lazy="raise", foreign_keys=[author_id])
    official_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[official_by_id])
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, lazy="raise", order_by=Tag.name)

    @property
    def is_solved(self) -> bool:
        return self.status == "solved"

    @property
    def is_listed(self) -> bool:
        """Shown in public lists: neither hidden nor merged into another thread."""
        return not self.is_hidden and self.merged_into_id is None

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.slug}>"
