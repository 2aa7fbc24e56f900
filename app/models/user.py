"""The member account."""
from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.types import UTCDateTime

ROLES = ("member", "moderator", "admin")
STAFF_ROLES = ("moderator", "admin")


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'moderator', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member", server_default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # Kept equal to the sum of the member's reputation_events (see services/reputation.py).
    reputation: Mapped[int] = mapped_column(default=0, server_default="0", index=True)
    # Notification mail: "immediate", "daily" (one digest a day) or "off".
    email_notifications: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The interface language the member chose; None: the browser's Accept-Language decides.
    locale: Mapped[str | None] = mapped_column(String(16))
    # Set on members brought in by an import ("stackexchange:<site>:user:<id>"), so a re-run finds them.
    import_key: Mapped[str | None] = mapped_column(String(120), index=True, unique=True)

    @property
    def password_stamp(self) -> str:
        """Changes whenever the password does (every hash has its own salt)."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the id and the
        password stamp, so that changing the password signs out every other session
        (web/session_user.load_user refuses a stamp that is no longer the member's)."""
        return f"{self.id}:{self.password_stamp}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.id} {self.display_name!r}>"


# Display names are unique regardless of case: "Anna" beside "anna" would be impersonation.
Index("ix_users_display_name_lower", func.lower(User.display_name), unique=True)
