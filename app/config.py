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


def _search_backend(database_url: str) -> str:
    """SEARCH_BACKEND; `postgres` keeps its index in the database, so that must be PostgreSQL."""
    backend = _env_choice("SEARCH_BACKEND", ("whoosh", "postgres"), "whoosh")
    if backend == "postgres" and not database_url.startswith("postgresql"):
        raise ValueError("SEARCH_BACKEND=postgres needs DATABASE_URL to be a PostgreSQL database "
                         f"(it is {database_url.split(':', 1)[0]}:…); use SEARCH_BACKEND=whoosh with SQLite")
    return backend


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
        "SEARCH_BACKEND": _search_backend(os.environ.get("DATABASE_URL", default_db)),
        "SEARCH_INDEXER": _env_choice("SEARCH_INDEXER", ("thread", "off"), "thread"),
        "SEARCH_POLL_SECONDS": _env_float("SEARCH_POLL_SECONDS", 0.5),
        "SEARCH_RECONCILE_SECONDS": _env_float("SEARCH_RECONCILE_SECONDS", 3600.0),
        "PAGE_CACHE_SECONDS": _env_float("PAGE_CACHE_SECONDS", 10.0),
        "PAGE_CACHE_MB": _env_int("PAGE_CACHE_MB", 32),
        "VIEW_FLUSH_SECONDS": _env_float("VIEW_FLUSH_SECONDS", 2.0),
        "LIVE_POLL_SECONDS": _env_float("LIVE_POLL_SECONDS", 15.0),
        "THREADS_PER_PAGE": _env_int("THREADS_PER_PAGE", 20),
        "ANSWERS_PER_PAGE": _env_int("ANSWERS_PER_PAGE", 30),
        "MAX_TAGS": _env_int("MAX_TAGS", 5),
        # An ask session idle this long without a question posted counts as abandoned (services/deflection.py).
        "ASK_SESSION_ABANDON_MINUTES": _env_int("ASK_SESSION_ABANDON_MINUTES", 30),
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Redis keys start with this, so several sites (or test runs) can share one Redis.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "peerdesk"),
        "RATELIMIT_HEADERS_ENABLED": True,
        **_abuse_settings(),
        **_scheme_settings(),
        **_proxy_settings(),
        "WTF_CSRF_TIME_LIMIT": None,  # a reply typed over a long lunch must still post
        "SQL_ECHO": _env_bool("SQL_ECHO", False),
        **_language_settings(),
        **_reputation_settings(),
        **_mail_and_account_settings(instance_path),
        **_routing_settings(),
    }


WEBHOOK_SECRET_MIN = 16


def _routing_settings() -> dict:
    """Unanswered routing (services/routing.py) and the escalation webhooks (services/webhooks.py).

    ESCALATION_WEBHOOK_SECRET signs every webhook, and the receiver must hold the same value, so it
    is never made up here: left unset, webhooks wait in their outbox (and `flask support tick` says
    so) until it is set; a short one is refused at start, as it could be guessed.
    """
    secret = os.environ.get("ESCALATION_WEBHOOK_SECRET", "")
    if secret and len(secret) < WEBHOOK_SECRET_MIN:
        raise ValueError(f"ESCALATION_WEBHOOK_SECRET needs at least {WEBHOOK_SECRET_MIN} characters "
                         "(e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`)")
    return {"ESCALATION_WEBHOOK_SECRET": secret, "ROUTING_MAX_INVITES": _env_int("ROUTING_MAX_INVITES", 3)}


def _mail_and_account_settings(instance_path: Path) -> dict:
    """Outgoing mail (services/mail.py) and the links in account mails (services/account_recovery.py)."""
    return {
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Peerdesk <no-reply@localhost>"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(instance_path / "outbox")),
        "MAIL_SMTP_HOST": os.environ.get("MAIL_SMTP_HOST", ""),
        "MAIL_SMTP_PORT": _env_int("MAIL_SMTP_PORT", 587),
        "MAIL_SMTP_USER": os.environ.get("MAIL_SMTP_USER", ""),
        "MAIL_SMTP_PASSWORD": os.environ.get("MAIL_SMTP_PASSWORD", ""),
        "MAIL_SMTP_STARTTLS": _env_bool("MAIL_SMTP_STARTTLS", True),
        # Links in mails are built on this address when set: otherwise on the Host header of the
        # request, which a forger can choose (a reset link pointing at their own site).
        "SITE_URL": os.environ.get("SITE_URL", "").rstrip("/"),
        "PASSWORD_RESET_MAX_AGE_SECONDS": _env_int("PASSWORD_RESET_MAX_AGE_SECONDS", 3600),
        "EMAIL_CHANGE_MAX_AGE_SECONDS": _env_int("EMAIL_CHANGE_MAX_AGE_SECONDS", 86400),
        **{name: _env_limit(name, default) for name, default in ACCOUNT_LIMITS.items()},
    }


# Rate limits of app/web/account.py: asking for a reset link, and forms that check the password.
ACCOUNT_LIMITS = {
    "RATELIMIT_PASSWORD_RESET_ADDRESS": "5 per minute;30 per hour",
    "RATELIMIT_PASSWORD_RESET_EMAIL": "3 per hour;10 per day",
    "RATELIMIT_PASSWORD_CHECK": "10 per hour",
}


def _scheme_settings() -> dict:
    scheme = _env_choice("PREFERRED_URL_SCHEME", ("http", "https"), "http")
    return {"PREFERRED_URL_SCHEME": scheme, **cookie_settings(scheme)}


