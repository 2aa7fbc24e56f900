"""Personal API tokens: creating one (shown once), listing, revoking, and finding the member a
token sent to the JSON API belongs to. Only a SHA-256 hash of each token is stored."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import transaction
from app.models import User
from app.models.api_token import ApiToken
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.text import clean_line

TOKEN_PREFIX = "pd_"
# Shown in the token list so a member can tell tokens apart; far too short to guess the rest.
SHOWN_CHARS = 10
NAME_MAX = 60
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token: a busy script must not write on every call.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    """A token just made: `secret` is the only time the plain token exists outside its owner."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create(session: Session, owner: User, *, name: str, now: datetime | None = None) -> NewToken:
    """Make a token for `owner` named `name`; the plain token is returned once and never stored."""
    if owner is None or not getattr(owner, "is_authenticated", False):
        raise Forbidden("Please sign in to create an API token.")
    cleaned = clean_line(name)
    if not cleaned:
        raise InvalidInput.field("name", "Please give the token a name, such as the script that uses it.")
    if len(cleaned) > NAME_MAX:
        raise InvalidInput.field("name", f"Please keep the name under {NAME_MAX} characters.")
    now = now or datetime.now(timezone.utc)
    with transaction(session):
        active = session.scalar(select(func.count(ApiToken.id)).where(
            ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None)))
        if active >= MAX_ACTIVE_TOKENS:
            raise InvalidInput.field("name", f"You have {MAX_ACTIVE_TOKENS} tokens already; please revoke one "
                                             "you no longer use first.")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(user_id=owner.id, name=cleaned, token_hash=hash_token(secret),
                         prefix=secret[:SHOWN_CHARS], created_at=now)
        session.add(token)
    return NewToken(token=token, secret=secret)


def active_tokens(session: Session, owner: User) -> list[ApiToken]:
    """The member's tokens that still work, newest first."""
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke(session: Session, owner: User, *, token_id: int, now: datetime | None = None) -> ApiToken:
    """Stop a token from working at once. Revoking twice is harmless; another member's token is
    "not found" (its existence is not theirs to learn)."""
    now = now or datetime.now(timezone.utc)
    with transaction(session):
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != owner.id:
            raise NotFound("There is no such token.")
        if token.revoked_at is None:
            token.revoked_at = now
    return token


def authenticate(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The member a token belongs to, or None for an unknown or revoked token. Notes the use."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = hash_token(secret)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by an unguessable hash; comparing again in constant time costs nothing.
    if token is None or token.revoked_at is not None or not hmac.compare_digest(token.token_hash, digest):
        return None
    user = session.get(User, token.user_id)
    if user is None:
        return None
    now = now or datetime.now(timezone.utc)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        with transaction(session):
            # A plain UPDATE: two requests with one token at the same moment both simply succeed.
            session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        user = session.get(User, token.user_id)
    return user
