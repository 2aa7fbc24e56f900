"""Typed SQLAlchemy mappings; importing this package registers every table on Base.metadata."""
from app.models.board import Board
from app.models.post import POST_KINDS, Post, Revision
from app.models.reputation import BadgeAward, Kudos, ReputationEvent, me_too
from app.models.thread import THREAD_STATUSES, Tag, Thread, thread_tags
from app.models.user import ROLES, User

__all__ = [
    "BadgeAward", "Board", "Kudos", "Post", "ReputationEvent", "Revision", "Tag", "Thread", "User",
    "me_too",
    "POST_KINDS", "ROLES", "THREAD_STATUSES", "thread_tags",
]
