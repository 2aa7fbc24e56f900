"""The search backend this app uses (SEARCH_BACKEND), one instance per app and process."""
from __future__ import annotations

from flask import Flask, current_app

from app.search.backend import SearchBackend

def backend(app: Flask | None = None) -> SearchBackend:
    app = app or current_app._get_current_object()
    found = app.extensions.get("search_backend")
    if found is None:
        from app.search.whoosh_backend import WhooshBackend

        found = WhooshBackend(app.config["SEARCH_INDEX_DIR"])
        app.extensions["search_backend"] = found
    return found
