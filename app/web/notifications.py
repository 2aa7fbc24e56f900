"""Blueprint for notifications: the page, the bell's unread count (polled by static/js/bell.js),
following threads and boards, and the unsubscribe link of notification mail."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import db
from app.models import Board, Post, Thread
from app.services import follows, mail_outbox, notifications
from app.services.mail_outbox import BadUnsubscribeLink
from app.services.pagination import clamp_page
from app.web.form_errors import translated
from app.web.template_helpers import thread_url, user_url

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _helpers() -> dict:
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return notifications.unread_count(db.session(), current_user.id)

    def is_following(*, thread_id: int | None = None, board_id: int | None = None) -> bool:
        return follows.is_following(db.session(), current_user, thread_id=thread_id, board_id=board_id)

    return {"unread_notifications": unread_notifications, "is_following": is_following}


@bp.route("/notifications")
@login_required
def index():
    number = clamp_page(request.args.get("page", 1, type=int))
    page = notifications.page(db.session(), current_user.id, number)
    return render_template("notifications/index.html", page=page)


@bp.route("/notifications/unread.json")
@login_required
def unread():
    """{"unread": n}, with an ETag of n: a poll that finds nothing new is a 304 without a body."""
    count = notifications.unread_count(db.session(), current_user.id)
    response = jsonify(unread=count)
    response.set_etag(f"unread-{count}")
    # Each member's own answer: never kept by a shared cache, always asked again (with If-None-Match).
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Vary"] = "Cookie"
    return response.make_conditional(request)


# The id rides in the query string, like the tokens of account links: /notifications/open?n=12.
@bp.route("/notifications/open")
@login_required
def open_item():
    """Mark the notification read and go to what it is about."""
    session = db.session()
    notification_id = request.args.get("n", type=int)
    notification = (notifications.open_one(session, current_user.id, notification_id)
                    if notification_id is not None and 0 < notification_id < 2**31 else None)
    if notification is None:
        flash(_("That notification is no longer there."), "info")
        return redirect(url_for(".index"))
    if notification.post_id is not None:
        post = session.get(Post, notification.post_id)
        if post is not None:
            return redirect(url_for("threads.post_link", post_id=post.id))
    if notification.thread_id is not None:
        thread = session.get(Thread, notification.thread_id)
        if thread is not None:
            return redirect(thread_url(thread))
    return redirect(user_url(current_user))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    notifications.mark_all_read(db.session(), current_user.id)
    flash(_("All notifications are marked read."), "success")
    return redirect(url_for(".index"))


def _follow_action() -> bool:
    return request.form.get("action", "follow") != "unfollow"


@bp.route("/t/<int:thread_id>/follow", methods=["POST"])
@login_required
def follow_thread(thread_id: int):
    session = db.session()
    if _follow_action():
        follows.follow(session, current_user, thread_id=thread_id)
        flash(_("You follow this thread: you hear of new answers and comments."), "success")
    else:
        follows.unfollow(session, current_user, thread_id=thread_id)
        flash(_("You no longer follow this thread."), "info")
    thread = session.get(Thread, thread_id)
    return redirect(thread_url(thread))


@bp.route("/b/<int:board_id>/follow", methods=["POST"])
@login_required
def follow_board(board_id: int):
    session = db.session()
    if _follow_action():
        follows.follow(session, current_user, board_id=board_id)
        flash(_("You follow this board: you hear of new questions in it."), "success")
    else:
        follows.unfollow(session, current_user, board_id=board_id)
        flash(_("You no longer follow this board."), "info")
    return redirect(url_for("boards.board", slug=session.get(Board, board_id).slug))


# The token (in the query string, or the page's form) names the member, signed with the site's
# secret: it works signed out. The GET only shows a button (link checkers in mail programs open
# links); the button's POST carries a CSRF token like every other form, which is why the mail has
# no RFC 8058 one-click header (docs/decisions.md).
@bp.route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe():
    secret, session = current_app.config["SECRET_KEY"], db.session()
    token = request.values.get("token", "")
    try:
        if request.method == "POST":
            user = mail_outbox.unsubscribe(session, secret, token)
            done = True
        else:
            user = mail_outbox.member_of(session, secret, token)
            done = False
    except BadUnsubscribeLink as exc:
        return render_template("notifications/unsubscribe.html", problem=translated(exc.message), token=None), 400
    return render_template("notifications/unsubscribe.html", problem=None, token=token, done=done,
                           already_off=user.email_notifications == "off")
