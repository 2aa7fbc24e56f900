"""Rendered pages kept for a few seconds for visitors who are not signed in.

Most of a support community's readers land on a thread from a search engine and never sign in;
they all see the same page. Each process keeps the HTML of the thread, board, home and search pages it
rendered for such a visitor for PAGE_CACHE_SECONDS (0 turns it off) and hands it to the next
visitor asking for the same address in the same language, so a busy thread costs one rendering
every few seconds instead of one per reader. Members are never served a kept page, nor is a
visitor with a message waiting to be shown (a flash). A page a visitor sees may therefore be up
to PAGE_CACHE_SECONDS old (a hidden post disappears for visitors that much later); a process
forgets everything it kept whenever it handled a change (a POST), so its own writes show at
once. Pages for visitors hold nothing of the visitor's session (no CSRF token: their forms need
signing in first), which is what makes them shareable. A kept thread page still learns what it
lacks: its live-update poll (app/web/live.py) is never kept, and asks from the token the page
was rendered with.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from functools import wraps
from typing import Callable

from flask import Flask, Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

EXTENSION = "page_cache"


class PageCache:
    """Pages by key, each until it expires, the least recently used dropped past `max_bytes`."""

    def __init__(self, seconds: float, max_bytes: int) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return found[1]

    def put(self, key: tuple, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (time.monotonic() + self.seconds, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                self._drop(next(iter(self._pages)))

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _drop(self, key: tuple) -> None:
        self._bytes -= len(self._pages.pop(key)[1])


def init_app(app: Flask) -> None:
    if app.config.get("PAGE_CACHE_SECONDS", 0) <= 0:
        return
    cache = PageCache(app.config["PAGE_CACHE_SECONDS"], app.config.get("PAGE_CACHE_MB", 32) * 1024 * 1024)
    app.extensions[EXTENSION] = cache

    @app.after_request
    def _forget_after_changes(response: Response) -> Response:
        if request.method == "POST":
            cache.clear()
        return response


def _shareable_request() -> bool:
    return (request.method == "GET" and not current_user.is_authenticated
            and not session.get("_flashes"))


def for_visitors(on_hit: Callable[..., None] | None = None):
    """Serve the view's page from the cache for visitors; `on_hit(**view_args)` still runs for a
    kept page (the thread page counts its view)."""

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            cache: PageCache | None = current_app.extensions.get(EXTENSION)
            if cache is None or not _shareable_request():
                return view(**kwargs)
            key = (request.full_path, str(get_locale()))
            body = cache.get(key)
            if body is not None:
                if on_hit is not None:
                    on_hit(**kwargs)
                return Response(body, mimetype="text/html", headers={"X-Page-Cache": "hit"})
            response = current_app.make_response(view(**kwargs))
            if response.status_code == 200 and response.mimetype == "text/html":
                cache.put(key, response.get_data())
                response.headers["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorate
