"""Typed SQLAlchemy mappings; importing this package registers every table on Base.metadata."""
from app.models.api_token import ApiToken
from app.models.board import Board
from app.models.dashboard import ThreadViewDay
from app.models.deflection import AskSession, AskSuggestion, SolutionFeedback
from app.models.moderation import Flag, ModerationAction
from app.models.notification import Follow, Notification, OutgoingMail
from app.models.post import POST_KINDS, REVIEW_STATES, Post, Revision
from app.models.search import SearchQueueEntry
from app.models.reputation import BadgeAward, Kudos, ReputationEvent, me_too
from app.models.routing import WebhookDelivery
from app.models.thread import THREAD_STATUSES, Tag, Thread, thread_tags
from app.models.user import ROLES, STAFF_ROLES, User

__all__ = [
    "ApiToken", "AskSession", "AskSuggestion", "BadgeAward", "Board", "Flag", "Follow", "Notification", "OutgoingMail", "Kudos", "ModerationAction", "Post", "ReputationEvent", "Revision", "SearchQueueEntry", "SolutionFeedback", "Tag", "Thread", "ThreadViewDay", "User",
    "WebhookDelivery",
    "me_too",
    "POST_KINDS", "REVIEW_STATES", "ROLES", "STAFF_ROLES", "THREAD_STATUSES", "thread_tags",
]
