"""Web-test fixtures: a second browser, and counting the rows of every table."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import Base


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
