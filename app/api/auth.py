"""Who calls the API: the member of the personal token in `Authorization: Bearer <token>`.

The session cookie is never read here. A browser on the site sends its cookie with any request a
hostile page makes, so an API that took the cookie would need CSRF protection; taking only a
token that the browser never attaches by itself makes CSRF impossible.
"""
from __future__ import annotations

from functools import wraps

from flask import g, request

from app import db
from app.api.errors import ApiProblem
from app.models import User
from app.services import api_tokens

_UNSET = object()
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="peerdesk"'}
INVALID = {"WWW-Authenticate": 'Bearer realm="peerdesk", error="invalid_token"'}


def _bearer_secret() -> str | None:
    """The token sent, None when no Authorization header came; a malformed header is a 401."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiProblem(401, "Send your API token as 'Authorization: Bearer <token>'.", headers=INVALID)
    return secret.strip()


def api_user() -> User | None:
    """The token's member, None for a call without a token. An unknown or revoked token is a 401
    even where no token is needed: a client that sends one means to act as someone."""
    cached = g.get("api_user", _UNSET)
    if cached is not _UNSET:
        return cached
    secret = _bearer_secret()
    user = api_tokens.authenticate(db.session(), secret) if secret is not None else None
    if secret is not None and user is None:
        raise ApiProblem(401, "This API token is unknown or was revoked.", headers=INVALID)
    g.api_user = user
    return user


def api_user_or_none() -> User | None:
    """For rate-limit keys: the member, or None whatever is wrong with the token."""
    try:
        return api_user()
    except ApiProblem:
        return None


def token_required(view):
    """Writes need a valid token (the 401 names what to send)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            raise ApiProblem(401, "This needs a personal API token: create one under Account settings → "
                                  "API tokens and send it as 'Authorization: Bearer <token>'.", headers=CHALLENGE)
        return view(*args, **kwargs)
    return wrapper
