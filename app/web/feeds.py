"""Blueprint for the Atom feeds: a board's newest threads, newly solved threads, a search's results;
and `search_feed_url`, the feed of the search page being shown (for its <link rel="alternate">)."""
from __future__ import annotations

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext as _

from app import db
from app.search import registry
from app.services import feeds, listings
from app.web import search as search_page
from app.web.template_helpers import thread_url

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml"
# The search page's arguments a search feed keeps (not the page number: a feed is the first results).
SEARCH_ARGS = ("q", "board", "tag", "solved", "official", "within", "sort", "product", "os")


def _links(page_url: str) -> feeds.FeedLinks:
    return feeds.FeedLinks(self_url=request.url, page_url=page_url,
                           thread_url=lambda thread: thread_url(thread, _external=True),
                           host=request.host.split(":")[0])


def _atom(title: str, subtitle: str, entries: list[feeds.Entry], page_url: str) -> Response:
    return Response(feeds.atom(title, subtitle, entries, _links(page_url)), mimetype=ATOM)


@bp.route("/b/<slug>/feed.atom")
def board(slug: str):
    session = db.session()
    board = listings.get_board(session, slug)
    return _atom(_("%(board)s · Peerdesk", board=board.name), _("The newest questions in %(board)s.", board=board.name),
                 feeds.board_entries(session, board), url_for("boards.board", slug=board.slug, _external=True))


@bp.route("/feeds/solved.atom")
def solved():
    return _atom(_("Newly solved · Peerdesk"), _("Threads whose question just got an accepted solution."),
                 feeds.solved_entries(db.session()), url_for("boards.home", _external=True))


@bp.route("/search.atom")
def search_results():
    query = search_page.requested_query(search_page.requested_board(), per_page=feeds.LIMIT)
    text = query.text.strip()
    return _atom(_("Search: %(text)s · Peerdesk", text=text) if text else _("Search · Peerdesk"),
                 _("Threads matching a search."),
                 feeds.search_entries(db.session(), registry.backend(), query),
                 url_for("search.results", **_search_args(), _external=True))


def _search_args() -> dict[str, str]:
    return {name: request.args[name] for name in SEARCH_ARGS if request.args.get(name)}


@bp.app_template_global()
def search_feed_url() -> str:
    """The feed of the search being shown: its query and filters only, nothing of the visitor's."""
    return url_for("feeds.search_results", **_search_args())
