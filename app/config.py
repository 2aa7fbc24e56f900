"""Settings read from environment variables, with safe defaults, and the test settings."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = (os.environ.get(name) or default).strip().lower()
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)} (it is {value!r})")
    return value


def load_secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in the instance folder.

    A constant in the code would let anyone forge sessions; a key generated per process would sign
    everybody out on every restart and break several workers, so it is written to a file once.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: when two workers start at once, exactly one writes and both read the same key.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def from_environment(instance_path: Path) -> dict:
    """Build the configuration mapping for a running site."""
    default_db = f"sqlite:///{instance_path / 'peerdesk.sqlite3'}"
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        "SQLITE_BUSY_TIMEOUT_MS": _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(PROJECT_ROOT / "search_index")),
        # The PostgreSQL full-text backend is being finished; until it lands only Whoosh is offered.
        "SEARCH_BACKEND": _env_choice("SEARCH_BACKEND", ("whoosh",), "whoosh"),
        "SEARCH_INDEXER": _env_choice("SEARCH_INDEXER", ("thread", "off"), "thread"),
        "SEARCH_POLL_SECONDS": _env_float("SEARCH_POLL_SECONDS", 0.5),
        "SEARCH_RECONCILE_SECONDS": _env_float("SEARCH_RECONCILE_SECONDS", 3600.0),
        "THREADS_PER_PAGE": _env_int("THREADS_PER_PAGE", 20),
        "ANSWERS_PER_PAGE": _env_int("ANSWERS_PER_PAGE", 30),
        "MAX_TAGS": _env_int("MAX_TAGS", 5),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("PREFERRED_URL_SCHEME") == "https",
        "REMEMBER_COOKIE_SECURE": os.environ.get("PREFERRED_URL_SCHEME") == "https",
        "WTF_CSRF_TIME_LIMIT": None,  # a reply typed over a long lunch must still post
        "SQL_ECHO": _env_bool("SQL_ECHO", False),
        **_reputation_settings(),
    }


def _reputation_settings() -> dict:
    from app.services.rules import (DEFAULT_FLAG_HIDE_WEIGHT, DEFAULT_KUDOS_PER_DAY, parse_points, parse_ranks,
                                    parse_weights)

    return {
        "REPUTATION_POINTS": parse_points(os.environ.get("REPUTATION_POINTS")),
        "RANK_THRESHOLDS": parse_ranks(os.environ.get("RANK_THRESHOLDS")),
        "KUDOS_PER_DAY": _env_int("KUDOS_PER_DAY", DEFAULT_KUDOS_PER_DAY),
        "FLAG_HIDE_WEIGHT": _env_int("FLAG_HIDE_WEIGHT", DEFAULT_FLAG_HIDE_WEIGHT),
        "FLAG_WEIGHTS": parse_weights(os.environ.get("FLAG_WEIGHTS")),
    }


def for_tests(database_url: str, instance_path: Path) -> dict:
    """Settings for the test suite: a given database, no rate limits unless a test enables them."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "DATABASE_URL": database_url,
        "SQLITE_BUSY_TIMEOUT_MS": 15000,
        "SEARCH_INDEX_DIR": str(instance_path / "search_index"),
        "SEARCH_BACKEND": "whoosh",
        "SEARCH_INDEXER": "off",  # tests drain the queue themselves, when they mean to
        "THREADS_PER_PAGE": 20,
        "ANSWERS_PER_PAGE": 30,
        "MAX_TAGS": 5,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PREFERRED_URL_SCHEME": "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "SQL_ECHO": False,
        **_reputation_settings(),
    }
