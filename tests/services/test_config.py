"""Configuration from the environment: defaults, the generated secret key, SQLite settings."""
from __future__ import annotations

from app import config, create_app, db
from app.db import make_engine


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.load_secret_key(tmp_path)
    second = config.load_secret_key(tmp_path)
    assert first == second and len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert config.load_secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "SEARCH_INDEX_DIR", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = config.from_environment(tmp_path)
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'peerdesk.sqlite3'}"
    assert settings["SEARCH_INDEX_DIR"].endswith("search_index")
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("THREADS_PER_PAGE", "50")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    settings = config.from_environment(tmp_path)
    assert settings["DATABASE_URL"] == "postgresql://u@h/db"
    assert settings["THREADS_PER_PAGE"] == 50 and settings["RATELIMIT_ENABLED"] is False


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_create_app_reads_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "k")
    app = create_app()
    with app.app_context():
        assert db.engine().url.database.endswith("env.sqlite3")
    assert app.config["SECRET_KEY"] == "k"
    app.extensions["db_engine"].dispose()
