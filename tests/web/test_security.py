"""HTTP tests of CSRF protection, HTML sanitising (XSS lists), naughty input and error pages."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.models import Post, Thread
from app.services import api_tokens, passwords, posting
from app.services.text import clean_line
from tests.conftest import PASSWORD
from tests.web.db_tools import snapshot
from tests.web.html_tools import SITE_HEADER, parse, unsafe_markup, user_links_and_images
from tests.web.payloads import NAUGHTY_STRINGS, XSS_PAYLOADS

TYPED_PASSWORD = "Typed-Secret-Password-77"


def _question_id(session, thread_id: int) -> int:
    return session.scalar(select(Post.id).where(Post.thread_id == thread_id, Post.kind == "question"))


# --- CSRF --------------------------------------------------------------------------------------


def _post_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda r: r.rule)


@pytest.fixture
def busy_thread(session, thread, helper, member):
    """The thread with an answer and a comment, so every POST route has something to act on."""
    answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the printer and the router.")
    posting.comment(session, member, post_id=answer.id, body="Did that, no change.")
    return thread, answer


@pytest.mark.parametrize("persona", ["member", "visitor"])
def test_every_post_route_refuses_a_missing_csrf_token_and_changes_nothing(
        app, client, session, busy_thread, member, persona):
    thread, answer = busy_thread
    if persona == "member":
        client.sign_in(member)
    token = api_tokens.create(session, member, name="A script").token
    values = {"thread_id": thread.id, "post_id": answer.id, "user_id": member.id, "board_id": thread.board_id,
              "token_id": token.id, "rest": "no-such-thing"}
    data = {"body": "An answer typed over a long lunch break.", "title": "A title typed with care",
            "tags": "wireless", "board": "1", "reason": "fixed a typo", "base_revision": "1",
            "email": member.email, "display_name": "Someone New", "password": TYPED_PASSWORD, "remember": "y"}
    rules = _post_rules(app)
    # The walk must find the routes we know of; a new POST route is then covered automatically.
    assert {r.endpoint for r in rules} >= {"auth.register", "auth.login", "auth.logout", "boards.ask",
                                            "threads.answer", "threads.comment", "threads.edit",
                                            "threads.accept", "threads.unaccept", "threads.preview"}
    urls = app.url_map.bind("localhost")
    before = snapshot(session)

    for rule in rules:
        unknown = rule.arguments - values.keys()
        assert not unknown, f"{rule.rule}: add a value for {unknown} to this test"
        url = urls.build(rule.endpoint, {k: values[k] for k in rule.arguments}, method="POST")

        response = client.post(url, data=data, with_csrf=False)

        if rule.endpoint.startswith("api."):
            # The JSON API needs no CSRF token because it never reads the session cookie: without
            # a bearer token a write is refused whoever's browser sends it.
            refused = 404 if rule.endpoint == "api.no_such_address" else 401
            assert (response.status_code, response.mimetype) == (refused, "application/problem+json"), url
            continue
        html = response.get_data(as_text=True)
        assert response.status_code == 400, (url, response.status_code)
        assert SITE_HEADER in html and "without a valid security token" in html, url
        page = parse(html)
        shown = {value for values_ in page.textareas.values() for value in values_}
        assert {"An answer typed over a long lunch break.", "A title typed with care", member.email} <= shown, url
        assert TYPED_PASSWORD not in html, url
        assert snapshot(session) == before, url
    if persona == "member":
        assert "Sign out" in client.get("/").get_data(as_text=True)


def test_a_token_from_another_session_is_refused(client, new_client, session, member, helper, thread):
    other = new_client()
    other.sign_in(helper)
    client.sign_in(member)
    foreign_token = other.fetch_csrf_token()
    before = snapshot(session)

    response = client.post(f"/t/{thread.id}/answer", data={"body": "A valid answer body.", "csrf_token": foreign_token},
                           with_csrf=False)

    assert response.status_code == 400
    assert snapshot(session) == before


def test_the_token_is_accepted_in_a_header_for_the_live_preview(client, member, board):
    client.sign_in(member)
    token = client.fetch_csrf_token()

    response = client.post("/preview", data={"body": "**hi**"}, headers={"X-CSRFToken": token}, with_csrf=False)

    assert response.status_code == 200 and "<strong>hi</strong>" in response.get_data(as_text=True)


# --- XSS ---------------------------------------------------------------------------------------


def _check_page(problems: list, where: str, html: str) -> None:
    for problem in unsafe_markup(html):
        problems.append(f"{where}: {problem}")
    links, images = user_links_and_images(html)
    for link in links:
        if not {"nofollow", "ugc", "noopener"} <= set((link.get("rel") or "").split()):
            problems.append(f"{where}: link without rel=nofollow ugc noopener: {link.attrs}")
    for image in images:  # bleach leaves a bare <img> when it drops a src that is not https
        if image.get("src") is not None and not image.get("src").startswith("https://"):
            problems.append(f"{where}: image not by https: {image.attrs}")


@pytest.mark.parametrize("fragment", [
    '<div class="post-body"><script>alert(1)</script></div>',
    '<div class="post-body"><p><img src="https://x.example/a.png" onerror="alert(1)"></p></div>',
    '<div class="post-body"><a href=" jav&#x09;ascript:alert(1)">x</a></div>',
    '<div class="post-body"><a href="&#14;javascript:alert(1)">x</a></div>',
    '<div class="post-body"><p style="background:url(x)">x</p></div>',
    '<div class="comment-body"><form action="/logout" method="post"></form></div>',
    '<div class="post-body"><div><iframe src="https://evil.example"></iframe></div></div>',
    '<p><svg onload="alert(1)"></svg></p>',
    '<base href="https://evil.example/">',
    '<script src="https://evil.example/x.js"></script>',
    '<input type="image" src="javascript:alert(1)">',
])
def test_the_markup_checker_finds_executable_markup(fragment):
    assert unsafe_markup(f"<html><body>{fragment}</body></html>") != []


def test_the_markup_checker_accepts_the_sites_own_pages(client, member, thread):
    client.sign_in(member)

    html = client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)

    assert "<script" in html and "<form" in html and "<input" in html
    assert unsafe_markup(html) == []


def test_links_in_posts_carry_rel_and_images_need_https(client, session, member, thread):
    member.reputation = 100  # past the new-member link allowance (services/spam.py); this is about rendering
    session.commit()
    client.sign_in(member)
    body = ("See [the guide](https://support.example.com/guide), https://example.com/bare-link and "
            '<a href="http://example.com/raw">raw html</a> or [mail](mailto:help@example.com).\n\n'
            "![good](https://img.example.com/ok.png) ![plain](http://img.example.com/no.png) "
            "![data](data:image/png;base64,AAAA) ![js](javascript:alert(1))")

    response = client.post(f"/t/{thread.id}/answer", data={"body": body})

    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    links, images = user_links_and_images(html)
    assert sorted(link.get("href") for link in links) == [
        "http://example.com/raw", "https://example.com/bare-link", "https://support.example.com/guide"]
    assert all(link.get("rel") == "nofollow ugc noopener" for link in links)
    assert [image.get("src") for image in images if image.get("src")] == ["https://img.example.com/ok.png"]
    problems: list[str] = []
    _check_page(problems, "thread", html)
    assert problems == []


def _title_for(i: int, payload: str) -> str:
    return f"XSS case {i:02d} {payload}"[:150]


def test_xss_payloads_in_posts_never_become_markup(client, session, member, board):
    assert len(XSS_PAYLOADS) == len(set(XSS_PAYLOADS)) == 73 + 61  # RSnake's list and xss-more.txt
    client.sign_in(member)
    problems: list[str] = []

    for i, payload in enumerate(XSS_PAYLOADS):
        title = _title_for(i, payload)
        response = client.post("/ask", data={"board": board.id, "title": title, "tags": "xss",
                                             "body": f"{payload}\n\nThis question body is long enough."})
        assert response.status_code == 302, (payload, response.status_code)
        thread_url = response.location
        thread_id = int(thread_url.split("/t/")[1].split("-")[0])
        question_id = _question_id(session, thread_id)
        assert client.post(f"/t/{thread_id}/answer", data={"body": f"{payload} (answer)"}).status_code == 302
        assert client.post(f"/p/{question_id}/comment", data={"body": payload}).status_code == 302
        preview = client.post("/preview", data={"body": payload}).get_data(as_text=True)
        _check_page(problems, f"preview {i}", f'<div class="post-body">{preview}</div>')

        html = client.get(thread_url).get_data(as_text=True)
        _check_page(problems, f"thread {i}", html)
        if clean_line(title) not in "".join(parse(html).text):
            problems.append(f"thread {i}: the title is not shown as text")
        for url in (f"/p/{question_id}/history", f"/p/{question_id}/edit"):
            _check_page(problems, f"{url} ({i})", client.get(url).get_data(as_text=True))

    for url in ["/", "/b/printers", "/b/printers?page=2", "/b/printers?page=3", "/b/printers?page=4",
                "/tags/xss", f"/u/{member.id}-asker-anna"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _check_page(problems, url, response.get_data(as_text=True))
    assert problems == [], "\n".join(problems[:20])


def test_xss_payloads_in_tags_titles_and_edits_never_become_markup(client, session, member, thread):
    client.sign_in(member)
    question_id = _question_id(session, thread.id)
    problems: list[str] = []

    for i, payload in enumerate(XSS_PAYLOADS):
        # As tags: refused (400) with the typed text kept, or saved and shown on the thread page.
        data = {"board": thread.board_id, "title": f"Tag case {i:02d} title", "tags": payload,
                "body": "A question body that is long enough."}
        response = client.post("/ask", data=data)
        assert response.status_code in (302, 400), (payload, response.status_code)
        if response.status_code == 400:
            html = response.get_data(as_text=True)
            if parse(html).value("tags") != payload:
                problems.append(f"tags {i}: typed tags not kept")
        else:
            html = client.get(response.location).get_data(as_text=True)
        _check_page(problems, f"tags {i}", html)

        # Through the edit form, with the preview button and then saved.
        edit = {"title": _title_for(i, payload), "body": f"{payload}\n\nEdited body long enough.",
                "tags": "wireless", "reason": payload}
        preview = client.post(f"/p/{question_id}/edit", data={**edit, "preview": "1"})
        assert preview.status_code == 200, (payload, preview.status_code)
        _check_page(problems, f"edit preview {i}", preview.get_data(as_text=True))
        saved = client.post(f"/p/{question_id}/edit", data=edit)
        assert saved.status_code == 302, (payload, saved.status_code)
        _check_page(problems, f"edited thread {i}", client.get(saved.location).get_data(as_text=True))

        # Sent without the token: the error page shows the typed text back, as text.
        refused = client.post(f"/t/{thread.id}/answer", data={"body": payload}, with_csrf=False)
        assert refused.status_code == 400
        _check_page(problems, f"csrf page {i}", refused.get_data(as_text=True))

    _check_page(problems, "history", client.get(f"/p/{question_id}/history").get_data(as_text=True))
    assert problems == [], "\n".join(problems[:20])


def test_xss_payloads_as_display_names_are_refused_or_harmless(app, new_client, session, monkeypatch):
    monkeypatch.setattr(passwords, "hash_password", _fast_hash)
    problems: list[str] = []

    for i, payload in enumerate(XSS_PAYLOADS):
        browser = new_client()
        response = browser.post("/register", data={"email": f"xss{i}@example.com", "display_name": payload,
                                                   "password": "Lantern-Orbit-Pebble-42"})
        assert response.status_code in (302, 400), (payload, response.status_code)
        html = response.get_data(as_text=True)
        if response.status_code == 400:
            if parse(html).value("display_name") != payload:
                problems.append(f"name {i}: typed name not kept")
        else:
            html = browser.get("/").get_data(as_text=True)
            profile = next(t.get("href") for t in parse(html).tags if "nav-user" in (t.get("class") or ""))
            html += browser.get(profile).get_data(as_text=True)
        _check_page(problems, f"name {i}", html)
    assert problems == [], "\n".join(problems[:20])


# --- naughty strings ---------------------------------------------------------------------------


def _fast_hash(password: str) -> str:
    # Speed only: scrypt takes ~0.25 s per call and these tests make hundreds of them.
    return generate_password_hash(password, method="pbkdf2:sha256:1")


def _expect(failures: list, where: str, response, allowed=(200, 302, 400)) -> bool:
    if response.status_code not in allowed:
        failures.append(f"{where}: {response.status_code}")
        return False
    return True


def _kept(failures: list, where: str, html: str, fields: dict[str, str]) -> None:
    page = parse(html)
    for name, typed in fields.items():
        if page.value(name) != typed:
            failures.append(f"{where}: field {name} shows {page.value(name)!r}, typed {typed!r}")


def test_naughty_strings_in_register_and_sign_in(client, new_client, session, member, board, monkeypatch):
    assert len(NAUGHTY_STRINGS) == 515
    monkeypatch.setattr(passwords, "hash_password", _fast_hash)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", _fast_hash("not-a-real-password"))
    failures: list[str] = []

    for i, s in enumerate(NAUGHTY_STRINGS):
        where = f"#{i} {s[:30]!r}"
        response = client.post("/register", data={"email": s, "display_name": s, "password": s})
        if _expect(failures, f"register all {where}", response, (400,)):
            html = response.get_data(as_text=True)
            _kept(failures, f"register all {where}", html, {"email": s, "display_name": s, "password": ""})

        response = client.post("/register", data={"email": f"naughty{i}@example.com", "display_name": s,
                                                  "password": "Lantern-Orbit-Pebble-42"})
        if _expect(failures, f"register name {where}", response, (302, 400)):
            if response.status_code == 400:
                _kept(failures, f"register name {where}", response.get_data(as_text=True), {"display_name": s})
            else:  # a valid name and password: the account exists; continue as a visitor again
                client = new_client()

        response = client.post("/login", data={"email": s, "password": s})
        if _expect(failures, f"login {where}", response, (400,)):
            _kept(failures, f"login {where}", response.get_data(as_text=True), {"email": s, "password": ""})
        response = client.post("/login", data={"email": member.email, "password": s})
        _expect(failures, f"login password {where}", response, (400,))
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:60])


def test_naughty_strings_in_questions_answers_comments_and_edits(client, session, member, board):
    client.sign_in(member)
    failures: list[str] = []

    for i, s in enumerate(NAUGHTY_STRINGS):
        where = f"#{i} {s[:30]!r}"
        raw = {"board": s, "title": s, "body": s, "tags": s}
        response = client.post("/ask", data=raw)
        if _expect(failures, f"ask raw {where}", response, (400,)):
            _kept(failures, f"ask raw {where}", response.get_data(as_text=True),
                  {"title": s, "body": s, "tags": s})

        title = f"Naughty {i:03d} {s}"[:150]
        response = client.post("/ask", data={"board": board.id, "title": title, "tags": "",
                                             "body": f"{s}\n\nNaughty string {i} as a question body."})
        if not _expect(failures, f"ask {where}", response, (302,)):
            continue
        thread_url = response.location
        thread_id = int(thread_url.split("/t/")[1].split("-")[0])
        question_id = _question_id(session, thread_id)
        page = client.get(thread_url)
        if _expect(failures, f"thread {where}", page, (200,)):
            if clean_line(title) not in "".join(parse(page.get_data(as_text=True)).text):
                failures.append(f"thread {where}: title not shown")

        response = client.post(f"/t/{thread_id}/answer", data={"body": s})
        if _expect(failures, f"answer {where}", response, (302, 400)) and response.status_code == 400:
            _kept(failures, f"answer {where}", response.get_data(as_text=True), {"body": s})

        response = client.post(f"/p/{question_id}/comment", data={"body": s})
        if _expect(failures, f"comment {where}", response, (302, 400)) and response.status_code == 400:
            _kept(failures, f"comment {where}", response.get_data(as_text=True), {f"comment-{question_id}": s})

        edit = {"title": s, "body": s, "tags": s, "reason": s[:300]}
        response = client.post(f"/p/{question_id}/edit", data=edit)
        if _expect(failures, f"edit {where}", response, (302, 400)):
            if response.status_code == 400:
                _kept(failures, f"edit {where}", response.get_data(as_text=True), edit)
            else:  # saved: the thread shows the new title and text
                _expect(failures, f"edited thread {where}", client.get(response.location), (200,))
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:60])


def test_naughty_strings_in_query_parameters_and_path_segments(client, new_client, member, thread):
    visitor = client  # reading pages needs no account (and skips loading one per request)
    signed_in = new_client()
    signed_in.sign_in(member)
    failures: list[str] = []

    for i, s in enumerate(NAUGHTY_STRINGS):
        where = f"#{i} {s[:30]!r}"
        query = urlencode({"filter": s, "sort": s, "page": s})
        for url in (f"/b/printers?{query}", f"/tags/wireless?{query}", f"/t/{thread.id}-{thread.slug}?{query}",
                    f"/login?next={quote(s, safe='')}"):
            _expect(failures, f"{url[:12]} {where}", visitor.get(url), (200,))
        segment = quote(s, safe="")
        for url in (f"/b/{segment}", f"/tags/{segment}", f"/u/{segment}", f"/t/{segment}", f"/p/{segment}",
                    f"/u/{member.id}-{segment}", f"/t/{thread.id}-{segment}"):
            _expect(failures, f"{url[:12]} {where}", visitor.get(url), (200, 301, 302, 308, 404))
        _expect(failures, f"ask?board {where}", signed_in.get(f"/ask?board={segment}"), (200,))
        _expect(failures, f"preview {where}", signed_in.post("/preview", data={"body": s}), (200,))
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:60])


@pytest.mark.parametrize("url", ["/b/printers?filter=%ff%fe", "/b/printers?sort=%c3%28&page=%e2%82",
                                 "/tags/wireless?filter=%ff", "/login?next=%ff%fe", "/?x=%00%ff",
                                 "/b/%ff%fe", "/tags/%c3%28", "/u/1-%ff", "/t/1-%ff%fe",
                                 "/b/a%00b", "/tags/a%00b", "/u/1-a%00b", "/t/1-%00", "/b/printers?filter=a%00b",
                                 "/login?next=/a%00b", "/tags/wireless?sort=%00"])
def test_invalid_utf8_or_nul_in_the_address_is_not_an_error(client, member, thread, url):
    response = client.get(url)

    assert response.status_code in (200, 301, 404)
    assert SITE_HEADER in response.get_data(as_text=True) or response.status_code == 301


def test_invalid_utf8_in_a_form_body_is_not_an_error(client, session, member, thread):
    client.sign_in(member)
    token = client.fetch_csrf_token()

    response = client.post(f"/t/{thread.id}/answer", data=f"csrf_token={token}&body=%ff%fe%fd+broken+bytes+here",
                           content_type="application/x-www-form-urlencoded", with_csrf=False)

    assert response.status_code == 302
    (stored,) = session.scalars(select(Post.body_source).where(Post.kind == "answer")).all()
    assert stored.endswith(" broken bytes here") and stored.encode("utf-8")  # werkzeug re-quotes bad bytes


NUL = "\x00"


@pytest.mark.parametrize(("url", "fields", "signed_in"), [
    ("/register", {"email": f"nul{NUL}@example.com", "display_name": f"Nul{NUL} Name", "password": f"pass{NUL}word-long-1"}, False),
    ("/register", {"email": "nul@example.com", "display_name": f"Nul{NUL}Name", "password": "Lantern-Orbit-Pebble-42"}, False),
    ("/login", {"email": f"user{NUL}@example.com", "password": f"x{NUL}"}, False),
    ("/login", {"email": "{member_email}", "password": f"{PASSWORD}{NUL}"}, False),
    ("/ask", {"board": f"1{NUL}", "title": f"Printer{NUL} is offline again", "body": f"It stopped{NUL} printing after the update.", "tags": f"usb{NUL}"}, True),
    ("/t/{thread_id}/answer", {"body": f"Restart{NUL} the spooler service."}, True),
    ("/p/{question_id}/comment", {"body": f"Which{NUL} model?"}, True),
    ("/p/{question_id}/edit", {"title": f"Title{NUL} with a NUL in it", "body": f"Body{NUL} of the question, edited.", "tags": f"a{NUL}b", "reason": f"x{NUL}"}, True),
    ("/preview", {"body": f"**bold**{NUL}"}, True),
], ids=["register", "register-name", "login", "login-password", "ask", "answer", "comment", "edit", "preview"])
def test_nul_bytes_in_form_fields_are_not_an_error(client, session, member, thread, url, fields, signed_in):
    if signed_in:
        client.sign_in(member)
    question_id = _question_id(session, thread.id)
    url = url.format(thread_id=thread.id, question_id=question_id)
    fields = {k: v.format(member_email=member.email) if "{" in v else v for k, v in fields.items()}

    response = client.post(url, data=fields)

    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 400:
        page = parse(response.get_data(as_text=True))
        for name, typed in fields.items():
            if name not in ("password", "board") and page.value(name) is not None:
                assert page.value(name) == typed, name
    stored = [t for (t,) in session.execute(select(Post.body_source))] + [t for (t,) in session.execute(select(Thread.title))]
    assert not any(NUL in text for text in stored)


def test_a_one_megabyte_answer_is_refused_with_a_clear_message(client, session, member, thread):
    client.sign_in(member)

    response = client.post(f"/t/{thread.id}/answer", data={"body": "x" * 1_000_000})

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors["body"] == ["Please keep it under 30,000 characters (this has 1,000,000)."]
    assert session.scalars(select(Post).where(Post.kind == "answer")).all() == []


@pytest.mark.parametrize(("field", "message"), [("title", "The title needs 10 to 150 characters"),
                                                ("body", "Please keep it under 30,000 characters"),
                                                ("tags", "is not a valid tag")])
def test_a_one_megabyte_question_field_is_refused_with_a_clear_message(client, session, member, board, field, message):
    client.sign_in(member)
    data = {"board": board.id, "title": "Printer is offline again", "body": "It stopped printing after the update.",
            "tags": "usb", field: "y" * 1_000_000}

    response = client.post("/ask", data=data)

    assert response.status_code == 400
    assert any(message in e for e in parse(response.get_data(as_text=True)).errors[field])
    assert session.scalars(select(Thread)).all() == []


def test_a_one_megabyte_multipart_field_is_refused_in_site_style(client, session, member, thread):
    client.sign_in(member)
    token = client.fetch_csrf_token()

    response = client.post(f"/t/{thread.id}/answer", data={"csrf_token": token, "body": "z" * 1_000_000},
                           content_type="multipart/form-data", with_csrf=False)

    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert SITE_HEADER in html and "That is too large" in html
    assert session.scalars(select(Post).where(Post.kind == "answer")).all() == []


def test_a_one_megabyte_password_is_refused_quickly_and_clearly(client, member):
    response = client.post("/register", data={"email": "big@example.com", "display_name": "Big Password",
                                              "password": "p" * 1_000_000})

    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).errors["password"] == ["Use at most 200 characters."]


# --- wrong methods and error pages -------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [
    ("GET", "/logout"), ("GET", "/t/{thread_id}/answer"), ("GET", "/p/{question_id}/comment"),
    ("GET", "/p/{question_id}/accept"), ("GET", "/t/{thread_id}/unaccept"), ("GET", "/preview"),
    ("PUT", "/ask"), ("DELETE", "/t/{thread_id}-{slug}"), ("PATCH", "/p/{question_id}/edit"),
    ("POST", "/"), ("POST", "/b/printers"), ("POST", "/u/{member_id}"), ("POST", "/p/{question_id}/history"),
])
def test_wrong_method_is_a_405_in_site_style(client, session, member, thread, method, url):
    client.sign_in(member)
    url = url.format(thread_id=thread.id, question_id=_question_id(session, thread.id), slug=thread.slug,
                     member_id=member.id)
    token = client.fetch_csrf_token()

    response = client.open(url, method=method, data={"csrf_token": token})

    assert response.status_code == 405
    html = response.get_data(as_text=True)
    assert SITE_HEADER in html and "That is not allowed here" in html
    # RFC 9110: a 405 answer lists the methods that are allowed.
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed and method not in allowed and allowed <= {"GET", "HEAD", "OPTIONS", "POST"}


@pytest.mark.parametrize(("url", "status", "title"), [
    ("/no/such/page", 404, "Page not found"),
    ("/b/no-such-board", 404, "Page not found"),
    ("/t/4711-no-such-thread", 404, "Page not found"),
    ("/static/no-such-file.css", 404, "Page not found"),
    ("/logout", 405, "That is not allowed here"),
    ("/p/{answer_id}/edit", 403, "You cannot do that"),
])
def test_error_pages_are_in_site_style_with_the_right_status(client, session, member, helper, thread, url, status, title):
    answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the printer and the router.")
    client.sign_in(member)

    response = client.get(url.format(answer_id=answer.id))

    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert SITE_HEADER in html and f"<h1>{title}</h1>" in html and f'<p class="error-code">{status}</p>' in html
    assert 'name="robots" content="noindex"' in html
