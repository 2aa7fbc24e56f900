"""Blueprint for the search page and the "similar threads" list shown while asking."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template, request

from app import db
from app.search import registry
from app.search.backend import QUERY_MAX
from app.services import listings, product_context, search
from app.services.errors import NotFound
from app.services.pagination import clamp_page
from app.web import abuse, deflection, page_cache
from app.web.template_helpers import thread_url

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)


def requested_board():
    """The board the search is limited to (?board=slug); an unknown one limits nothing."""
    slug = request.args.get("board")
    if not slug:
        return None
    try:
        return listings.get_board(db.session(), slug)
    except NotFound:
        return None


def requested_query(board, *, page: int = 1, per_page: int = 10) -> search.SearchQuery:
    """The search the address asks for (?q=&tag=&solved=&official=&within=&sort=&product=&os=): the
    page's and its feed's."""
    return search.build_query(
        (request.args.get("q") or "")[:QUERY_MAX], board=board, tag=request.args.get("tag"),
        solved=request.args.get("solved") == "1", official=request.args.get("official") == "1",
        period=request.args.get("within", "any"), sort=request.args.get("sort", "relevance"),
        page=page, per_page=per_page, product=_context_arg("product"), os_version=_context_arg("os"),
    )


def _context_arg(name: str) -> str | None:
    """A product or OS filter, capped: no stored value is longer than VALUE_MAX, so the cap
    changes no match, it only bounds the work on a huge argument."""
    return (request.args.get(name) or "")[:product_context.VALUE_MAX * 2] or None


@bp.route("/search")
@page_cache.for_visitors()
def results():
    session = db.session()
    board = requested_board()
    query = requested_query(board, page=clamp_page(request.args.get("page", type=int)))
    text = query.text
    page = search.run(session, registry.backend(), query) if text.strip() or query.lists_by_context else None
    return render_template("search/results.html", text=text, query=query, page=page, board=board,
                           boards=listings.boards(session), periods=search.PERIODS)


@bp.route("/search/similar")
@abuse.similar
def similar():
    """JSON for the ask page: threads like the title being typed, solved first. With the page's
    ask session (?ask=token&board=id), the solved ones are recorded as shown and linked through it."""
    title = (request.args.get("title") or "")[:QUERY_MAX]
    try:
        threads = search.similar(db.session(), registry.backend(), title)
    except Exception:  # noqa: BLE001 - suggestions are a help, never a reason to fail the ask page
        log.exception("similar threads: the search backend failed")
        threads = []
    links = deflection.suggestion_links(request.args.get("ask"), title, threads, request.args.get("board", type=int))
    return jsonify([{"title": t.title, "url": links.get(t.id) or thread_url(t), "solved": t.is_solved,
                     "official": t.official_answer_id is not None, "answers": t.answer_count,
                     "board": t.board.name} for t in threads])
