"""HTTP hardening and spam defences over HTTP: security headers and the CSP, templates without inline
script or style, cookie flags, session protection, ProxyFix, the sign-up honeypot, and the link
allowance of new members refused with the text kept."""
from __future__ import annotations

import re

import pytest
from flask import request
from sqlalchemy import func, select

from app import config
from app.models import Post, User
from app.web.auth import HONEYPOT_MESSAGE
from app.web.security_headers import CONTENT_SECURITY_POLICY
from tests.web.html_tools import parse

TEMPLATES = config.PROJECT_ROOT / "templates"
THREE_LINKS = ("Try https://example.com/a, then [the driver page](https://example.com/b), and compare "
               "with ![the photo](https://example.com/c.png) of the settings.")


# --- security headers -----------------------------------------------------------------------------


def _directives(policy: str) -> dict[str, str]:
    return {name: value.strip() for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))}


@pytest.mark.parametrize("url", ["/", "/no-such-page", "/static/css/site.css", "/search/similar?title=printer"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_policy_allows_no_inline_script_or_style_and_no_framing():
    directives = _directives(CONTENT_SECURITY_POLICY)
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY and "data:" not in CONTENT_SECURITY_POLICY


_INLINE = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}
_SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_need_nothing_inline_that_the_policy_forbids(template):
    source = template.read_text(encoding="utf-8")
    for what, pattern in _INLINE.items():
        assert not pattern.search(source), f"{template.name} has {what}"
    for tag in _SCRIPT_TAG.findall(source):
        # A script file, or data that is never run (JSON-LD).
        assert "src=" in tag or 'type="application/ld+json"' in tag, f"{template.name}: inline script {tag}"


# --- cookies and sessions -------------------------------------------------------------------------


def _cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_session_and_remember_cookies_are_httponly_lax_and_secure_only_over_https(make_app, member, scheme):
    site = make_app(**config.cookie_settings(scheme), PREFERRED_URL_SCHEME=scheme, WTF_CSRF_ENABLED=False)
    response = site.test_client().post("/login", data={"email": member.email, "password": "Correct-Horse-Battery-9",
                                                        "remember": "y"}, with_csrf=False)
    assert response.status_code == 302
    cookies = _cookies(response)
    assert {"session", "remember_token"} <= cookies.keys()
    for name in ("session", "remember_token"):
        flags = {part.strip().lower() for part in cookies[name].split(";")}
        assert "httponly" in flags and "samesite=lax" in flags, cookies[name]
        assert ("secure" in flags) == (scheme == "https"), cookies[name]


@pytest.mark.parametrize("scheme, secure", [(None, False), ("http", False), ("https", True)])
def test_the_environment_turns_secure_cookies_on_with_https(tmp_path, monkeypatch, scheme, secure):
    if scheme is None:
        monkeypatch.delenv("PREFERRED_URL_SCHEME", raising=False)
    else:
        monkeypatch.setenv("PREFERRED_URL_SCHEME", scheme)
    settings = config.from_environment(tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is secure and settings["REMEMBER_COOKIE_SECURE"] is secure
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["REMEMBER_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_a_session_used_from_another_address_stays_signed_in_but_is_no_longer_fresh(client, member):
    """Session protection "basic" (docs/decisions.md): not a sign-out, but no longer fresh."""
    client.sign_in(member)
    with client.session_transaction() as cookie:
        assert cookie["_fresh"] is True
    page = client.get("/", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert "Sign out" in page.get_data(as_text=True)
    with client.session_transaction() as cookie:
        assert cookie["_fresh"] is False


# --- behind a proxy -------------------------------------------------------------------------------


def _whoami(site):
    site.add_url_rule("/_whoami", "whoami", lambda: f"{request.remote_addr} {request.scheme} {request.host}")
    return site.test_client().get("/_whoami", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "help.example.com",
    }).get_data(as_text=True)


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(make_app):
    assert _whoami(make_app()) == "127.0.0.1 http localhost"


def test_behind_a_configured_proxy_the_clients_address_scheme_and_host_are_used(make_app):
    site = make_app(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1, PROXY_FIX_X_HOST=1)
    assert _whoami(site) == "203.0.113.9 https help.example.com"


def test_proxy_hops_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PROXY_FIX_X_FOR", "2")
    settings = config.from_environment(tmp_path)
    assert (settings["PROXY_FIX_X_FOR"], settings["PROXY_FIX_X_PROTO"], settings["PROXY_FIX_X_HOST"]) == (2, 0, 0)


# --- the sign-up honeypot -------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_screen_readers_and_the_tab_key(client):
    html = client.get("/register").get_data(as_text=True)
    wrapper = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', html, re.DOTALL)
    assert wrapper, "the honeypot field is missing"
    field = re.search(r"<input[^>]*>", wrapper.group(1)).group(0)
    assert 'name="website"' in field and 'tabindex="-1"' in field and 'autocomplete="off"' in field
    assert "style=" not in wrapper.group(0)
    assert ".hp-field" in (config.PROJECT_ROOT / "app/static/css/site.css").read_text()


def _sign_up(client, **extra):
    return client.post("/register", data={"email": "new.person@example.com", "display_name": "New Person",
                                          "password": "Plum-Orchard-Lantern-42", **extra})


def test_a_filled_honeypot_creates_no_account_and_looks_like_an_ordinary_refusal(client, session):
    response = _sign_up(client, website="http://spam.example")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert HONEYPOT_MESSAGE in html
    assert "honeypot" not in html.lower() and "spam.example" not in html
    page = parse(html)
    assert page.value("email") == "new.person@example.com" and page.value("display_name") == "New Person"
    assert session.scalar(select(func.count(User.id))) == 0
    # The same form with the field left empty goes through.
    assert _sign_up(client).status_code == 302
    assert session.scalar(select(func.count(User.id))) == 1


# --- the link allowance over HTTP ----------------------------------------------------------------


def test_too_many_links_from_a_new_member_are_refused_and_the_text_is_kept(client, session, member, thread):
    client.sign_in(member)
    response = client.post(f"/t/{thread.id}/answer", data={"body": THREE_LINKS})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "New members can include at most 2 links or images per post (this has 3)" in html
    assert parse(html).value("body") == THREE_LINKS
    assert session.scalar(select(func.count(Post.id)).where(Post.kind == "answer")) == 0


def test_the_link_allowance_comes_from_the_configuration(make_app, session, member, thread):
    site = make_app(NEW_MEMBER_MAX_LINKS=3)
    client = site.test_client()
    client.sign_in(member)
    assert client.post(f"/t/{thread.id}/answer", data={"body": THREE_LINKS}).status_code == 302
    session.rollback()
    assert session.scalar(select(func.count(Post.id)).where(Post.kind == "answer")) == 1
