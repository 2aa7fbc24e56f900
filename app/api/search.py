"""API: searching threads with the search page's filters (services/search.py on the configured backend)."""
from __future__ import annotations

from flask import request

from app import db
from app.api import bp, serializers
from app.api.errors import bad_input
from app.api.params import choice_arg, flag_arg, page_arg
from app.search import registry
from app.search.backend import QUERY_MAX, SORTS
from app.services import listings, search
from app.services.errors import NotFound
from app.services.pagination import Page
from app.web import abuse


@bp.get("/search")
@abuse.api_reads
def search_threads():
    session = db.session()
    text = request.args.get("q", "")
    if not text.strip() or len(text) > QUERY_MAX:
        raise bad_input("q", f"Search for 1 to {QUERY_MAX} characters.")
    board = None
    if request.args.get("board"):
        try:
            board = listings.get_board(session, request.args["board"])
        except NotFound:
            raise bad_input("board", "There is no board with this slug.") from None
    query = search.build_query(
        text, board=board, tag=request.args.get("tag"), solved=flag_arg("solved"), official=flag_arg("official"),
        period=choice_arg("within", tuple(search.PERIODS), "any"), sort=choice_arg("sort", SORTS, "relevance"),
        page=page_arg(), product=request.args.get("product"), os_version=request.args.get("os"))
    found = search.run(session, registry.backend(), query)
    page = Page(items=found.rows, number=query.page, per_page=query.per_page, total=found.results.total)
    return {"query": text, "suggestion": found.results.suggestion,
            "total_is_lower_bound": found.results.total_is_lower_bound,
            "items": [{**serializers.thread_summary(row.thread), "snippet_html": row.snippet} for row in found.rows],
            **serializers.page_links(page)}
