"""A board: one product category that threads are asked in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An archived board keeps its threads readable but takes no new questions.
    is_archived: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What the board calls the product a question is about ("Printer model"); None: no such field.
    product_label: Mapped[str | None] = mapped_column(String(40))
    # Unanswered routing (app/services/routing.py): invite helpers after this many hours without
    # an answer, escalate to the ticket system after that many; None switches a step off.
    invite_after_hours: Mapped[int | None] = mapped_column()
    escalate_after_hours: Mapped[int | None] = mapped_column()
    # Where an escalation goes: an e-mail address, a webhook URL, or both.
    escalation_email: Mapped[str | None] = mapped_column(String(254))
    escalation_webhook_url: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<Board {self.slug}>"
