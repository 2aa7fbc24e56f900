"""Views per thread per UTC day: the history the support dashboard's trending list compares."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class ThreadViewDay(Base):
    """How many views a thread got on one UTC day (written by app/services/view_counts.py)."""

    __tablename__ = "thread_view_days"
    __table_args__ = (Index("ix_thread_view_days_day", "day"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    views: Mapped[int] = mapped_column(default=0, server_default="0")
