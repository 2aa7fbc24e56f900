"""Notifications per event: the right kind for the right people, never the actor, nothing about
hidden posts, one per member per event; following; the unread count and marking read."""
from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.db import transaction
from app.models import Follow, Notification, OutgoingMail, Post, Thread, User
from app.services import follows, kudos, me_too, notifications, official, posting, reputation, review, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound


def _got(session, user: User, *, achievements: bool = False) -> list[tuple[str, int | None]]:
    """(kind, post id) of the member's notifications, oldest first (badges and ranks only if asked:
    asking and answering earn the first badges)."""
    session.commit()
    rows = session.execute(select(Notification.kind, Notification.post_id)
                           .where(Notification.user_id == user.id).order_by(Notification.id))
    return [tuple(r) for r in rows if achievements or r.kind not in ("badge", "rank")]


def _kinds(session, user: User) -> list[str]:
    return [kind for kind, _post in _got(session, user)]


def _question(session, thread: Thread) -> Post:
    return session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()


def _answer(session, thread, author, body="Restart the spooler, then add the printer again.") -> Post:
    return posting.answer(session, author, thread_id=thread.id, body=body)


def test_answer_notifies_the_asker_and_followers_not_the_answerer(session, thread, member, helper, make_user):
    follower = make_user(name="Follower Fay")
    follows.follow(session, follower, thread_id=thread.id)
    answer = _answer(session, thread, helper)
    assert _got(session, member) == [("answer", answer.id)]
    assert _got(session, follower) == [("answer", answer.id)]
    assert "answer" not in _kinds(session, helper)


def test_asking_and_answering_follow_the_thread(session, thread, member, helper, make_user):
    _answer(session, thread, helper)
    assert follows.is_following(session, member, thread_id=thread.id)
    assert follows.is_following(session, helper, thread_id=thread.id)
    # The answerer now hears of the next answer, by someone else.
    third = make_user(name="Third Tom")
    second = _answer(session, thread, third, body="Also check the firewall settings please.")
    assert ("answer", second.id) in _got(session, helper)


def test_comment_notifies_the_answer_author_and_the_asker_once_each(session, thread, member, helper, make_user):
    answer = _answer(session, thread, helper)
    commenter = make_user(name="Commenter Carl")
    comment = posting.comment(session, commenter, post_id=answer.id, body="Did this work for you?")
    assert _got(session, helper).count(("comment", comment.id)) == 1
    assert _got(session, member).count(("comment", comment.id)) == 1
    assert "comment" not in _kinds(session, commenter)


def test_asker_commenting_on_own_question_is_not_told(session, thread, member):
    posting.comment(session, member, post_id=_question(session, thread).id, body="Any ideas, anyone?")
    assert _kinds(session, member) == []


def test_mention_by_display_name_with_spaces(session, thread, member, helper, make_user):
    mentioned = make_user(name="Printer Pro")
    answer = _answer(session, thread, helper, body="I think @printer pro knows this one; also @Nobody Here.")
    assert _got(session, mentioned) == [("mention", answer.id)]


def test_mention_and_answer_in_one_event_gives_one_notification(session, thread, member, helper):
    answer = _answer(session, thread, helper, body="@Asker Anna, restart the spooler and try again.")
    assert _got(session, member) == [("answer", answer.id)]


def test_a_mention_added_by_an_edit_is_told_once(session, thread, helper, make_user):
    named, already = make_user(name="Printer Pro"), make_user(name="Old Friend")
    answer = _answer(session, thread, helper, body="Restart the spooler, @Old Friend knows why.")
    assert _got(session, already) == [("mention", answer.id)]
    posting.edit(session, helper, post_id=answer.id, body="Restart the spooler; @Old Friend and @Printer Pro know why.")
    assert _got(session, named) == [("mention", answer.id)]
    assert _got(session, already) == [("mention", answer.id)]  # named before the edit: not news
    posting.edit(session, helper, post_id=answer.id, body="Restart the spooler.")
    posting.edit(session, helper, post_id=answer.id, body="Restart the spooler, says @Printer Pro.")
    assert _got(session, named) == [("mention", answer.id)]  # taken out and put back: still once


def test_mentioning_yourself_and_emails_are_not_mentions(session, thread, helper, make_user):
    make_user(name="example")
    _answer(session, thread, helper, body="Mail me at someone@example.com or ask @Helpful Hans again.")
    assert "mention" not in _kinds(session, helper)
    assert notifications.mentioned(session, "write to someone@example.com") == []


def test_accepting_notifies_the_answerer_and_me_too_members(session, thread, member, helper, make_user):
    same_problem = make_user(name="Same Sam")
    me_too.add(session, same_problem, thread_id=thread.id)
    answer = _answer(session, thread, helper)
    solutions.accept(session, member, answer_id=answer.id)
    assert ("accepted", answer.id) in _got(session, helper)
    assert ("solved", answer.id) in _got(session, same_problem)
    assert "accepted" not in _kinds(session, member)


def test_accepting_your_own_answer_tells_nobody_accepted(session, thread, member):
    own = _answer(session, thread, member, body="Solved it myself: new driver from the website.")
    solutions.accept(session, member, answer_id=own.id)
    assert "accepted" not in _kinds(session, member)


def test_official_and_kudos_notify_the_author(session, thread, member, helper, moderator):
    answer = _answer(session, thread, helper)
    official.mark(session, moderator, answer_id=answer.id)
    kudos.give(session, member, post_id=answer.id)
    assert ("official", answer.id) in _got(session, helper)
    assert ("kudos", answer.id) in _got(session, helper)


