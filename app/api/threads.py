"""API: one thread as its page shows it (thread_view.py decides what the caller may see), and
the writes that make a thread: asking, answering, commenting (posting.py, as the site's forms)."""
from __future__ import annotations

from flask import current_app, redirect, url_for

from app import db
from app.api import bp, posts, serializers
from app.api.auth import api_user, token_required
from app.api.errors import bad_input
from app.api.params import json_body, page_arg, text_field
from app.models import Post
from app.services import listings, posting, thread_view
from app.services.errors import NotFound
from app.web import abuse


def _view(thread_id: int, page: int = 1) -> thread_view.ThreadView:
    return thread_view.thread_view(db.session(), thread_id, viewer=api_user(), page=page,
                                   per_page=current_app.config["ANSWERS_PER_PAGE"])


@bp.get("/threads/<row_id:thread_id>")
@abuse.api_reads
def thread(thread_id: int):
    page = page_arg()
    try:
        view = _view(thread_id, page)
    except thread_view.MergedThread as merged:
        return redirect(url_for("api.thread", thread_id=merged.target_id, _external=True), 308)
    return serializers.thread_detail(view)


def _created(data: dict, location: str):
    return data, 201, {"Location": location}


@bp.post("/threads")
@token_required
@abuse.api_posting
def ask():
    data = json_body()
    slug = text_field(data, "board")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad_input("tags", "'tags' must be a list of strings.")
    session = db.session()
    try:
        board_id = listings.get_board(session, slug).id
    except NotFound:
        board_id = 0  # posting.ask names the field: "Please choose a board."
    created = posting.ask(session, api_user(), board_id=board_id, title=text_field(data, "title"),
                          body=text_field(data, "body"), tags=tags, max_tags=current_app.config["MAX_TAGS"],
                          spam_rules=abuse.spam_rules(), product=text_field(data, "product", required=False),
                          os_version=text_field(data, "os_version", required=False))
    return _created(serializers.thread_detail(_view(created.id)), url_for("api.thread", thread_id=created.id,
                                                                          _external=True))


def _posted(post: Post):
    """201 with the new answer or comment as GET /posts/{id} shows it."""
    return _created(posts.post_data(post.id), url_for("api.post", post_id=post.id, _external=True))


@bp.post("/threads/<row_id:thread_id>/answers")
@token_required
@abuse.api_posting
def answer(thread_id: int):
    body = text_field(json_body(), "body")
    return _posted(posting.answer(db.session(), api_user(), thread_id=thread_id, body=body,
                                  spam_rules=abuse.spam_rules()))


@bp.post("/posts/<row_id:post_id>/comments")
@token_required
@abuse.api_posting
def comment(post_id: int):
    body = text_field(json_body(), "body")
    return _posted(posting.comment(db.session(), api_user(), post_id=post_id, body=body,
                                   spam_rules=abuse.spam_rules()))
