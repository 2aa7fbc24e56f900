"""Blueprint for the thread page and what is done on it: answer, comment, edit, accept, history."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session as cookie, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import db
from app.models import Post
from app.i18n import current_language
from app.services import flags, kudos, me_too, policies, posting, solutions, thread_view
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.pagination import clamp_page
from app.services.rendering import render_markdown
from app.services.rules import ReputationRules
from app.web import abuse, page_cache
from app.web.form_errors import apply_errors, translated
from app.web.forms import ActionForm, CommentForm, EditForm, ReplyForm
from app.web.session_user import viewer
from app.web.template_helpers import thread_url

bp = Blueprint("threads", __name__)

VIEWED_KEY = "viewed_threads"


def _count_view(thread_id: int, **_) -> None:
    """One view per thread per browser session, so reloads do not inflate the count."""
    seen = cookie.get(VIEWED_KEY, [])
    if thread_id in seen:
        return
    current_app.extensions["view_buffer"].add(db.session(), thread_id)
    cookie[VIEWED_KEY] = (seen + [thread_id])[-50:]


def reputation_rules() -> ReputationRules:
    """Point values, rank thresholds and the kudos allowance from the configuration."""
    return ReputationRules.from_config(current_app.config)


def _view(thread_id: int, page: int = 1):
    return thread_view.thread_view(db.session(), thread_id, viewer=viewer(), page=page,
                                   per_page=current_app.config["ANSWERS_PER_PAGE"])


def _render_thread(view, *, answer_form=None, comment_form=None, comment_on=None, status=200):
    session = db.session()
    member = viewer()
    # Three small queries for a member (none for a visitor): which posts they gave kudos to and
    # flagged, and whether they have this question too.
    posts = [view.question, *(p for p in (view.official, view.accepted) if p), *view.answers.items]
    post_ids = [p.id for p in posts] + [c.id for p in posts for c in view.comments_for(p)]
    return render_template(
        "threads/show.html", view=view, thread=view.thread,
        answer_form=answer_form or ReplyForm(formdata=None),
        comment_form=comment_form, comment_on=comment_on, action_form=ActionForm(),
        kudos_given=kudos.given_by(session, member, post_ids),
        flagged=flags.flagged_by(session, member, post_ids),
        has_me_too=me_too.has(session, member, view.thread.id),
    ), status


def post_url(post: Post) -> str:
    """The address of a post on its thread page: the right page of answers and the post's anchor."""
    view_thread = thread_view.load_thread(db.session(), post.thread_id)
    page = thread_view.answer_page(db.session(), post, viewer=viewer(),
                                   per_page=current_app.config["ANSWERS_PER_PAGE"])
    return thread_url(view_thread, page=page if page > 1 else None, _anchor=f"post-{post.id}")


@bp.route("/t/<int:thread_id>")
@bp.route("/t/<int:thread_id>-<slug>")
@page_cache.for_visitors(on_hit=_count_view)
def show(thread_id: int, slug: str | None = None):
    page = clamp_page(request.args.get("page", type=int))
    try:
        view = _view(thread_id, page)
    except thread_view.MergedThread as merged:
        return redirect(url_for("threads.show", thread_id=merged.target_id), 301)
    if slug != view.thread.slug:
        return redirect(thread_url(view.thread, page=page if page > 1 else None), 301)
    _count_view(thread_id)
    return _render_thread(view)


@bp.route("/t/<int:thread_id>/answer", methods=["POST"])
@login_required
@abuse.posting
def answer(thread_id: int):
    session = db.session()
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            post = posting.answer(session, current_user, thread_id=thread_id, body=form.body.data,
                                  spam_rules=abuse.spam_rules(), language=current_language())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("Thanks for helping! Your answer is posted."), "success")
            return redirect(post_url(post))
    return _render_thread(_view(thread_id), answer_form=form, status=400)


