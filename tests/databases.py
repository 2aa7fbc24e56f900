"""Test databases: a SQLite file, or a PostgreSQL database made for this run and dropped after it."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import migrate
from app.db import Base, make_engine


def wants_postgresql() -> bool:
    return os.environ.get("PEERDESK_TEST_DB") == "postgresql"


@contextmanager
def migrated_database(tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of a new, fully migrated database; remove it afterwards."""
    if wants_postgresql():
        server = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
        server = server.replace("postgresql://", "postgresql+psycopg://", 1)
        name = f"peerdesk_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        try:
            migrate.upgrade(url)
            yield url
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        url = f"sqlite:///{tmp_dir / 'test.sqlite3'}"
        migrate.upgrade(url)
        yield url


def empty_all_tables(url: str) -> None:
    """Delete every row (keeping the schema), so each test starts from an empty database."""
    engine = make_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("UPDATE threads SET accepted_answer_id = NULL"))
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text("DELETE FROM sqlite_sequence")) if _has_sequence(conn) else None
    engine.dispose()


def _has_sequence(conn) -> bool:  # noqa: ANN001
    return bool(conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first())
