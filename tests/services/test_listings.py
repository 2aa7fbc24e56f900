"""The lists: board summaries, board threads filtered and sorted, tags and profiles."""
from __future__ import annotations

import pytest

from app.models import Board
from app.services import listings, posting, solutions
from app.services.errors import NotFound


@pytest.fixture
def three_threads(session, make_thread, helper, member):
    unanswered = make_thread(title="Paper jam with no paper inside")
    answered = make_thread(title="Scanner lid sensor is broken")
    solved = make_thread(title="Wi-Fi Direct password is unknown", tags="wireless wifi-direct")
    posting.answer(session, helper, thread_id=answered.id, body="Check the lid sensor flap.")
    answer = posting.answer(session, helper, thread_id=solved.id, body="It is printed on the config page.")
    solutions.accept(session, member, answer_id=answer.id)
    return unanswered, answered, solved


def test_board_summaries_count_threads_and_solved_share(session, board, three_threads):
    session.add(Board(slug="laptops", name="Laptops", description="", position=1))
    session.commit()
    summaries = listings.board_summaries(session)
    assert [s.board.slug for s in summaries] == ["printers", "laptops"]
    printers, laptops = summaries
    assert (printers.thread_count, printers.solved_count, printers.solved_share) == (3, 1, 33)
    assert printers.last_activity_at is not None and printers.last_activity_at.tzinfo is not None
    assert (laptops.thread_count, laptops.solved_share, laptops.last_activity_at) == (0, 0, None)


@pytest.mark.parametrize("filter_, expected", [
    ("all", {0, 1, 2}), ("unanswered", {0}), ("solved", {2}), ("bogus", {0, 1, 2}),
])
def test_board_filters(session, board, three_threads, filter_, expected):
    page = listings.board_threads(session, board, filter_=filter_)
    assert {t.id for t in page.items} == {three_threads[i].id for i in expected}


def test_board_sorts(session, board, three_threads):
    unanswered, answered, solved = three_threads
    newest = listings.board_threads(session, board, sort="newest").items
    assert [t.id for t in newest] == [solved.id, answered.id, unanswered.id]
    posting.comment(session, posting_author(session, unanswered), post_id=question_id(session, unanswered),
                    body="Any news on this?")
    activity = listings.board_threads(session, board, sort="activity").items
    assert activity[0].id == unanswered.id


def test_board_pagination(session, board, make_thread):
    for i in range(5):
        make_thread(title=f"Question number {i} about printers")
    page = listings.board_threads(session, board, page=2, per_page=2)
    assert page.number == 2 and page.pages == 3 and len(page.items) == 2 and page.total == 5
    assert listings.board_threads(session, board, page=50, per_page=2).number == 3


def test_tag_listing_and_unknown_tag(session, three_threads):
    tag, page = listings.tag_threads(session, "wireless")
    assert tag.name == "wireless" and {t.id for t in page.items} == {t.id for t in three_threads}
    _, page = listings.tag_threads(session, "wifi-direct")
    assert [t.id for t in page.items] == [three_threads[2].id]
    with pytest.raises(NotFound):
        listings.tag_threads(session, "nope")


def test_profile_counts_questions_answers_and_solutions(session, three_threads, helper, member):
    profile = listings.profile(session, helper.id)
    assert (profile.question_count, profile.answer_count, profile.solution_count) == (0, 2, 1)
    assert len(profile.answers) == 2
    asker = listings.profile(session, member.id)
    assert asker.question_count == 3 and len(asker.questions) == 3
    with pytest.raises(NotFound):
        listings.profile(session, 999)


def question_id(session, thread):
    from app.services.thread_view import thread_view

    return thread_view(session, thread.id).question.id


def posting_author(session, thread):
    from app.models import User

    return session.get(User, thread.author_id)
