"""Posts (the question, answers, comments) and the revisions every edit keeps."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.types import UTCDateTime
from app.models.user import User

POST_KINDS = ("question", "answer", "comment")
# Post-moderation: every post is live at once as "unreviewed"; staff approve or hide it afterwards.
REVIEW_STATES = ("unreviewed", "approved", "hidden")


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint("kind IN ('question', 'answer', 'comment')", name="kind"),
        CheckConstraint("review_state IN ('unreviewed', 'approved', 'hidden')", name="review_state"),
        Index("ix_posts_review_state_created", "review_state", "created_at"),
        Index("ix_posts_thread_kind_created", "thread_id", "kind", "created_at"),
        Index("ix_posts_author_kind_created", "author_id", "kind", "created_at"),
        Index("ix_posts_thread_kind_kudos", "thread_id", "kind", "kudos_count"),
        Index("ix_posts_reviewed_at", "reviewed_at"),  # the dashboard's review coverage in a period
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
    # The language the post is written in (an ISO 639-1 code): search stems its words by it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # Written while the author was a moderator or admin: the staff badge stays with the post.
    posted_as_staff: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The thread's view count when the post went live, so views since then are a subtraction.
    thread_views_at_post: Mapped[int] = mapped_column(default=0, server_default="0")

    # Review (see services/review.py for the transitions).
    review_state: Mapped[str] = mapped_column(String(10), default="unreviewed", server_default="unreviewed")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Views since the post went live at its first review: what "reviewed before 100 views" measures.
    views_at_review: Mapped[int | None]
    edited_after_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    hidden_reason: Mapped[str | None] = mapped_column(String(20))
    hidden_note: Mapped[str | None] = mapped_column(Text)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: hidden by flags
    # The solution and official marks a hidden answer held, given back when it is restored.
    hidden_accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_official_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "Please edit your post": it stays live, and the author's edit sends it back to the queue.
    edit_request_reason: Mapped[str | None] = mapped_column(Text)
    edit_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edit_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # Imported posts: the key a re-run finds them by, and the attribution CC BY-SA asks for.
    import_key: Mapped[str | None] = mapped_column(String(120), index=True, unique=True)
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_author: Mapped[str | None] = mapped_column(String(200))
    # The original author's profile on the source site, and the licence the text came under.
    source_author_url: Mapped[str | None] = mapped_column(String(500))
    source_licence: Mapped[str | None] = mapped_column(String(40))
    author: Mapped[User] = relationship(lazy="raise", foreign_keys=[author_id])

    @property
    def is_hidden(self) -> bool:
        return self.review_state == "hidden"

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
