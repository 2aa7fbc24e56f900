"""Live thread updates (services/live.py): the page's token, what counts as new for whom, and the
new posts loaded for showing."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from app.models import Thread
from app.services import live, official, posting, review, solutions, thread_moderation, thread_view
from app.services.errors import InvalidInput, NotFound
from app.services.live import Since, Updates

ANSWER = "Reinstall the driver from the vendor's site, then restart the spooler."
COMMENT = "Which driver version did you install, exactly?"


def state(session, thread, viewer=None) -> Since:
    session.expire_all()
    return live.page_state(session, session.get(Thread, thread.id), viewer)


def news(session, thread, since, viewer=None) -> Updates:
    session.expire_all()
    return live.updates(session, thread.id, viewer=viewer, since=since)


@pytest.mark.parametrize("token", ["", "abc", "1.2.3", "1.2.3.2", "-1.0.0.0", "1.0.0.0.0", "99999999999.0.0.0", "2147483648.0.0.0", "1.0.0.0\n"])
def test_a_malformed_token_is_invalid_input(token):
    with pytest.raises(InvalidInput):
        Since.parse(token)


def test_a_token_reads_back_as_written():
    assert Since.parse(Since(41, 7, None, True).token) == Since(41, 7, None, True)
    assert Since.parse("12.0.0.0") == Since(12, None, None, False)


def test_nothing_new_on_an_unchanged_thread(session, thread):
    assert news(session, thread, state(session, thread)) == Updates()


def test_a_new_answer_and_comment_are_counted(session, thread, helper):
    since = state(session, thread)
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    found = news(session, thread, since)
    assert (found.new_answers, found.new_comments, found.marks_changed) == (1, 0, False)
    posting.comment(session, helper, post_id=answer.id, body=COMMENT)
    found = news(session, thread, since)
    assert (found.new_answers, found.new_comments) == (1, 1)
    assert found.anything
    # The page rendered now knows both: nothing is new for it.
    assert news(session, thread, state(session, thread)) == Updates()


def test_view_counts_and_kudos_change_nothing(session, thread, helper, make_user):
    posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    since = state(session, thread)
    thread_view.record_views(session, {thread.id: 5})
    session.execute(update(Thread).where(Thread.id == thread.id).values(kudos_count=3, me_too_count=2))
    session.commit()
    assert news(session, thread, since) == Updates()


def test_a_hidden_post_is_news_only_for_its_author_and_staff(session, thread, member, helper, moderator):
    visitor_since, helper_since, staff_since = state(session, thread), state(session, thread, helper), state(session, thread, moderator)
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    assert news(session, thread, visitor_since) == Updates()
    assert news(session, thread, visitor_since, member) == Updates()
    assert news(session, thread, helper_since, helper).new_answers == 1
    assert news(session, thread, staff_since, moderator).new_answers == 1
    # Nor is the hidden post's id given away in a visitor's token.
    assert state(session, thread) == visitor_since
    assert state(session, thread, helper).post_id == answer.id


def test_a_comment_under_a_hidden_answer_is_not_news_for_visitors(session, thread, helper, moderator):
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    since = state(session, thread)
    posting.comment(session, moderator, post_id=answer.id, body=COMMENT)
    assert news(session, thread, since).new_comments == 0
    assert news(session, thread, since, moderator).new_comments == 1


def test_marks_are_news(session, thread, member, helper, moderator):
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    since = state(session, thread)
    solutions.accept(session, member, answer_id=answer.id)
    found = news(session, thread, since)
    assert found.marks_changed and found.solved and found.accepted_id == answer.id
    assert (found.new_answers, found.new_comments) == (0, 0)
    since = state(session, thread)
    official.mark(session, moderator, answer_id=answer.id)
    assert news(session, thread, since).marks_changed
    since = state(session, thread)
    solutions.unaccept(session, member, thread_id=thread.id)
    found = news(session, thread, since)
    assert found.marks_changed and not found.solved


def test_a_missing_or_hidden_thread_is_not_found(session, thread, member, moderator):
    with pytest.raises(NotFound):
        live.updates(session, 987654, viewer=None, since=Since(0, None, None, False))
    since = state(session, thread)
    review.hide(session, moderator, post_id=state(session, thread, member).post_id, reason="spam")
    with pytest.raises(NotFound):
        news(session, thread, since)
    with pytest.raises(NotFound):
        live.new_posts(session, thread.id, viewer=None, since=since)
    assert news(session, thread, since, member) == Updates()  # the asker still sees it


def test_a_merged_thread_says_where_it_went(session, thread, make_thread, moderator):
    target = make_thread(title="Printer offline since the firmware update")
    since = state(session, thread)
    thread_moderation.merge(session, moderator, source_id=thread.id, target_id=target.id)
    assert news(session, thread, since) == Updates(merged_into_id=target.id)


def test_new_posts_gives_new_answers_and_refreshed_comment_lists(session, thread, member, helper, make_user, moderator):
    question_id = state(session, thread).post_id
    older = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    first_comment = posting.comment(session, member, post_id=older.id, body=COMMENT)
    since = state(session, thread)
    other = make_user(name="Other Olga")
    newer = posting.answer(session, other, thread_id=thread.id, body="Try the USB cable first, then Wi-Fi.")
    on_newer = posting.comment(session, helper, post_id=newer.id, body="That worked for me too.")
    on_older = posting.comment(session, other, post_id=older.id, body="Version 3.2 fixed it here.")
    on_question = posting.comment(session, other, post_id=question_id, body="Which printer model is it?")
    spam = posting.answer(session, other, thread_id=thread.id, body="Buy cheap ink at my shop, best prices!")
    review.hide(session, moderator, post_id=spam.id, reason="spam")

    session.expire_all()
    found = live.new_posts(session, thread.id, viewer=None, since=since)
    assert [a.id for a in found.answers] == [newer.id]
    assert sorted(p.id for p in found.parents) == sorted([older.id, question_id])
    assert [c.id for c in found.comments_for(found.answers[0])] == [on_newer.id]
    assert [c.id for c in found.comments[older.id]] == [first_comment.id, on_older.id]
    assert found.since.post_id == on_question.id  # the hidden answer is newer, but not this reader's
    assert news(session, thread, found.since) == Updates()
