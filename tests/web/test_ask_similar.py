"""HTTP tests of the similar threads offered while asking, as they work without JavaScript: the
"before you post" step appears only when something similar exists and nothing is wrong with the
question, keeps everything typed, is passed with checked_similar=1, and a broken search never
stops a question."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select, text

from app.models import Thread
from app.services import posting, search, solutions
from tests.web.html_tools import parse, path_of

STEP = "Before you post: these threads look like yours"
QUESTION = {"title": "Wireless printer keeps dropping off the network",
            "body": "My wireless printer drops off the wifi network every evening since the update.",
            "tags": "wireless"}


@pytest.fixture
def solved(session, make_thread, helper, moderator, drain):
    """A solved thread much like QUESTION, in the index."""
    thread = make_thread(title="Wireless printer drops off the network", body="It drops off the wifi network daily.")
    answer = posting.answer(session, helper, thread_id=thread.id, body="Give the printer a fixed IP address.")
    solutions.accept(session, moderator, answer_id=answer.id)
    drain()
    return thread


def _threads(session) -> int:
    session.rollback()
    return session.scalar(select(func.count(Thread.id)))


def _ask(client, board, changes: dict | None = None):
    return client.post("/ask", data={"board": str(board.id), **QUESTION, **(changes or {})})


def test_the_ask_page_carries_the_live_list_for_the_script(client, member, board):
    client.sign_in(member)

    html = client.get("/ask").get_data(as_text=True)

    assert 'data-url="/search/similar"' in html and 'aria-live="polite"' in html
    assert "Already answered? These threads look similar:" in html
    assert parse(html).value("checked_similar") == "" and STEP not in html


def test_nothing_similar_posts_at_once(client, session, member, board, make_thread, drain):
    # No word in common with QUESTION's title (similar() matches any word, "the" included).
    make_thread(title="Laptop battery drains overnight", body="Battery is empty each morning although charged.")
    drain()
    client.sign_in(member)

    response = _ask(client, board)

    assert response.status_code == 302
    assert _threads(session) == 2


def test_a_similar_thread_stops_the_first_post_and_keeps_everything_typed(client, session, member, board, solved):
    client.sign_in(member)

    response = _ask(client, board)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert STEP in html and "None of these helps — post my question" in html
    assert f'<a href="/t/{solved.id}-{solved.slug}">{solved.title}</a>' in html
    step = html[html.index(STEP):html.index("None of these helps")]
    assert "Solved" in step and "Printers" in step and "1 answer" in step
    page = parse(html)
    assert page.value("title") == QUESTION["title"]
    assert page.value("body") == QUESTION["body"]
    assert page.value("tags") == QUESTION["tags"]
    assert page.selected["board"] == [str(board.id)]
    assert page.value("checked_similar") == "1"  # so the step's button posts
    assert page.errors == {}
    assert _threads(session) == 1


def test_posting_after_the_step_goes_through(client, session, member, board, solved):
    client.sign_in(member)

    response = _ask(client, board, {"checked_similar": "1"})

    assert response.status_code == 302
    thread = session.scalars(select(Thread).where(Thread.id != solved.id)).one()
    assert path_of(response.location) == f"/t/{thread.id}-{thread.slug}"
    assert thread.title == QUESTION["title"]


def test_a_preview_shows_no_step(client, session, member, board, solved):
    client.sign_in(member)

    response = _ask(client, board, {"preview": "1"})

    assert response.status_code == 200
    assert STEP not in response.get_data(as_text=True)
    assert _threads(session) == 1


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"body": "Too short."}, "body", "Please write at least 20 characters."),
    ({"board": "0"}, "board", "Please choose a board."),
    ({"title": ""}, "title", "Please give your question a title."),
    ({"tags": "bad_tag!"}, "tags", "is not a valid tag"),
], ids=["short-body", "no-board", "no-title", "invalid-tag"])
def test_validation_errors_come_before_the_step(client, session, member, board, solved, changes, field, message):
    client.sign_in(member)

    response = _ask(client, board, changes)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert STEP not in html
    assert any(message in e for e in parse(html).errors.get(field, [])), parse(html).errors
    assert _threads(session) == 1


def _index_gone(session, backend, title):
    raise OSError("the index directory is gone")


def _table_missing(session, backend, title):
    session.execute(text("SELECT * FROM no_such_search_table"))  # on PostgreSQL: an aborted transaction


@pytest.mark.parametrize("broken", [_index_gone, _table_missing], ids=["index-gone", "table-missing"])
def test_a_broken_search_does_not_stop_asking(client, session, member, board, monkeypatch, caplog, broken):
    monkeypatch.setattr(search, "similar", broken)
    client.sign_in(member)

    with caplog.at_level(logging.ERROR, logger="app.web.boards"):
        response = _ask(client, board)

    assert response.status_code == 302
    assert _threads(session) == 1
    assert any("similar threads" in r.getMessage() and r.exc_info for r in caplog.records), caplog.records


def test_a_suspended_member_is_refused_before_any_step(client, session, suspended, board, solved):
    client.sign_in(suspended)

    response = _ask(client, board)

    assert response.status_code == 403
    assert STEP not in response.get_data(as_text=True)
