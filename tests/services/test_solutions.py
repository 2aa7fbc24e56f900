"""Accepting a solution: who may, and what solving a thread does."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Post
from app.services import posting, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound


@pytest.fixture
def answers(session, thread, helper, make_user):
    other = make_user(name="Other Olga")
    return [
        posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler."),
        posting.answer(session, other, thread_id=thread.id, body="Switch to a TCP/IP port."),
    ]


def test_asker_accepts_and_the_thread_is_solved(session, thread, member, answers):
    solutions.accept(session, member, answer_id=answers[1].id)
    session.refresh(thread)
    assert thread.status == "solved" and thread.accepted_answer_id == answers[1].id


def test_accepting_again_is_harmless_and_changing_replaces(session, thread, member, answers):
    solutions.accept(session, member, answer_id=answers[0].id)
    solutions.accept(session, member, answer_id=answers[0].id)
    solutions.accept(session, member, answer_id=answers[1].id)
    session.refresh(thread)
    assert thread.accepted_answer_id == answers[1].id and thread.is_solved


def test_unaccept_opens_the_thread_again_and_is_repeatable(session, thread, member, answers):
    solutions.accept(session, member, answer_id=answers[0].id)
    solutions.unaccept(session, member, thread_id=thread.id)
    solutions.unaccept(session, member, thread_id=thread.id)
    session.refresh(thread)
    assert thread.status == "open" and thread.accepted_answer_id is None


def test_moderator_may_accept_on_the_askers_behalf(session, thread, moderator, answers):
    solutions.accept(session, moderator, answer_id=answers[0].id)
    session.refresh(thread)
    assert thread.is_solved


@pytest.mark.parametrize("who", ["helper", "suspended"])
def test_others_may_not_accept_or_unaccept(request, session, thread, member, answers, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        solutions.accept(session, actor, answer_id=answers[0].id)
    solutions.accept(session, member, answer_id=answers[0].id)
    with pytest.raises(Forbidden):
        solutions.unaccept(session, actor, thread_id=thread.id)
    session.refresh(thread)
    assert thread.accepted_answer_id == answers[0].id


def test_suspended_asker_cannot_accept(session, board, make_user, helper):
    asker = make_user(name="Soon Suspended")
    thread = posting.ask(session, asker, board_id=board.id, title="Laptop fan is loud at idle",
                         body="The fan runs at full speed even when idle.")
    answer = posting.answer(session, helper, thread_id=thread.id, body="Update the BIOS first.")
    from datetime import datetime, timedelta, timezone

    asker.suspended_until = datetime.now(timezone.utc) + timedelta(days=1)
    session.commit()
    with pytest.raises(Forbidden):
        solutions.accept(session, asker, answer_id=answer.id)


def test_only_answers_can_be_accepted(session, thread, member, answers):
    question_id = session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))
    comment = posting.comment(session, member, post_id=answers[0].id, body="Thanks!")
    for post_id in (question_id, comment.id):
        with pytest.raises(InvalidInput):
            solutions.accept(session, member, answer_id=post_id)
    with pytest.raises(NotFound):
        solutions.accept(session, member, answer_id=9999)
    with pytest.raises(NotFound):
        solutions.unaccept(session, member, thread_id=9999)
