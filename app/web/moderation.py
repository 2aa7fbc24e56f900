"""Blueprint for the review queue, the actions on posts staff take there, and the audit log."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from app import db
from app.models import Post
from app.services import accounts, audit, official, policies, review, review_queue
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.pagination import clamp_page
from app.web import abuse
from app.web.auth import safe_next
from app.web.form_errors import apply_errors
from app.web.moderation_forms import HideForm, NextForm, RequestEditForm
from app.web.threads import reputation_rules

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.app_template_global()
def review_queue_size() -> int:
    """The number beside "Review queue" in the staff's navigation."""
    return review_queue.size(db.session())


@bp.before_request
@login_required
def staff_only():
    if not policies.is_staff(current_user):
        raise Forbidden("The review queue is for staff only.")


def _back(post_id: int | None = None):
    """Back to where the button was pressed (the queue or a thread), else to the post's review page."""
    target = safe_next(request.form.get("next"))
    return redirect(target or (url_for(".post", post_id=post_id) if post_id else url_for(".queue")))


def _require_button() -> None:
    if not NextForm().validate_on_submit():
        abort(400)


@bp.route("")
def queue():
    session = db.session()
    tab = request.args.get("tab", "review")
    tab = tab if tab in review_queue.TABS else "review"
    page = review_queue.queue(session, tab=tab, page=clamp_page(request.args.get("page", type=int)),
                              rules=abuse.spam_rules())
    return render_template("moderation/queue.html", tab=tab, page=page, stats=review_queue.stats(session),
                           hide_form=HideForm(formdata=None), edit_form=RequestEditForm(formdata=None),
                           action_form=NextForm(formdata=None), reason_label=review.reason_label)


def _render_post(post_id: int, *, hide_form=None, edit_form=None, status=200):
    session = db.session()
    item = review_queue.item_for(session, post_id, rules=abuse.spam_rules())
    if item is None:
        raise NotFound("There is no such post.")
    return render_template(
        "moderation/post.html", item=item, post=item.post, thread=item.thread,
        context=review_queue.context_posts(session, item.post),
        log=audit.entries(session, post_id=post_id, per_page=20),
        hide_form=hide_form or HideForm(formdata=None), edit_form=edit_form or RequestEditForm(formdata=None),
        action_form=NextForm(formdata=None), reason_label=review.reason_label, actions=audit.ACTIONS,
    ), status


@bp.route("/posts/<int:post_id>")
def post(post_id: int):
    return _render_post(post_id)


@bp.route("/posts/<int:post_id>/approve", methods=["POST"])
def approve(post_id: int):
    _require_button()
    review.approve(db.session(), current_user, post_id=post_id)
    flash(_("Approved."), "success")
    return _back()


@bp.route("/approve", methods=["POST"])
def approve_selected():
    _require_button()
    ids = [int(v) for v in request.form.getlist("post_id") if v.isdigit() and int(v) <= 2**31 - 1]
    if not ids:
        flash(_("Tick the posts to approve first."), "info")
        return _back()
    count = review.approve_many(db.session(), current_user, post_ids=ids)
    flash(ngettext("Approved %(num)s post.", "Approved %(num)s posts.", count), "success")
    return _back()


@bp.route("/posts/<int:post_id>/hide", methods=["POST"])
def hide(post_id: int):
    form = HideForm()
    if form.validate_on_submit():
        try:
            review.hide(db.session(), current_user, post_id=post_id, reason=form.reason.data or "",
                        note=form.note.data, rules=reputation_rules())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("Hidden. Its author sees the reason; you can restore it at any time."), "success")
            return _back()
    return _render_post(post_id, hide_form=form, status=400)


@bp.route("/posts/<int:post_id>/restore", methods=["POST"])
def restore(post_id: int):
    _require_button()
    review.restore(db.session(), current_user, post_id=post_id, rules=reputation_rules())
    flash(_("Restored: the post is visible again, with what it had earned."), "success")
    return _back()


@bp.route("/posts/<int:post_id>/request-edit", methods=["POST"])
def request_edit(post_id: int):
    form = RequestEditForm()
    if form.validate_on_submit():
        try:
            review.request_edit(db.session(), current_user, post_id=post_id, reason=form.reason.data or "")
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("The author is asked to edit; the post stays live and comes back here after their edit."),
                  "success")
            return _back()
    return _render_post(post_id, edit_form=form, status=400)


@bp.route("/posts/<int:post_id>/official", methods=["POST"])
def mark_official(post_id: int):
    _require_button()
    official.mark(db.session(), current_user, answer_id=post_id, rules=reputation_rules())
    flash(_("Marked as the official answer."), "success")
    return _back(post_id)


@bp.route("/threads/<int:thread_id>/unofficial", methods=["POST"])
def unmark_official(thread_id: int):
    _require_button()
    official.unmark(db.session(), current_user, thread_id=thread_id, rules=reputation_rules())
    flash(_("The official mark is removed."), "info")
    return _back()


def _member_filter(session, text: str) -> tuple[int | None, str | None]:
    """The member filter of the log takes a member number or a display name."""
    text = text.strip()
    if not text:
        return None, None
    if text.isdigit():
        return int(text) if int(text) <= 2**31 - 1 else 0, None
    member = accounts.find_by_name(session, text)
    return (member.id, None) if member else (0, f"No member is called “{text}”.")


@bp.route("/log")
def log():
    session = db.session()
    action = request.args.get("action") or None
    member_id, problem = _member_filter(session, request.args.get("member", ""))
    page = audit.entries(
        session, actor_id=request.args.get("moderator", type=int), action=action if action in audit.ACTIONS else None,
        member_id=member_id, page=clamp_page(request.args.get("page", type=int)),
    )
    return render_template("moderation/log.html", page=page, actions=audit.ACTIONS, member_problem=problem,
                           staff=audit.staff_members(session), reason_label=review.reason_label)
