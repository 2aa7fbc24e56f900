"""Browser tests: the real app served on 127.0.0.1 and driven by headless Debian Chromium.

Every test gets its own freshly migrated SQLite file (also when PEERDESK_TEST_DB=postgresql: the
browser tests are left to the SQLite run), a live server with CSRF protection on and rate limits
off, the boards "Printers" and "Laptops", and a new browser context. Any JavaScript error, console
error (a CSP violation is one) or dialog (an alert() from a post would be one) fails the test.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from app import create_app, db, migrate
from app.config import for_tests
from app.models import Board, Post, Thread, User
from app.services import posting

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PASSWORD = "Correct-Horse-Battery-9"
_PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: scrypt per seeded member is slow
E2E_DIR = Path(__file__).resolve().parent

# Waits, not speed limits: generous so a loaded CI machine does not make the tests flaky.
ACTION_TIMEOUT_MS = 15_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):  # noqa: ANN001 - pytest hook signature
    """Mark every test in tests/e2e as `e2e` (before `-m "not e2e"` deselects by marker)."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Debian Chromium: {CHROMIUM} not installed; apt-get install chromium")


# --- the live server ---------------------------------------------------------------------------


@dataclass
class LiveServer:
    """The running site: its base URL, the Flask app, and helpers that seed data through services."""

    url: str
    app: Flask

    def _in_app(self, work: Callable):
        with self.app.app_context():
            return work(db.session())

    def board(self, slug: str) -> Board:
        from sqlalchemy import select

        return self._in_app(lambda s: s.scalar(select(Board).where(Board.slug == slug)))

    def add_board(self, slug: str, name: str, description: str = "", position: int = 0) -> Board:
        def work(session):
            board = Board(slug=slug, name=name, description=description, position=position)
            session.add(board)
            session.commit()
            return board

        return self._in_app(work)

    def add_member(self, display_name: str, email: str | None = None, role: str = "member") -> User:
        """A member (or staff) whose password is PASSWORD (made directly: the register form is tested on its own)."""
        email = email or f"{re.sub(r'[^a-z0-9]+', '.', display_name.lower()).strip('.')}@example.com"

        def work(session):
            user = User(email=email, display_name=display_name, role=role, password_hash=_PASSWORD_HASH)
            session.add(user)
            session.commit()
            return user

        return self._in_app(work)

    def ask(self, author: User, title: str, body: str, tags: str = "", board: str = "printers") -> Thread:
        board_id = self.board(board).id
        return self._in_app(lambda s: posting.ask(s, s.get(User, author.id), board_id=board_id,
                                                  title=title, body=body, tags=tags))

    def answer(self, author: User, thread: Thread, body: str) -> Post:
        return self._in_app(lambda s: posting.answer(s, s.get(User, author.id), thread_id=thread.id, body=body))

    def thread_path(self, thread: Thread) -> str:
        return f"/t/{thread.id}-{thread.slug}"


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """The app on its own new SQLite file, served by werkzeug on a free loopback port."""
    url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"  # SQLite always, whatever PEERDESK_TEST_DB says
    migrate.upgrade(url)
    config = for_tests(url, tmp_path)
    config.update(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)  # the browser sends real tokens
    app = create_app(config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="e2e-live-server", daemon=True)
    thread.start()
    live = LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    live.add_board("printers", "Printers", "Printing, scanning and ink.", position=0)
    live.add_board("laptops", "Laptops", "Notebooks, batteries and docks.", position=1)
    try:
        yield live
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["db_engine"].dispose()


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class BrowserProblems:
    """What went wrong inside the pages of one test: JS errors, console errors, dialogs."""

    problems: list[str] = field(default_factory=list)  # all of them, until reported
    dialogs: list[str] = field(default_factory=list)  # the dialogs alone, for tests to look at

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda exc: self.problems.append(f"page error on {page.url}: {exc}"))
        page.on("console", lambda msg: self._console(page, msg))
        page.on("dialog", lambda dialog: self._dialog(page, dialog))

    def _console(self, page: Page, msg) -> None:  # noqa: ANN001 - playwright ConsoleMessage
        if msg.type != "error":
            return
        source = msg.location.get("url", "")
        if urlsplit(source).path == "/favicon.ico":
            return  # Chromium asks for /favicon.ico by itself; the site has none (a 404, not a JS error)
        if source == page.url and msg.text.startswith("Failed to load resource"):
            return  # the page itself came with an error status (a form answered 400): not a script problem
        self.problems.append(f"console error on {page.url}: {msg.text} ({source})")

    def _dialog(self, page: Page, dialog) -> None:  # noqa: ANN001 - playwright Dialog
        text = f"{dialog.type} dialog on {page.url}: {dialog.message!r}"
        self.dialogs.append(text)
        self.problems.append(text)
        dialog.dismiss()

    def take_dialogs(self) -> list[str]:
        """Remove and return the dialogs so far: for a test that opens one on purpose."""
        taken, self.dialogs = self.dialogs, []
        self.problems = [p for p in self.problems if p not in taken]
        return taken

    def take_all(self) -> list[str]:
        taken, self.problems, self.dialogs = self.problems, [], []
        return taken


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def new_page(browser, live_server, browser_problems) -> Iterator[Callable[..., Page]]:
    """Open a page in a new browser context (own cookies); keyword arguments go to new_context()."""
    contexts: list[BrowserContext] = []

    def make(**context_options) -> Page:
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        browser_problems.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):  # noqa: ANN001 - pytest hook signature
    """Fail a browser test whose pages had a JavaScript error, a console error or a dialog."""
    result = yield
    _raise_browser_problems(item)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):  # noqa: ANN001 - pytest hook signature
    """Problems that arrive after the last step (a late fetch, say) still fail the test."""
    result = yield
    _raise_browser_problems(item)
    return result


def _raise_browser_problems(item) -> None:  # noqa: ANN001
    problems = getattr(item, "funcargs", {}).get("browser_problems")
    if problems is None:
        return
    new = problems.take_all()
    if new:
        pytest.fail("The browser reported problems (a JS/CSP error or a dialog is a bug):\n  "
                    + "\n  ".join(new), pytrace=False)


# --- steps a member takes, shared by the tests ---------------------------------------------------


def sign_in(page: Page, email: str, password: str = PASSWORD, *, remember: bool = False) -> None:
    """Sign in through the header link and the /login form, from wherever the page is."""
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    if remember:
        page.get_by_label("Keep me signed in on this device").check()
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Signed in as")


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()
