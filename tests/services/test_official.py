"""Official answers: only staff mark them, what marking, moving and removing the mark earn and
reverse, how the mark lives beside the solution, and what hiding and restoring do to it."""
from __future__ import annotations

import pytest

from app.models import Post, Thread
from app.services import official, posting, review, solutions, thread_view
from app.services.errors import Forbidden, InvalidInput, NotFound
from tests.services.test_review import (
    LATER,
    NOW,
    assert_ledger_balances,
    audit_count,
    audit_rows,
    events,
    persona,
    question_of,
    reloaded,
    stored_reputation,
)


@pytest.fixture
def other(make_user):
    return make_user(name="Other Olga")


@pytest.fixture
def answers(session, thread, helper, other):
    return (posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service."),
            posting.answer(session, other, thread_id=thread.id, body="Use a TCP/IP port instead of WSD."))


def marks(session, thread: Thread) -> tuple:
    fresh = reloaded(session, Thread, thread.id)
    return fresh.official_answer_id, fresh.official_by_id, fresh.official_at


# --- marking -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_mark_an_answer_official_and_its_author_earns_for_it(session, thread, answers, helper, make_user,
                                                                   role):
    staff = make_user(role)
    official.mark(session, staff, answer_id=answers[0].id, now=NOW)
    assert marks(session, thread) == (answers[0].id, staff.id, NOW)
    assert events(session, helper) == [(25, "answer_official")]
    assert events(session, staff) == []
    row = audit_rows(session)[-1]
    assert (row.action, row.actor_id, row.post_id, row.thread_id, row.target_user_id) == (
        "official", staff.id, answers[0].id, thread.id, helper.id)
    assert_ledger_balances(session)


@pytest.mark.parametrize("who", ["member", "helper", "other", "suspended", "visitor", "nobody"])
def test_only_staff_mark_or_unmark_and_a_refusal_changes_nothing(request, session, thread, answers, moderator,
                                                                 who):
    actor = persona(request, who)
    with pytest.raises(Forbidden):
        official.mark(session, actor, answer_id=answers[0].id)
    official.mark(session, moderator, answer_id=answers[1].id, now=NOW)
    logged = audit_count(session)
    with pytest.raises(Forbidden):
        official.unmark(session, actor, thread_id=thread.id)
    assert marks(session, thread) == (answers[1].id, moderator.id, NOW)
    assert audit_count(session) == logged


def test_marking_ones_own_answer_earns_nothing(session, thread, moderator):
    own = posting.answer(session, moderator, thread_id=thread.id, body="Update the printer firmware first.")
    official.mark(session, moderator, answer_id=own.id)
    assert marks(session, thread)[:2] == (own.id, moderator.id)
    assert events(session, moderator) == []
    official.unmark(session, moderator, thread_id=thread.id)
    assert events(session, moderator) == []
    assert_ledger_balances(session)


def test_another_staff_member_marking_a_staff_answer_earns_its_author(session, thread, moderator, admin):
    own = posting.answer(session, moderator, thread_id=thread.id, body="Update the printer firmware first.")
    official.mark(session, admin, answer_id=own.id)
    assert events(session, moderator) == [(25, "answer_official")]
    assert_ledger_balances(session)


def test_marking_the_official_answer_again_changes_nothing(session, thread, answers, helper, moderator, admin):
    official.mark(session, moderator, answer_id=answers[0].id, now=NOW)
    official.mark(session, admin, answer_id=answers[0].id, now=LATER)
    assert marks(session, thread) == (answers[0].id, moderator.id, NOW)
    assert events(session, helper) == [(25, "answer_official")]
    assert [r.action for r in audit_rows(session)] == ["official"]


