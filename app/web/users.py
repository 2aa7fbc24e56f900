"""Blueprint for members' public profiles."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template

from app import db
from app.services import listings
from app.services.text import slugify
from app.web.template_helpers import user_url

bp = Blueprint("users", __name__)


@bp.route("/u/<int:user_id>")
@bp.route("/u/<int:user_id>-<slug>")
def profile(user_id: int, slug: str | None = None):
    data = listings.profile(db.session(), user_id)
    if slug != slugify(data.user.display_name, fallback="member"):
        return redirect(user_url(data.user), 301)
    return render_template("users/profile.html", profile=data)
