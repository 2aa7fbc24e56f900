"""HTTP tests of account recovery and settings: the forgotten-password mail and link, changing password
and e-mail address on the profile, other sessions ending, and the limits on asking for links."""
from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app import config, create_app
from app.models import User
from app.services import passwords
from tests.conftest import PASSWORD, CsrfClient
from tests.web.html_tools import parse, path_of

NEW_PASSWORD = "Lantern-Orbit-Pebble-42"
_LINK_RE = re.compile(r"(https?://\S+token=\S+)")


def _outbox(app) -> list:
    """The mails written so far, oldest first (the file names start with the time)."""
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]


def _link(mail) -> str:
    return _LINK_RE.search(mail.get_content()).group(1)


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _flashes(html: str) -> str:
    return " ".join(parse(html).text)


def _signed_in(client) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def _ask_for_link(client, email: str):
    return client.post("/account/forgot-password", data={"email": email})


# --- forgotten password --------------------------------------------------------------------------


def test_the_sign_in_page_offers_a_forgotten_password_link(client):
    html = client.get("/login").get_data(as_text=True)

    assert 'href="/account/forgot-password"' in html and "Forgot password?" in html


def test_known_and_unknown_addresses_get_the_same_answer(app, client, member):
    known = _ask_for_link(client, member.email)
    unknown = _ask_for_link(client, "nobody@example.com")

    assert (known.status_code, known.location) == (unknown.status_code, unknown.location) == (302, "/login")
    known_page = client.get("/login").get_data(as_text=True)  # the flash of the second request
    assert "If an account uses nobody@example.com, we have sent it a link" in known_page
    (mail,) = _outbox(app)
    assert mail["To"] == member.email and _link(mail).startswith("http://localhost/account/reset-password?token=")


def test_a_malformed_address_is_refused_and_kept(app, client):
    response = _ask_for_link(client, "anna@@example")

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.value("email") == "anna@@example" and page.errors
    assert _outbox(app) == []


def test_the_link_in_the_mail_sets_a_new_password_and_signs_in(app, client, new_client, session, member):
    elsewhere = new_client()
    elsewhere.sign_in(member)
    _ask_for_link(client, member.email)
    link = _local(_link(_outbox(app)[0]))

    form = client.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.get_data(as_text=True)
    weak = client.post(link, data={"token": link.split("token=")[1], "password": "password123"})
    assert weak.status_code == 400 and "This is a very common password." in weak.get_data(as_text=True)

    done = client.post(link, data={"token": link.split("token=")[1], "password": NEW_PASSWORD})

    assert done.status_code == 302 and path_of(done.location) == "/"
    assert _signed_in(client) and not _signed_in(elsewhere)
    assert passwords.check_password(session.scalar(select(User.password_hash).where(User.id == member.id)),
                                    NEW_PASSWORD)
    again = client.get(link)
    assert again.status_code == 400
    html = again.get_data(as_text=True)
    assert "used already" in html and 'href="/account/forgot-password"' in html


@pytest.mark.parametrize("query", ["", "?token=", "?token=garbage", "?token=%ff%00", "?token=" + "a" * 3000])
def test_a_broken_link_says_so_and_offers_a_new_one(client, query):
    response = client.get(f"/account/reset-password{query}")

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not valid" in html and 'href="/account/forgot-password"' in html


def test_an_expired_link_says_so(app, client, member, monkeypatch):
    _ask_for_link(client, member.email)
    link = _local(_link(_outbox(app)[0]))
    app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] = -1  # issued earlier than the configured age allows

    response = client.get(link)

    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_links_use_site_url_when_set_whatever_the_host_header(app, client, member):
    app.config.update(SITE_URL="https://support.example.com", WTF_CSRF_ENABLED=False)  # no cookie for evil.example

    client.post("http://evil.example/account/forgot-password", data={"email": member.email}, with_csrf=False)

    assert _link(_outbox(app)[0]).startswith("https://support.example.com/account/reset-password?token=")


# --- settings -------------------------------------------------------------------------------------


def test_the_settings_page_is_for_the_signed_in_member(client, member, helper):
    assert path_of(client.get("/account").location) == "/login?next=%2Faccount"
    client.sign_in(member)

    html = client.get("/account").get_data(as_text=True)

    assert member.email in html and "Change the password" in html
    own = client.get(f"/u/{member.id}", follow_redirects=True).get_data(as_text=True)
    other = client.get(f"/u/{helper.id}", follow_redirects=True).get_data(as_text=True)
    assert 'href="/account"' in own and 'href="/account"' not in other


