"""Concurrent writers and crashes against a real gunicorn with 4 workers, on SQLite (WAL) and, in
the PostgreSQL run, on PostgreSQL: nothing is lost or counted twice, no request answers 5xx, and
the search index ends up agreeing with the database."""
from __future__ import annotations

import time

from app.search import indexer, registry
from tests.system.checks import consistency_problems, posted_markers, run_clients, unfindable, wait_for_index

WRITERS, POSTS_EACH = 8, 100


def test_eight_writers_through_four_workers_lose_nothing(app, session, forum, live_server):
    writers, thread_ids, own_answers = forum(members=WRITERS, threads=16, answers_each=3)
    server = live_server()

    outcomes = run_clients(server, writers, thread_ids, own_answers, posts=POSTS_EACH)

    statuses = {code: sum(o.statuses.get(code, 0) for o in outcomes) for o in outcomes for code in o.statuses}
    assert not [code for code in statuses if code >= 500], (statuses, server.log_tail())
    assert "Traceback" not in server.log_path.read_text(), server.log_tail()  # nor a logged error
    assert [f for o in outcomes for f in o.failures] == []
    assert [w for o in outcomes for w in o.uncertain] == []
    confirmed = [word for o in outcomes for word in o.posted]
    assert len(confirmed) == WRITERS * POSTS_EACH
    stored = posted_markers(session)
    assert {word for word, times in stored.items() if times != 1} == set()
    assert set(stored) == set(confirmed)
    kudos = sum(len(o.kudos_given) for o in outcomes)
    assert kudos == WRITERS * (WRITERS - 1) * 3
    assert consistency_problems(session) == []

    wait_for_index(session)
    server.stop()  # its indexer threads stop with it: what is in the index now is final
    backend = registry.backend(app)
    assert indexer.verify(session, backend) == []
    assert unfindable(session, backend, confirmed) == []


def test_killed_workers_and_a_crashed_server_leave_a_consistent_forum(app, session, forum, live_server):
    writers, thread_ids, own_answers = forum(members=4, threads=8, answers_each=3)
    server = live_server()

    def crashes(server) -> None:  # noqa: ANN001
        time.sleep(2.0)
        server.kill_worker()   # mid-request: gunicorn replaces it
        time.sleep(2.0)
        server.kill_worker()
        time.sleep(2.0)
        server.crash()         # every process at once, as a power cut to the service would
        time.sleep(1.0)
        server.start(ready_path="/login")  # the restart

    outcomes = run_clients(server, writers, thread_ids, own_answers, posts=80, retry_for=60.0, during=crashes)

    statuses = {code for o in outcomes for code in o.statuses}
    assert not [code for code in statuses if code >= 500], (statuses, server.log_tail())
    assert [f for o in outcomes for f in o.failures] == []
    stored = posted_markers(session)
    confirmed = {word for o in outcomes for word in o.posted}
    uncertain = {word for o in outcomes for word in o.uncertain}
    assert {word for word, times in stored.items() if times != 1} == set()  # nothing twice
    assert confirmed <= set(stored)                # nothing confirmed is lost
    assert set(stored) <= confirmed | uncertain    # nothing appears that nobody sent
    assert consistency_problems(session) == []

    wait_for_index(session)
    server.stop()
    backend = registry.backend(app)
    assert indexer.verify(session, backend) == []
    assert unfindable(session, backend, sorted(stored)) == []
