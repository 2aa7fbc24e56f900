"""Fixtures: the app on a fresh database, a CSRF-aware client, and personas (member, moderator…)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from itertools import count

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from app import create_app
from app.config import for_tests
from app.models import Board, User
from app.services import posting
from tests.databases import empty_all_tables, migrated_database

PASSWORD = "Correct-Horse-Battery-9"
# Personas get a cheap PBKDF2 hash: it goes through the same check_password() code at sign-in,
# but checking scrypt takes a quarter of a second and the suite signs in hundreds of times.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
# The page's token: the <meta> members' pages carry, or a form's hidden field (visitors' pages
# carry no token, so they can be shared: app/web/page_cache.py).
_CSRF_RE = re.compile(r'name="csrf[-_]token"[^>]*?(?:content|value)="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with migrated_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def app(database_url, tmp_path):
    """The app on an emptied database. No app context stays pushed, so every request gets its own
    (with its own `g`, signed-in user and database session), as it would in production."""
    empty_all_tables(database_url)
    app = create_app(for_tests(database_url, tmp_path))
    app.test_client_class = CsrfClient
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def session(app):
    """The test's own database session, separate from the sessions requests use."""
    own = app.extensions["db_sessionmaker"]()
    yield own
    own.close()


class CsrfClient(FlaskClient):
    """A test client that sends the page's CSRF token with every POST, as a browser form does.

    After each request the test's session (if given) ends its transaction, so the test reads what
    the request committed rather than an older snapshot.
    """

    csrf_token: str | None = None
    test_session = None

    def fetch_csrf_token(self) -> str:
        for path in ("/", "/login"):
            found = _CSRF_RE.search(self.get(path).get_data(as_text=True))
            if found:
                self.csrf_token = found.group(1)
                return self.csrf_token
        raise AssertionError("no CSRF token on the home or the sign-in page")

    def open(self, *args, **kwargs):
        try:
            return super().open(*args, **kwargs)
        finally:
            if self.test_session is not None:
                # End the snapshot and forget loaded values (rollback alone expires nothing
                # when no transaction is open, and this session does not expire on commit).
                self.test_session.rollback()
                self.test_session.expire_all()

    def post(self, *args, with_csrf: bool = True, **kwargs):
        if with_csrf:
            data = dict(kwargs.pop("data", None) or {})
            if "csrf_token" not in data:
                data["csrf_token"] = self.csrf_token or self.fetch_csrf_token()
            kwargs["data"] = data
        return super().post(*args, **kwargs)

    def sign_in(self, user: User, password: str = PASSWORD):
        response = self.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        self.csrf_token = None  # a new session after sign-in
        return response


@pytest.fixture
def client(app, session):
    client = app.test_client()
    client.test_session = session
    return client


_numbers = count(1)


@pytest.fixture
def make_user(session):
    """Create a member (or another role) directly; all share PASSWORD."""

    def make(role: str = "member", *, name: str | None = None, suspended: bool = False) -> User:
        n = next(_numbers)
        user = User(email=f"user{n}@example.com", display_name=name or f"Member {n}", role=role,
                    password_hash=_PASSWORD_HASH)
        if suspended:
            user.suspended_until = datetime.now(timezone.utc) + timedelta(days=3)
            user.suspension_reason = "Repeated spam"
        session.add(user)
        session.commit()
        return user

    return make


@pytest.fixture
def member(make_user):
    return make_user(name="Asker Anna")


@pytest.fixture
def helper(make_user):
    return make_user(name="Helpful Hans")


@pytest.fixture
def moderator(make_user):
    return make_user("moderator", name="Mod Maja")


@pytest.fixture
def admin(make_user):
    return make_user("admin", name="Admin Ada")


@pytest.fixture
def suspended(make_user):
    return make_user(name="Suspended Sid", suspended=True)


@pytest.fixture
def board(session):
    board = Board(slug="printers", name="Printers", description="Printing and scanning.", position=0)
    session.add(board)
    session.commit()
    return board


@pytest.fixture
def printers(session, board):
    """The board asking for a product ("Printer model")."""
    board.product_label = "Printer model"
    session.commit()
    return board


@pytest.fixture
def make_thread(session, board, member):
    """Ask a question through the service (as `member` unless told otherwise)."""

    def make(title: str = "Printer shows offline after update", body: str = "It worked yesterday; now it is offline.",
             author: User | None = None, tags: str = "wireless"):
        return posting.ask(session, author or member, board_id=board.id, title=title, body=body, tags=tags)

    return make


@pytest.fixture
def thread(make_thread):
    return make_thread()
