"""The SQLAlchemy engine, a session per request, the declarative Base and a transaction helper."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

from flask import Flask, current_app, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names, so Alembic migrations can address them on SQLite and PostgreSQL alike.
WRITE_OPTION = "peerdesk_write"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Timezone-aware now in UTC; used as a per-row default (never evaluated once at import)."""
    return datetime.now(timezone.utc)


def make_engine(url: str, *, busy_timeout_ms: int = 15000, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    kwargs: dict = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000}
    else:
        kwargs["pool_pre_ping"] = True
        if url.startswith("postgresql"):
            # Dates derived in SQL (reputation per day, periods) are UTC days, whatever the server's zone.
            kwargs["connect_args"] = {"options": "-c timezone=UTC"}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_ms)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DBAPI objects are untyped
        # pysqlite's own transaction handling defers BEGIN, which lets two writers both read and
        # then fail to upgrade their lock; BEGIN IMMEDIATE (below) takes the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def init_app(app: Flask) -> None:
    """Create the engine and session factory for the app and close the session after each request."""
    engine = make_engine(
        app.config["DATABASE_URL"],
        busy_timeout_ms=app.config.get("SQLITE_BUSY_TIMEOUT_MS", 15000),
        echo=app.config.get("SQL_ECHO", False),
    )
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["db_engine"]


def session() -> Session:
    """The session of the current app context, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


# Row locks are FOR NO KEY UPDATE on PostgreSQL (SQLite ignores them: its write lock is taken at
# BEGIN). We never change a key, and a plain FOR UPDATE also blocks the KEY SHARE lock that
# inserting a row referencing the locked one takes: accepting an answer (post, then thread) and
# a solution change writing a ledger row for that post (thread, then post) deadlocked that way.
ROW_LOCK = {"key_share": True}


@contextmanager
def transaction(db_session: Session) -> Iterator[Session]:
    """Commit the block's writes as one transaction, or roll all of them back on any error.

    The read transaction a request may have open is ended first, and the write transaction begins
    with the write option, so SQLite takes its write lock up front (BEGIN IMMEDIATE) and waits its
    busy timeout for it, instead of failing at once when a read lock cannot be upgraded.
    """
    if db_session.in_transaction():
        db_session.commit()
    db_session.connection(execution_options={WRITE_OPTION: True})
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise
