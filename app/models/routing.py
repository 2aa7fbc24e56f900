"""Escalations of unanswered threads to the company's ticket system: the webhook outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime


class WebhookDelivery(Base):
    """One signed JSON POST to send. Written in the transaction that escalated the thread, sent
    by `flask support tick`, retried with back-off until the receiver answers 2xx."""

    __tablename__ = "webhook_outbox"
    __table_args__ = (Index("ix_webhook_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(500))
    # The exact JSON sent: every retry sends the same bytes (each attempt signs them anew, with its
    # own timestamp: services/webhooks.py).
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
