"""System-test fixtures: the forum seeded with members and threads, served by a real gunicorn (4
workers, each with its embedded search indexer) on the test database."""
from __future__ import annotations

import pytest

from app.services import posting
from bench.live_server import LiveServer


@pytest.fixture
def forum(session, make_user, make_thread):
    """Members who will post (each with a few answers of their own to receive kudos) and threads."""

    def seed(members: int, threads: int, answers_each: int):
        writers = [make_user(name=f"Writer {n}") for n in range(members)]
        thread_ids = [make_thread(title=f"Router drops the connection every hour, case {n}",
                                  body="Since the firmware update the router drops Wi-Fi every hour.").id
                      for n in range(threads)]
        own_answers = {w.id: [posting.answer(session, w, thread_id=thread_ids[(w.id + k) % threads],
                                             body=f"Seed answer {k} by writer {w.id}: update the firmware.").id
                              for k in range(answers_each)]
                       for w in writers}
        return writers, thread_ids, own_answers

    return seed


@pytest.fixture
def live_server(app, database_url, tmp_path):
    """A function starting gunicorn with 4 workers on the test database (call it after seeding)."""
    started: list[LiveServer] = []
    env = {
        "DATABASE_URL": database_url, "SECRET_KEY": "system-test-secret",
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"], "SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
        "SEARCH_INDEXER": "thread", "SEARCH_POLL_SECONDS": "0.3",
        # Limits are tested on their own (tests/web/test_rate_limits.py); here they would only
        # turn the writers away.
        "RATELIMIT_ENABLED": "0", "KUDOS_PER_DAY": "10000",
    }

    def start(workers: int = 4) -> LiveServer:
        server = LiveServer(env, workers=workers, log_path=tmp_path / "gunicorn.log")
        server.start(ready_path="/login")
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
