"""Blueprint for live thread pages: the small JSON a reader's thread page polls (with ETag and
304 Not Modified) to learn of new answers, comments and marks, and the new posts' HTML it inserts.

Neither answer goes through the visitors' page cache (app/web/page_cache.py), on purpose: a kept
page may be up to PAGE_CACHE_SECONDS old, and it is the poll that tells its reader what the page
lacks. The page carries the token it was rendered from (services/live.py), so a kept page and a
fresh one both learn exactly what they miss. A poll is one query and is cached by the browser
only with revalidation: an unchanged thread answers 304 with no body.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app import db
from app.services import flags, kudos, live
from app.services.errors import ServiceError
from app.services.thread_view import ThreadView
from app.web import abuse
from app.web.errors import SERVICE_STATUS
from app.web.form_errors import error_text
from app.web.forms import ActionForm
from app.web.session_user import viewer

bp = Blueprint("live", __name__)


@bp.app_context_processor
def _template_helpers() -> dict:
    def live_since(view: ThreadView) -> str:
        """The token a thread page starts polling from."""
        return live.page_state(db.session(), view.thread, viewer()).token

    return {"live_since": live_since,
            "live_poll_seconds": lambda: current_app.config["LIVE_POLL_SECONDS"]}


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError):
    """Always JSON here, whatever the Accept header: only live.js reads these answers."""
    return jsonify(error=error_text(error)), SERVICE_STATUS[type(error)]


def _message(found: live.Updates) -> str:
    if found.merged_into_id is not None:
        return _("This thread was merged into another one.")
    parts = []
    if found.new_answers:
        parts.append(ngettext("%(num)d new answer", "%(num)d new answers", found.new_answers))
    if found.new_comments:
        parts.append(ngettext("%(num)d new comment", "%(num)d new comments", found.new_comments))
    if found.marks_changed:
        parts.append(_("The thread is marked solved") if found.solved else _("The solution marks changed"))
    return " · ".join(parts)


def _action(found: live.Updates) -> str:
    """What the reader's "show" does: insert new posts, or reload (marks move posts about)."""
    if found.merged_into_id is not None or found.marks_changed:
        return "reload"
    return "show" if found.anything else "none"


@bp.route("/t/<int:thread_id>/updates")
@abuse.live
def updates(thread_id: int):
    since = live.Since.parse(request.args.get("since"))
    found = live.updates(db.session(), thread_id, viewer=viewer(), since=since)
    url = url_for("threads.show", thread_id=found.merged_into_id) if found.merged_into_id else None
    response = jsonify(answers=found.new_answers, comments=found.new_comments,
                       marks_changed=found.marks_changed, action=_action(found), message=_message(found), url=url)
    # The ETag is the answer itself: it changes exactly when what this reader would be told does.
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    return _private(response, "no-cache").make_conditional(request)


@bp.route("/t/<int:thread_id>/updates/posts")
@abuse.live
def posts(thread_id: int):
    session = db.session()
    member = viewer()
    found = live.new_posts(session, thread_id, viewer=member, since=live.Since.parse(request.args.get("since")))
    shown = [*found.answers, *found.parents]
    post_ids = [p.id for p in shown] + [c.id for comments in found.comments.values() for c in comments]
    html = render_template(
        "threads/_live_posts.html", view=found, thread=found.thread, answers=found.answers,
        parents=found.parents, action_form=ActionForm(), comment_form=None, comment_on=None,
        kudos_given=kudos.given_by(session, member, post_ids), flagged=flags.flagged_by(session, member, post_ids),
        has_me_too=False,
    )
    return _private(jsonify(html=html, since=found.since.token), "no-store")


def _private(response: Response, cache: str) -> Response:
    """What a reader sees depends on who they are: never kept by shared caches."""
    response.headers["Cache-Control"] = f"private, {cache}"
    response.vary.add("Cookie")
    return response
