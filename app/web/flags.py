"""Blueprint for members flagging a post for staff ("Report")."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from app import db
from app.models import Post
from app.services import flags, policies
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.web import abuse
from app.web.form_errors import apply_errors
from app.web.moderation_forms import FlagForm
from app.web.threads import post_url, reputation_rules

bp = Blueprint("flags", __name__)


@bp.route("/p/<int:post_id>/flag", methods=["GET", "POST"])
@login_required
@abuse.flagging
def flag(post_id: int):
    session = db.session()
    post = session.get(Post, post_id, options=[joinedload(Post.author)])
    if post is None or not policies.can_see_post(current_user, post):
        raise NotFound("There is no such post.")
    if not policies.can_flag(current_user, post):
        raise Forbidden("Staff act on posts from the review queue." if policies.is_staff(current_user)
                        else "You cannot report this post.")
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flags.raise_flag(session, current_user, post_id=post.id, reason=form.reason.data or "",
                             note=form.note.data, rules=reputation_rules())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("Thank you. The staff will look at it; flags from several members hide a post at once."), "success")
            return redirect(post_url(post))
    return render_template("flags/flag.html", form=form, post=post, back=post_url(post)), (400 if form.errors else 200)
