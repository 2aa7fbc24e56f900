"""Blueprint for deflection measured from behaviour: the ask page's suggestion links (recorded,
then redirected to the thread), "Did this solve your problem?" on solved threads, and the helpers
the ask page and the similar-threads lookup call to record an ask session.

Thread pages may be shared between visitors (app/web/page_cache.py), so they carry no CSRF token
and nothing about the reader. The feedback form therefore posts directly only on members' pages;
on a visitor's page it is a GET form leading to /t/<id>/feedback, a small page whose POST form
carries the token. With JavaScript, feedback.js posts at once, with the member's <meta> token or
one fetched from /feedback/token (never cached, unreadable by other sites). Every write is a POST
checked by CSRFProtect like any other (docs/decisions.md, "Deflection").
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from functools import wraps

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request,
                   session as cookie, url_for)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import SQLAlchemyError

from app import db
from app.db import utcnow
from app.models import Thread
from app.services import deflection
from app.services.errors import InvalidInput
from app.web import abuse
from app.web.errors import wants_json
from app.web.session_user import viewer
from app.web.template_helpers import thread_url

bp = Blueprint("deflection", __name__)
log = logging.getLogger(__name__)

# In the session cookie: thread id -> token of the ask session that opened it (the last few), so
# that an answer given on that thread is linked to the session.
OPENED_KEY = "ask_opened"
OPENED_KEPT = 10
# A random name for a visitor's browser, so that their second answer on a thread replaces the first.
VOTER_COOKIE = "feedback_voter"
VOTER_COOKIE_DAYS = 365


def abandon_after() -> timedelta:
    return timedelta(minutes=current_app.config["ASK_SESSION_ABANDON_MINUTES"])


def _best_effort(default):  # noqa: ANN001, ANN202
    """Recording an ask session is measurement: when it fails, the failure is logged and the
    member carries on asking as if nothing were recorded."""
    def decorate(record):  # noqa: ANN001, ANN202
        @wraps(record)
        def wrapper(*args, **kwargs):  # noqa: ANN202
            try:
                return record(*args, **kwargs)
            except SQLAlchemyError:
                log.exception("Recording an ask session failed; carrying on without it")
                db.session().rollback()
                return default
        return wrapper
    return decorate


@_best_effort(None)
def start_ask_session(board_id: int | None) -> str | None:
    """A new ask session for the ask form being shown; its token goes into the page."""
    return deflection.start(db.session(), board_id=board_id, now=utcnow()).token


@_best_effort({})
def suggestion_links(token: str | None, title: str, threads: list[Thread], board_id: int | None) -> dict[int, str]:
    """Record the solved threads shown to the session; their links, which record the opening."""
    shown = deflection.record_shown(db.session(), token, title=title, threads=threads, board_id=board_id,
                                    now=utcnow(), abandon_after=abandon_after())
    return {thread_id: url_for("deflection.open_suggestion", token=token, thread_id=thread_id) for thread_id in shown}


@_best_effort(False)
def ask_posted(token: str | None, thread: Thread) -> bool:
    return deflection.mark_posted(db.session(), token, thread, now=utcnow(), abandon_after=abandon_after())


@_best_effort(False)
def _record_opened(token: str, thread_id: int) -> bool:
    return deflection.record_opened(db.session(), token, thread_id, now=utcnow(), abandon_after=abandon_after())


@bp.route("/ask/<token>/open/<int:thread_id>")
def open_suggestion(token: str, thread_id: int):
    """A suggestion clicked on the ask page: noted as opened, then on to the thread."""
    thread = db.session().get(Thread, thread_id)
    if thread is None:
        abort(404)
    if _record_opened(token, thread_id):
        opened = {k: v for k, v in cookie.get(OPENED_KEY, {}).items() if k != str(thread_id)}
        opened[str(thread_id)] = token
        cookie[OPENED_KEY] = dict(list(opened.items())[-OPENED_KEPT:])
    return redirect(thread_url(thread))


def _voter() -> tuple[str, str | None]:
    """Who answers: the member, else this browser's random cookie; and a new cookie value to set."""
    if current_user.is_authenticated:
        return f"member:{current_user.id}", None
    browser = request.cookies.get(VOTER_COOKIE, "")
    if 16 <= len(browser) <= 64:
        return f"browser:{browser}", None
    browser = secrets.token_urlsafe(24)
    return f"browser:{browser}", browser


def _helpful() -> bool:
    answer = request.form.get("helpful")
    if answer not in ("yes", "no"):
        raise InvalidInput.field("helpful", "Please answer Yes or No.")
    return answer == "yes"


@bp.route("/t/<int:thread_id>/feedback", methods=["GET", "POST"])
@abuse.feedback
def feedback(thread_id: int):
    """GET: the question with a form that carries a token (a visitor's shared page has none).
    POST: the answer, as JSON for feedback.js or a message and a redirect back to the thread."""
    session = db.session()
    thread = deflection.feedback_thread(session, viewer(), thread_id)
    if request.method == "GET":
        return render_template("threads/feedback.html", thread=thread, chosen=request.args.get("helpful"))
    voter, new_browser = _voter()
    deflection.answer(session, viewer(), thread_id=thread.id, helpful=_helpful(), voter=voter,
                      secret=current_app.config["SECRET_KEY"],
                      ask_token=cookie.get(OPENED_KEY, {}).get(str(thread.id)), now=utcnow())
    message = _("Thank you for your answer! It helps us show the solutions that work.")
    if wants_json():
        response = jsonify(message=message)
    else:
        flash(message, "success")
        response = redirect(thread_url(thread, _anchor="solution-feedback"))
    if new_browser:
        response.set_cookie(VOTER_COOKIE, new_browser, max_age=VOTER_COOKIE_DAYS * 86400, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/feedback/token")
def token():
    """A CSRF token for feedback.js on a shared page (other sites cannot read this answer)."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
