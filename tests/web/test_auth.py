"""HTTP tests of registering, signing in and out, remember-me and the `next` redirect."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from app.models import User
from tests.conftest import PASSWORD
from tests.web.html_tools import SITE_HEADER, location_is_on_site, parse, path_of

GOOD_PASSWORD = "Lantern-Orbit-Pebble-42"


def _register(client, **changes):
    data = {"email": "new.member@example.com", "display_name": "New Member", "password": GOOD_PASSWORD}
    data.update(changes)
    return client.post("/register", data=data), data


def _signed_in_as(client) -> str | None:
    """The display name the header shows, or None for a visitor."""
    page = client.get("/").get_data(as_text=True)
    if "Sign out" not in page:
        return None
    return next(t.get("href") for t in parse(page).tags if t.name == "a" and "nav-user" in (t.get("class") or ""))


# --- registering -------------------------------------------------------------------------------


def test_register_creates_the_account_signs_in_and_redirects(client, session, board):
    response, _ = _register(client)

    assert response.status_code == 302
    assert path_of(response.location) == "/"
    user = session.scalars(select(User).where(User.email == "new.member@example.com")).one()
    assert user.display_name == "New Member" and user.role == "member"
    assert user.password_hash != GOOD_PASSWORD
    assert _signed_in_as(client) == f"/u/{user.id}-new-member"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"password": "short1"}, "password", "Use at least 10 characters."),
    ({"password": "password123456"}, "password", "similar to a commonly used password"),
    ({"email": "not-an-email"}, "email", "must have an @-sign"),
    ({"email": "ASKER.existing@Example.COM"}, "email", "An account with this e-mail address exists already"),
    ({"display_name": "asker ANNA"}, "display_name", "This display name is taken"),
    ({"display_name": "Asker\u200b Anna"}, "display_name", "This display name is taken"),
    ({"display_name": "Peerdesk Staff"}, "display_name", "This name is reserved for staff"),
    ({"display_name": "Official Helper"}, "display_name", "This name is reserved for staff"),
    ({"display_name": "<b>Bold</b>"}, "display_name", "Use letters, digits, spaces"),
    ({"display_name": "Al"}, "display_name", "Use 3 to 40 characters."),
    ({"email": ""}, "email", "Please enter your e-mail address."),
    ({"password": ""}, "password", "Please choose a password."),
], ids=["short-password", "common-password", "invalid-email", "duplicate-email-other-case",
        "duplicate-name-other-case", "duplicate-name-with-zero-width", "reserved-name", "reserved-word",
        "markup-in-name", "name-too-short", "no-email", "no-password"])
def test_register_rule_gives_its_message_on_its_field_and_keeps_the_input(
        client, session, make_user, changes, field, message):
    existing = make_user(name="Asker Anna")
    existing.email = "asker.existing@example.com"
    session.commit()
    users_before = session.scalar(select(func.count(User.id)))

    response, sent = _register(client, **changes)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = parse(html)
    assert any(message in e for e in page.errors.get(field, [])), page.errors
    other_fields = {"email", "display_name", "password"} - {field}
    assert not any(page.errors.get(f) for f in other_fields), page.errors
    assert page.value("email") == sent["email"]
    assert page.value("display_name") == sent["display_name"]
    assert page.value("password") == ""
    if sent["password"]:
        assert sent["password"] not in html
    assert session.scalar(select(func.count(User.id))) == users_before
    assert _signed_in_as(client) is None


def test_register_reports_every_broken_rule_at_once(client):
    response, sent = _register(client, email="nope", display_name="Peerdesk Team", password="short")

    page = parse(response.get_data(as_text=True))
    assert response.status_code == 400
    assert set(page.errors) == {"email", "display_name", "password"}
    assert "short" not in [page.value("password")]


def test_register_cleans_zero_width_and_direction_characters_from_the_name(client, session):
    response, _ = _register(client, display_name="\u202eZo\u200be\u200d Ba\u2066rn\u2069es\ufeff ")

    assert response.status_code == 302
    user = session.scalars(select(User).where(User.email == "new.member@example.com")).one()
    assert user.display_name == "Zoe Barnes"


def test_register_stores_the_email_lower_case(client, session):
    response, _ = _register(client, email="  Mixed.Case@Example.COM ")

    assert response.status_code == 302
    assert session.scalar(select(User.email)) == "mixed.case@example.com"


def test_register_page_redirects_a_member_who_is_signed_in(client, member):
    client.sign_in(member)

    response = client.get("/register")

    assert response.status_code == 302 and path_of(response.location) == "/"


# --- signing in --------------------------------------------------------------------------------


def test_sign_in_by_email_redirects_home_and_signs_in(client, member):
    response = client.post("/login", data={"email": member.email.upper(), "password": PASSWORD})

    assert response.status_code == 302 and path_of(response.location) == "/"
    assert _signed_in_as(client) == f"/u/{member.id}-asker-anna"


@pytest.mark.parametrize("which", ["wrong-password", "unknown-email"])
def test_failed_sign_in_gives_one_vague_message_and_keeps_the_email(client, member, which):
    email = member.email if which == "wrong-password" else "nobody@example.com"
    typed_password = "Not-The-Password-123"

    response = client.post("/login", data={"email": email, "password": typed_password})

    html = response.get_data(as_text=True)
    page = parse(html)
    assert response.status_code == 400
    assert page.errors == {"password": ["E-mail address or password is not right."]}
    assert page.value("email") == email
    assert page.value("password") == ""
    assert typed_password not in html
    assert _signed_in_as(client) is None


@pytest.mark.parametrize(("remember", "expect_cookie"), [("y", True), (None, False)])
def test_remember_me_sets_a_remember_cookie_only_when_ticked(client, member, remember, expect_cookie):
    data = {"email": member.email, "password": PASSWORD}
    if remember:
        data["remember"] = remember

    response = client.post("/login", data=data)

    assert response.status_code == 302
    set_cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=") for c in set_cookies) is expect_cookie
    assert (client.get_cookie("remember_token") is not None) is expect_cookie


def test_remember_cookie_keeps_the_member_signed_in_without_the_session(client, member):
    client.post("/login", data={"email": member.email, "password": PASSWORD, "remember": "y"})
    client.delete_cookie("session")

    assert _signed_in_as(client) == f"/u/{member.id}-asker-anna"


def test_sign_out_is_post_only(client, member):
    client.sign_in(member)

    response = client.get("/logout")

    assert response.status_code == 405
    assert SITE_HEADER in response.get_data(as_text=True)
    assert _signed_in_as(client) is not None


def test_sign_out_without_the_csrf_token_is_refused(client, member):
    client.sign_in(member)

    response = client.post("/logout", with_csrf=False)

    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert _signed_in_as(client) is not None


def test_sign_out_with_the_token_signs_out(client, member):
    client.sign_in(member)

    response = client.post("/logout")

    assert response.status_code == 302
    assert _signed_in_as(client) is None
    assert client.get_cookie("remember_token") is None


# --- the `next` address ------------------------------------------------------------------------

SAFE_NEXT = ["/b/printers", "/t/1-x?page=2", "/ask?board=printers"]
UNSAFE_NEXT = [
    "https://evil.example", "http://evil.example/b/printers", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil", "\\/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "http:/evil", "https:evil.example", "/%2F%2Fevil.example",
    "  //evil.example", "\t//evil.example", "/\t/evil.example", "/\n/evil.example", "evil.example",
    "//evil.example@localhost", "/%5Cevil.example", "",
]

# Literal paths on this site that only look like another host once decoded (browsers do not decode).
ENCODED_LOOKALIKES = {"/%2F%2Fevil.example", "/%5Cevil.example"}


def _login_with_next(client, user, target):
    return client.post(f"/login?next={quote(target, safe='')}", data={"email": user.email, "password": PASSWORD})


@pytest.mark.parametrize("target", SAFE_NEXT)
def test_sign_in_follows_a_safe_next(client, member, target):
    response = _login_with_next(client, member, target)

    assert response.status_code == 302
    assert location_is_on_site(response.location)
    assert path_of(response.location) == target


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_sign_in_never_leaves_the_site_whatever_next_says(client, member, target):
    response = _login_with_next(client, member, target)

    assert response.status_code == 302
    assert location_is_on_site(response.location), response.location
    # Percent-encoded slashes stay a path on this site; everything else falls back to the home page.
    assert path_of(response.location) == (target if target in ENCODED_LOOKALIKES else "/")


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_a_signed_in_member_visiting_login_is_never_sent_off_site(client, member, target):
    client.sign_in(member)

    response = client.get(f"/login?next={quote(target, safe='')}")

    assert response.status_code == 302
    assert location_is_on_site(response.location), response.location


@pytest.mark.parametrize("target", ["/b/printers", "https://evil.example", "//evil.example", "/\\evil.example",
                                    "javascript:alert(1)", "  //evil.example"])
def test_register_never_leaves_the_site_whatever_next_says(client, target):
    response = client.post(f"/register?next={quote(target, safe='')}", data={
        "email": "new.member@example.com", "display_name": "New Member", "password": GOOD_PASSWORD})

    assert response.status_code == 302
    assert location_is_on_site(response.location), response.location
    if target in SAFE_NEXT:
        assert path_of(response.location) == target


def test_login_required_page_sends_the_visitor_to_sign_in_and_back(client, member, board):
    response = client.get("/ask?board=printers")

    assert response.status_code == 302
    assert path_of(response.location) == "/login?next=%2Fask%3Fboard%3Dprinters"

    login_page = client.get(response.location)
    assert login_page.status_code == 200
    back = client.post(response.location, data={"email": member.email, "password": PASSWORD})
    assert path_of(back.location) == "/ask?board=printers"
