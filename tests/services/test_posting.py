"""Asking, answering, commenting and editing: rules and side effects, per service."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from app.models import Post, Revision, Tag, Thread
from app.services import posting
from app.services.thread_view import load_thread
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- ask -------------------------------------------------------------------------------------

def test_ask_creates_a_live_thread_with_question_revision_and_tags(session, board, member):
    thread = posting.ask(session, member, board_id=board.id, title="  Scanner  not found on Wi-Fi  ",
                         body="The HP Smart app cannot find my scanner since Monday.", tags="Wireless, scan #scan")
    assert thread.title == "Scanner not found on Wi-Fi"
    assert thread.slug == "scanner-not-found-on-wi-fi"
    assert thread.status == "open" and thread.answer_count == 0
    assert [t.name for t in thread.tags] == ["wireless", "scan"]
    question = session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert question.kind == "question" and "<p>" in question.body_html
    assert session.scalar(select(Revision.number).where(Revision.post_id == question.id)) == 1


@pytest.mark.parametrize("field, kwargs", [
    ("title", {"title": "Too short"}),
    ("title", {"title": "x" * 151}),
    ("title", {"title": "\u200b" * 20}),
    ("body", {"body": "Too short body"}),
    ("body", {"body": "x" * 30_001}),
    ("tags", {"tags": "a b c d e f"}),
    ("tags", {"tags": "bad/tag"}),
    ("tags", {"tags": "x" * 31}),
])
def test_ask_rejects_bad_input_and_writes_nothing(session, board, member, field, kwargs):
    values = {"title": "A perfectly fine title", "body": "A body that is long enough to be useful.",
              "tags": "printer"} | kwargs
    with pytest.raises(InvalidInput) as caught:
        posting.ask(session, member, board_id=board.id, **values)
    assert field in caught.value.errors
    assert _count(session, Thread) == 0 and _count(session, Post) == 0 and _count(session, Tag) == 0


@pytest.mark.parametrize("board_id", [0, 999])
def test_ask_reports_every_broken_rule_at_once(session, board, member, board_id):
    with pytest.raises(InvalidInput) as caught:
        posting.ask(session, member, board_id=board_id, title="short", body="short", tags="bad/tag")
    assert set(caught.value.errors) == {"board", "title", "body", "tags"}


def test_ask_needs_an_existing_board(session, member):
    with pytest.raises(InvalidInput) as caught:
        posting.ask(session, member, board_id=999, title="A perfectly fine title",
                    body="A body that is long enough to be useful.")
    assert "board" in caught.value.errors


def test_suspended_member_cannot_ask(session, board, suspended):
    with pytest.raises(Forbidden):
        posting.ask(session, suspended, board_id=board.id, title="A perfectly fine title",
                    body="A body that is long enough to be useful.")


def test_tags_are_shared_between_threads(session, make_thread):
    make_thread(tags="wireless")
    make_thread(title="Another wireless question", tags="wireless")
    assert _count(session, Tag) == 1


def test_a_title_with_nothing_readable_still_gets_a_slug(session, make_thread):
    assert make_thread(title="???????????? !!!!").slug == "question"


# --- answer and comment ----------------------------------------------------------------------

def test_answer_counts_and_moves_activity(session, thread, helper):
    before = thread.last_activity_at
    posting.answer(session, helper, thread_id=thread.id, body="Reinstall the full driver package.")
    session.refresh(thread)
    assert thread.answer_count == 1
    assert thread.last_activity_at >= before
    assert thread.last_activity_at.tzinfo is not None


def test_answer_errors(session, thread, helper, suspended):
    with pytest.raises(InvalidInput):
        posting.answer(session, helper, thread_id=thread.id, body="short")
    with pytest.raises(NotFound):
        posting.answer(session, helper, thread_id=9999, body="A useful answer here.")
    with pytest.raises(Forbidden):
        posting.answer(session, suspended, thread_id=thread.id, body="A useful answer here.")
    assert thread.answer_count == 0


def test_locked_thread_takes_posts_from_staff_only(session, thread, helper, moderator):
    thread.is_locked = True
    session.commit()
    question_id = session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    with pytest.raises(Forbidden):
        posting.answer(session, helper, thread_id=thread.id, body="A useful answer here.")
    with pytest.raises(Forbidden):
        posting.comment(session, helper, post_id=question_id, body="A comment")
    assert posting.answer(session, moderator, thread_id=thread.id, body="Official note: fixed in 2.1.").id


def test_comment_on_question_and_answer_but_not_on_comment(session, thread, helper, member):
    question_id = session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    on_question = posting.comment(session, helper, post_id=question_id, body="Which model?")
    answer = posting.answer(session, helper, thread_id=thread.id, body="Try a different USB port.")
    on_answer = posting.comment(session, member, post_id=answer.id, body="Tried, no luck.")
    assert on_question.parent_id == question_id and on_answer.parent_id == answer.id
    with pytest.raises(NotFound):
        posting.comment(session, member, post_id=on_answer.id, body="Nested?")
    with pytest.raises(InvalidInput):
        posting.comment(session, member, post_id=answer.id, body=" ")
    session.refresh(thread)
    assert thread.answer_count == 1  # comments are not answers


# --- edit ------------------------------------------------------------------------------------

def test_edit_keeps_every_revision(session, thread, member):
    question = session.scalar(select(Post).where(Post.thread_id == thread.id))
    posting.edit(session, member, post_id=question.id, title="Printer offline after the May update",
                 body="It worked yesterday; now it is offline. Model: 9015e.", tags="wireless offline",
                 reason="added model")
    post, revisions = posting.revisions(session, question.id)
    assert [r.number for r in revisions] == [2, 1]
    assert revisions[0].reason == "added model" and revisions[1].reason is None
    assert revisions[1].body_source == "It worked yesterday; now it is offline."
    assert post.edited_at is not None and "9015e" in post.body_html
    session.expire_all()
    thread = load_thread(session, thread.id)
    assert thread.title == "Printer offline after the May update"
    assert thread.slug == "printer-offline-after-the-may-update"
    assert [t.name for t in thread.tags] == ["offline", "wireless"]


def test_saving_unchanged_text_adds_no_revision(session, thread, member):
    question = session.scalar(select(Post).where(Post.thread_id == thread.id))
    posting.edit(session, member, post_id=question.id, body=question.body_source)
    assert posting.latest_revision_number(session, question.id) == 1
    assert question.edited_at is None


def test_only_the_author_or_staff_may_edit(session, thread, helper, moderator, suspended, member):
    question = session.scalar(select(Post).where(Post.thread_id == thread.id))
    with pytest.raises(Forbidden):
        posting.edit(session, helper, post_id=question.id, body="Hijacked body text here.")
    with pytest.raises(Forbidden):
        posting.edit(session, suspended, post_id=question.id, body="Hijacked body text here.")
    posting.edit(session, moderator, post_id=question.id, body="Tidied up by staff: offline after update.")
    rev = posting.revisions(session, question.id)[1][0]
    assert rev.editor_id == moderator.id
    thread.is_locked = True
    session.commit()
    with pytest.raises(Forbidden):
        posting.edit(session, member, post_id=question.id, body="Author edits a locked thread.")


def test_edit_from_a_stale_revision_is_refused(session, thread, member):
    question = session.scalar(select(Post).where(Post.thread_id == thread.id))
    posting.edit(session, member, post_id=question.id, body="Second version of the text.", base_revision=1)
    with pytest.raises(Conflict):
        posting.edit(session, member, post_id=question.id, body="Edited from the first version.", base_revision=1)
    assert posting.latest_revision_number(session, question.id) == 2


def test_edit_of_missing_post(session, member):
    with pytest.raises(NotFound):
        posting.edit(session, member, post_id=4242, body="Whatever text is here.")


def test_timestamps_are_utc_aware(session, thread):
    assert thread.created_at.tzinfo is not None
    assert abs((datetime.now(timezone.utc) - thread.created_at).total_seconds()) < 60
