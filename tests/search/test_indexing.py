"""The index queue and the indexer: every change reaches the Whoosh index exactly as the database
has it, nothing is lost to lock contention, rebuild swaps atomically, and verify/reconcile find and
mend differences. Includes the multi-process test (4 processes × 100 posts through the app)."""
from __future__ import annotations

import multiprocessing
import time

import pytest
from sqlalchemy import func, select

from app.config import for_tests
from app.models import SearchQueueEntry
from app.search import documents, indexer
from app.search.backend import SearchQuery
from app.search.whoosh_backend import WhooshBackend
from app.services import posting, review, search_queue
from app.services.errors import InvalidInput
from tests.conftest import PASSWORD


@pytest.fixture
def backend(tmp_path):
    found = WhooshBackend(tmp_path / "index")
    yield found
    found.close()


def _found(backend, text: str, **filters) -> list[int]:
    return [hit.thread_id for hit in backend.search(SearchQuery(text=text, **filters)).hits]


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


def test_drain_indexes_what_the_database_holds_and_empties_the_queue(session, backend, thread, helper):
    posting.answer(session, helper, thread_id=thread.id, body="Turn off the printer's sleep mode in settings.")

    assert indexer.drain(session, backend) == 1

    assert _queued(session) == 0
    assert _found(backend, "sleep mode") == [thread.id]
    assert indexer.verify(session, backend) == []


def test_an_edit_replaces_the_old_words(session, backend, thread, member):
    question = documents.load(session, [thread.id])[thread.id]
    assert question is not None
    post_id = session.scalar(select(posting.Post.id).where(posting.Post.thread_id == thread.id))
    indexer.drain(session, backend)
    posting.edit(session, member, post_id=post_id, body="Since the update the scanner part is offline too.")
    indexer.drain(session, backend)

    assert _found(backend, "scanner") == [thread.id]
    assert _found(backend, "yesterday") == []


def test_hidden_posts_leave_the_index_and_come_back_on_restore(session, backend, thread, helper, moderator):
    answer = posting.answer(session, helper, thread_id=thread.id, body="Flash the firmware with the zebra tool.")
    indexer.drain(session, backend)
    assert _found(backend, "zebra") == [thread.id]

    review.hide(session, moderator, post_id=answer.id, reason="incorrect")
    indexer.drain(session, backend)
    assert _found(backend, "zebra") == []
    assert _found(backend, "offline") == [thread.id]  # the question is still there

    review.restore(session, moderator, post_id=answer.id)
    indexer.drain(session, backend)
    assert _found(backend, "zebra") == [thread.id]


def test_a_thread_queued_again_while_it_was_indexed_stays_queued(session, backend, thread, helper, monkeypatch):
    real_load = documents.load

    def load_then_change(s, ids):
        found = real_load(s, ids)
        # Someone answers after the indexer read the thread but before it finished.
        posting.answer(session, helper, thread_id=thread.id, body="Another idea: a static IP address.")
        return found

    monkeypatch.setattr(documents, "load", load_then_change)
    indexer.drain(session, backend, max_batches=1)
    monkeypatch.setattr(documents, "load", real_load)

    assert _queued(session) == 1  # not lost: its token changed, so the row was kept
    indexer.drain(session, backend)
    assert _found(backend, "static") == [thread.id]


def test_a_process_that_finds_the_index_locked_leaves_the_queue_alone(session, backend, thread):
    assert backend.is_empty()  # creates the (empty) index
    from whoosh import index

    ix = index.open_dir(str(backend.current))
    writer = ix.writer()  # another process is writing
    try:
        assert indexer.drain(session, backend) == 0
        assert _queued(session) == 1
    finally:
        writer.cancel()
    assert indexer.drain(session, backend) == 1


def test_verify_finds_stale_missing_and_extra_entries_and_reconcile_mends_them(session, backend, make_thread):
    first, second = make_thread(), make_thread(title="Scanner makes a grinding noise")
    indexer.drain(session, backend)
    stale = documents.load(session, [first.id])[first.id]
    backend.write({first.id: documents.ThreadDocument(**{**stale.__dict__, "title": "Something else entirely"}),
                   second.id: None, 999: documents.ThreadDocument(**{**stale.__dict__, "thread_id": 999})})

    problems = {(d.thread_id, d.problem) for d in indexer.verify(session, backend)}
    assert problems == {(first.id, "stale"), (second.id, "missing"), (999, "extra")}

    indexer.reconcile(session, backend)
    indexer.drain(session, backend)
    assert indexer.verify(session, backend) == []


def test_rebuild_swaps_in_a_new_index_while_searches_keep_working(session, backend, make_thread):
    thread = make_thread()
    indexer.drain(session, backend)
    assert _found(backend, "offline") == [thread.id]
    other = make_thread(title="Laptop battery drains overnight", body="The battery drains even when it is shut down.")

    assert indexer.rebuild(session, backend) == 2

    assert sorted(_found(backend, "offline") + _found(backend, "battery")) == sorted([thread.id, other.id])
    assert _queued(session) == 0  # what waited was read by the rebuild
    assert len(list(backend.directory.glob("ix-*"))) <= 2


def test_the_cli_rebuilds_verifies_and_reports(app, session, make_thread):
    make_thread()
    runner = app.test_cli_runner()

    assert "1 thread(s) waiting" in runner.invoke(args=["search", "status"]).output
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "1 threads" in rebuilt.output
    assert runner.invoke(args=["search", "rebuild", "--if-empty"]).output.startswith("The search index has content")
    verified = runner.invoke(args=["search", "verify"])
    assert verified.exit_code == 0 and "agrees with the database" in verified.output


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