def test_moving_the_mark_reverses_what_the_earlier_answer_earned(session, thread, answers, helper, other,
                                                                 moderator):
    official.mark(session, moderator, answer_id=answers[0].id)
    official.mark(session, moderator, answer_id=answers[1].id, now=LATER)
    assert marks(session, thread) == (answers[1].id, moderator.id, LATER)
    assert events(session, helper) == [(25, "answer_official"), (-25, "official_removed")]
    assert events(session, other) == [(25, "answer_official")]
    assert [(r.action, r.post_id) for r in audit_rows(session)] == [
        ("official", answers[0].id), ("official", answers[1].id)]
    assert_ledger_balances(session)


def test_unmark_reverses_the_mark_and_is_harmless_when_there_is_none(session, thread, answers, helper,
                                                                     moderator):
    official.unmark(session, moderator, thread_id=thread.id)
    assert audit_count(session) == 0

    official.mark(session, moderator, answer_id=answers[0].id)
    official.unmark(session, moderator, thread_id=thread.id)
    official.unmark(session, moderator, thread_id=thread.id)
    assert marks(session, thread) == (None, None, None)
    assert events(session, helper) == [(25, "answer_official"), (-25, "official_removed")]
    assert [(r.action, r.post_id, r.target_user_id) for r in audit_rows(session)] == [
        ("official", answers[0].id, helper.id), ("unofficial", answers[0].id, helper.id)]
    assert_ledger_balances(session)


def test_only_a_visible_answer_can_be_marked(session, thread, answers, member, moderator):
    review.hide(session, moderator, post_id=answers[0].id, reason="incorrect")
    with pytest.raises(InvalidInput) as caught:
        official.mark(session, moderator, answer_id=answers[0].id)
    assert list(caught.value.errors) == ["answer"]
    comment = posting.comment(session, member, post_id=answers[1].id, body="Which port number?")
    for not_an_answer in (question_of(session, thread).id, comment.id, 987654):
        with pytest.raises(NotFound):
            official.mark(session, moderator, answer_id=not_an_answer)
    with pytest.raises(NotFound):
        official.unmark(session, moderator, thread_id=987654)
    assert marks(session, thread) == (None, None, None)
    assert [r.action for r in audit_rows(session)] == ["hide"]


def test_an_answer_hidden_by_another_request_cannot_be_marked(app, session, thread, answers, moderator, admin):
    """The marking request may have loaded the answer before it was hidden elsewhere."""
    stale = app.extensions["db_sessionmaker"]()
    try:
        # Still visible when this request read it; kept referenced, as a view would (the session
        # holds its rows only weakly).
        loaded = stale.get(Post, answers[0].id)
        stale.commit()
        review.hide(session, admin, post_id=answers[0].id, reason="incorrect")
        with pytest.raises(InvalidInput):
            official.mark(stale, moderator, answer_id=loaded.id)
    finally:
        stale.close()
    assert marks(session, thread) == (None, None, None)


# --- the official answer beside the solution ------------------------------------------------------


def test_the_solution_can_also_be_the_official_answer(session, thread, member, answers, helper, moderator):
    solutions.accept(session, member, answer_id=answers[0].id)
    official.mark(session, moderator, answer_id=answers[0].id)
    fresh = reloaded(session, Thread, thread.id)
    assert fresh.status == "solved" and fresh.accepted_answer_id == fresh.official_answer_id == answers[0].id
    assert stored_reputation(session, helper) == 15 + 25
    assert_ledger_balances(session)

    view = thread_view.thread_view(session, thread.id)
    assert view.accepted.id == view.official.id == answers[0].id
    assert [a.id for a in view.answers.items] == [answers[1].id] and view.answers.total == 1


def test_a_thread_can_be_solved_by_one_answer_and_have_another_official(session, thread, member, answers,
                                                                        helper, other, moderator):
    solutions.accept(session, member, answer_id=answers[0].id)
    official.mark(session, moderator, answer_id=answers[1].id)
    fresh = reloaded(session, Thread, thread.id)
    assert (fresh.status, fresh.accepted_answer_id, fresh.official_answer_id) == (
        "solved", answers[0].id, answers[1].id)
    assert stored_reputation(session, helper) == 15 and stored_reputation(session, other) == 25
    assert_ledger_balances(session)

    third = posting.answer(session, member, thread_id=thread.id, body="Self answer: a new driver did it.")
    view = thread_view.thread_view(session, thread.id)
    assert (view.accepted.id, view.official.id) == (answers[0].id, answers[1].id)
    assert [a.id for a in view.answers.items] == [third.id] and view.answers.total == 1
    assert view.thread.official_by.id == moderator.id  # loaded with the thread, for "confirmed by"


