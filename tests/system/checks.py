"""What the system tests check after the writers are done: every post stored exactly once, counters
and reputation consistent, the index queue drained and every post findable."""
from __future__ import annotations

import multiprocessing
import re
import time
from collections import Counter

from sqlalchemy import func, select, text

from app.models import Kudos, Post, SearchQueueEntry, Thread, User
from app.search.backend import SearchBackend, SearchQuery
from app.services import reputation
from bench.live_server import LiveServer
from tests.conftest import PASSWORD
from tests.system import clients

MARKER = re.compile(r"\bmk\d+q\d+z\b")


def run_clients(server: LiveServer, writers, thread_ids, own_answers, *, posts: int, retry_for: float = 0.0,
                during=None) -> list[clients.Outcome]:
    """Every writer posts `posts` answers and gives kudos to everyone else's answers, all at once,
    each in its own process; `during(server)` runs in this process meanwhile (the crash test)."""
    jobs = [clients.Job(base_url=server.url, email=w.email, password=PASSWORD, client_no=n, posts=posts,
                        thread_ids=thread_ids,
                        kudos_post_ids=[pid for other, ids in own_answers.items() if other != w.id for pid in ids],
                        retry_for=retry_for)
            for n, w in enumerate(writers)]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        pending = pool.map_async(clients.run, jobs)
        if during is not None:
            during(server)
        return pending.get(timeout=600)


def posted_markers(session) -> Counter:
    session.rollback()
    found: Counter = Counter()
    for body in session.scalars(select(Post.body_source).where(Post.kind == "answer")):
        found.update(MARKER.findall(body))
    return found


def consistency_problems(session) -> list[str]:
    """Every stored counter agrees with the rows it counts, and reputation with its ledger."""
    session.rollback()
    problems = []
    kudos_rows = dict(session.execute(select(Kudos.post_id, func.count()).group_by(Kudos.post_id)).all())
    for post_id, stored in session.execute(select(Post.id, Post.kudos_count)):
        if stored != kudos_rows.get(post_id, 0):
            problems.append(f"post {post_id}: kudos_count {stored}, kudos rows {kudos_rows.get(post_id, 0)}")
    answers = dict(session.execute(select(Post.thread_id, func.count()).where(
        Post.kind == "answer", Post.review_state != "hidden").group_by(Post.thread_id)).all())
    for thread_id, stored in session.execute(select(Thread.id, Thread.answer_count)):
        if stored != answers.get(thread_id, 0):
            problems.append(f"thread {thread_id}: answer_count {stored}, answers {answers.get(thread_id, 0)}")
    problems += [f"member {m.user_id}: reputation {m.stored}, ledger {m.ledger}" for m in reputation.verify(session)]
    expected = reputation.expected_from_state(session)
    stored = dict(session.execute(select(User.id, User.reputation)).all())
    problems += [f"member {user_id}: reputation {stored.get(user_id)}, earned {points}"
                 for user_id, points in expected.items() if stored.get(user_id) != points]
    if session.get_bind().dialect.name == "sqlite":
        check = session.execute(text("PRAGMA integrity_check")).scalar()
        if check != "ok":
            problems.append(f"SQLite integrity_check: {check}")
    session.rollback()
    return problems


def wait_for_index(session, timeout: float = 120.0) -> None:
    """Until the server's indexer threads have emptied the queue."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        session.rollback()
        if session.scalar(select(func.count()).select_from(SearchQueueEntry)) == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"the index queue was not drained within {timeout} s")


def unfindable(session, backend: SearchBackend, markers) -> list[str]:
    """Markers whose post search does not find in the thread that holds it."""
    session.rollback()
    where = {}
    for thread_id, body in session.execute(select(Post.thread_id, Post.body_source).where(Post.kind == "answer")):
        for word in MARKER.findall(body):
            where[word] = thread_id
    return [word for word in markers
            if where.get(word) not in {hit.thread_id for hit in backend.search(SearchQuery(text=word)).hits}]