def cookie_settings(scheme: str) -> dict:
    """Session and remember-me cookies: never readable by scripts, not sent on cross-site POSTs,
    and only over HTTPS when the site is served by HTTPS."""
    secure = scheme == "https"
    return {
        "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True, "REMEMBER_COOKIE_SAMESITE": "Lax", "REMEMBER_COOKIE_SECURE": secure,
    }


def _proxy_settings() -> dict:
    """How many proxies in front of the site set X-Forwarded-For / -Proto / -Host (0: none, the
    headers are ignored, so a visitor cannot fake their address to dodge the rate limits)."""
    return {f"PROXY_FIX_X_{part}": _env_int(f"PROXY_FIX_X_{part}", 0) for part in ("FOR", "PROTO", "HOST")}


def _env_limit(name: str, default: str) -> str:
    """A Flask-Limiter limit such as "5 per minute;20 per hour", checked when the site starts."""
    from limits import parse_many

    value = (os.environ.get(name) or default).strip()
    try:
        parse_many(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be limits like '5 per minute;20 per hour' (it is {value!r})") from exc
    return value


# Rate limits (app/web/abuse.py applies them). Sign-in limits count refused attempts only.
DEFAULT_LIMITS = {
    "RATELIMIT_SIGN_IN_ACCOUNT": "5 per minute;20 per hour",
    "RATELIMIT_SIGN_IN_ADDRESS": "20 per minute;100 per hour",
    "RATELIMIT_SIGN_UP": "5 per hour;20 per day",
    "RATELIMIT_POSTING": "10 per minute;120 per hour",
    "RATELIMIT_POSTING_NEW": "3 per minute;20 per hour",
    "RATELIMIT_FLAGGING": "10 per minute;60 per hour",
    "RATELIMIT_FLAGGING_NEW": "3 per minute;10 per hour",
    "RATELIMIT_TOGGLES": "30 per minute",
    "RATELIMIT_SIMILAR": "60 per minute",
    # Visitors' "Did this solve your problem?" answers, per address (app/web/deflection.py).
    "RATELIMIT_FEEDBACK": "10 per hour",
    # An open thread page polls about four times a minute (app/web/live.py): several tabs, or an
    # office behind one address, stay far below; a script hammering it does not.
    "RATELIMIT_LIVE": "120 per minute",
    # The JSON API's reads, per token's member or else per address: a busy browser's pace.
    "RATELIMIT_API_READ": "120 per minute;3000 per hour",
}


def _abuse_settings() -> dict:
    from app.services.spam import DEFAULT_SPAM_RULES as rules

    return {
        **{name: _env_limit(name, default) for name, default in DEFAULT_LIMITS.items()},
        "NEW_MEMBER_DAYS": _env_int("NEW_MEMBER_DAYS", rules.new_member_days),
        "NEW_MEMBER_REPUTATION": _env_int("NEW_MEMBER_REPUTATION", rules.new_member_reputation),
        "NEW_MEMBER_MAX_LINKS": _env_int("NEW_MEMBER_MAX_LINKS", rules.max_links),
    }


def _language_settings() -> dict:
    """Flask-Babel: the catalogs in translations/ (compiled by `make install`), English by default."""
    return {"BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
            "BABEL_DEFAULT_LOCALE": "en", "BABEL_DEFAULT_TIMEZONE": "UTC"}


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
    from app.services.spam import DEFAULT_SPAM_RULES

    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "DATABASE_URL": database_url,
        "SQLITE_BUSY_TIMEOUT_MS": 15000,
        "SEARCH_INDEX_DIR": str(instance_path / "search_index"),
        "SEARCH_BACKEND": "whoosh",
        "SEARCH_INDEXER": "off",  # tests drain the queue themselves, when they mean to
        "PAGE_CACHE_SECONDS": 0.0,  # every request rendered; tests of the cache turn it on
        "PAGE_CACHE_MB": 32,
        "VIEW_FLUSH_SECONDS": 0.0,  # every view written at once
        "LIVE_POLL_SECONDS": 15.0,
        "THREADS_PER_PAGE": 20,
        "ANSWERS_PER_PAGE": 30,
        "MAX_TAGS": 5,
        "ASK_SESSION_ABANDON_MINUTES": 30,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_KEY_PREFIX": "peerdesk-test",
        **DEFAULT_LIMITS,
        "NEW_MEMBER_DAYS": DEFAULT_SPAM_RULES.new_member_days,
        "NEW_MEMBER_REPUTATION": DEFAULT_SPAM_RULES.new_member_reputation,
        "NEW_MEMBER_MAX_LINKS": DEFAULT_SPAM_RULES.max_links,
        "PREFERRED_URL_SCHEME": "http",
        **cookie_settings("http"),
        "PROXY_FIX_X_FOR": 0, "PROXY_FIX_X_PROTO": 0, "PROXY_FIX_X_HOST": 0,
        "WTF_CSRF_TIME_LIMIT": None,
        "SQL_ECHO": False,
        **_language_settings(),
        **_reputation_settings(),
        # Never from the environment: a developer's MAIL_SMTP_HOST must not receive test mail.
        "MAIL_FROM": "Peerdesk <no-reply@peerdesk.test>",
        "MAIL_OUTBOX_DIR": str(instance_path / "outbox"),
        "MAIL_SMTP_HOST": "",
        "SITE_URL": "",
        "PASSWORD_RESET_MAX_AGE_SECONDS": 3600,
        "EMAIL_CHANGE_MAX_AGE_SECONDS": 86400,
        **ACCOUNT_LIMITS,
        "ESCALATION_WEBHOOK_SECRET": "test-only-webhook-secret",
        "ROUTING_MAX_INVITES": 3,
    }
