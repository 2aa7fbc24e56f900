"""The thread page's data: order of answers, pagination, and a constant number of queries."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.services import posting, solutions, thread_view


@contextmanager
def count_statements(app):
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        statements.append(statement)

    engine = app.extensions["db_engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _thread_with_answers(session, make_thread, helper, member, n: int):
    thread = make_thread()
    question_id = thread_view.thread_view(session, thread.id).question.id
    posting.comment(session, helper, post_id=question_id, body="Which model is it?")
    answers = [posting.answer(session, helper, thread_id=thread.id, body=f"Answer number {i}: try this.")
               for i in range(n)]
    for answer in answers:
        posting.comment(session, member, post_id=answer.id, body="Thanks, trying it now.")
        posting.comment(session, helper, post_id=answer.id, body="Let us know how it went.")
    solutions.accept(session, member, answer_id=answers[n // 2].id)
    return thread


@pytest.mark.parametrize("answers", [5, 50])
def test_thread_page_runs_the_same_number_of_queries_whatever_its_size(
    app, session, make_thread, helper, member, client, answers
):
    thread = _thread_with_answers(session, make_thread, helper, member, answers)
    session.expunge_all()
    url = f"/t/{thread.id}-{thread.slug}"
    client.get(url)  # the first view writes the view count; measure a steady page
    with count_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # thread+board+author, tags, answer count, posts of the page+authors, their comments+authors,
    # and the newest post the reader may see (where live updates start: app/services/live.py)
    assert len(selects) == 6, "\n".join(selects)
    body = response.get_data(as_text=True)
    shown_answers = min(answers - 1, 30) + 1  # one page of the others, plus the accepted answer
    assert body.count('class="comment"') == shown_answers * 2 + 1


def test_query_count_does_not_grow_between_5_and_50_answers(app, session, make_thread, helper, member, client):
    counts = []
    for n in (5, 50):
        thread = _thread_with_answers(session, make_thread, helper, member, n)
        session.expunge_all()
        client.get(f"/t/{thread.id}-{thread.slug}")
        with count_statements(app) as statements:
            client.get(f"/t/{thread.id}-{thread.slug}")
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_accepted_answer_comes_first_and_others_keep_their_order(session, make_thread, helper, member):
    thread = make_thread()
    first = posting.answer(session, helper, thread_id=thread.id, body="First idea: restart it.")
    second = posting.answer(session, helper, thread_id=thread.id, body="Second idea: reinstall the driver.")
    third = posting.answer(session, member, thread_id=thread.id, body="Third idea: a new USB cable.")
    solutions.accept(session, member, answer_id=second.id)

    view = thread_view.thread_view(session, thread.id)
    assert view.accepted.id == second.id
    assert [a.id for a in view.answers.items] == [first.id, third.id]
    assert view.answers.total == 2


def test_answers_are_paginated_and_the_solution_stays_on_page_one(session, make_thread, helper, member):
    thread = make_thread()
    answers = [posting.answer(session, helper, thread_id=thread.id, body=f"Suggestion {i} for you.")
               for i in range(35)]
    solutions.accept(session, member, answer_id=answers[-1].id)

    page1 = thread_view.thread_view(session, thread.id, page=1, per_page=30)
    page2 = thread_view.thread_view(session, thread.id, page=2, per_page=30)
    assert page1.accepted.id == answers[-1].id and page2.accepted.id == answers[-1].id
    assert len(page1.answers.items) == 30 and len(page2.answers.items) == 4
    assert page1.answers.pages == 2
    assert thread_view.answer_page(session, answers[33], per_page=30) == 2
    assert thread_view.answer_page(session, answers[-1], per_page=30) == 1
    # A page past the end shows the last page rather than an empty one.
    assert thread_view.thread_view(session, thread.id, page=99, per_page=30).answers.number == 2


def test_unknown_thread_is_not_found(session):
    from app.services.errors import NotFound

    with pytest.raises(NotFound):
        thread_view.thread_view(session, 12345)


def test_views_are_counted_in_sql(session, thread):
    thread_view.record_view(session, thread.id)
    thread_view.record_view(session, thread.id)
    session.expire_all()
    assert thread_view.load_thread(session, thread.id).view_count == 2
