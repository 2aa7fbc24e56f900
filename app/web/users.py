"""Blueprint for members' public profiles and their reputation history."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, redirect, render_template, request

from app import db
from app.web.session_user import viewer
from app.models import User
from app.services import badges, listings, reputation
from app.services.errors import NotFound
from app.services.pagination import clamp_page
from app.services.text import slugify
from app.web.charts import step_chart
from app.web.template_helpers import reputation_url, user_url

bp = Blueprint("users", __name__)

HISTORY_ON_PROFILE = 5
HISTORY_PER_PAGE = 25


def _badge_board(session, user_id: int) -> list[tuple[badges.Badge, datetime | None]]:
    """Every badge there is, with the date this member earned it (None: not yet), earned first."""
    earned = {badge.code: when for badge, when in badges.of_user(session, user_id)}
    rows = [(badge, earned.get(badge.code)) for badge in badges.BADGES]
    return sorted(rows, key=lambda row: row[1] is None)


@bp.route("/u/<int:user_id>")
@bp.route("/u/<int:user_id>-<slug>")
def profile(user_id: int, slug: str | None = None):
    session = db.session()
    data = listings.profile(session, user_id, viewer=viewer())
    if slug != slugify(data.user.display_name, fallback="member"):
        return redirect(user_url(data.user), 301)
    badge_board = _badge_board(session, user_id)
    return render_template(
        "users/profile.html", profile=data,
        badges=badge_board, badges_earned=sum(1 for _, when in badge_board if when is not None),
        chart=step_chart(reputation.timeline(session, user_id), today=datetime.now(timezone.utc)),
        history=reputation.history(session, user_id, page=1, per_page=HISTORY_ON_PROFILE),
        reasons=reputation.REASONS,
    )


@bp.route("/u/<int:user_id>/reputation")
@bp.route("/u/<int:user_id>-<slug>/reputation")
def reputation_history(user_id: int, slug: str | None = None):
    session = db.session()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such member.")
    page = clamp_page(request.args.get("page", type=int))
    if slug != slugify(user.display_name, fallback="member"):
        return redirect(reputation_url(user, page=page if page > 1 else None), 301)
    return render_template(
        "users/reputation.html", user=user, reasons=reputation.REASONS,
        history=reputation.history(session, user_id, page=page, per_page=HISTORY_PER_PAGE),
    )
