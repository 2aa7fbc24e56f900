"""The search index queue: threads whose index entry must be rewritten from the database."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime


class SearchQueueEntry(Base):
    """One thread waiting for the indexer. Written in the same transaction as the change, so a
    change is never lost; deleted only after the index committed, and only if its token is still
    the one the indexer read (a change meanwhile writes a new token and keeps the row)."""

    __tablename__ = "search_queue"
    __table_args__ = (Index("ix_search_queue_queued_at", "queued_at"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
