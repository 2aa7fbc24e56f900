"""Searching threads: the query from the search page, run on the configured backend, turned
into rows the page can show (the threads loaded from the database in one query)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Board, Thread
from app.services import product_context
from app.services.listings import LISTED
from app.search.backend import SORTS, Hit, SearchBackend, SearchQuery, SearchResults

WORD_RE = re.compile(r"[\w']+")
# "Asked within" choices of the search page, in days (None: any time).
PERIODS = {"any": None, "week": 7, "month": 31, "year": 366}


@dataclass(frozen=True)
class ResultRow:
    thread: Thread
    snippet: str


@dataclass(frozen=True)
class ResultPage:
    query: SearchQuery
    results: SearchResults
    rows: list[ResultRow]


def build_query(text: str, *, board: Board | None = None, tag: str | None = None, solved: bool = False,
                official: bool = False, period: str = "any", sort: str = "relevance", page: int = 1,
                per_page: int = 10, now: datetime | None = None, product: str | None = None,
                os_version: str | None = None) -> SearchQuery:
    days = PERIODS.get(period)
    since = (now or datetime.now(timezone.utc)) - timedelta(days=days) if days else None
    return SearchQuery(text=text, board_id=board.id if board else None, tag=(tag or "").strip().lower() or None,
                       solved=solved, official=official, since=since, sort=sort if sort in SORTS else "relevance",
                       page=page, per_page=per_page, product=product_context.match_key(product),
                       os_version=product_context.match_key(os_version))


def run(session: Session, backend: SearchBackend, query: SearchQuery) -> ResultPage:
    results = backend.search(query)
    threads = {t.id: t for t in run_hits(session, results.hits)}
    rows = [ResultRow(threads[hit.thread_id], hit.snippet) for hit in results.hits if hit.thread_id in threads]
    return ResultPage(query=query, results=results, rows=rows)


def run_hits(session: Session, hits: list[Hit]) -> list[Thread]:
    """The hits' threads from the database, in the hits' order. A thread hidden or merged a moment
    ago may still be in the index until the indexer catches up: it is left out here."""
    ids = [hit.thread_id for hit in hits]
    found = {t.id: t for t in session.scalars(
        select(Thread).where(Thread.id.in_(ids), *LISTED)
        .options(joinedload(Thread.board), joinedload(Thread.author), selectinload(Thread.tags))).unique()}
    return [found[i] for i in ids if i in found]


# Words that say nothing about a problem; left out when matching a title being typed.
STOP_WORDS = frozenset("""
a an and are as at be but by can cannot could do does doesn't for from had has have how i i'm if in into is it
it's its my no not of off on or our so than that the their then there these this to too was we what when where
which while why will with won't would you your after again all also any before every just keeps keep still
help please problem issue question anyone someone since now get gets got
der die das und ist nicht ein eine mit mein meine bei von le la les un une des et est pas avec mon ma de het een
en is niet met mijn van w z na nie się jest i og er ikke med min
""".split())
# A suggestion must score at least this share of the best one: one shared word is not "similar".
SIMILAR_SHARE = 0.2


def title_words(title: str) -> list[str]:
    """The meaningful words of a title: lower-cased, without punctuation, stop words or words of
    one or two letters. Matching a title being typed uses them, and so does measuring deflection."""
    return [w for w in WORD_RE.findall(title.lower()) if len(w) > 2 and w not in STOP_WORDS]


def similar(session: Session, backend: SearchBackend, title: str, *, limit: int = 5) -> list[Thread]:
    """Threads like a question being typed, solved ones first (to answer it before it is asked).

    Any of the title's meaningful words may match (they are joined with OR), but a thread must
    score at least SIMILAR_SHARE of the best match, so a thread that shares one common word with
    the title is not offered.
    """
    words = title_words(title)[:12]
    if not words:
        return []
    results = backend.search(SearchQuery(text=" OR ".join(words), per_page=limit * 4))
    if not results.hits:
        return []
    best = max(hit.score for hit in results.hits)
    wanted = [hit for hit in results.hits if hit.score >= SIMILAR_SHARE * best]
    page = run_hits(session, wanted)
    ordered = sorted(page, key=lambda thread: not thread.is_solved)  # stable: solved first, by score
    return ordered[:limit]
