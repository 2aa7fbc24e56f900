"""The authorization matrix: every route × visitor, member, suspended member, author, moderator,
admin. A refused request answers 403 (a visitor is sent to sign in, a hidden thing is 404),
never 500, and changes nothing in the database; staff pages are for staff, admin pages for admins.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.models import Post
from app.services import api_tokens, posting
from tests.web.db_tools import BOOKKEEPING, snapshot

PERSONAS = ("visitor", "member", "suspended", "author", "moderator", "admin")
STAFF_PREFIXES = ("/moderation", "/dashboard")
ADMIN_PREFIXES = ("/admin",)
# Routes that change the signed-in member's own session only, not the forum. Signing in, out or up
# would change the persona in the middle of the walk, so those are only opened, not sent. Choosing
# a language is anyone's (a visitor's choice is kept in the session, a member's on the account).
SESSION_ONLY = {"auth.login", "auth.logout", "auth.register", "threads.preview", "language.choose"}
# Writes that need no account: "Did this solve your problem?" (app/web/deflection.py).
VISITOR_WRITES = {"deflection.feedback"}
NOT_SENT = {"auth.login", "auth.logout", "auth.register"}
# Routes whose authority is a signed link from a mail, or that ask for one: anyone may send them.
# The walk has no valid link, so they must change nothing (tests/web/test_account.py uses real ones).
LINK_FORMS = {"account.forgot_password", "account.reset_password", "account.confirm_email",
              "notifications.unsubscribe"}
# What suspension forbids: writing anything others see.
# Public reads every persona gets: the Atom feeds (a board's is opened with the board's slug).
FEEDS = {"feeds.board", "feeds.solved", "feeds.search_results"}
BOARD_SLUG = {"feeds.board"}
WRITES = {"boards.ask", "threads.answer", "threads.comment", "threads.edit", "kudos.post_kudos",
          "kudos.thread_me_too", "flags.flag"}

FORM = {
    "body": "A careful answer: update the firmware, then re-add the printer.",
    "title": "A question title typed with care", "tags": "wireless", "reason": "spam",
    "note": "Moderation note typed here", "base_revision": "1", "action": "give", "days": "7",
    "name": "Brand new board", "description": "About new things.", "slug": "brand-new-board",
    "role": "moderator", "direction": "up", "target": "1", "email": "x@example.com",
    "display_name": "Someone New", "password": "Correct-Horse-Battery-9",
}

# Fields whose values differ per route.
FORM_FOR = {"kudos.thread_me_too": {"action": "add"}}


@pytest.fixture
def world(session, board, member, helper, thread):
    """`member` asked the thread and wrote an answer and a comment; `helper` answered as well."""
    own_answer = posting.answer(session, member, thread_id=thread.id, body="Answering my own question: reboot.")
    other = posting.answer(session, helper, thread_id=thread.id, body="Restart the printer and the router.")
    posting.comment(session, member, post_id=other.id, body="Did that, no change.")
    token = api_tokens.create(session, member, name="The author's script").token
    return {"thread": thread, "own_answer": own_answer, "other_answer": other, "board": board, "token": token}


def _persona_user(persona, member, helper, suspended, moderator, admin):
    return {"visitor": None, "member": helper, "suspended": suspended, "author": member,
            "moderator": moderator, "admin": admin}[persona]


def _routes(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: (r.rule, r.endpoint))


def _values(world, member, board):
    thread = world["thread"]
    return {"thread_id": thread.id, "slug": thread.slug, "post_id": world["own_answer"].id,
            "user_id": member.id, "board_id": board.id, "name": "wireless", "number": 1,
            "token_id": world["token"].id, "rest": "no-such-thing", "token": "x" * 43}


def _refused(response, persona) -> bool:
    if response.status_code in (403, 404):
        return True
    return (persona == "visitor" and response.status_code == 302
            and urlsplit(response.location).path == "/login")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_for_every_persona(app, client, session, world, board, member, helper, suspended,
                                       moderator, admin, persona):
    user = _persona_user(persona, member, helper, suspended, moderator, admin)
    if user is not None:
        client.sign_in(user)
    values = _values(world, member, board)
    urls = app.url_map.bind("localhost")
    checked = 0
    for rule in _routes(app):
        unknown = rule.arguments - values.keys()
        assert not unknown, f"{rule.rule}: add a value for {unknown} to this test"
        for method in sorted({"GET", "POST"} & rule.methods):
            if method == "POST" and rule.endpoint in NOT_SENT:
                continue
            given = {**values, "slug": board.slug} if rule.endpoint in BOARD_SLUG else values
            url = urls.build(rule.endpoint, {k: given[k] for k in rule.arguments}, method=method)
            before = snapshot(session, ignore=BOOKKEEPING)

            response = client.post(url, data={**FORM, **FORM_FOR.get(rule.endpoint, {})}) if method == "POST" else client.get(url)
            checked += 1

            where = (persona, method, url, response.status_code, response.location)
            assert response.status_code < 500, where
            if (_refused(response, persona) or rule.endpoint in LINK_FORMS) and rule.endpoint not in SESSION_ONLY:
                assert snapshot(session, ignore=BOOKKEEPING) == before, where
            _check_expected(persona, rule, method, response, where)
    assert checked >= 50  # the walk found the routes (a new route is then covered automatically)


def _check_expected(persona, rule, method, response, where):
    if rule.rule.startswith("/api/"):
        # The JSON API never reads the session cookie: every persona is a stranger to it, and a
        # write without a bearer token is a 401 (tests/api covers tokens).
        if method == "POST":
            assert response.status_code in (401, 404) and response.mimetype == "application/problem+json", where
        return
    staff_page = rule.rule.startswith(STAFF_PREFIXES)
    admin_page = rule.rule.startswith(ADMIN_PREFIXES)
    if persona == "visitor" and (staff_page or admin_page
                                 or (method == "POST" and rule.endpoint not in SESSION_ONLY | LINK_FORMS | VISITOR_WRITES)):
        assert _refused(response, persona) and response.status_code != 404, where
    if persona in ("member", "suspended", "author") and (staff_page or admin_page):
        assert response.status_code == 403, where
    if persona == "moderator" and admin_page:
        assert response.status_code == 403, where
    if persona in ("moderator", "admin") and (staff_page or (admin_page and persona == "admin")):
        assert response.status_code not in (401, 403), where
    if method == "GET" and rule.endpoint in FEEDS:
        assert response.status_code == 200 and response.mimetype == "application/atom+xml", where
    if persona == "suspended" and method == "POST" and rule.endpoint in WRITES:
        assert response.status_code == 403, where


def test_a_refused_edit_keeps_the_post_as_it_was(client, session, world, helper):
    """One case spelled out: another member cannot edit the author's answer."""
    client.sign_in(helper)
    answer = world["own_answer"]

    response = client.post(f"/p/{answer.id}/edit", data={"body": "Vandalised text that must not stick."})

    assert response.status_code == 403
    session.rollback()
    assert session.scalar(select(Post.body_source).where(Post.id == answer.id)) == "Answering my own question: reboot."