def test_moderation_notifies_the_author_with_the_reason(session, thread, helper, moderator):
    answer = _answer(session, thread, helper)
    review.request_edit(session, moderator, post_id=answer.id, reason="Please add your printer model.")
    review.hide(session, moderator, post_id=answer.id, reason="off_topic")
    review.restore(session, moderator, post_id=answer.id)
    session.commit()
    rows = session.execute(select(Notification.kind, Notification.detail).where(
        Notification.user_id == helper.id, Notification.kind.in_(["edit_requested", "post_hidden", "post_restored"]))
        .order_by(Notification.id)).all()
    assert [tuple(r) for r in rows] == [("edit_requested", "Please add your printer model."),
                                        ("post_hidden", "Off-topic"), ("post_restored", None)]
    # The page shows the hidden-then-restored post's notifications; the count counts them.
    assert notifications.unread_count(session, helper.id) == len(_got(session, helper, achievements=True))


def test_nothing_about_a_hidden_post(session, thread, member, helper, moderator, make_user):
    answer = _answer(session, thread, helper)
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    assert notifications.unread_count(session, member.id) == 1  # only the "Curious" badge
    kinds = [item.notification.kind for item in notifications.page(session, member.id).items]
    assert kinds == ["badge"]
    commenter = make_user(name="Late Lisa")
    with pytest.raises(NotFound):  # nobody but staff and the author can even comment on it
        posting.comment(session, commenter, post_id=answer.id, body="Thanks a lot!")


def test_badge_and_rank(session, thread, helper):
    answer = _answer(session, thread, helper)
    assert ("badge", None) in _got(session, helper, achievements=True)  # "First answer"
    session.commit()
    with transaction(session):
        reputation.lock_members(session, helper.id)
        reputation.record(session, user_id=helper.id, delta=60, reason="kudos_received", post_id=answer.id)
    session.commit()
    details = session.scalars(select(Notification.detail).where(Notification.user_id == helper.id,
                                                                Notification.kind == "rank")).all()
    assert details == ["Contributor"]


def test_new_question_in_followed_board(session, board, member, helper):
    follows.follow(session, helper, board_id=board.id)
    thread = posting.ask(session, member, board_id=board.id, title="Scanner makes stripes on every page",
                         body="Every scan has grey vertical stripes since Monday.")
    assert ("new_question", _question(session, thread).id) in _got(session, helper)
    follows.unfollow(session, helper, board_id=board.id)
    posting.ask(session, member, board_id=board.id, title="Toner light blinks after refill",
                body="The toner light keeps blinking after I refilled it.")
    assert _kinds(session, helper).count("new_question") == 1


def test_follow_is_idempotent_and_checked(session, thread, board, helper):
    follows.follow(session, helper, thread_id=thread.id)
    follows.follow(session, helper, thread_id=thread.id)
    session.commit()
    assert session.query(Follow).filter_by(user_id=helper.id, thread_id=thread.id).count() == 1
    follows.unfollow(session, helper, thread_id=thread.id)
    follows.unfollow(session, helper, thread_id=thread.id)
    assert not follows.is_following(session, helper, thread_id=thread.id)
    with pytest.raises(NotFound):
        follows.follow(session, helper, thread_id=987654)
    with pytest.raises(NotFound):
        follows.follow(session, helper, board_id=None)
    with pytest.raises(Forbidden):
        follows.follow(session, AnonymousUserMixin(), board_id=board.id)


def test_mail_follows_the_member_setting(session, thread, member, helper, make_user):
    daily, off = make_user(name="Daily Dora"), make_user(name="Off Otto")
    notifications.set_email_setting(session, daily, "daily")
    notifications.set_email_setting(session, off, "off")
    for user in (daily, off):
        follows.follow(session, user, thread_id=thread.id)
    _answer(session, thread, helper)
    session.commit()
    states = dict(session.execute(select(Notification.user_id, Notification.mail_state)
                                  .where(Notification.kind == "answer")).all())
    assert states == {member.id: "sent", daily.id: "pending", off.id: "none"}
    assert session.scalars(select(OutgoingMail.to_address)).all().count(member.email) >= 1
    assert daily.email not in session.scalars(select(OutgoingMail.to_address)).all()
    with pytest.raises(InvalidInput):
        notifications.set_email_setting(session, member, "hourly")


def test_mark_read(session, thread, member, helper):
    _answer(session, thread, helper)
    items = notifications.page(session, member.id).items
    assert notifications.unread_count(session, member.id) == 2
    assert [i.notification.kind for i in items] == ["answer", "badge"]  # newest first
    assert notifications.open_one(session, member.id, items[0].notification.id).read_at is not None
    assert notifications.open_one(session, helper.id, items[1].notification.id) is None  # not theirs
    assert notifications.unread_count(session, member.id) == 1
    notifications.mark_all_read(session, member.id)
    assert notifications.unread_count(session, member.id) == 0


def test_imported_members_are_not_mailed(session, thread, helper, make_user):
    imported = make_user(name="Imported Ivan")
    imported.email = "se-42@import.invalid"
    session.commit()
    follows.follow(session, imported, thread_id=thread.id)
    _answer(session, thread, helper)
    session.commit()
    assert session.scalar(select(Notification.mail_state).where(Notification.user_id == imported.id,
                                                                Notification.kind == "answer")) == "none"
    assert imported.email not in session.scalars(select(OutgoingMail.to_address)).all()
