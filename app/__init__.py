"""The application factory: create_app() builds a configured Flask app from small register steps."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from app import config as config_module
from app import db


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` (used by tests) replaces what the environment would give."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(config_module.PROJECT_ROOT / "templates"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config or config_module.from_environment(Path(app.instance_path)))

    db.init_app(app)
    register_proxy_fix(app)
    register_url_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_errors(app)
    register_security_headers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from app import i18n
    from app.extensions import csrf, limiter, login_manager
    from app.web.session_user import load_user, touch_last_seen

    csrf.init_app(app)
    i18n.init_app(app)  # Flask-Babel with the locale selector
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    app.before_request(touch_last_seen)
    from app.search import background
    from app.services.view_counts import ViewBuffer
    from app.web import page_cache

    background.init_app(app)
    page_cache.init_app(app)
    app.extensions["view_buffer"] = ViewBuffer(app.config.get("VIEW_FLUSH_SECONDS", 0))


def register_proxy_fix(app: Flask) -> None:
    """Behind a reverse proxy, take the client's address, scheme and host from the X-Forwarded-*
    headers of as many proxies as configured (PROXY_FIX_X_FOR/_PROTO/_HOST). Off by default: a
    site reached directly must ignore those headers, or anyone could fake an address and dodge
    the rate limits."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = {part: app.config.get(f"PROXY_FIX_X_{part.upper()}", 0) for part in ("for", "proto", "host")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops["for"], x_proto=hops["proto"], x_host=hops["host"])


def register_url_converters(app: Flask) -> None:
    """URL parts that can never name a row are a 404 before any query runs.

    Ids (`<int:…>`) stop at what an INTEGER column holds: /t/99999999999999999999 failed in the
    database (SQLite OverflowError, PostgreSQL integer out of range). Text parts (`<slug>`) never
    contain control characters: PostgreSQL refuses a NUL in a query parameter.
    """
    from werkzeug.routing import BaseConverter, IntegerConverter

    class IdConverter(IntegerConverter):
        def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002, ANN001 - werkzeug's signature
            kwargs.setdefault("max", 2**31 - 1)
            super().__init__(map, *args, **kwargs)

    class TextConverter(BaseConverter):  # UnicodeConverter would set its own regex per rule
        regex = r"[^/\x00-\x1f\x7f]+"

    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter


def register_blueprints(app: Flask) -> None:
    from app.web.account import bp as account_bp
    from app.web.admin import bp as admin_bp
    from app.web.auth import bp as auth_bp
    from app.web.dashboard import bp as dashboard_bp
    from app.web.deflection import bp as deflection_bp
    from app.web.boards import bp as boards_bp
    from app.web.feeds import bp as feeds_bp
    from app.web.flags import bp as flags_bp
    from app.web.kudos import bp as kudos_bp
    from app.web.language import bp as language_bp
    from app.web.leaderboard import bp as leaderboard_bp
    from app.web.live import bp as live_bp
    from app.web.moderation import bp as moderation_bp
    from app.web.moderation_threads import bp as moderation_threads_bp
    from app.web.notifications import bp as notifications_bp
    from app.web.seo import bp as seo_bp
    from app.web.search import bp as search_bp
    from app.web.threads import bp as threads_bp
    from app.web.users import bp as users_bp

    for blueprint in (auth_bp, boards_bp, threads_bp, kudos_bp, flags_bp, users_bp, leaderboard_bp,
                      moderation_bp, moderation_threads_bp, admin_bp, search_bp, seo_bp, account_bp,
                      feeds_bp, language_bp, live_bp, dashboard_bp, notifications_bp, deflection_bp):
        app.register_blueprint(blueprint)
    from app.api import init_app as init_api
    from app.web.api_tokens import bp as api_tokens_bp

    init_api(app)
    app.register_blueprint(api_tokens_bp)


def register_template_helpers(app: Flask) -> None:
    from app.web.template_helpers import init_app as init_helpers

    init_helpers(app)


def register_errors(app: Flask) -> None:
    from app.web.errors import init_app as init_errors

    init_errors(app)


def register_security_headers(app: Flask) -> None:
    from app.web.security_headers import init_app as init_headers

    init_headers(app)


def register_cli(app: Flask) -> None:
    from app.cli import init_app as init_cli

    init_cli(app)
