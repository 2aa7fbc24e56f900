"""The search tests' `backend`: a test that takes it runs once on Whoosh (a temporary index) and once
on PostgreSQL (the tables of the test database; only when the suite runs on PostgreSQL), with the
helpers index() (drain the queue into it), search() (the thread ids found) and write_locked()."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import text

from app.search import indexer
from app.search.backend import SearchQuery
from tests.databases import wants_postgresql


@pytest.fixture(params=["whoosh", "postgres"])
def backend(request, app, tmp_path):
    if request.param == "whoosh":
        from app.search.whoosh_backend import WhooshBackend

        found = WhooshBackend(tmp_path / "index")
        yield found
        found.close()
        return
    if not wants_postgresql():
        pytest.skip("the PostgreSQL search backend is tested when the suite runs on PostgreSQL "
                    "(PEERDESK_TEST_DB=postgresql)")
    from app.search.postgres_backend import TABLES, PostgresBackend

    engine = app.extensions["db_engine"]
    with engine.begin() as connection:  # the app fixture empties the models' tables, not these
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)}"))
    yield PostgresBackend(engine)


@pytest.fixture
def backend_settings(backend) -> dict:
    """What an app in another process needs to use the same index."""
    directory = getattr(backend, "directory", None)
    return {"SEARCH_BACKEND": backend.name, **({"SEARCH_INDEX_DIR": str(directory)} if directory else {})}


@pytest.fixture
def index(session, backend):
    def drain() -> int:
        return indexer.drain(session, backend)

    return drain


@pytest.fixture
def search(backend):
    def found(words: str, **options) -> list[int]:
        return [hit.thread_id for hit in backend.search(SearchQuery(text=words, **options)).hits]

    return found


@pytest.fixture
def write_locked(backend):
    """A context manager: meanwhile another process holds the index's write lock."""

    @contextmanager
    def held():
        if backend.name == "whoosh":
            from whoosh import index as whoosh_index

            backend.is_empty()  # creates the (empty) index
            writer = whoosh_index.open_dir(str(backend.current)).writer()
            try:
                yield
            finally:
                writer.cancel()
            return
        from app.search.postgres_backend import LOCK_KEY

        with backend.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            try:
                yield
            finally:
                connection.rollback()

    return held
