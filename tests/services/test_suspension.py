"""Suspending members and lifting it: who may, the period and reason rules, the log, hidden posts."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.models import ModerationAction, Post, User
from app.services import kudos, policies, posting, review, suspension
from app.services.errors import Forbidden, InvalidInput, NotFound

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=timezone.utc)
REASON = "Posted the same advert in five boards."


def _user(session, user_id: int) -> User:
    session.rollback()
    session.expire_all()
    return session.get(User, user_id)


def _log(session, action: str) -> list[ModerationAction]:
    session.rollback()
    return list(session.scalars(select(ModerationAction).where(ModerationAction.action == action)
                                .order_by(ModerationAction.id)))


def test_suspend_sets_the_period_and_reason_and_logs_it(session, moderator, helper):
    suspension.suspend(session, moderator, user_id=helper.id, days=7, reason=f"  {REASON}\r\n", now=NOW)

    user = _user(session, helper.id)
    assert user.suspended_until == NOW + timedelta(days=7) and user.suspension_reason == REASON
    [entry] = _log(session, "suspend")
    assert (entry.actor_id, entry.target_user_id) == (moderator.id, helper.id)
    assert entry.note == f"{REASON} (until 2025-03-21 09:30 UTC)"


def test_a_suspended_member_can_read_but_not_post_or_give_kudos(session, moderator, helper, thread):
    suspension.suspend(session, moderator, user_id=helper.id, days=1, reason=REASON)

    user = _user(session, helper.id)
    assert policies.is_suspended(user) and not policies.can_post(user)
    with pytest.raises(Forbidden):
        posting.answer(session, user, thread_id=thread.id, body="Restart the print spooler.")
    question = session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))
    with pytest.raises(Forbidden):
        kudos.give(session, user, post_id=question)


def test_suspending_again_replaces_the_period(session, admin, helper):
    suspension.suspend(session, admin, user_id=helper.id, days=30, reason=REASON, now=NOW)
    suspension.suspend(session, admin, user_id=helper.id, days=3, reason="Shorter after an apology.",
                       now=NOW + timedelta(days=1))

    user = _user(session, helper.id)
    assert user.suspended_until == NOW + timedelta(days=4)
    assert user.suspension_reason == "Shorter after an apology."
    assert len(_log(session, "suspend")) == 2


@pytest.mark.parametrize("days", [1, 3650])
def test_periods_from_one_day_to_ten_years(session, moderator, helper, days):
    suspension.suspend(session, moderator, user_id=helper.id, days=days, reason=REASON, now=NOW)

    assert _user(session, helper.id).suspended_until == NOW + timedelta(days=days)


@pytest.mark.parametrize("days", [0, -1, 3651, 10**20, "7", 1.5, True, None])
def test_other_periods_are_refused(session, moderator, helper, days):
    with pytest.raises(InvalidInput) as error:
        suspension.suspend(session, moderator, user_id=helper.id, days=days, reason=REASON)

    assert list(error.value.errors) == ["days"]
    assert _user(session, helper.id).suspended_until is None and _log(session, "suspend") == []


@pytest.mark.parametrize("reason", [None, "", "    ", "Spam", "\x00\x01Spam\x7f", "x" * 1001])
def test_a_reason_of_five_to_a_thousand_characters_is_needed(session, moderator, helper, reason):
    with pytest.raises(InvalidInput) as error:
        suspension.suspend(session, moderator, user_id=helper.id, days=7, reason=reason)

    assert list(error.value.errors) == ["reason"]
    assert _user(session, helper.id).suspended_until is None


def test_a_reason_of_exactly_a_thousand_characters_is_fine(session, moderator, helper):
    suspension.suspend(session, moderator, user_id=helper.id, days=7, reason="y" * 1000)

    assert _user(session, helper.id).suspension_reason == "y" * 1000


def test_both_problems_are_reported_together(session, moderator, helper):
    with pytest.raises(InvalidInput) as error:
        suspension.suspend(session, moderator, user_id=helper.id, days=0, reason="")

    assert set(error.value.errors) == {"days", "reason"}


@pytest.mark.parametrize("who", ["member", "helper", "suspended"])
def test_only_staff_suspend_or_lift(request, session, make_user, who):
    actor = request.getfixturevalue(who)
    target = make_user(name="Target Tom", suspended=True)
    until = target.suspended_until

    with pytest.raises(Forbidden):
        suspension.suspend(session, actor, user_id=target.id, days=365, reason=REASON)
    with pytest.raises(Forbidden):
        suspension.unsuspend(session, actor, user_id=target.id)

    assert _user(session, target.id).suspended_until == until and _log(session, "suspend") == []


def test_nobody_suspends_themselves(session, moderator):
    with pytest.raises(Forbidden, match="yourself"):
        suspension.suspend(session, moderator, user_id=moderator.id, days=7, reason=REASON)


@pytest.mark.parametrize(("actor_role", "target_role"), [("moderator", "moderator"), ("moderator", "admin"),
                                                         ("admin", "moderator"), ("admin", "admin")])
def test_staff_cannot_be_suspended(session, make_user, actor_role, target_role):
    actor, target = make_user(actor_role), make_user(target_role)

    with pytest.raises(Forbidden, match="demote them first"):
        suspension.suspend(session, actor, user_id=target.id, days=7, reason=REASON)

    assert _user(session, target.id).suspended_until is None


def test_suspending_a_missing_member_is_not_found(session, moderator):
    with pytest.raises(NotFound):
        suspension.suspend(session, moderator, user_id=4711, days=7, reason=REASON)


def test_unsuspend_clears_and_logs(session, moderator, suspended):
    suspension.unsuspend(session, moderator, user_id=suspended.id)

    user = _user(session, suspended.id)
    assert user.suspended_until is None and user.suspension_reason is None and policies.can_post(user)
    [entry] = _log(session, "unsuspend")
    assert (entry.actor_id, entry.target_user_id) == (moderator.id, suspended.id)


def test_unsuspending_someone_not_suspended_is_not_logged(session, moderator, helper, make_user):
    expired = make_user(name="Expired Eve")
    suspension.suspend(session, moderator, user_id=expired.id, days=1, reason=REASON, now=NOW)

    suspension.unsuspend(session, moderator, user_id=helper.id)
    suspension.unsuspend(session, moderator, user_id=expired.id, now=NOW + timedelta(days=2))

    assert _log(session, "unsuspend") == []
    assert _user(session, expired.id).suspended_until is None  # the old period is cleared all the same


def test_hidden_posts_are_the_members_own_most_recently_hidden_first(session, moderator, helper, member, thread):
    first = posting.answer(session, helper, thread_id=thread.id, body="Buy a new printer from my shop.")
    second = posting.answer(session, helper, thread_id=thread.id, body="Visit my shop for printer deals.")
    posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")
    others = posting.answer(session, member, thread_id=thread.id, body="Never mind, it works again now.")
    review.hide(session, moderator, post_id=first.id, reason="spam", now=NOW)
    review.hide(session, moderator, post_id=second.id, reason="competitor", now=NOW + timedelta(hours=1))
    review.hide(session, moderator, post_id=others.id, reason="off_topic")

    rows = suspension.hidden_posts(session, helper.id)

    assert [(post.id, post.hidden_reason, t.id) for post, t in rows] == [
        (second.id, "competitor", thread.id), (first.id, "spam", thread.id)]
    assert [post.id for post, _ in suspension.hidden_posts(session, helper.id, limit=1)] == [second.id]
    assert suspension.hidden_posts(session, moderator.id) == []