def test_the_thread_view_shows_the_official_answer_apart_from_the_others(session, thread, answers, moderator):
    assert thread_view.thread_view(session, thread.id).official is None
    official.mark(session, moderator, answer_id=answers[1].id)
    session.expire_all()
    view = thread_view.thread_view(session, thread.id)
    assert view.official.id == answers[1].id and view.accepted is None
    assert [a.id for a in view.answers.items] == [answers[0].id]
    assert thread_view.answer_page(session, answers[1], per_page=1) == 1


# --- hiding and restoring the official answer -------------------------------------------------------


def test_hiding_the_official_answer_removes_the_mark_and_restore_puts_it_back(session, thread, answers, helper,
                                                                              moderator, admin):
    official.mark(session, admin, answer_id=answers[0].id, now=NOW)
    review.hide(session, moderator, post_id=answers[0].id, reason="incorrect")
    assert marks(session, thread) == (None, None, None)
    assert reloaded(session, Post, answers[0].id).hidden_official_by_id == admin.id
    assert events(session, helper) == [(25, "answer_official"), (-25, "official_removed")]
    assert_ledger_balances(session)

    review.restore(session, moderator, post_id=answers[0].id, now=LATER)
    assert marks(session, thread) == (answers[0].id, admin.id, LATER)  # marked by whoever marked it
    assert stored_reputation(session, helper) == 25
    assert reloaded(session, Post, answers[0].id).hidden_official_by_id is None
    assert_ledger_balances(session)


def test_restore_leaves_an_official_answer_marked_meanwhile(session, thread, answers, helper, other, moderator):
    official.mark(session, moderator, answer_id=answers[0].id)
    review.hide(session, moderator, post_id=answers[0].id, reason="incorrect")
    official.mark(session, moderator, answer_id=answers[1].id)
    review.restore(session, moderator, post_id=answers[0].id)
    assert marks(session, thread)[:2] == (answers[1].id, moderator.id)
    assert stored_reputation(session, helper) == 0 and stored_reputation(session, other) == 25
    assert_ledger_balances(session)


def test_hiding_an_answer_that_is_solution_and_official_takes_both_and_restore_gives_both(
        session, thread, member, answers, helper, moderator):
    solutions.accept(session, member, answer_id=answers[0].id)
    official.mark(session, moderator, answer_id=answers[0].id)
    review.hide(session, moderator, post_id=answers[0].id, reason="spam")
    fresh = reloaded(session, Thread, thread.id)
    assert (fresh.status, fresh.accepted_answer_id, fresh.official_answer_id) == ("open", None, None)
    assert stored_reputation(session, helper) == 0 and stored_reputation(session, member) == 0
    assert_ledger_balances(session)

    review.restore(session, moderator, post_id=answers[0].id)
    fresh = reloaded(session, Thread, thread.id)
    assert (fresh.status, fresh.accepted_by_id, fresh.official_by_id) == ("solved", member.id, moderator.id)
    assert stored_reputation(session, helper) == 40 and stored_reputation(session, member) == 2
    assert_ledger_balances(session)


def test_a_self_marked_answer_restored_still_earns_nothing(session, thread, moderator):
    own = posting.answer(session, moderator, thread_id=thread.id, body="Update the printer firmware first.")
    official.mark(session, moderator, answer_id=own.id)
    review.hide(session, moderator, post_id=own.id, reason="off_topic")
    review.restore(session, moderator, post_id=own.id)
    assert marks(session, thread)[:2] == (own.id, moderator.id)
    assert events(session, moderator) == []
    assert_ledger_balances(session)
