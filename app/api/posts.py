"""API: one post with its comments, and giving or taking back kudos (kudos.py, as the site's button)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import db
from app.api import bp, serializers
from app.api.auth import api_user, token_required
from app.models import Post
from app.services import kudos, policies, thread_view
from app.services.errors import NotFound
from app.services.rules import ReputationRules
from app.web import abuse


def post_data(post_id: int) -> dict:
    """A post as its thread page would show it to the caller: hidden ones only to author and staff."""
    session = db.session()
    viewer = api_user()
    post = session.scalars(select(Post).where(Post.id == post_id).options(joinedload(Post.author))).one_or_none()
    if post is None or not policies.can_see_post(viewer, post):
        raise NotFound("There is no such post.")
    thread = thread_view.load_thread(session, post.thread_id)
    if thread.merged_into_id is not None or not policies.can_see_thread(viewer, thread):
        raise NotFound("There is no such post.")
    comments = list(session.scalars(
        select(Post).where(Post.kind == "comment", Post.parent_id == post.id, thread_view.visible_to(viewer))
        .options(joinedload(Post.author)).order_by(Post.created_at, Post.id)))
    return serializers.post(post, thread, comments)


@bp.get("/posts/<row_id:post_id>")
@abuse.api_reads
def post(post_id: int):
    return post_data(post_id)


def _kudos_answer(post_id: int, count: int, given: bool) -> dict:
    return {"post_id": post_id, "kudos_count": count, "given": given}


@bp.put("/posts/<row_id:post_id>/kudos")
@token_required
@abuse.api_toggles
def give_kudos(post_id: int):
    """Give kudos (repeating it changes nothing); the daily allowance and every rule apply."""
    count = kudos.give(db.session(), api_user(), post_id=post_id,
                       rules=ReputationRules.from_config(current_app.config))
    return _kudos_answer(post_id, count, True)


@bp.delete("/posts/<row_id:post_id>/kudos")
@token_required
@abuse.api_toggles
def take_back_kudos(post_id: int):
    return _kudos_answer(post_id, kudos.take_back(db.session(), api_user(), post_id=post_id), False)
