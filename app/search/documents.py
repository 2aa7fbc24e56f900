"""One search document per thread, built from the database as it is at that moment.

The document holds the title, the question, the visible answers and comments, and what the
filters and ranking need. Hidden posts and e-mail addresses never reach it; a hidden or merged
thread has no document at all.
"""
from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Post, Thread

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
LANGUAGES = ("en", "de", "fr", "nl", "pl", "nb")


@dataclass(frozen=True)
class ThreadDocument:
    thread_id: int
    title: str
    text: str          # question, visible answers and comments, as plain text
    board_id: int
    tags: tuple[str, ...]
    solved: bool
    official: bool
    kudos: int         # the question's kudos plus every visible answer's
    answers: int
    created: datetime
    activity: datetime
    language: str
    product: str | None = None     # the thread's product context, as typed
    os_version: str | None = None

    @property
    def digest(self) -> str:
        """What verify compares: changes whenever anything the index holds changes."""
        parts = (self.title, self.text, self.board_id, ",".join(self.tags), self.solved, self.official,
                 self.kudos, self.answers, self.created.isoformat(), self.activity.isoformat(), self.language,
                 self.product, self.os_version)
        return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def context_key(value: str | None) -> str | None:
    """A product or OS value as the index holds it for exact, case-insensitive filtering (the
    value is clean already; services/product_context.match_key makes a query's the same way)."""
    return value.casefold() if value else None


def plain_text(body_html: str) -> str:
    """Sanitised post HTML as searchable text, without e-mail addresses."""
    text = html.unescape(_TAG.sub(" ", body_html))
    return _SPACE.sub(" ", EMAIL.sub(" ", text)).strip()


def _language(code: str | None) -> str:
    return code if code in LANGUAGES else "en"


def load(session: Session, thread_ids: list[int]) -> dict[int, ThreadDocument | None]:
    """The documents of these threads; None for a thread that must not be in the index."""
    result: dict[int, ThreadDocument | None] = {thread_id: None for thread_id in thread_ids}
    if not thread_ids:
        return result
    threads = session.scalars(select(Thread).where(Thread.id.in_(thread_ids)).options(selectinload(Thread.tags))
                              .execution_options(populate_existing=True)).all()
    listed = {t.id: t for t in threads if not t.is_hidden and t.merged_into_id is None}
    posts: dict[int, list[Post]] = {thread_id: [] for thread_id in listed}
    for post in session.scalars(select(Post).where(Post.thread_id.in_(list(listed)), Post.review_state != "hidden")
                                .order_by(Post.thread_id, Post.created_at, Post.id)
                                .execution_options(populate_existing=True)):
        posts[post.thread_id].append(post)
    for thread_id, thread in listed.items():
        result[thread_id] = _document(thread, posts[thread_id])
    return result


def _document(thread: Thread, posts: list[Post]) -> ThreadDocument | None:
    question = next((p for p in posts if p.kind == "question"), None)
    if question is None:
        return None
    # The question first, then answers and comments in order: the snippet comes from the front.
    ordered = [question, *(p for p in posts if p is not question)]
    return ThreadDocument(
        thread_id=thread.id, title=EMAIL.sub(" ", thread.title), text=" \n ".join(plain_text(p.body_html) for p in ordered),
        board_id=thread.board_id, tags=tuple(t.name for t in thread.tags), solved=thread.status == "solved",
        official=thread.official_answer_id is not None,
        kudos=sum(p.kudos_count for p in posts if p.kind != "comment"),
        answers=sum(1 for p in posts if p.kind == "answer"), created=thread.created_at,
        activity=thread.last_activity_at, language=_language(question.language),
        product=thread.product, os_version=thread.os_version,
    )


def all_documents(session: Session, batch: int = 500) -> Iterator[ThreadDocument]:
    """Every document, read in batches by id (memory stays flat on a large forum)."""
    last = 0
    while True:
        ids = list(session.scalars(select(Thread.id).where(Thread.id > last).order_by(Thread.id).limit(batch)))
        if not ids:
            return
        for document in load(session, ids).values():
            if document is not None:
                yield document
        session.expunge_all()
        last = ids[-1]
