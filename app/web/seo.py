"""Blueprint for being found from outside: robots.txt, the sitemaps, and the template helpers that
give every page its canonical address, robots rule, Open Graph type and (threads) QAPage data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import Blueprint, Response, current_app, render_template, request, url_for
from jinja2 import pass_context
from jinja2.runtime import Context

from app import db
from app.services import listings, sitemap, structured_data
from app.services.thread_view import ThreadView
from app.web.template_helpers import thread_url, user_url

bp = Blueprint("seo", __name__)

XML = "application/xml"


# --- robots.txt and sitemaps ------------------------------------------------------------------


def _per_file() -> int:
    return current_app.config.get("SITEMAP_URLS_PER_FILE", sitemap.URLS_PER_FILE)


@bp.route("/robots.txt")
def robots():
    return Response(render_template("seo/robots.txt"), mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap_index():
    files = sitemap.thread_files(db.session(), per_file=_per_file())
    latest = max((f.last_modified for f in files), default=None)
    return Response(render_template("seo/sitemap_index.xml", files=files, boards_modified=latest), mimetype=XML)


@bp.route("/sitemap-boards.xml")
def sitemap_boards():
    summaries = listings.board_summaries(db.session())
    latest = max((s.last_activity_at for s in summaries if s.last_activity_at), default=None)
    return Response(render_template("seo/sitemap_boards.xml", summaries=summaries, home_modified=latest),
                    mimetype=XML)


@bp.route("/sitemap-threads-<int:number>.xml")
def sitemap_threads(number: int):
    rows = sitemap.thread_entries(db.session(), number, per_file=_per_file())
    # Rendered whole (some 5 MB at 50,000 lines) rather than streamed, so the database connection
    # goes back to the pool before a slow crawler has downloaded the file.
    return Response(render_template("seo/sitemap_threads.xml", rows=rows), mimetype=XML)


# --- what every page says about itself in <head> ----------------------------------------------


@dataclass(frozen=True)
class PageMeta:
    canonical: str | None = None  # absolute; None where the page should not name one
    robots: str | None = None
    og_type: str = "website"


# Filters that make a list a subset worth following but not indexing (the full list is indexed).
NOINDEX_FILTERS = ("unanswered", "solved")


def _list_meta(ctx: Context, endpoint: str, **values) -> PageMeta:
    """A thread list (board or tag): the canonical keeps the page shown and a filter, drops the
    sort (the same threads in another order); filtered lists are noindex, follow."""
    filter_ = ctx.get("filter_") if ctx.get("filter_") in NOINDEX_FILTERS else None
    number = ctx["page"].number
    canonical = url_for(endpoint, **values, filter=filter_, page=number if number > 1 else None, _external=True)
    return PageMeta(canonical=canonical, robots="noindex, follow" if filter_ else None)


def _thread_meta(ctx: Context) -> PageMeta:
    return PageMeta(canonical=_thread_page_url(ctx["view"]), og_type="article")


def _thread_page_url(view: ThreadView, **kwargs) -> str:
    number = view.answers.number
    return thread_url(view.thread, page=number if number > 1 else None, _external=True, **kwargs)


# By template: every public page in one place (an error page rendered for the same address is
# another template, so it never claims a canonical).
_META: dict[str, Callable[[Context], PageMeta]] = {
    "boards/home.html": lambda ctx: PageMeta(canonical=url_for("boards.home", _external=True)),
    "boards/board.html": lambda ctx: _list_meta(ctx, "boards.board", slug=ctx["board"].slug),
    "boards/tag.html": lambda ctx: _list_meta(ctx, "boards.tag", name=ctx["tag"].name),
    "users/profile.html": lambda ctx: PageMeta(canonical=user_url(ctx["profile"].user, _external=True)),
    "threads/show.html": _thread_meta,
    # Other choices than the default are noindex (leaderboard/index.html says so itself).
    "leaderboard/index.html": lambda ctx: PageMeta(
        canonical=None if request.args else url_for("leaderboard.index", _external=True)),
}


@bp.app_template_global()
@pass_context
def page_meta(ctx: Context) -> PageMeta:
    rule = _META.get(ctx.name)
    return rule(ctx) if rule else PageMeta()


@bp.app_template_global()
def qa_page_data(view: ThreadView) -> dict | None:
    """The thread page's schema.org QAPage (for a JSON-LD script), with absolute links."""
    return structured_data.qa_page(
        view, post_url=lambda post: _thread_page_url(view, _anchor=f"post-{post.id}"),
        user_url=lambda user: user_url(user, _external=True),
    )


bp.add_app_template_filter(sitemap.w3c_datetime, "w3c")
bp.add_app_template_filter(structured_data.plain_text, "plain_text")
