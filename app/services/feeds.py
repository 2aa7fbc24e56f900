"""Atom feeds: a board's newest threads, the threads solved most recently and a search's results,
read with the same rules as the lists the site shows, written out with feedgen.

A feed is public: only listed threads (neither hidden nor merged) whose question is not hidden
appear, and every text in it is plain text (feedgen escapes it), never a member's HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from feedgen.feed import FeedGenerator
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import Board, Post, Thread
from app.search.backend import SearchBackend, SearchQuery
from app.services.listings import LISTED
from app.services.search import run_hits
from app.services.structured_data import plain_text

LIMIT = 30  # entries in a feed
SUMMARY_CHARS = 300
# The year in every entry's tag: URI (RFC 4151); fixed, so an entry's id never changes.
TAG_YEAR = "2026"
# Characters XML 1.0 cannot hold at all (lxml refuses them): dropped rather than failing the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    thread: Thread
    summary: str
    updated: datetime


@dataclass(frozen=True)
class FeedLinks:
    """Where a feed lives, given by the web layer: all absolute addresses."""

    self_url: str  # the feed itself (also its id)
    page_url: str  # the HTML page it follows
    thread_url: Callable[[Thread], str]
    host: str  # the site's domain, for the entries' tag: ids


def _threads_query():
    return select(Thread).where(*LISTED).options(joinedload(Thread.author)).limit(LIMIT)


def _entries(session: Session, threads: list[Thread], updated: Callable[[Thread], datetime]) -> list[Entry]:
    """The threads with their question's text, in the threads' order; a thread whose question is
    hidden is left out (its thread is normally hidden with it; this holds even if it was not)."""
    questions = {post.thread_id: post for post in session.scalars(
        select(Post).where(Post.thread_id.in_([t.id for t in threads]), Post.kind == "question",
                           Post.review_state != "hidden"))}
    return [Entry(thread, _summary(questions[thread.id].body_html), updated(thread))
            for thread in threads if thread.id in questions]


def _summary(body_html: str) -> str:
    text = str(plain_text(body_html))
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1].rstrip() + "\u2026"


def board_entries(session: Session, board: Board) -> list[Entry]:
    """A board's newest threads (an archived board keeps its feed)."""
    threads = session.scalars(_threads_query().where(Thread.board_id == board.id)
                              .order_by(Thread.created_at.desc(), Thread.id.desc())).unique().all()
    return _entries(session, list(threads), lambda t: t.last_activity_at)


def solved_entries(session: Session) -> list[Entry]:
    """The threads whose solution was accepted most recently, on every board."""
    threads = session.scalars(_threads_query().where(Thread.status == "solved", Thread.accepted_at.is_not(None))
                              .order_by(Thread.accepted_at.desc(), Thread.id.desc())).unique().all()
    return _entries(session, list(threads), lambda t: t.accepted_at)


def search_entries(session: Session, backend: SearchBackend, query: SearchQuery) -> list[Entry]:
    """A search's results, in its order (build the query with per_page=LIMIT); an empty query
    finds nothing, a product or OS filter alone lists its threads, as the search page does."""
    if not query.text.strip() and not query.lists_by_context:
        return []
    hits = backend.search(query).hits
    return _entries(session, run_hits(session, hits), lambda t: t.last_activity_at)


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def atom(title: str, subtitle: str, entries: list[Entry], links: FeedLinks) -> bytes:
    """The Atom document. Updated is the newest entry's time (now, for an empty feed)."""
    feed = FeedGenerator()
    feed.id(links.self_url)
    feed.title(_xml_text(title))
    feed.subtitle(_xml_text(subtitle))
    # Atom wants a feed author unless every entry has one, and an empty feed has none.
    feed.author(name="Peerdesk")
    feed.link(href=links.self_url, rel="self", type="application/atom+xml")
    feed.link(href=links.page_url, rel="alternate", type="text/html")
    feed.updated(max((e.updated for e in entries), default=datetime.now(timezone.utc)))
    for item in entries:
        thread = item.thread
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{links.host},{TAG_YEAR}:thread-{thread.id}")
        entry.title(_xml_text(thread.title))
        entry.link(href=links.thread_url(thread), rel="alternate", type="text/html")
        entry.updated(item.updated)
        entry.published(thread.created_at)
        entry.author(name=_xml_text(thread.author.display_name))
        if item.summary:
            entry.summary(_xml_text(item.summary))
    return feed.atom_str(pretty=False)
