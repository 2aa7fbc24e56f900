"""Blueprint for the home page, board and tag listings, and asking a question (with the similar
threads offered before posting)."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import HiddenField, SelectChoice

from app import db
from app.models import Thread
from app.i18n import current_language
from app.search import registry
from app.services import listings, policies, posting, product_context, search
from app.services.errors import InvalidInput
from app.services.pagination import clamp_page
from app.services.rendering import render_markdown
from app.web import abuse, deflection, page_cache
from app.web.form_errors import apply_errors
from app.web.forms import AskForm
from app.web.template_helpers import thread_url

bp = Blueprint("boards", __name__)
log = logging.getLogger(__name__)


def _list_args() -> dict:
    return {
        "filter_": request.args.get("filter", "all"),
        "sort": request.args.get("sort", "activity"),
        "page": clamp_page(request.args.get("page", type=int)),
        "per_page": current_app.config["THREADS_PER_PAGE"],
    }


@bp.route("/")
@page_cache.for_visitors()
def home():
    session = db.session()
    summaries = listings.board_summaries(session)
    return render_template(
        "boards/home.html", summaries=[s for s in summaries if not s.board.is_archived],
        archived=[s for s in summaries if s.board.is_archived],
        recent=listings.recent_threads(session, limit=8),
    )


@bp.route("/b/<slug>")
@page_cache.for_visitors()
def board(slug: str):
    session = db.session()
    board = listings.get_board(session, slug)
    args = _list_args()
    page = listings.board_threads(session, board, **args)
    return render_template("boards/board.html", board=board, page=page,
                           filter_=args["filter_"], sort=args["sort"])


@bp.route("/tags/<name>")
def tag(name: str):
    args = _list_args()
    tag, page = listings.tag_threads(db.session(), name.lower(), **args)
    return render_template("boards/tag.html", tag=tag, page=page, filter_=args["filter_"], sort=args["sort"])


class AskPageForm(AskForm):
    """The ask form plus a mark that the member has been shown similar threads already (live by
    site.js, or by the "before you post" step), so they are not stopped a second time, and the
    token of the ask session recording what they were shown (app/web/deflection.py)."""

    checked_similar = HiddenField()
    ask_session = HiddenField()


def _similar_before_posting(form: AskPageForm, board_ids: set[int]) -> list[Thread]:
    """Threads to show before the question is posted (the deflection step that works without
    JavaScript). Nothing when the member has seen suggestions already, or when posting would fail
    anyway: then posting.ask reports its errors first, as usual."""
    if form.checked_similar.data == "1" or form.board.data not in board_ids or not policies.can_post(current_user):
        return []
    try:
        draft = posting.validate_question(form.title.data, form.body.data, form.tags.data,
                                          max_tags=current_app.config["MAX_TAGS"])
    except InvalidInput:
        return []
    try:
        return search.similar(db.session(), registry.backend(), draft.title)
    except Exception:  # noqa: BLE001 - suggestions are a courtesy: a broken index must never stop a question
        log.exception("Looking up similar threads failed; posting the question without them")
        return []


@bp.route("/ask", methods=["GET", "POST"])
@login_required
@abuse.posting
def ask():
    session = db.session()
    form = AskPageForm()
    boards = listings.boards(session, include_archived=False)
    form.board.choices = [SelectChoice(0, "Choose a board…")] + [SelectChoice(b.id, b.name) for b in boards]
    if request.method == "GET":
        wanted = request.args.get("board")
        form.board.data = next((b.id for b in boards if b.slug == wanted), 0)
        form.ask_session.data = deflection.start_ask_session(form.board.data or None)
    preview = None
    similar: list[Thread] = []
    similar_links: dict[int, str] = {}
    # CSRFProtect has already checked the token of every POST; a preview needs no other checks,
    # so a half-written question can be previewed without a wall of "required" messages.
    if form.is_submitted() and "preview" in request.form:
        preview = render_markdown(form.body.data or "")
    elif form.validate_on_submit():
        similar = _similar_before_posting(form, {b.id for b in boards})
        if similar:
            form.checked_similar.data = "1"  # the step's "post my question" then goes through
            similar_links = deflection.suggestion_links(form.ask_session.data, form.title.data, similar,
                                                        form.board.data)
        else:
            try:
                thread = posting.ask(
                    session, current_user, board_id=form.board.data, title=form.title.data,
                    body=form.body.data, tags=form.tags.data, max_tags=current_app.config["MAX_TAGS"],
                    spam_rules=abuse.spam_rules(), language=current_language(),
                    product=form.product.data, os_version=form.os_version.data,
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                deflection.ask_posted(form.ask_session.data, thread)
                flash(_("Your question is live. You will see answers here."), "success")
                return redirect(thread_url(thread))
    status = 400 if form.errors else 200
    offered = product_context.suggestions(session, boards)
    chosen = offered.get(form.board.data)
    if chosen and chosen.label:
        form.product.label.text = chosen.label  # "Printer model": the board names its products
    return render_template("boards/ask.html", form=form, preview=preview, similar=similar,
                           similar_links=similar_links, offered=offered,
                           chosen=chosen, common_os=product_context.COMMON_OS), status