@bp.route("/p/<int:post_id>/comment", methods=["POST"])
@login_required
@abuse.posting
def comment(post_id: int):
    session = db.session()
    form = CommentForm()
    if form.validate_on_submit():
        try:
            post = posting.comment(session, current_user, post_id=post_id, body=form.body.data,
                                   spam_rules=abuse.spam_rules())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return redirect(post_url(post))
    parent = session.get(Post, post_id)
    if parent is None or not policies.can_see_post(current_user, parent):
        raise NotFound("There is no such post to comment on.")
    page = thread_view.answer_page(session, parent, viewer=viewer(), per_page=current_app.config["ANSWERS_PER_PAGE"])
    return _render_thread(_view(parent.thread_id, page), comment_form=form, comment_on=post_id, status=400)


@bp.route("/p/<int:post_id>")
def post_link(post_id: int):
    post = db.session().get(Post, post_id)
    if post is None or not policies.can_see_post(current_user, post):
        abort(404)
    return redirect(post_url(post))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@abuse.posting
def edit(post_id: int):
    session = db.session()
    post = session.get(Post, post_id)
    if post is None or not policies.can_see_post(current_user, post):
        raise NotFound("There is no such post.")
    thread = thread_view.load_thread(session, post.thread_id)
    if not policies.can_edit(current_user, post, thread):
        raise Forbidden("You can edit only your own posts, and not in a locked thread.")
    form = EditForm()
    if thread.board.product_label:  # read now: a failed save expires the thread's board
        form.product.label.text = thread.board.product_label
    if request.method == "GET":
        form.body.data = post.body_source
        form.title.data = thread.title
        form.tags.data = " ".join(t.name for t in thread.tags)
        form.product.data, form.os_version.data = thread.product, thread.os_version
        form.base_revision.data = str(posting.latest_revision_number(session, post.id))
    preview = None
    conflict = None
    if form.is_submitted() and "preview" in request.form:
        preview = render_markdown(form.body.data or "")
    elif form.validate_on_submit():
        is_question = post.kind == "question"
        try:
            posting.edit(
                session, current_user, post_id=post.id, body=form.body.data,
                title=form.title.data if is_question else None,
                tags=form.tags.data if is_question else None, reason=form.reason.data,
                product=form.product.data if is_question else None,
                os_version=form.os_version.data if is_question else None,
                base_revision=int(form.base_revision.data) if (form.base_revision.data or "").isdigit() else None,
                max_tags=current_app.config["MAX_TAGS"], spam_rules=abuse.spam_rules(),
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            conflict = translated(exc.message)
            form.base_revision.data = str(posting.latest_revision_number(session, post.id))
        else:
            flash(_("Your changes are saved; the earlier version is kept in the history."), "success")
            return redirect(post_url(post))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template("threads/edit.html", form=form, post=post, thread=thread,
                           preview=preview, conflict=conflict), status


@bp.route("/p/<int:post_id>/history")
def history(post_id: int):
    session = db.session()
    post, revisions = posting.revisions(session, post_id, viewer=viewer())
    thread = thread_view.load_thread(session, post.thread_id)
    return render_template("threads/history.html", post=post, thread=thread, revisions=revisions)


@bp.route("/p/<int:post_id>/accept", methods=["POST"])
@login_required
def accept(post_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    thread = solutions.accept(db.session(), current_user, answer_id=post_id, rules=reputation_rules())
    flash(_("Marked as the solution. Thanks for letting everyone know what worked!"), "success")
    return redirect(thread_url(thread, _anchor=f"post-{post_id}"))


@bp.route("/t/<int:thread_id>/unaccept", methods=["POST"])
@login_required
def unaccept(thread_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    thread = solutions.unaccept(db.session(), current_user, thread_id=thread_id, rules=reputation_rules())
    flash(_("The solution mark is removed; the thread is open again."), "info")
    return redirect(thread_url(thread))


@bp.route("/preview", methods=["POST"])
@login_required
def preview():
    """The sanitised HTML of some Markdown, for the live preview beside a text box."""
    return render_markdown((request.form.get("body") or "")[: posting.BODY_MAX])
