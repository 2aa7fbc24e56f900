"""Writing through the API (ask, answer, comment, kudos) with a bearer token, under the site's rules;
and every error as a problem detail: 401, 403, 404, 405, 400, 422, 429 and 500."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Post, Thread
from app.services import api_tokens, thread_moderation

PROBLEM = "application/problem+json"
ANSWER = {"body": "Reset the network settings on the printer panel."}


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    data = response.get_json()
    assert data["status"] == status and data["type"] == "about:blank" and data["title"] and data["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    return data


def _posts(session) -> int:
    return session.scalar(select(func.count(Post.id)))


# --- authentication -----------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token pd_abc"])
def test_writes_need_a_bearer_token(api, forum, session, header):
    before = _posts(session)
    headers = {"Authorization": header} if header is not None else {}
    response = api.post(f"/threads/{forum.thread.id}/answers", json=ANSWER, headers=headers)
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _posts(session) == before


@pytest.mark.parametrize("path", ["/boards", "/threads/1", "/search?q=x"])
def test_an_unknown_or_revoked_token_is_401_even_for_reads(api, forum, session, path):
    _problem(api.get(path, token="pd_forged-token-that-was-never-issued"), 401)
    _problem(api.get(path, token=api_tokens.hash_token(forum.member_token)), 401)  # the stored hash is no token
    token = api_tokens.active_tokens(session, forum.member)[0]
    api_tokens.revoke(session, forum.member, token_id=token.id)
    _problem(api.get(path, token=forum.member_token), 401)


def test_a_signed_in_browser_cannot_write_through_the_api(client, forum, session):
    """The session cookie authorises nothing here, with or without the site's CSRF token."""
    client.sign_in(forum.helper)
    before = _posts(session)
    csrf = client.fetch_csrf_token()
    for headers in ({}, {"X-CSRFToken": csrf}):
        response = client.post(f"/api/v1/threads/{forum.thread.id}/answers", json=ANSWER, headers=headers,
                               with_csrf=False)
        _problem(response, 401)
    response = client.put(f"/api/v1/posts/{forum.question.id}/kudos")
    _problem(response, 401)
    assert _posts(session) == before


def test_reads_with_a_cookie_are_a_visitor_s(client, forum):
    """A moderator's browser session does not show hidden posts through the API: only a token does."""
    client.sign_in(forum.moderator)
    answers = client.get(f"/api/v1/threads/{forum.thread.id}").get_json()["answers"]["items"]
    assert answers == []


# --- writes ---------------------------------------------------------------------------------------

def test_ask(api, forum, session):
    response = api.post("/threads", token=forum.helper_token, json={
        "board": "printers", "title": "Duplex printing stopped working", "tags": ["duplex", "Settings"],
        "body": "Since the last update it prints on one side only. See <script>alert(1)</script>."})
    assert response.status_code == 201
    data = response.get_json()
    assert response.headers["Location"] == data["url"]
    assert data["title"] == "Duplex printing stopped working" and data["tags"] == ["duplex", "settings"]
    assert data["author"]["display_name"] == "Helpful Hans" and data["question"]["kind"] == "question"
    assert "<script>" not in data["question"]["body_html"]
    assert session.get(Thread, data["id"]).author_id == forum.helper.id


def test_ask_names_every_wrong_field(api, forum):
    data = _problem(api.post("/threads", token=forum.helper_token,
                             json={"board": "nope", "title": "short", "body": "tiny", "tags": ["a" * 40]}), 422)
    assert set(data["errors"]) == {"board", "title", "body", "tags"}


@pytest.mark.parametrize("body", [{"title": "Duplex printing stopped", "body": "x" * 30},
                                  {"board": 3, "title": "Duplex printing stopped", "body": "x" * 30},
                                  {"board": "printers", "title": "Duplex printing stopped", "body": "x" * 30,
                                   "tags": "duplex"}])
def test_ask_with_missing_or_mistyped_fields_is_400(api, forum, body):
    data = _problem(api.post("/threads", token=forum.helper_token, json=body), 400)
    assert data["errors"]


