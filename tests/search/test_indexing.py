"""The index queue and the Whoosh-specific side of indexing: the queue row is written in the
change's own transaction, rebuild swaps index directories atomically and removes old ones, the
background indexer makes a post findable within 2 seconds, and the multi-process test (4 processes
× 100 posts through the app). What every backend must do is in test_behaviour.py."""
from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from app.config import for_tests
from app.models import SearchQueueEntry
from app.search import indexer
from app.search.backend import SearchQuery
from app.search.whoosh_backend import WhooshBackend
from app.services import posting, search_queue
from app.services.errors import InvalidInput
from tests.conftest import PASSWORD


@pytest.fixture
def whoosh(tmp_path):
    found = WhooshBackend(tmp_path / "index")
    yield found
    found.close()


def _queued(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(SearchQueueEntry))


def test_a_post_queues_its_thread_in_the_same_transaction(session, thread, helper):
    assert _queued(session) == 1  # the question
    posting.answer(session, helper, thread_id=thread.id, body="Turn off the printer's sleep mode.")
    assert _queued(session) == 1  # still one row per thread, with a fresh token

    with pytest.raises(InvalidInput):
        posting.answer(session, helper, thread_id=thread.id, body="x")
    assert _queued(session) == 1


def test_rebuild_swaps_the_current_link_to_a_new_directory_and_removes_older_ones(session, whoosh, make_thread):
    make_thread()
    indexer.drain(session, whoosh)
    first = whoosh.current.resolve()

    indexer.rebuild(session, whoosh)
    indexer.rebuild(session, whoosh)

    assert whoosh.current.is_symlink() and whoosh.current.resolve() != first
    assert len(list(whoosh.directory.glob("ix-*"))) <= 2  # the live one and the one before
    assert whoosh.search(SearchQuery(text="offline")).total == 1



def test_the_background_indexer_makes_a_new_post_findable_within_two_seconds(database_url, tmp_path, make_user,
                                                                             board):
    from app import create_app

    config = for_tests(database_url, tmp_path)
    config.update(SEARCH_INDEXER="thread", SEARCH_POLL_SECONDS=0.2, WTF_CSRF_ENABLED=False)
    app = create_app(config)
    author = make_user(name="Quick Quinn")
    client = app.test_client()
    client.post("/login", data={"email": author.email, "password": PASSWORD})
    saved = time.monotonic()
    response = client.post("/ask", data={"board": str(board.id), "title": "Kangaroo sticker jams the feeder",
                                         "body": "A kangaroo sticker is stuck in the document feeder."})
    assert response.status_code == 302
    backend = WhooshBackend(config["SEARCH_INDEX_DIR"])
    try:
        while not backend.search(SearchQuery(text="kangaroo")).hits and time.monotonic() - saved < 5:
            time.sleep(0.05)
        waited = time.monotonic() - saved
    finally:
        # Its thread would otherwise go on draining the queue of the tests that follow.
        app.extensions["search_indexer"].stop()
        backend.close()
        app.extensions["db_engine"].dispose()
    assert waited < 2, f"findable only after {waited:.2f} s"


# --- several processes at once ---------------------------------------------------------------


def _post_answers(url: str, index_dir: str, instance: str, email: str, thread_id: int, count: int, tag: str) -> int:
    """One process: sign in and post `count` answers through the app, as a browser would."""
    from pathlib import Path

    from app import create_app

    config = for_tests(url, Path(instance))
    config.update(SEARCH_INDEXER="thread", SEARCH_INDEX_DIR=index_dir, WTF_CSRF_ENABLED=False,
                  SEARCH_POLL_SECONDS=0.2)
    app = create_app(config)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    failures = 0
    for number in range(count):
        response = client.post(f"/t/{thread_id}/answer", data={"body": f"Answer {tag}x{number} from {email}."})
        failures += response.status_code != 302
    # Let this process's indexer finish what it took on before the process ends.
    time.sleep(1)
    return failures


def test_four_processes_posting_at_once_lose_nothing(database_url, tmp_path, make_user, make_thread):
    processes, per_process = 4, 100
    thread = make_thread()
    members = [make_user(name=f"Writer {i}") for i in range(processes)]
    index_dir = str(tmp_path / "shared-index")
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        failures = pool.starmap(_post_answers, [
            (database_url, index_dir, str(tmp_path / f"instance{i}"), m.email, thread.id, per_process, f"w{i}")
            for i, m in enumerate(members)])
    assert failures == [0] * processes

    from app import create_app

    config = for_tests(database_url, tmp_path)
    config.update(SEARCH_INDEX_DIR=index_dir)
    app = create_app(config)
    with app.app_context():
        from app import db

        session, backend = db.session(), WhooshBackend(index_dir)
        indexer.drain(session, backend)  # whatever the last process left (its thread stops with it)
        assert search_queue.size(session) == 0
        assert indexer.verify(session, backend) == []
        for i in range(processes):
            for number in (0, per_process // 2, per_process - 1):
                assert backend.search(SearchQuery(text=f"w{i}x{number}")).total == 1, (i, number)
        backend.close()
    app.extensions["db_engine"].dispose()


def test_filters_are_kept_per_searcher_but_a_date_is_counted_each_time(session, whoosh, make_thread):
    from datetime import datetime, timedelta, timezone

    thread = make_thread(title="Router reboots at night", body="The router reboots every night at three.")
    indexer.drain(session, whoosh)
    now = datetime.now(timezone.utc)

    found = [whoosh.search(SearchQuery(text="router", board_id=thread.board_id, since=now - timedelta(days=d)))
             for d in (1, 2, 3)]
    future = whoosh.search(SearchQuery(text="router", board_id=thread.board_id, since=now + timedelta(days=1)))

    assert [[h.thread_id for h in r.hits] for r in found] == [[thread.id]] * 3
    assert future.hits == [] and future.total == 0
    kept = whoosh._get_searcher().__dict__["_peerdesk_filters"]
    assert list(kept) == [repr(whoosh._filter(SearchQuery(text="", board_id=thread.board_id))[0])]
