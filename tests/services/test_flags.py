"""Flags: the reasons, once per member per post, who may flag, the weight by rank, the automatic
hide when the open weight reaches the threshold, and what reviewing does to open flags."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Flag, Post, Thread, User
from app.services import flags, kudos, posting, ranks, review, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES, ReputationRules
from tests.services.test_review import (
    LATER,
    NOW,
    assert_ledger_balances,
    audit_rows,
    events,
    persona,
    question_of,
    reloaded,
    stored_reputation,
)

# Every flag weighs 1 and three of them hide: the default's threshold, whatever the default ranks.
ONE_EACH = ReputationRules(flag_hide_weight=3, flag_weights=(1,))


@pytest.fixture
def answer(session, thread, helper):
    return posting.answer(session, helper, thread_id=thread.id, body="Buy the premium cable from my shop.")


@pytest.fixture
def fan(make_user):
    return make_user(name="Friendly Fan")


@pytest.fixture
def flaggers(make_user):
    return [make_user(name=f"Flagger {i}") for i in range(4)]


def flag_rows(session, post: Post) -> list[Flag]:
    session.commit()
    return list(session.scalars(select(Flag).where(Flag.post_id == post.id).order_by(Flag.id)
                                .execution_options(populate_existing=True)))


def with_reputation(session, user: User, value: int) -> User:
    """A member whose rank comes from `value` (set directly: these tests do not check the ledger)."""
    user.reputation = value
    session.commit()
    return user


# --- the reason and the note -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "rude", "flagged", None])
def test_an_unknown_reason_is_refused(session, answer, flaggers, reason):
    with pytest.raises(InvalidInput) as caught:
        flags.raise_flag(session, flaggers[0], post_id=answer.id, reason=reason)
    assert list(caught.value.errors) == ["reason"]
    assert flag_rows(session, answer) == []


def test_the_reason_other_needs_a_note(session, answer, flaggers):
    for empty in (None, "", " \n "):
        with pytest.raises(InvalidInput) as caught:
            flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="other", note=empty)
        assert list(caught.value.errors) == ["note"]
    assert flag_rows(session, answer) == []
    flag = flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="other", note=" Same text on 5 sites. ",
                            now=NOW)
    assert (flag.reason, flag.note, flag.created_at, flag.resolved_at) == ("other", "Same text on 5 sites.", NOW, None)


def test_every_known_reason_can_be_used(session, thread, helper, make_user):
    for reason in flags.FLAG_REASONS:
        post = posting.answer(session, helper, thread_id=thread.id, body=f"An answer to flag for {reason}.")
        flag = flags.raise_flag(session, make_user(), post_id=post.id, reason=reason,
                                note="Why" if reason == "other" else None)
        assert flag.reason == reason


# --- once per member per post, and who may flag ---------------------------------------------------


def test_a_member_flags_a_post_once_and_a_second_flag_returns_the_first(session, answer, flaggers):
    first = flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam", rules=ONE_EACH)
    again = flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="abusive", rules=ONE_EACH)
    assert again.id == first.id and again.reason == "spam"
    assert [(f.flagger_id, f.reason) for f in flag_rows(session, answer)] == [(flaggers[0].id, "spam")]
    assert flags.open_weight(session, answer.id) == 1
    assert flags.flagged_by(session, flaggers[0], [answer.id, 987654]) == {answer.id}
    assert flags.flagged_by(session, flaggers[1], [answer.id]) == set()


def test_a_flag_once_resolved_is_not_raised_again_by_the_same_member(session, answer, flaggers, moderator):
    first = flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam")
    review.approve(session, moderator, post_id=answer.id)
    again = flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam")
    assert again.id == first.id and len(flag_rows(session, answer)) == 1
    assert flags.open_weight(session, answer.id) == 0


@pytest.mark.parametrize("who, message", [
    ("helper", "own post"), ("moderator", "Staff"), ("admin", "Staff"), ("suspended", "suspended"),
    ("visitor", "sign in"), ("nobody", "sign in"),
])
def test_own_posts_staff_suspended_members_and_visitors_cannot_flag(request, session, answer, who, message):
    with pytest.raises(Forbidden, match=message):
        flags.raise_flag(session, persona(request, who), post_id=answer.id, reason="spam")
    assert flag_rows(session, answer) == []


def test_flagging_an_unknown_or_hidden_post_is_not_found(session, thread, answer, flaggers, moderator, helper):
    with pytest.raises(NotFound):
        flags.raise_flag(session, flaggers[0], post_id=987654, reason="spam")
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    with pytest.raises(NotFound):
        flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam")
    with pytest.raises(Forbidden):  # the author sees their hidden post, but flags nothing of theirs
        flags.raise_flag(session, helper, post_id=answer.id, reason="spam")
    assert flag_rows(session, answer) == []


def test_posts_in_a_hidden_thread_cannot_be_flagged_by_others(session, thread, answer, flaggers, moderator):
    review.hide(session, moderator, post_id=question_of(session, thread).id, reason="off_topic")
    with pytest.raises(NotFound):
        flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam")
    assert flag_rows(session, answer) == []


def test_a_thread_hidden_by_another_request_refuses_flags(app, session, thread, answer, flaggers, moderator):
    """The flagging request may have loaded the thread before its question was hidden elsewhere."""
    stale = app.extensions["db_sessionmaker"]()
    try:
        # Still listed when this request read it; kept referenced, as a view would (the session
        # holds its rows only weakly).
        loaded = stale.get(Thread, thread.id)
        stale.commit()
        review.hide(session, moderator, post_id=question_of(session, thread).id, reason="off_topic")
        with pytest.raises(NotFound):
            flags.raise_flag(stale, flaggers[0], post_id=answer.id, reason="spam")
        del loaded
    finally:
        stale.close()
    assert flag_rows(session, answer) == []


# --- weight by rank ------------------------------------------------------------------------------


@pytest.mark.parametrize("reputation_value", [0, 49, 50, 200, 1000, 5000, 80000])
def test_a_flags_weight_comes_from_the_flaggers_rank(session, answer, flaggers, reputation_value):
    flagger = with_reputation(session, flaggers[0], reputation_value)
    rules = ReputationRules(flag_hide_weight=100)  # nothing hides: the weight alone is under test
    flag = flags.raise_flag(session, flagger, post_id=answer.id, reason="spam", rules=rules)
    expected = rules.flag_weight(ranks.rank_for(reputation_value, rules.ranks).level)
    assert flag.weight == expected == DEFAULT_RULES.flag_weights[ranks.rank_for(reputation_value).level]
    assert flags.open_weight(session, answer.id) == expected


def test_weights_and_ranks_come_from_the_rules(session, answer, flaggers):
    rules = ReputationRules(ranks=(("Rookie", 0), ("Pro", 10)), flag_weights=(2, 7), flag_hide_weight=100)
    rookie, pro = flaggers[0], with_reputation(session, flaggers[1], 10)
    assert flags.raise_flag(session, rookie, post_id=answer.id, reason="spam", rules=rules).weight == 2
    assert flags.raise_flag(session, pro, post_id=answer.id, reason="spam", rules=rules).weight == 7
    assert flags.open_weight(session, answer.id) == 9


# --- the automatic hide --------------------------------------------------------------------------


def test_flags_below_the_threshold_leave_the_post_live_with_open_flags(session, answer, flaggers, moderator):
    review.approve(session, moderator, post_id=answer.id)
    flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam", rules=ONE_EACH)
    flags.raise_flag(session, flaggers[1], post_id=answer.id, reason="off_topic", rules=ONE_EACH)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved"  # flagged but not hidden: still approved, with open flags
    assert [f.flagger_id for f in flags.open_flags(session, answer.id)] == [flaggers[0].id, flaggers[1].id]
    assert flags.open_weight(session, answer.id) == 2
    assert audit_rows(session, action="auto_hide") == []


def test_reaching_the_threshold_hides_the_post_at_once_pending_review(session, thread, answer, flaggers):
    for flagger, reason in zip(flaggers, ("spam", "competitor", "spam")):
        flags.raise_flag(session, flagger, post_id=answer.id, reason=reason, rules=ONE_EACH, now=NOW)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "hidden"
    assert (post.hidden_reason, post.hidden_by_id, post.hidden_at, post.hidden_note) == (
        review.FLAGGED, None, NOW, None)
    assert reloaded(session, Thread, thread.id).answer_count == 0
    [row] = audit_rows(session)
    assert (row.action, row.actor_id, row.post_id, row.thread_id, row.target_user_id, row.reason) == (
        "auto_hide", None, answer.id, thread.id, answer.author_id, review.FLAGGED)
    assert row.note == "Spam (2), Promotes a competitor (1)"
    # The flags stay open for the moderator's decision.
    assert len(flags.open_flags(session, answer.id)) == 3


def test_one_experts_flag_can_hide_on_its_own(session, answer, flaggers):
    expert = with_reputation(session, flaggers[0], 1000)
    assert ranks.rank_for(1000).name == "Expert" and DEFAULT_RULES.flag_weight(3) >= DEFAULT_RULES.flag_hide_weight
    flags.raise_flag(session, expert, post_id=answer.id, reason="abusive")
    assert reloaded(session, Post, answer.id).is_hidden
    assert [r.action for r in audit_rows(session)] == ["auto_hide"]


def test_a_helpers_flag_and_a_new_members_flag_reach_the_default_threshold(session, answer, flaggers):
    helper_rank = with_reputation(session, flaggers[0], 200)
    flags.raise_flag(session, helper_rank, post_id=answer.id, reason="spam")
    assert not reloaded(session, Post, answer.id).is_hidden  # 2 of 3
    flags.raise_flag(session, flaggers[1], post_id=answer.id, reason="spam")
    assert reloaded(session, Post, answer.id).is_hidden  # 2 + 1


def test_a_custom_threshold_and_weights_decide_when_the_post_hides(session, answer, flaggers):
    rules = ReputationRules(flag_hide_weight=5, flag_weights=(2,))
    for flagger in flaggers[:2]:
        flags.raise_flag(session, flagger, post_id=answer.id, reason="spam", rules=rules)
    assert not reloaded(session, Post, answer.id).is_hidden  # 4 of 5
    flags.raise_flag(session, flaggers[2], post_id=answer.id, reason="spam", rules=rules)
    assert reloaded(session, Post, answer.id).is_hidden


def test_the_automatic_hide_takes_the_solution_and_its_points_like_any_hide(session, thread, member, answer,
                                                                          helper, flaggers, moderator):
    solutions.accept(session, member, answer_id=answer.id)
    for flagger in flaggers[:3]:
        flags.raise_flag(session, flagger, post_id=answer.id, reason="incorrect", rules=ONE_EACH)
    fresh = reloaded(session, Thread, thread.id)
    assert (fresh.status, fresh.accepted_answer_id) == ("open", None)
    assert reloaded(session, Post, answer.id).hidden_accepted_by_id == member.id
    assert stored_reputation(session, helper) == 0 and stored_reputation(session, member) == 0
    assert_ledger_balances(session)

    review.restore(session, moderator, post_id=answer.id)
    assert reloaded(session, Thread, thread.id).accepted_by_id == member.id
    assert events(session, helper)[-1] == (15, "answer_accepted")
    assert_ledger_balances(session)


def test_flags_on_a_question_can_hide_the_whole_thread(session, thread, flaggers):
    question = question_of(session, thread)
    for flagger in flaggers[:3]:
        flags.raise_flag(session, flagger, post_id=question.id, reason="spam", rules=ONE_EACH)
    assert reloaded(session, Thread, thread.id).is_hidden
    with pytest.raises(NotFound):  # the fourth flagger can no longer see it
        flags.raise_flag(session, flaggers[3], post_id=question.id, reason="spam", rules=ONE_EACH)


# --- reviewing resolves the open flags ---------------------------------------------------------------


def _flag_twice(session, answer, flaggers):
    for flagger in flaggers[:2]:
        flags.raise_flag(session, flagger, post_id=answer.id, reason="spam", rules=ONE_EACH)


def test_approving_dismisses_the_open_flags(session, answer, flaggers, moderator):
    _flag_twice(session, answer, flaggers)
    review.approve(session, moderator, post_id=answer.id, now=LATER)
    assert {(f.outcome, f.resolved_by_id, f.resolved_at) for f in flag_rows(session, answer)} == {
        ("dismissed", moderator.id, LATER)}
    assert flags.open_flags(session, answer.id) == [] and flags.open_weight(session, answer.id) == 0


def test_after_a_dismissal_new_flags_count_from_zero(session, answer, flaggers, moderator):
    _flag_twice(session, answer, flaggers)
    review.approve(session, moderator, post_id=answer.id)
    flags.raise_flag(session, flaggers[2], post_id=answer.id, reason="spam", rules=ONE_EACH)
    assert not reloaded(session, Post, answer.id).is_hidden  # 1 open, not 3
    assert flags.open_weight(session, answer.id) == 1


def test_approve_many_dismisses_flags_on_an_approved_post(session, answer, flaggers, moderator):
    review.approve(session, moderator, post_id=answer.id)
    _flag_twice(session, answer, flaggers)
    assert review.approve_many(session, moderator, post_ids=[answer.id]) == 1
    assert {f.outcome for f in flag_rows(session, answer)} == {"dismissed"}


@pytest.mark.parametrize("move", ["hide", "request_edit"])
def test_hiding_or_asking_for_an_edit_upholds_the_open_flags(session, answer, flaggers, moderator, move):
    _flag_twice(session, answer, flaggers)
    if move == "hide":
        review.hide(session, moderator, post_id=answer.id, reason="spam", now=LATER)
    else:
        review.request_edit(session, moderator, post_id=answer.id, reason="Please remove the shop link.", now=LATER)
    assert {(f.outcome, f.resolved_by_id, f.resolved_at) for f in flag_rows(session, answer)} == {
        ("upheld", moderator.id, LATER)}


def test_a_moderator_confirms_an_automatic_hide_with_a_reason(session, answer, helper, flaggers, moderator, fan):
    kudos.give(session, fan, post_id=answer.id)
    for flagger in flaggers[:3]:
        flags.raise_flag(session, flagger, post_id=answer.id, reason="spam", rules=ONE_EACH, now=NOW)
    review.hide(session, moderator, post_id=answer.id, reason="competitor", now=LATER)
    post = reloaded(session, Post, answer.id)
    assert (post.hidden_reason, post.hidden_by_id, post.hidden_at) == ("competitor", moderator.id, NOW)
    assert {f.outcome for f in flag_rows(session, answer)} == {"upheld"}
    assert events(session, helper) == [(10, "kudos_received"), (-10, "post_hidden")]  # taken once only
    assert [r.action for r in audit_rows(session)] == ["auto_hide", "hide"]
    assert_ledger_balances(session)


def test_restoring_an_automatically_hidden_post_dismisses_the_flags(session, thread, answer, flaggers, moderator):
    for flagger in flaggers[:3]:
        flags.raise_flag(session, flagger, post_id=answer.id, reason="spam", rules=ONE_EACH)
    review.restore(session, moderator, post_id=answer.id)
    post = reloaded(session, Post, answer.id)
    assert post.review_state == "approved" and post.hidden_reason is None
    assert {f.outcome for f in flag_rows(session, answer)} == {"dismissed"}
    assert reloaded(session, Thread, thread.id).answer_count == 1
    assert [r.action for r in audit_rows(session)] == ["auto_hide", "restore"]


def test_flags_on_one_post_do_not_count_on_another(session, thread, answer, helper, flaggers):
    other = posting.answer(session, helper, thread_id=thread.id, body="Also try the other cable.")
    flags.raise_flag(session, flaggers[0], post_id=answer.id, reason="spam", rules=ONE_EACH)
    flags.raise_flag(session, flaggers[1], post_id=answer.id, reason="spam", rules=ONE_EACH)
    flags.raise_flag(session, flaggers[2], post_id=other.id, reason="spam", rules=ONE_EACH)
    assert not reloaded(session, Post, answer.id).is_hidden and not reloaded(session, Post, other.id).is_hidden
    session.commit()
    assert session.scalar(select(func.count(Flag.id))) == 3
