"""The Alembic migrations: they match the models, and run down and up again on this database."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import migrate
from app.db import Base, make_engine
from app.search.postgres_backend import TABLES as SEARCH_TABLES
from tests.databases import migrated_database


@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrated_schema_matches_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _modelled})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    # SQLite cannot reflect expression indexes; everything else must match exactly.
    assert [d for d in diff if "display_name_lower" not in repr(d)] == []


def _modelled(name, type_, parent_names) -> bool:  # noqa: ANN001 - Alembic's include_name hook
    """The PostgreSQL search backend's tables are written with SQL, not models (migration 0005)."""
    return not (type_ == "table" and name in SEARCH_TABLES)


def test_downgrade_to_nothing_and_upgrade_again(tmp_path):
    with migrated_database(tmp_path) as url:
        migrate.downgrade(url, "base")
        engine = make_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        migrate.upgrade(url)
        engine = make_engine(url)
        names = set(inspect(engine).get_table_names())
        indexes = _index_names(engine)
        engine.dispose()
        assert {"users", "boards", "threads", "posts", "revisions", "tags", "thread_tags", "kudos",
                "reputation_events", "badge_awards", "me_too"} <= names
        # Indexes reflection cannot compare (expression and partial ones) survive the round trip.
        assert {"ix_users_display_name_lower", "ix_posts_one_question_per_thread"} <= indexes


def test_each_migration_steps_down_and_up(tmp_path):
    steps = [(migrate.downgrade, "0001"), (migrate.downgrade, "base"), (migrate.upgrade, "0001"),
             (migrate.upgrade, "head"), (migrate.downgrade, "0001"), (migrate.upgrade, "head")]
    with migrated_database(tmp_path) as url:
        for step, revision in steps:
            step(url, revision)
        engine = make_engine(url)
        assert {"ix_users_display_name_lower", "ix_posts_one_question_per_thread"} <= _index_names(engine)
        engine.dispose()


def _index_names(engine) -> set[str]:  # noqa: ANN001
    query = ("SELECT name FROM sqlite_master WHERE type = 'index'" if engine.dialect.name == "sqlite"
             else "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    with engine.connect() as conn:
        return set(conn.exec_driver_sql(query).scalars())
