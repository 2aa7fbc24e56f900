"""Reviewing posts: the states (unreviewed, approved, hidden) and the moves between them, who may
make them, the audit row each move writes, what edits do to the state, and what hiding and
restoring do to the reputation ledger.

The small helpers at the top are shared with the other moderation test modules.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from app.models import Flag, ModerationAction, Post, ReputationEvent, Thread, User
from app.services import kudos, posting, reputation, review, solutions, thread_view
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_POINTS, DEFAULT_RULES, ReputationRules

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(hours=2)


# --- helpers (also used by test_flags, test_official and test_hidden_visibility) ------------------


def question_of(session, thread: Thread) -> Post:
    return session.scalar(select(Post).where(Post.thread_id == thread.id, Post.kind == "question"))


def reloaded(session, model, row_id: int):
    """The row as the database has it now (the test's session does not expire on commit)."""
    session.commit()
    return session.get(model, row_id, populate_existing=True)


def audit_rows(session, **where) -> list[ModerationAction]:
    session.commit()
    query = select(ModerationAction).filter_by(**where).order_by(ModerationAction.id)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def audit_count(session) -> int:
    session.commit()
    return session.scalar(select(func.count(ModerationAction.id)))


def events(session, user: User) -> list[tuple[int, str]]:
    """A member's ledger rows as (delta, reason), oldest first."""
    session.commit()
    return [tuple(r) for r in session.execute(select(ReputationEvent.delta, ReputationEvent.reason)
                                              .where(ReputationEvent.user_id == user.id)
                                              .order_by(ReputationEvent.id))]


def stored_reputation(session, user: User) -> int:
    session.commit()
    return session.scalar(select(User.reputation).where(User.id == user.id))


def assert_ledger_balances(session, rules: ReputationRules = DEFAULT_RULES) -> None:
    """Stored reputation == the ledger's sum == a recomputation from the posts as they are now."""
    session.commit()
    assert reputation.verify(session) == []
    stored = dict(session.execute(select(User.id, User.reputation)).all())
    expected = reputation.expected_from_state(session, rules)
    assert stored == {user_id: expected.get(user_id, 0) for user_id in stored}


def persona(request, who: str):
    """A persona fixture by name; "visitor" is a signed-out visitor, "nobody" no user at all."""
    if who in ("visitor", "nobody"):
        return AnonymousUserMixin() if who == "visitor" else None
    return request.getfixturevalue(who)


def review_state(session, post: Post) -> tuple:
    """Everything about a post's review a refused move must leave alone."""
    session.commit()
    return tuple(session.execute(
        select(Post.review_state, Post.reviewed_at, Post.reviewed_by_id, Post.views_at_review,
               Post.hidden_reason, Post.hidden_note, Post.hidden_by_id, Post.edit_request_reason,
               Post.edited_after_approval).where(Post.id == post.id)).one())


@pytest.fixture
def answer(session, thread, helper):
    return posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")


@pytest.fixture
def fan(make_user):
    return make_user(name="Friendly Fan")


# --- the states ----------------------------------------------------------------------------------


def test_a_members_new_post_is_unreviewed_and_not_a_staff_post(session, thread, answer):
    for post in (question_of(session, thread), reloaded(session, Post, answer.id)):
        assert post.review_state == "unreviewed" and not post.posted_as_staff
        assert post.reviewed_at is None and post.reviewed_by_id is None and post.views_at_review is None


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_a_staff_members_own_post_is_approved_and_posted_as_staff(session, thread, make_user, role):
    staff = make_user(role)
    post = reloaded(session, Post, posting.answer(session, staff, thread_id=thread.id,
                                                  body="Official tip: update the firmware.").id)
    assert post.review_state == "approved" and post.posted_as_staff
    assert post.reviewed_by_id == staff.id and post.reviewed_at is not None and post.views_at_review == 0
    assert audit_count(session) == 0  # nothing was reviewed by anyone


def test_approve_records_who_when_and_the_views_since_the_post_went_live(session, thread, helper, moderator):
    for _ in range(3):
        thread_view.record_view(session, thread.id)
    answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")
    for _ in range(4):
        thread_view.record_view(session, thread.id)

    review.approve(session, moderator, post_id=answer.id, now=NOW)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved"
    assert (post.reviewed_at, post.reviewed_by_id) == (NOW, moderator.id)
    assert post.views_at_review == 4  # the three views before the answer existed do not count


def test_the_first_review_sets_the_views_and_later_reviews_keep_them(session, thread, answer, moderator, admin):
    thread_view.record_view(session, thread.id)
    review.approve(session, moderator, post_id=answer.id, now=NOW)
    thread_view.record_view(session, thread.id)
    review.approve(session, admin, post_id=answer.id, now=LATER)
    post = reloaded(session, Post, answer.id)
    assert post.views_at_review == 1
    assert (post.reviewed_at, post.reviewed_by_id) == (LATER, admin.id)


@pytest.mark.parametrize("approved_first", [False, True], ids=["from-unreviewed", "from-approved"])
def test_hide_stores_the_reason_the_note_who_and_when(session, answer, moderator, approved_first):
    if approved_first:
        review.approve(session, moderator, post_id=answer.id)
    review.hide(session, moderator, post_id=answer.id, reason="incorrect", note="Unplugging voids the warranty.",
                now=NOW)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "hidden" and post.is_hidden
    assert (post.hidden_reason, post.hidden_note) == ("incorrect", "Unplugging voids the warranty.")
    assert (post.hidden_at, post.hidden_by_id) == (NOW, moderator.id)
    assert (post.reviewed_at, post.reviewed_by_id) == (NOW, moderator.id)


def test_hiding_with_the_reason_other_needs_a_note(session, answer, moderator):
    before = review_state(session, answer)
    for empty in (None, "", "   \n "):
        with pytest.raises(InvalidInput) as caught:
            review.hide(session, moderator, post_id=answer.id, reason="other", note=empty)
        assert list(caught.value.errors) == ["note"]
    assert review_state(session, answer) == before and audit_count(session) == 0

    review.hide(session, moderator, post_id=answer.id, reason="other", note="Copied from a paid manual.")
    post = reloaded(session, Post, answer.id)
    assert (post.hidden_reason, post.hidden_note) == ("other", "Copied from a paid manual.")


@pytest.mark.parametrize("reason", ["", "rude", "flagged", "SPAM"])
def test_an_unknown_hide_reason_is_refused(session, answer, moderator, reason):
    # "flagged" is the system's own reason for a post hidden by flags; staff cannot choose it.
    before = review_state(session, answer)
    with pytest.raises(InvalidInput) as caught:
        review.hide(session, moderator, post_id=answer.id, reason=reason)
    assert list(caught.value.errors) == ["reason"]
    assert review_state(session, answer) == before and audit_count(session) == 0


def test_every_listed_reason_hides_and_has_a_label(session, thread, helper, moderator):
    for reason, label in review.HIDE_REASONS.items():
        post = posting.answer(session, helper, thread_id=thread.id, body=f"An answer to hide for {reason}.")
        review.hide(session, moderator, post_id=post.id, reason=reason, note="Because." if reason == "other" else None)
        assert reloaded(session, Post, post.id).hidden_reason == reason
        assert review.reason_label(reason) == label
    assert "flag" in review.reason_label(review.FLAGGED).lower()


def test_restore_brings_a_hidden_post_back_approved_and_forgets_why_it_was_hidden(session, answer, moderator,
                                                                                     admin):
    review.hide(session, moderator, post_id=answer.id, reason="spam", now=NOW)
    review.restore(session, admin, post_id=answer.id, now=LATER)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved" and not post.edited_after_approval
    assert (post.hidden_reason, post.hidden_note, post.hidden_at, post.hidden_by_id) == (None, None, None, None)
    assert (post.hidden_accepted_by_id, post.hidden_official_by_id) == (None, None)
    assert (post.reviewed_at, post.reviewed_by_id) == (LATER, admin.id)


def test_approving_a_hidden_post_is_refused_restore_it_instead(session, answer, moderator):
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    before, logged = review_state(session, answer), audit_count(session)
    with pytest.raises(InvalidInput) as caught:
        review.approve(session, moderator, post_id=answer.id)
    assert "restore" in caught.value.message
    assert review_state(session, answer) == before and audit_count(session) == logged


def test_restoring_a_post_that_is_not_hidden_is_refused(session, answer, moderator):
    before = review_state(session, answer)
    with pytest.raises(InvalidInput):
        review.restore(session, moderator, post_id=answer.id)
    assert review_state(session, answer) == before and audit_count(session) == 0


def test_hiding_a_hidden_post_again_changes_the_reason_without_hiding_twice(session, fan, answer, helper,
                                                                             moderator, admin):
    kudos.give(session, fan, post_id=answer.id)
    review.hide(session, moderator, post_id=answer.id, reason="spam", now=NOW)
    review.hide(session, admin, post_id=answer.id, reason="other", note="Links to a paid tool.", now=LATER)
    post = reloaded(session, Post, answer.id)
    assert (post.hidden_reason, post.hidden_note, post.hidden_by_id) == ("other", "Links to a paid tool.", admin.id)
    assert post.hidden_at == NOW  # hidden since the first time
    assert events(session, helper) == [(10, "kudos_received"), (-10, "post_hidden")]  # taken once
    assert reloaded(session, Thread, post.thread_id).answer_count == 0
    assert [r.action for r in audit_rows(session)] == ["hide", "hide"]


def test_approve_many_skips_hidden_posts_and_counts_what_it_approved(session, thread, helper, fan, moderator):
    posts = [posting.answer(session, helper, thread_id=thread.id, body=f"Possible fix number {i}.")
             for i in range(5)]
    unreviewed_a, unreviewed_b, hidden, approved, approved_flagged = posts
    review.hide(session, moderator, post_id=hidden.id, reason="spam")
    review.approve(session, moderator, post_id=approved.id)
    review.approve(session, moderator, post_id=approved_flagged.id)
    session.add(Flag(post_id=approved_flagged.id, flagger_id=fan.id, reason="spam", weight=1, created_at=NOW))
    session.commit()
    logged = audit_count(session)

    ids = [p.id for p in posts] + [unreviewed_a.id, 987654]  # a repeat and an unknown id are harmless
    assert review.approve_many(session, moderator, post_ids=ids, now=LATER) == 3
    states = {p.id: reloaded(session, Post, p.id) for p in posts}
    assert states[hidden.id].review_state == "hidden"
    for post in (unreviewed_a, unreviewed_b, approved_flagged):
        assert states[post.id].review_state == "approved" and states[post.id].reviewed_at == LATER
    assert states[approved.id].reviewed_at != LATER  # already approved and unflagged: left alone
    approvals = audit_rows(session)[logged:]
    assert sorted(r.post_id for r in approvals) == sorted([unreviewed_a.id, unreviewed_b.id, approved_flagged.id])
    assert {(r.action, r.actor_id) for r in approvals} == {("approve", moderator.id)}
    assert review.approve_many(session, moderator, post_ids=[]) == 0


# --- who may review, and the audit log -------------------------------------------------------------


def _approve(session, actor, post):
    review.approve(session, actor, post_id=post.id)


def _approve_many(session, actor, post):
    review.approve_many(session, actor, post_ids=[post.id])


def _hide(session, actor, post):
    review.hide(session, actor, post_id=post.id, reason="spam")


def _restore(session, actor, post):
    review.restore(session, actor, post_id=post.id)


def _request_edit(session, actor, post):
    review.request_edit(session, actor, post_id=post.id, reason="Please name the printer model.")


REVIEW_MOVES = {"approve": _approve, "approve_many": _approve_many, "hide": _hide, "restore": _restore,
                "request_edit": _request_edit}


@pytest.mark.parametrize("who", ["member", "helper", "suspended", "visitor", "nobody"])
@pytest.mark.parametrize("move", sorted(REVIEW_MOVES))
def test_only_staff_review_and_a_refused_move_changes_nothing(request, session, answer, moderator, who, move):
    actor = persona(request, who)
    if move == "restore":
        review.hide(session, moderator, post_id=answer.id, reason="spam")
    before, logged = review_state(session, answer), audit_count(session)
    with pytest.raises(Forbidden):
        REVIEW_MOVES[move](session, actor, answer)
    assert review_state(session, answer) == before and audit_count(session) == logged


@pytest.mark.parametrize("move", ["approve", "hide", "restore", "request_edit"])
def test_reviewing_an_unknown_post_is_not_found(session, moderator, move):
    with pytest.raises(NotFound):
        REVIEW_MOVES[move](session, moderator, Post(id=987654))
    assert audit_count(session) == 0


def test_every_move_writes_exactly_one_audit_row_naming_actor_post_and_reason(session, thread, answer, helper,
                                                                               moderator, admin):
    def one_new_row(move) -> ModerationAction:
        logged = audit_count(session)
        move()
        rows = audit_rows(session)
        assert len(rows) == logged + 1
        return rows[-1]

    row = one_new_row(lambda: review.approve(session, moderator, post_id=answer.id, now=NOW))
    assert (row.action, row.actor_id, row.post_id, row.thread_id, row.target_user_id, row.created_at) == (
        "approve", moderator.id, answer.id, thread.id, helper.id, NOW)

    row = one_new_row(lambda: review.request_edit(session, admin, post_id=answer.id,
                                                  reason="Please say which spooler service."))
    assert (row.action, row.actor_id, row.post_id, row.note) == (
        "request_edit", admin.id, answer.id, "Please say which spooler service.")

    row = one_new_row(lambda: review.hide(session, moderator, post_id=answer.id, reason="other",
                                          note="Advice for another brand."))
    assert (row.action, row.actor_id, row.post_id, row.target_user_id, row.reason, row.note) == (
        "hide", moderator.id, answer.id, helper.id, "other", "Advice for another brand.")

    row = one_new_row(lambda: review.restore(session, admin, post_id=answer.id))
    assert (row.action, row.actor_id, row.post_id, row.reason) == ("restore", admin.id, answer.id, None)

    assert review.approve_many(session, moderator, post_ids=[question_of(session, thread).id]) == 1
    assert audit_rows(session)[-1].action == "approve" and audit_count(session) == 5


# --- edits -------------------------------------------------------------------------------------------


def _edit(session, editor, post, body, reason=None):
    return posting.edit(session, editor, post_id=post.id, body=body, reason=reason)


def test_the_authors_edit_of_an_approved_post_sends_it_back_to_review(session, answer, helper, moderator):
    review.approve(session, moderator, post_id=answer.id)
    _edit(session, helper, answer, "Restart the print spooler service, then the printer.")
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "unreviewed" and post.edited_after_approval

    review.approve(session, moderator, post_id=answer.id)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved" and not post.edited_after_approval


def test_the_authors_edit_of_an_unreviewed_post_keeps_it_unreviewed(session, answer, helper):
    _edit(session, helper, answer, "Restart the print spooler service, then the printer.")
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "unreviewed" and not post.edited_after_approval


def test_an_unchanged_save_does_not_send_an_approved_post_back(session, answer, helper, moderator):
    review.approve(session, moderator, post_id=answer.id)
    _edit(session, helper, answer, answer.body_source)
    assert reloaded(session, Post, answer.id).review_state == "approved"


def test_a_staff_members_edit_of_their_own_post_keeps_it_approved_and_unlogged(session, thread, moderator):
    own = posting.answer(session, moderator, thread_id=thread.id, body="Update the printer firmware first.")
    _edit(session, moderator, own, "Update the printer firmware first, then the driver.")
    post = reloaded(session, Post, own.id)
    assert post.review_state == "approved" and not post.edited_after_approval
    assert audit_count(session) == 0


def test_request_edit_keeps_the_post_live_and_records_the_request(session, thread, answer, moderator, fan):
    review.approve(session, moderator, post_id=answer.id)
    review.request_edit(session, moderator, post_id=answer.id, reason="  Please add   which Windows version. ",
                        now=NOW)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved"
    assert post.edit_request_reason == "Please add   which Windows version."
    assert (post.edit_requested_at, post.edit_requested_by_id) == (NOW, moderator.id)
    assert answer.id in [p.id for p in thread_view.thread_view(session, thread.id, viewer=fan).answers.items]


def test_request_edit_needs_a_reason_and_a_visible_post(session, answer, moderator):
    with pytest.raises(InvalidInput) as caught:
        review.request_edit(session, moderator, post_id=answer.id, reason=" fix ")
    assert list(caught.value.errors) == ["reason"]
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    with pytest.raises(InvalidInput):
        review.request_edit(session, moderator, post_id=answer.id, reason="Please add the model number.")
    assert reloaded(session, Post, answer.id).edit_request_reason is None
    assert [r.action for r in audit_rows(session)] == ["hide"]


@pytest.mark.parametrize("approved_first", [True, False], ids=["approved", "unreviewed"])
def test_the_authors_edit_after_a_request_clears_it_and_puts_the_post_back_in_review(session, answer, helper,
                                                                                      moderator, approved_first):
    if approved_first:
        review.approve(session, moderator, post_id=answer.id)
    review.request_edit(session, moderator, post_id=answer.id, reason="Please add the model number.")
    _edit(session, helper, answer, "Restart the print spooler service (tested on a LaserJet 400).")
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "unreviewed"
    assert (post.edit_request_reason, post.edit_requested_at, post.edit_requested_by_id) == (None, None, None)


def test_a_moderators_edit_of_someone_elses_post_is_logged_with_both_texts(session, thread, answer, helper,
                                                                           moderator):
    review.approve(session, moderator, post_id=answer.id)
    logged = audit_count(session)
    _edit(session, moderator, answer, "Restart the print spooler service (services.msc).", reason="Add where")
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved" and not post.edited_after_approval  # staff's edit needs no review
    rows = audit_rows(session)
    assert len(rows) == logged + 1
    row = rows[-1]
    assert (row.action, row.actor_id, row.post_id, row.thread_id, row.target_user_id, row.note) == (
        "edit", moderator.id, answer.id, thread.id, helper.id, "Add where")
    assert row.before_text == "Restart the print spooler service."
    assert row.after_text == "Restart the print spooler service (services.msc)."


def test_a_moderators_edit_of_a_question_logs_the_title_with_the_text(session, thread, admin):
    question = question_of(session, thread)
    posting.edit(session, admin, post_id=question.id, title="Printer shows offline after Windows update",
                 body=question.body_source)
    row = audit_rows(session, action="edit")[0]
    assert row.before_text == f"Printer shows offline after update\n\n{question.body_source}"
    assert row.after_text == f"Printer shows offline after Windows update\n\n{question.body_source}"


def test_the_authors_edit_of_a_hidden_post_keeps_it_hidden_for_staff_to_look_again(session, answer, helper,
                                                                                    moderator):
    review.hide(session, moderator, post_id=answer.id, reason="incorrect", now=NOW)
    _edit(session, helper, answer, "Restart the print spooler service; do not unplug it while printing.")
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "hidden" and post.hidden_reason == "incorrect"
    assert post.edited_at > post.hidden_at  # what puts it in front of staff again
    assert [r.action for r in audit_rows(session)] == ["hide"]


# --- hiding, restoring and the reputation ledger ---------------------------------------------------


def test_hiding_an_answer_takes_back_exactly_what_its_kudos_earned_and_restore_gives_it_back(
        session, thread, answer, helper, moderator, make_user):
    then = ReputationRules(points={**DEFAULT_POINTS, "kudos_answer": 7})
    kudos.give(session, make_user(), post_id=answer.id, rules=then)  # +7 under older point values
    kudos.give(session, make_user(), post_id=answer.id)  # +10

    review.hide(session, moderator, post_id=answer.id, reason="spam")
    assert events(session, helper)[-1] == (-17, "post_hidden")
    assert stored_reputation(session, helper) == 0
    assert reloaded(session, Post, answer.id).kudos_count == 2  # the kudos stay, they just earn nothing
    assert_ledger_balances(session)

    review.restore(session, moderator, post_id=answer.id)
    assert events(session, helper)[-1] == (17, "post_restored")
    assert stored_reputation(session, helper) == 17
    assert reputation.verify(session) == []  # (a recomputation would count today's 10 for the first kudos)


def test_hiding_a_question_takes_back_its_kudos_and_leaves_the_solution_alone(session, thread, member, answer,
                                                                              helper, fan, moderator):
    kudos.give(session, fan, post_id=question_of(session, thread).id)
    solutions.accept(session, member, answer_id=answer.id)
    review.hide(session, moderator, post_id=question_of(session, thread).id, reason="off_topic")
    assert events(session, member) == [(5, "kudos_received"), (2, "accepted_solution"), (-5, "post_hidden")]
    assert stored_reputation(session, helper) == 15
    assert reloaded(session, Thread, thread.id).accepted_answer_id == answer.id
    assert_ledger_balances(session)
    review.restore(session, moderator, post_id=question_of(session, thread).id)
    assert stored_reputation(session, member) == 7
    assert_ledger_balances(session)


def test_hiding_a_comment_moves_no_reputation(session, answer, member, moderator):
    comment = posting.comment(session, member, post_id=answer.id, body="Did not help here, sadly.")
    review.hide(session, moderator, post_id=comment.id, reason="abusive")
    review.restore(session, moderator, post_id=comment.id)
    session.commit()
    assert session.scalar(select(func.count(ReputationEvent.id))) == 0


def test_hiding_the_accepted_answer_unsolves_the_thread_and_restore_solves_it_again(session, thread, member,
                                                                                   answer, helper, moderator):
    solutions.accept(session, member, answer_id=answer.id, now=NOW)
    review.hide(session, moderator, post_id=answer.id, reason="incorrect")
    hidden_thread = reloaded(session, Thread, thread.id)
    assert hidden_thread.status == "open"
    assert (hidden_thread.accepted_answer_id, hidden_thread.accepted_by_id) == (None, None)
    assert reloaded(session, Post, answer.id).hidden_accepted_by_id == member.id
    assert events(session, helper) == [(15, "answer_accepted"), (-15, "answer_unaccepted")]
    assert events(session, member) == [(2, "accepted_solution"), (-2, "solution_withdrawn")]
    assert_ledger_balances(session)

    review.restore(session, moderator, post_id=answer.id)
    solved = reloaded(session, Thread, thread.id)
    assert solved.status == "solved"
    assert (solved.accepted_answer_id, solved.accepted_by_id) == (answer.id, member.id)  # the asker's choice
    assert stored_reputation(session, helper) == 15 and stored_reputation(session, member) == 2
    assert reloaded(session, Post, answer.id).hidden_accepted_by_id is None
    assert_ledger_balances(session)


def test_restore_gives_the_asker_nothing_for_a_solution_a_moderator_chose(session, thread, member, answer,
                                                                          helper, moderator):
    solutions.accept(session, moderator, answer_id=answer.id)
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    review.restore(session, moderator, post_id=answer.id)
    solved = reloaded(session, Thread, thread.id)
    assert (solved.accepted_answer_id, solved.accepted_by_id) == (answer.id, moderator.id)
    assert stored_reputation(session, helper) == 15 and events(session, member) == []
    assert_ledger_balances(session)


def test_restore_leaves_a_solution_the_asker_chose_meanwhile(session, thread, member, answer, helper, moderator,
                                                             make_user):
    other = posting.answer(session, make_user(), thread_id=thread.id, body="Use a TCP/IP port instead.")
    solutions.accept(session, member, answer_id=answer.id)
    review.hide(session, moderator, post_id=answer.id, reason="incorrect")
    solutions.accept(session, member, answer_id=other.id)
    review.restore(session, moderator, post_id=answer.id)

    solved = reloaded(session, Thread, thread.id)
    assert (solved.accepted_answer_id, solved.accepted_by_id) == (other.id, member.id)
    assert reloaded(session, Post, answer.id).hidden_accepted_by_id is None  # the old mark is forgotten
    assert stored_reputation(session, helper) == 0 and stored_reputation(session, member) == 2
    assert_ledger_balances(session)


def test_hide_and_restore_again_and_again_keep_the_ledger_balanced(session, thread, member, answer, helper, fan,
                                                                   moderator):
    kudos.give(session, fan, post_id=answer.id)
    solutions.accept(session, member, answer_id=answer.id)
    for _ in range(3):
        review.hide(session, moderator, post_id=answer.id, reason="spam")
        assert stored_reputation(session, helper) == 0 and stored_reputation(session, member) == 0
        assert_ledger_balances(session)
        review.restore(session, moderator, post_id=answer.id)
        assert stored_reputation(session, helper) == 25 and stored_reputation(session, member) == 2
        assert_ledger_balances(session)
    kudos.take_back(session, fan, post_id=answer.id)
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    # Only the solution is left to take: its own reversal does it, and hiding has nothing more to take.
    assert events(session, helper)[-2:] == [(-10, "kudos_withdrawn"), (-15, "answer_unaccepted")]
    assert stored_reputation(session, helper) == 0
    assert_ledger_balances(session)


def test_answer_count_follows_hiding_and_restoring_answers_only(session, thread, answer, member, moderator):
    comment = posting.comment(session, member, post_id=answer.id, body="Which service exactly?")
    assert reloaded(session, Thread, thread.id).answer_count == 1
    review.hide(session, moderator, post_id=comment.id, reason="spam")
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    assert reloaded(session, Thread, thread.id).answer_count == 0
    review.restore(session, moderator, post_id=answer.id)
    assert reloaded(session, Thread, thread.id).answer_count == 1