def test_changing_the_password_signs_out_everywhere_else(client, new_client, session, member):
    elsewhere, remembered = new_client(), new_client()
    elsewhere.sign_in(member)
    remembered.post("/login", data={"email": member.email, "password": PASSWORD, "remember": "y"})
    remembered.delete_cookie("session")  # from now on only the remember-me cookie signs it in
    assert _signed_in(remembered)
    client.sign_in(member)

    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 302 and path_of(response.location) == "/account"
    assert "signed out" in client.get("/account").get_data(as_text=True)
    assert _signed_in(client) and not _signed_in(elsewhere) and not _signed_in(remembered)
    assert new_client().post("/login", data={"email": member.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_wrong_current_password_or_a_weak_new_one_is_refused(client, session, member):
    client.sign_in(member)

    response = client.post("/account/password", data={"current_password": "not it", "new_password": "short"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not your current password" in html and "at least 10 characters" in html
    assert "not it" not in html  # passwords are never shown back
    assert passwords.check_password(session.scalar(select(User.password_hash).where(User.id == member.id)), PASSWORD)


def test_changing_the_address_takes_effect_when_the_link_is_opened(app, client, new_client, session, member):
    old = member.email
    client.sign_in(member)

    response = client.post("/account/email", data={"email": "anna.new@example.com", "password": PASSWORD})

    assert response.status_code == 302
    confirm, notice = _outbox(app)
    assert (confirm["To"], notice["To"]) == ("anna.new@example.com", old)
    assert session.scalar(select(User.email).where(User.id == member.id)) == old
    link = _local(_link(confirm))
    phone = new_client()  # the link opened in the mail app's browser: not signed in
    page = phone.get(link)
    assert page.status_code == 200 and "anna.new@example.com" in page.get_data(as_text=True)

    done = phone.post("/account/confirm-email", data={"token": link.split("token=")[1]})

    assert done.status_code == 302 and path_of(done.location) == "/login"
    assert session.scalar(select(User.email).where(User.id == member.id)) == "anna.new@example.com"
    assert _signed_in(client)  # the address is no password: sessions stay
    assert new_client().post("/login", data={"email": "anna.new@example.com", "password": PASSWORD}).status_code == 302
    spent = phone.get(link)
    assert spent.status_code == 400 and "used already" in spent.get_data(as_text=True)


def test_a_refused_address_change_keeps_the_typed_address(app, client, member, helper):
    client.sign_in(member)

    response = client.post("/account/email", data={"email": helper.email, "password": PASSWORD})

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.value("email") == helper.email and "Another account uses this address." in page.text
    assert _outbox(app) == []


def test_a_mail_server_that_is_down_is_said_plainly(app, client, member):
    app.config.update(MAIL_SMTP_HOST="127.0.0.1", MAIL_SMTP_PORT=9, MAIL_SMTP_STARTTLS=False)
    client.sign_in(member)

    response = client.post("/account/email", data={"email": "anna.new@example.com", "password": PASSWORD})

    assert response.status_code == 503 and "could not be sent" in response.get_data(as_text=True)


# --- limits ---------------------------------------------------------------------------------------


@pytest.fixture
def limited(app, database_url, tmp_path, session):
    """A second app on the test database with the rate limits on, and a client of it."""
    site = create_app({**config.for_tests(database_url, tmp_path), "RATELIMIT_ENABLED": True})
    site.test_client_class = CsrfClient
    client = site.test_client()
    client.test_session = session
    yield site, client
    site.extensions["db_engine"].dispose()


def test_links_for_one_address_are_limited(limited, member):
    site, client = limited
    answers = [_ask_for_link(client, member.email).status_code for _ in range(4)]

    assert answers == [302, 302, 302, 429]
    assert len(_outbox(site)) == 3
    assert _ask_for_link(client, "someone.else@example.com").status_code == 302


def test_links_from_one_network_address_are_limited(limited, member):
    _, client = limited
    answers = [_ask_for_link(client, f"person{i}@example.com").status_code for i in range(6)]

    assert answers == [302] * 5 + [429]


def test_guessing_the_current_password_is_limited(limited, member):
    _, client = limited
    client.sign_in(member)
    answers = [client.post("/account/email", data={"email": f"n{i}@example.com", "password": "guess"}).status_code
               for i in range(6)]
    answers += [client.post("/account/password", data={"current_password": "guess", "new_password": NEW_PASSWORD})
                .status_code for _ in range(5)]

    assert answers == [400] * 10 + [429]
