"""The indexer inside each web process (the embedded default: no extra process to run).

A daemon thread per process drains the queue when a request asks it to (after any POST) and
every SEARCH_POLL_SECONDS anyway, so a post is findable within about a second even when the
process that saved it is busy; every SEARCH_RECONCILE_SECONDS it also reconciles the index with
the database. Whoosh's write lock makes the processes take turns; errors are logged, never
raised into a request.
"""
from __future__ import annotations

import logging
import os
import threading
import time

from flask import Flask

from app import db
from app.search import indexer, registry

log = logging.getLogger(__name__)


class BackgroundIndexer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._last_reconcile = time.monotonic()
        self._stopping = False

    def ensure_running(self) -> None:
        """Start the thread in this process (after a fork, gunicorn workers start their own)."""
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
        self._thread.start()

    def kick(self) -> None:
        self.wake.set()

    def stop(self) -> None:
        """End the thread after its current round (tests; a process exiting needs nothing)."""
        self._stopping = True
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        poll = float(self.app.config.get("SEARCH_POLL_SECONDS", 0.5))
        every = float(self.app.config.get("SEARCH_RECONCILE_SECONDS", 3600))
        while not self._stopping:
            self.wake.wait(poll)
            self.wake.clear()
            try:
                with self.app.app_context():
                    session, backend = db.session(), registry.backend(self.app)
                    indexer.drain(session, backend)
                    if time.monotonic() - self._last_reconcile > every:
                        self._last_reconcile = time.monotonic()
                        indexer.reconcile(session, backend)
            except Exception:  # noqa: BLE001 - the thread must outlive any one failure
                log.exception("search indexer: draining the queue failed; retrying shortly")
                time.sleep(poll)


def init_app(app: Flask) -> None:
    if app.config.get("SEARCH_INDEXER", "thread") != "thread":
        return
    worker = BackgroundIndexer(app)
    app.extensions["search_indexer"] = worker

    @app.before_request
    def _start_indexer() -> None:
        worker.ensure_running()

    @app.after_request
    def _kick_indexer(response):  # noqa: ANN001
        from flask import request

        if request.method == "POST":
            worker.kick()
        return response
