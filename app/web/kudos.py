"""Blueprint for kudos on posts and "I have this question too" on threads.

Both are button-only forms that work without JavaScript (the answer is a redirect back to the
post with a message); site.js sends the same form with fetch() and `Accept: application/json`,
and then gets {"count": n, ...} or {"error": message} with the fitting status instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Blueprint, flash, g, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import db
from app.models import Post
from app.services import kudos, me_too, thread_view
from app.services.errors import InvalidInput, NotFound
from app.web import abuse
from app.web.errors import wants_json
from app.web.template_helpers import thread_url
from app.web.threads import post_url, reputation_rules

bp = Blueprint("kudos", __name__)


def _sign_in_first(message: str, back: str):
    """A visitor pressed a button that needs an account: 401 for fetch(), else the sign-in page."""
    login = url_for("auth.login", next=back)
    if wants_json():
        return jsonify(error=str(message), sign_in=login), 401
    flash(str(message), "info")
    return redirect(login)


def _action(allowed: tuple[str, str]) -> str:
    action = request.form.get("action", allowed[0])
    if action not in allowed:
        raise InvalidInput.field("action", f"Unknown action; expected {allowed[0]!r} or {allowed[1]!r}.")
    return action


@dataclass(frozen=True)
class Toggle:
    """What differs between the two buttons: their actions, words and JSON key."""

    actions: tuple[str, str]  # (turn on, turn off)
    sign_in_message: str
    json_key: str
    on_flash: tuple[str, str]
    off_flash: tuple[str, str]


# Lazy: translated when shown, into the language of the request that shows them.
KUDOS = Toggle(("give", "take"), _l("Please sign in to give kudos."), "given",
               (_l("Kudos given. Thank you for recognising a helpful post!"), "success"),
               (_l("Your kudos is taken back."), "info"))
ME_TOO = Toggle(("add", "remove"), _l("Please sign in to say that you have this question too."), "added",
                (_l("Noted: you have this question too."), "success"),
                (_l("You are no longer counted as having this question."), "info"))


def _toggle(toggle: Toggle, *, back: str, apply: Callable[[bool], int], landing: Callable[[], str]):
    """Sign-in check, action, then JSON for fetch() or a flash and a redirect for a plain form."""
    g.error_back_url = back
    if not current_user.is_authenticated:
        return _sign_in_first(toggle.sign_in_message, back)
    on = _action(toggle.actions) == toggle.actions[0]
    count = apply(on)
    if wants_json():
        return jsonify(count=count, active=on, **{toggle.json_key: on})
    message, category = toggle.on_flash if on else toggle.off_flash
    flash(str(message), category)
    return redirect(landing())


@bp.route("/p/<int:post_id>/kudos", methods=["POST"])
@abuse.toggles
def post_kudos(post_id: int):
    """Give (action=give) or take back (action=take) kudos on a question or an answer."""
    session = db.session()

    def apply(on: bool) -> int:
        giver = current_user._get_current_object()
        if on:
            return kudos.give(session, giver, post_id=post_id, rules=reputation_rules())
        return kudos.take_back(session, giver, post_id=post_id)

    def landing() -> str:
        post = session.get(Post, post_id)
        if post is None:  # removed in the meantime
            raise NotFound("There is no such post.")
        return post_url(post)

    return _toggle(KUDOS, back=url_for("threads.post_link", post_id=post_id), apply=apply, landing=landing)


@bp.route("/t/<int:thread_id>/me-too", methods=["POST"])
@abuse.toggles
def thread_me_too(thread_id: int):
    """Add yourself to a question (action=add) or undo it (action=remove)."""
    session = db.session()

    def apply(on: bool) -> int:
        change = me_too.add if on else me_too.remove
        return change(session, current_user._get_current_object(), thread_id=thread_id)

    return _toggle(ME_TOO, back=url_for("threads.show", thread_id=thread_id), apply=apply,
                   landing=lambda: thread_url(thread_view.load_thread(session, thread_id), _anchor="me-too"))
