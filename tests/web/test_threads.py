"""HTTP tests of asking, answering, commenting, editing, accepting and reading threads."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.models import Post, Revision, Thread, User
from app.services import posting, solutions
from tests.web.html_tools import SITE_HEADER, parse, path_of, unsafe_markup

QUESTION = {"title": "Scanner stops halfway through a page",
            "body": "The flatbed scanner stops at the middle of every A4 page since Tuesday.",
            "tags": "scanner, windows-11"}


def _count(session, model, *where) -> int:
    session.rollback()
    return session.scalar(select(func.count(model.id)).where(*where))


def _answer(session, author, thread, body="Restart the printer and the router, then retry."):
    return posting.answer(session, author, thread_id=thread.id, body=body)


def _question_id(session, thread) -> int:
    return session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))


def _thread_page(client, thread, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(f"/t/{thread.id}-{thread.slug}" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _post_ids_in_order(html: str) -> list[int]:
    """Ids of the questions and answers (articles) in the order the page shows them."""
    return [int(m) for m in re.findall(r'<article class="post [^"]*" id="post-(\d+)"', html)]


# --- asking ------------------------------------------------------------------------------------


def test_ask_page_needs_sign_in(client, board):
    response = client.get("/ask")

    assert response.status_code == 302
    assert path_of(response.location) == "/login?next=%2Fask"


def test_ask_page_preselects_the_board_from_the_address(client, member, board):
    client.sign_in(member)

    page = parse(client.get("/ask?board=printers").get_data(as_text=True))

    assert page.selected["board"] == [str(board.id)]


def test_asking_creates_the_thread_and_redirects_to_it(client, session, member, board):
    client.sign_in(member)

    response = client.post("/ask", data={"board": board.id, **QUESTION})

    assert response.status_code == 302
    thread = session.scalars(select(Thread)).one()
    assert path_of(response.location) == f"/t/{thread.id}-scanner-stops-halfway-through-a-page"
    assert thread.title == QUESTION["title"] and thread.author_id == member.id and thread.board_id == board.id
    question = session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    assert question.kind == "question" and question.body_source == QUESTION["body"]
    html = client.get(response.location).get_data(as_text=True)
    assert QUESTION["title"] in html and "windows-11" in html and "Your question is live" in html


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"title": "Too short"}, "title", "The title needs 10 to 150 characters (it has 9)."),
    ({"title": "T" * 151}, "title", "The title needs 10 to 150 characters (it has 151)."),
    ({"title": ""}, "title", "Please give your question a title."),
    ({"body": "Only nineteen chars"}, "body", "Please write at least 20 characters."),
    ({"body": "   "}, "body", "Please describe your question."),
    ({"tags": "one two three four five six"}, "tags", "Use at most 5 tags."),
    ({"tags": "printer bad_tag!"}, "tags", "is not a valid tag"),
    ({"board": "0"}, "board", "Please choose a board."),
    ({"board": ""}, "board", "Please choose a board."),
    ({"board": "abc"}, "board", "Please choose a board."),
    ({"board": "4711"}, "board", "Please choose a board."),
    ({"board": "99999999999999999999999"}, "board", "Please choose a board."),
], ids=["title-short", "title-long", "title-missing", "body-short", "body-blank", "six-tags", "invalid-tag",
        "no-board", "empty-board", "board-abc", "unknown-board", "huge-board"])
def test_ask_validation_gives_its_message_and_keeps_everything_typed(
        client, session, member, board, changes, field, message):
    client.sign_in(member)
    data = {"board": str(board.id), **QUESTION, **changes}

    response = client.post("/ask", data=data)

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert any(message in e for e in page.errors.get(field, [])), page.errors
    assert page.value("title") == data["title"]
    assert page.value("body") == data["body"]
    assert page.value("tags") == data["tags"]
    if field != "board":
        assert page.selected["board"] == [str(board.id)]
    assert _count(session, Thread) == 0 and _count(session, Post) == 0


def test_preview_renders_markdown_and_saves_nothing(client, session, member, board):
    client.sign_in(member)
    body = "Steps:\n\n1. **Unplug** it\n2. Run `hp-setup`\n\n<script>alert(1)</script>"

    response = client.post("/ask", data={"board": board.id, **QUESTION, "body": body, "preview": "1"})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>Unplug</strong>" in html and "<code>hp-setup</code>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert unsafe_markup(html) == []
    page = parse(html)
    assert page.value("body") == body and page.value("title") == QUESTION["title"]
    assert _count(session, Thread) == 0 and _count(session, Post) == 0


def test_suspended_member_cannot_ask(client, session, suspended, board):
    client.sign_in(suspended)

    response = client.post("/ask", data={"board": board.id, **QUESTION})

    assert response.status_code == 403
    assert "suspended" in response.get_data(as_text=True)
    assert _count(session, Thread) == 0


# --- answering ---------------------------------------------------------------------------------


def test_answer_is_saved_and_redirects_to_it(client, session, helper, thread):
    client.sign_in(helper)

    response = client.post(f"/t/{thread.id}/answer", data={"body": "Update the firmware to 2.4.1 first."})

    assert response.status_code == 302
    answer = session.scalars(select(Post).where(Post.kind == "answer")).one()
    assert path_of(response.location) == f"/t/{thread.id}-{thread.slug}"
    assert response.location.endswith(f"#post-{answer.id}")
    assert answer.author_id == helper.id and answer.body_source == "Update the firmware to 2.4.1 first."
    assert session.get(Thread, thread.id).answer_count == 1
    assert "Update the firmware to 2.4.1 first." in _thread_page(client, thread)


@pytest.mark.parametrize(("body", "message"), [
    ("", "Please write something first."),
    ("   \n  ", "Please write something first."),
    ("Try this", "Please write at least 10 characters."),
])
def test_invalid_answer_keeps_the_text_and_says_why(client, session, helper, thread, body, message):
    client.sign_in(helper)

    response = client.post(f"/t/{thread.id}/answer", data={"body": body})

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors == {"body": [message]}
    assert page.value("body") == body
    assert _count(session, Post, Post.kind == "answer") == 0


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("helper", 403), ("moderator", 302)])
def test_locked_thread_takes_answers_from_staff_only(client, session, thread, request, persona, status):
    thread.is_locked = True
    session.commit()
    client.sign_in(request.getfixturevalue(persona))

    response = client.post(f"/t/{thread.id}/answer", data={"body": "Reset the network settings first."})

    assert response.status_code == status
    assert _count(session, Post, Post.kind == "answer") == (1 if status == 302 else 0)
    if status == 403:
        html = response.get_data(as_text=True)
        assert SITE_HEADER in html and "Reset the network settings first." in html  # typed text shown back


def test_suspended_member_cannot_answer(client, session, suspended, thread):
    client.sign_in(suspended)

    response = client.post(f"/t/{thread.id}/answer", data={"body": "Reset the network settings first."})

    assert response.status_code == 403
    assert _count(session, Post, Post.kind == "answer") == 0
    assert "cannot answer" in _thread_page(client, thread)


def test_visitor_is_sent_to_sign_in_to_answer(client, session, thread):
    response = client.post(f"/t/{thread.id}/answer", data={"body": "Reset the network settings first."})

    assert response.status_code == 302 and path_of(response.location).startswith("/login?next=")
    assert _count(session, Post, Post.kind == "answer") == 0


def test_answer_to_an_unknown_thread_is_404(client, helper, board):
    client.sign_in(helper)

    assert client.post("/t/4711/answer", data={"body": "Reset the network settings first."}).status_code == 404
    assert client.post("/t/4711/answer", data={"body": ""}).status_code == 404


# --- comments ----------------------------------------------------------------------------------


@pytest.mark.parametrize("on", ["question", "answer"])
def test_comment_on_question_or_answer(client, session, member, helper, thread, on):
    answer = _answer(session, helper, thread)
    parent_id = _question_id(session, thread) if on == "question" else answer.id
    client.sign_in(member)

    response = client.post(f"/p/{parent_id}/comment", data={"body": "Which model exactly?"})

    assert response.status_code == 302
    comment = session.scalars(select(Post).where(Post.kind == "comment")).one()
    assert comment.parent_id == parent_id and comment.thread_id == thread.id
    assert response.location.endswith(f"#post-{comment.id}")
    html = _thread_page(client, thread)
    assert f'id="post-{comment.id}"' in html and "Which model exactly?" in html


def test_comment_on_a_comment_is_404(client, session, member, helper, thread):
    comment = posting.comment(session, helper, post_id=_question_id(session, thread), body="Which model?")
    client.sign_in(member)

    response = client.post(f"/p/{comment.id}/comment", data={"body": "The 9015e."})

    assert response.status_code == 404
    assert SITE_HEADER in response.get_data(as_text=True)
    assert _count(session, Post, Post.kind == "comment") == 1


def test_comment_on_an_unknown_post_is_404(client, member, board):
    client.sign_in(member)

    assert client.post("/p/4711/comment", data={"body": "Which model?"}).status_code == 404
    assert client.post("/p/4711/comment", data={"body": "x"}).status_code == 404


def test_too_short_comment_keeps_the_text(client, session, helper, thread):
    question_id = _question_id(session, thread)
    client.sign_in(helper)

    response = client.post(f"/p/{question_id}/comment", data={"body": "?"})

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.textareas[f"comment-{question_id}"] == ["?"]
    assert page.errors[f"comment-{question_id}"] == ["Please write at least 2 characters."]
    assert _count(session, Post, Post.kind == "comment") == 0


def test_comment_in_locked_thread_is_refused_for_a_member(client, session, helper, thread):
    thread.is_locked = True
    session.commit()
    client.sign_in(helper)

    response = client.post(f"/p/{_question_id(session, thread)}/comment", data={"body": "Which model?"})

    assert response.status_code == 403
    assert _count(session, Post, Post.kind == "comment") == 0


# --- editing -----------------------------------------------------------------------------------


def test_edit_own_answer_keeps_the_revision_and_marks_it_edited(client, session, helper, thread):
    answer = _answer(session, helper, thread, body="Restart the printer first.")
    client.sign_in(helper)
    form = parse(client.get(f"/p/{answer.id}/edit").get_data(as_text=True))
    assert form.value("body") == "Restart the printer first." and form.value("base_revision") == "1"

    response = client.post(f"/p/{answer.id}/edit", data={
        "body": "Restart the printer, then the router.", "reason": "added the router", "base_revision": "1"})

    assert response.status_code == 302 and response.location.endswith(f"#post-{answer.id}")
    session.rollback()
    assert session.get(Post, answer.id).body_source == "Restart the printer, then the router."
    revisions = session.scalars(select(Revision).where(Revision.post_id == answer.id)
                                .order_by(Revision.number)).all()
    assert [r.body_source for r in revisions] == ["Restart the printer first.", "Restart the printer, then the router."]
    history = client.get(f"/p/{answer.id}/history").get_data(as_text=True)
    assert "Version 1" in history and "Version 2" in history
    assert "Restart the printer first." in history and "Restart the printer, then the router." in history
    assert "added the router" in history
    thread_html = _thread_page(client, thread)
    assert f'<a class="edited" href="/p/{answer.id}/history">' in thread_html


def test_edit_own_question_changes_title_tags_and_url(client, session, member, thread):
    question_id = _question_id(session, thread)
    old_url = f"/t/{thread.id}-{thread.slug}"
    client.sign_in(member)

    response = client.post(f"/p/{question_id}/edit", data={
        "title": "Printer offline after firmware update", "body": "It worked yesterday; now it is offline again.",
        "tags": "wireless firmware", "base_revision": "1"})

    assert response.status_code == 302
    session.rollback()
    edited = session.get(Thread, thread.id)
    assert edited.slug == "printer-offline-after-firmware-update"
    assert path_of(response.location) == f"/t/{thread.id}-printer-offline-after-firmware-update"
    redirect = client.get(old_url)
    assert redirect.status_code == 301 and path_of(redirect.location) == path_of(response.location)
    html = client.get(response.location).get_data(as_text=True)
    assert "Printer offline after firmware update" in html and "/tags/firmware" in html
    history = client.get(f"/p/{question_id}/history").get_data(as_text=True)
    assert "Printer shows offline after update" in history and "Printer offline after firmware update" in history


def test_edit_validation_keeps_the_text(client, session, member, thread):
    question_id = _question_id(session, thread)
    client.sign_in(member)

    response = client.post(f"/p/{question_id}/edit", data={
        "title": "Short", "body": "Now a much longer description of it.", "tags": "wireless", "base_revision": "1"})

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert "title" in page.errors
    assert page.value("title") == "Short" and page.value("body") == "Now a much longer description of it."
    assert _count(session, Revision) == 1


@pytest.mark.parametrize("request_", ["GET", "POST", "POST empty", "POST preview"])
def test_editing_someone_elses_post_is_forbidden(client, session, member, helper, thread, request_):
    answer = _answer(session, helper, thread, body="Restart the printer first.")
    client.sign_in(member)
    data = {"body": "Vandalised answer text", "base_revision": "1"}
    if request_ == "POST empty":
        data["body"] = ""
    if request_ == "POST preview":
        data["preview"] = "1"

    if request_ == "GET":
        response = client.get(f"/p/{answer.id}/edit")
    else:
        response = client.post(f"/p/{answer.id}/edit", data=data)

    assert response.status_code == 403
    assert SITE_HEADER in response.get_data(as_text=True)
    session.rollback()
    assert session.get(Post, answer.id).body_source == "Restart the printer first."
    assert _count(session, Revision, Revision.post_id == answer.id) == 1


def test_moderator_may_edit_any_post(client, session, helper, moderator, thread):
    answer = _answer(session, helper, thread, body="Call 555-0100 for a free fix.")
    client.sign_in(moderator)
    assert client.get(f"/p/{answer.id}/edit").status_code == 200

    response = client.post(f"/p/{answer.id}/edit", data={
        "body": "Contact the official support line.", "reason": "removed a scam number", "base_revision": "1"})

    assert response.status_code == 302
    revision = session.scalars(select(Revision).where(Revision.post_id == answer.id, Revision.number == 2)).one()
    assert revision.editor_id == moderator.id and revision.reason == "removed a scam number"


def test_stale_base_revision_is_a_conflict_that_keeps_the_typed_text(client, session, helper, moderator, thread):
    answer = _answer(session, helper, thread, body="Restart the printer first.")
    posting.edit(session, moderator, post_id=answer.id, body="Restart the printer (moderator edit).")
    client.sign_in(helper)

    response = client.post(f"/p/{answer.id}/edit", data={
        "body": "My own improved answer text.", "base_revision": "1"})

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    page = parse(html)
    assert "Someone saved a newer version" in html
    assert page.value("body") == "My own improved answer text."
    assert page.value("base_revision") == "2"
    session.rollback()
    assert session.get(Post, answer.id).body_source == "Restart the printer (moderator edit)."


# --- accepting a solution ----------------------------------------------------------------------


def _accept_state(session, thread):
    session.rollback()
    row = session.get(Thread, thread.id)
    return row.accepted_answer_id, row.status


def test_asker_accepts_changes_and_takes_back_the_solution(client, session, member, helper, make_user, thread):
    first = _answer(session, helper, thread, body="Restart the printer first.")
    second = _answer(session, make_user(), thread, body="Reinstall the driver package.")
    client.sign_in(member)

    response = client.post(f"/p/{first.id}/accept")
    assert response.status_code == 302 and response.location.endswith(f"#post-{first.id}")
    assert _accept_state(session, thread) == (first.id, "solved")
    html = _thread_page(client, thread)
    assert "Solved" in html and "Accepted solution" in html
    solved_list = client.get("/b/printers?filter=solved").get_data(as_text=True)
    assert f"/t/{thread.id}-{thread.slug}" in solved_list

    assert client.post(f"/p/{second.id}/accept").status_code == 302
    assert _accept_state(session, thread) == (second.id, "solved")
    assert _post_ids_in_order(_thread_page(client, thread))[:2] == [_question_id(session, thread), second.id]

    response = client.post(f"/t/{thread.id}/unaccept")
    assert response.status_code == 302
    assert _accept_state(session, thread) == (None, "open")
    assert f"/t/{thread.id}-" not in client.get("/b/printers?filter=solved").get_data(as_text=True)
    assert "Accepted solution" not in _thread_page(client, thread)


@pytest.mark.parametrize("action", ["accept", "unaccept"])
def test_only_the_asker_or_staff_choose_the_solution(client, session, helper, make_user, thread, action):
    answer = _answer(session, helper, thread)
    if action == "unaccept":
        solutions.accept(session, make_user("moderator"), answer_id=answer.id)
    before = _accept_state(session, thread)
    client.sign_in(helper)  # the answerer, not the asker

    url = f"/p/{answer.id}/accept" if action == "accept" else f"/t/{thread.id}/unaccept"
    response = client.post(url)

    assert response.status_code == 403
    assert SITE_HEADER in response.get_data(as_text=True)
    assert _accept_state(session, thread) == before


def test_moderator_accepts_on_the_askers_behalf(client, session, helper, moderator, thread):
    answer = _answer(session, helper, thread)
    client.sign_in(moderator)

    assert client.post(f"/p/{answer.id}/accept").status_code == 302
    assert _accept_state(session, thread) == (answer.id, "solved")


@pytest.mark.parametrize("target", ["question", "comment"])
def test_only_an_answer_can_be_accepted(client, session, member, helper, thread, target):
    question_id = _question_id(session, thread)
    post_id = question_id if target == "question" else posting.comment(
        session, helper, post_id=question_id, body="Which model?").id
    client.sign_in(member)

    response = client.post(f"/p/{post_id}/accept")

    assert response.status_code == 400
    assert "Only an answer can be accepted" in response.get_data(as_text=True)
    assert _accept_state(session, thread) == (None, "open")


def test_accepting_an_unknown_post_is_404(client, member, thread):
    client.sign_in(member)

    assert client.post("/p/4711/accept").status_code == 404
    assert client.post("/t/4711/unaccept").status_code == 404


def test_accept_needs_sign_in(client, session, helper, thread):
    answer = _answer(session, helper, thread)

    response = client.post(f"/p/{answer.id}/accept")

    assert response.status_code == 302 and path_of(response.location).startswith("/login")
    assert _accept_state(session, thread) == (None, "open")


# --- thread addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "expected"), [
    ("-wrong-slug", ""), ("", ""), ("-wrong-slug?page=2", "?page=2"), ("-Printer-Shows-Offline-After-Update", ""),
])
def test_non_canonical_thread_address_redirects_permanently(client, thread, suffix, expected):
    response = client.get(f"/t/{thread.id}{suffix}")

    assert response.status_code == 301
    assert path_of(response.location) == f"/t/{thread.id}-printer-shows-offline-after-update{expected}"


@pytest.mark.parametrize("url", ["/t/4711", "/t/4711-some-slug", "/t/abc", "/p/4711", "/p/4711/history",
                                 "/p/4711/edit", "/t/99999999999999999999", "/p/99999999999999999999999"])
def test_unknown_thread_or_post_is_a_404_in_site_style(client, member, board, url):
    client.sign_in(member)

    response = client.get(url)

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert SITE_HEADER in html and "Page not found" in html


@pytest.fixture
def long_thread(session, thread, helper, make_user):
    """A thread with 33 answers; the last one is accepted (so the other 32 fill pages of 30)."""
    others = [make_user() for _ in range(3)]
    answers = [_answer(session, [helper, *others][i % 4], thread, body=f"Answer number {i:02d} with a tip.")
               for i in range(33)]
    solutions.accept(session, session.get(User, thread.author_id), answer_id=answers[-1].id)
    return thread, answers


def test_thread_pages_answers_by_thirty_with_the_solution_first(client, session, long_thread):
    thread, answers = long_thread
    question_id = _question_id(session, thread)

    first = _thread_page(client, thread)
    assert _post_ids_in_order(first) == [question_id, answers[-1].id] + [a.id for a in answers[:30]]
    assert "Page 1 of 2" in first and f'href="/t/{thread.id}-{thread.slug}?page=2"' in first

    second = _thread_page(client, thread, page=2)
    assert _post_ids_in_order(second) == [question_id, answers[-1].id] + [a.id for a in answers[30:32]]
    assert "Page 2 of 2" in second
    assert f'<link rel="canonical" href="http://localhost/t/{thread.id}-{thread.slug}?page=2">' in second


@pytest.mark.parametrize(("page", "shown"), [("999", 2), ("100001", 2), ("abc", 1), ("-3", 1), ("0", 1),
                                              ("", 1), ("2.5", 1), ("99999999999999999999999", 2)])
def test_odd_thread_page_numbers_are_clamped(client, long_thread, page, shown):
    thread, _ = long_thread

    html = _thread_page(client, thread, page=page)

    assert f"Page {shown} of 2" in html


def test_post_link_goes_to_the_right_page_and_anchor(client, session, long_thread, member):
    thread, answers = long_thread
    base = f"/t/{thread.id}-{thread.slug}"
    late_comment = posting.comment(session, member, post_id=answers[31].id, body="Thanks, that helped.")
    cases = {
        _question_id(session, thread): base,
        answers[0].id: base,
        answers[29].id: base,
        answers[30].id: f"{base}?page=2",
        answers[31].id: f"{base}?page=2",
        answers[-1].id: base,  # accepted: always on page 1
        late_comment.id: f"{base}?page=2",
    }
    for post_id, expected in cases.items():
        response = client.get(f"/p/{post_id}")
        assert response.status_code == 302, post_id
        assert path_of(response.location) == expected, post_id
        assert response.location.endswith(f"#post-{post_id}")
    page2 = client.get(f"{base}?page=2").get_data(as_text=True)
    assert f'id="post-{late_comment.id}"' in page2


def test_too_short_comment_on_a_later_page_is_shown_back_on_that_page(client, session, long_thread, member):
    thread, answers = long_thread
    client.sign_in(member)

    response = client.post(f"/p/{answers[31].id}/comment", data={"body": "!"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = parse(html)
    assert "Page 2 of 2" in html
    assert page.textareas[f"comment-{answers[31].id}"] == ["!"]
    assert page.errors[f"comment-{answers[31].id}"] == ["Please write at least 2 characters."]


def test_thread_page_counts_one_view_per_browser(client, new_client, session, thread):
    for _ in range(3):
        _thread_page(client, thread)
    _thread_page(new_client(), thread)

    session.rollback()
    assert session.get(Thread, thread.id).view_count == 2


# --- live preview --------------------------------------------------------------------------------


def test_preview_endpoint_returns_sanitised_html(client, member, board):
    client.sign_in(member)
    source = ("**bold** and [a link](https://example.com/help)\n\n<script>alert(1)</script>\n\n"
              "[bad](javascript:alert(1)) <img src=x onerror=alert(1)> ![pic](http://example.com/a.png)")

    response = client.post("/preview", data={"body": source})

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com/help" rel="nofollow ugc noopener">a link</a>' in html
    wrapped = f'<div class="post-body">{html}</div>'
    assert unsafe_markup(wrapped) == []
    assert "<script" not in html and "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'src="http://example.com/a.png"' not in html


def test_preview_needs_sign_in_and_the_token(client, member, board):
    assert client.post("/preview", data={"body": "x"}).status_code == 302
    client.sign_in(member)
    assert client.post("/preview", data={"body": "x"}, with_csrf=False).status_code == 400
