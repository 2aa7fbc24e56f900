"""Loading the signed-in member for Flask-Login, and noting when members were last seen."""
from __future__ import annotations

import hmac

from flask import request
from flask_login import current_user

from app import db
from app.models import User
from app.services import accounts


def load_user(session_id: str) -> User | None:
    """The member a session names (`id:password stamp`, see User.get_id), unless their password
    changed since that session signed in."""
    user_id, _, stamp = session_id.partition(":")
    try:
        user = db.session().get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and hmac.compare_digest(user.password_stamp.encode(), stamp.encode()) else None


def touch_last_seen() -> None:
    # The JSON API never acts on the session cookie (app/api/auth.py), so it does not touch it either.
    if request.endpoint == "static" or request.blueprint == "api" or not current_user.is_authenticated:
        return
    accounts.touch_last_seen(db.session(), current_user._get_current_object())


def viewer() -> User | None:
    """The signed-in member, or None for a visitor: what services take as the viewer."""
    return current_user._get_current_object() if current_user.is_authenticated else None