@pytest.mark.parametrize("raw", [b"", b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_400(api, forum, raw):
    _problem(api.post(f"/threads/{forum.thread.id}/answers", token=forum.helper_token, data=raw,
                      headers={"Content-Type": "application/json"}), 400)


def test_answer_and_comment(api, forum, session):
    response = api.post(f"/threads/{forum.thread.id}/answers", token=forum.helper_token, json=ANSWER)
    assert response.status_code == 201
    answer = response.get_json()
    assert answer["kind"] == "answer" and answer["body"] == ANSWER["body"] and answer["comments"] == []
    assert response.headers["Location"].endswith(f"/api/v1/posts/{answer['id']}")
    assert api.get(f"/posts/{answer['id']}").get_json()["id"] == answer["id"]
    comment = api.post(f"/posts/{answer['id']}/comments", token=forum.member_token,
                       json={"body": "Thanks, trying it now."})
    assert comment.status_code == 201 and comment.get_json()["parent_id"] == answer["id"]
    assert [c["body"] for c in api.get(f"/posts/{answer['id']}").get_json()["comments"]] == ["Thanks, trying it now."]
    assert session.get(Thread, forum.thread.id).answer_count == 3  # the hidden answer is counted apart


def test_the_site_rules_apply(api, forum, session, make_user):
    suspended = make_user(suspended=True)
    token = api_tokens.create(session, suspended, name="script").secret
    data = _problem(api.post(f"/threads/{forum.thread.id}/answers", token=token, json=ANSWER), 403)
    assert "suspended" in data["detail"]
    links = " ".join(f"https://example.com/{n}" for n in range(5))
    data = _problem(api.post(f"/threads/{forum.thread.id}/answers", token=forum.troll_token,
                             json={"body": f"Look here: {links}"}), 422)
    assert "links" in data["errors"]["body"][0]
    _problem(api.post(f"/posts/{forum.hidden.id}/comments", token=forum.helper_token, json={"body": "Spam!"}), 404)
    _problem(api.post("/threads/999/answers", token=forum.helper_token, json=ANSWER), 404)
    thread_moderation.lock(session, forum.moderator, thread_id=forum.thread.id)
    _problem(api.post(f"/threads/{forum.thread.id}/answers", token=forum.helper_token, json=ANSWER), 403)
    assert api.post(f"/threads/{forum.thread.id}/answers", token=forum.moderator_token, json=ANSWER).status_code == 201


def test_kudos_give_and_take_back(api, forum):
    path = f"/posts/{forum.official.id}/kudos"
    first = api("PUT", path, token=forum.helper_token)
    assert first.status_code == 200 and first.get_json() == {"post_id": forum.official.id, "kudos_count": 1,
                                                             "given": True}
    assert api("PUT", path, token=forum.helper_token).get_json()["kudos_count"] == 1  # repeating changes nothing
    assert api("DELETE", path, token=forum.helper_token).get_json() == {"post_id": forum.official.id,
                                                                        "kudos_count": 0, "given": False}
    _problem(api("PUT", f"/posts/{forum.accepted.id}/kudos", token=forum.helper_token), 403)  # their own
    _problem(api("PUT", f"/posts/{forum.hidden.id}/kudos", token=forum.helper_token), 404)
    _problem(api("PUT", f"/posts/{forum.hidden.id}/kudos", token=forum.moderator_token), 422)


# --- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/nothing", "/threads/abc", "/threads/99999999999999999999", "/posts/0",
                                  "/boards/a/b", ""])
def test_unknown_addresses_are_404_problems(api, board, path):
    _problem(api.get(path), 404)


def test_a_wrong_method_is_a_405_problem_with_allow(api, forum):
    response = api("DELETE", "/boards")
    _problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}
    response = api.get(f"/threads/{forum.thread.id}/answers")
    _problem(response, 405)
    assert response.headers["Allow"] == "POST"


def test_an_unexpected_error_is_a_500_problem_without_details(api, board, monkeypatch):
    from app.services import listings

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals: /srv/peerdesk/app.py line 12")

    monkeypatch.setattr(listings, "board_summaries", broken)
    response = api.get("/boards")
    data = _problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True) and "RuntimeError" not in data["detail"]


def test_reads_are_rate_limited_per_token_with_a_429_problem(make_app, forum):
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_API_READ="2 per minute").test_client()
    auth = {"Authorization": f"Bearer {forum.member_token}"}
    assert [client.get("/api/v1/boards", headers=auth).status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/boards", headers=auth)
    data = _problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1 and data["retry_after"] >= 1
    # Another token has its own budget; so has a visitor's address.
    other = {"Authorization": f"Bearer {forum.helper_token}"}
    assert client.get("/api/v1/boards", headers=other).status_code == 200
    assert client.get("/api/v1/boards").status_code == 200


def test_api_posts_share_the_site_s_posting_budget(make_app, forum):
    site = make_app(RATELIMIT_ENABLED=True, RATELIMIT_POSTING="2 per minute", RATELIMIT_POSTING_NEW="2 per minute")
    client = site.test_client()
    auth = {"Authorization": f"Bearer {forum.helper_token}"}
    path = f"/api/v1/threads/{forum.thread.id}/answers"
    assert client.post(path, json={"body": "x"}, headers=auth, with_csrf=False).status_code == 422  # costs nothing
    assert client.post(path, json=ANSWER, headers=auth, with_csrf=False).status_code == 201
    browser = site.test_client()
    browser.sign_in(forum.helper)
    assert browser.post(f"/t/{forum.thread.id}/answer", data={"body": "One more idea from the site."}).status_code == 302
    _problem(client.post(path, json=ANSWER, headers=auth, with_csrf=False), 429)
