"""Web-test fixtures: a second browser, and counting the rows of every table."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import config, create_app
from app.db import Base
from app.search import indexer, registry
from tests.conftest import CsrfClient


@pytest.fixture
def new_client(app, session):
    """Another browser: call it for a fresh client with its own cookies."""

    def make():
        client = app.test_client()
        client.test_session = session
        return client

    return make


@pytest.fixture
def row_counts(session):
    """Return a function giving the number of rows in every table."""

    def counts() -> dict[str, int]:
        session.rollback()
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}

    return counts


@pytest.fixture
def make_app(app, database_url, tmp_path):
    """Another app on the test database (emptied by `app`), with some settings changed."""
    made = []

    def make(**overrides):
        other = create_app({**config.for_tests(database_url, tmp_path), **overrides})
        other.test_client_class = CsrfClient
        made.append(other)
        return other

    yield make
    for other in made:
        other.extensions["db_engine"].dispose()


@pytest.fixture
def drain(app, session):
    """A function that indexes what waits in the queue (the app's indexer thread is off in tests)."""
    def run():
        with app.app_context():
            indexer.drain(session, registry.backend(app))
    yield run
    registry.backend(app).close()
