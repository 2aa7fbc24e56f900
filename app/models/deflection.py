"""Deflection measured from behaviour: what a member typing a question was shown and opened,
whether they posted or gave up, and visitors' "Did this solve your problem?" answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime


class AskSession(Base):
    """One visit to the ask form. Anonymous: no user id, only the title's search terms."""

    __tablename__ = "ask_sessions"
    __table_args__ = (
        CheckConstraint("outcome IN ('open', 'posted')", name="outcome"),
        # The dashboard picks the sessions that ended in a period by their last event.
        Index("ix_ask_sessions_last_seen", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A random token the browser holds; events name the session by it.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("boards.id", ondelete="SET NULL"))
    # The search terms of the last title typed (stop words and punctuation gone), nothing else.
    terms: Mapped[str] = mapped_column(String(200), default="", server_default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "open" until the question is posted. "Abandoned" is not stored: it is an open session idle
    # longer than ASK_SESSION_ABANDON_MINUTES, decided when read (app/services/deflection.py).
    outcome: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    posted_thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))


class AskSuggestion(Base):
    """A solved thread suggested in an ask session: shown, perhaps opened, perhaps marked helpful."""

    __tablename__ = "ask_suggestions"
    __table_args__ = (
        UniqueConstraint("session_id", "thread_id", name="uq_ask_suggestions_session_thread"),
        Index("ix_ask_suggestions_thread_id", "thread_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("ask_sessions.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SolutionFeedback(Base):
    """One "Did this solve your problem?" answer on a solved thread, from anyone, account or not."""

    __tablename__ = "solution_feedback"
    __table_args__ = (
        UniqueConstraint("thread_id", "voter_key", name="uq_solution_feedback_thread_voter"),
        Index("ix_solution_feedback_created", "created_at"),
        # The dashboard's funnel asks, per ask session, whether a "Yes" came from it.
        Index("ix_solution_feedback_ask_session_id", "ask_session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    helpful: Mapped[bool] = mapped_column()
    # A keyed hash naming one voter per thread (member id or browser cookie), so a second answer
    # replaces the first; it cannot be turned back into who voted.
    voter_key: Mapped[str] = mapped_column(String(64))
    # Set when the answer came from an ask session that had opened this thread as a suggestion.
    ask_session_id: Mapped[int | None] = mapped_column(ForeignKey("ask_sessions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
