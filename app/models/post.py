"""Posts (the question, answers, comments) and the revisions every edit keeps."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.types import UTCDateTime
from app.models.user import User

POST_KINDS = ("question", "answer", "comment")


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint("kind IN ('question', 'answer', 'comment')", name="kind"),
        Index("ix_posts_thread_kind_created", "thread_id", "kind", "created_at"),
        Index("ix_posts_author_kind_created", "author_id", "kind", "created_at"),
        Index("ix_posts_thread_kind_kudos", "thread_id", "kind", "kudos_count"),
        # One question per thread, enforced by the database.
        Index(
            "ix_posts_one_question_per_thread",
            "thread_id",
            unique=True,
            sqlite_where=text("kind = 'question'"),
            postgresql_where=text("kind = 'question'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))
    # For comments: the question or answer commented on.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kudos_count: Mapped[int] = mapped_column(default=0, server_default="0")

    author: Mapped[User] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.kind} in thread {self.thread_id}>"


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("post_id", "number", name="uq_revisions_post_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Questions keep their title with each revision, since a title edit is an edit too.
    title: Mapped[str | None] = mapped_column(String(150))
    body_source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    editor: Mapped[User] = relationship(lazy="raise")
