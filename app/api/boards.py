"""API: the boards, and one board with a page of its threads (listings.py, as the board page)."""
from __future__ import annotations

from flask import current_app

from app import db
from app.api import bp, serializers
from app.api.params import choice_arg, page_arg
from app.services import listings
from app.web import abuse


@bp.get("/boards")
@abuse.api_reads
def boards():
    summaries = listings.board_summaries(db.session())
    return {"items": [serializers.board(s.board, s) for s in summaries]}


@bp.get("/boards/<slug>")
@abuse.api_reads
def board(slug: str):
    session = db.session()
    found = listings.get_board(session, slug)
    page = listings.board_threads(
        session, found, filter_=choice_arg("filter", listings.THREAD_FILTERS, "all"),
        sort=choice_arg("sort", listings.THREAD_SORTS, "activity"), page=page_arg(),
        per_page=current_app.config["THREADS_PER_PAGE"])
    return {"board": serializers.board(found),
            "threads": {"items": [serializers.thread_summary(t) for t in page.items],
                        **serializers.page_links(page)}}
