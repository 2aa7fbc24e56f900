"""Running the Alembic migrations in migrations/ from code (CLI and tests share this)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from app.config import PROJECT_ROOT


def alembic_config(database_url: str, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "head", connection: Connection | None = None) -> None:
    command.upgrade(alembic_config(database_url, connection), revision)


def downgrade(database_url: str, revision: str, connection: Connection | None = None) -> None:
    command.downgrade(alembic_config(database_url, connection), revision)
