"""The search backend this app uses (SEARCH_BACKEND), one instance per app and process."""
from __future__ import annotations

from flask import Flask, current_app

from app.search.backend import SearchBackend


def backend(app: Flask | None = None) -> SearchBackend:
    app = app or current_app._get_current_object()
    found = app.extensions.get("search_backend")
    if found is None:
        found = app.extensions["search_backend"] = _create(app)
    return found


def _create(app: Flask) -> SearchBackend:
    # Imported here: each backend needs only its own library (whoosh, or the database's engine).
    if app.config["SEARCH_BACKEND"] == "postgres":
        from app.search.postgres_backend import PostgresBackend

        return PostgresBackend(app.extensions["db_engine"])
    from app.search.whoosh_backend import WhooshBackend

    return WhooshBackend(app.config["SEARCH_INDEX_DIR"])
