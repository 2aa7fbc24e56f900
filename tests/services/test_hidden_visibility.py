"""Hidden is hidden everywhere: a hidden post is left out of the thread page, the lists, the counts
and the profiles for everyone but its author and staff, and takes no kudos, answers or comments
from those who cannot see it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Kudos, Thread
from app.services import kudos, listings, posting, review, solutions, thread_view
from app.services.errors import InvalidInput, NotFound
from tests.services.test_review import persona, question_of, reloaded

OTHERS = ["visitor", "nobody", "outsider"]  # may not see what is hidden
INSIDERS = ["author", "moderator", "admin"]  # may


@pytest.fixture
def outsider(make_user):
    return make_user(name="Other Olga")


@pytest.fixture
def answer(session, thread, helper):
    return posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")


@pytest.fixture
def second_answer(session, thread, outsider):
    return posting.answer(session, outsider, thread_id=thread.id, body="Use a TCP/IP port instead of WSD.")


def viewer_named(request, who: str, author_fixture: str):
    return persona(request, author_fixture if who == "author" else who)


def answer_ids(session, thread, viewer) -> list[int]:
    session.expire_all()
    view = thread_view.thread_view(session, thread.id, viewer=viewer)
    return [a.id for a in view.answers.items]


# --- answers and comments on the thread page ----------------------------------------------------


@pytest.mark.parametrize("who", OTHERS + INSIDERS)
def test_a_hidden_answer_is_seen_only_by_its_author_and_staff(request, session, thread, answer, second_answer,
                                                              moderator, who):
    review.hide(session, moderator, post_id=answer.id, reason="incorrect")
    viewer = viewer_named(request, who, "helper")
    expected = [answer.id, second_answer.id] if who in INSIDERS else [second_answer.id]
    assert sorted(answer_ids(session, thread, viewer)) == sorted(expected)
    session.expire_all()
    page = thread_view.thread_view(session, thread.id, viewer=viewer).answers
    assert page.total == len(expected)


def test_the_author_sees_why_their_answer_is_hidden(session, thread, answer, helper, moderator):
    review.hide(session, moderator, post_id=answer.id, reason="other", note="The link is a paid download.")
    session.expire_all()
    [shown] = thread_view.thread_view(session, thread.id, viewer=helper).answers.items
    assert shown.is_hidden and (shown.hidden_reason, shown.hidden_note) == ("other", "The link is a paid download.")
    assert review.reason_label(shown.hidden_reason) == "Other"


def test_the_answer_count_drops_when_an_answer_is_hidden_and_comes_back_on_restore(session, board, thread, answer,
                                                                                   second_answer, moderator):
    assert reloaded(session, Thread, thread.id).answer_count == 2
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    assert reloaded(session, Thread, thread.id).answer_count == 1
    page = listings.board_threads(session, board, filter_="unanswered")
    assert page.items == []  # one visible answer is still an answer
    review.hide(session, moderator, post_id=second_answer.id, reason="spam")
    assert reloaded(session, Thread, thread.id).answer_count == 0
    session.expire_all()
    page = listings.board_threads(session, board, filter_="unanswered")
    assert [t.id for t in page.items] == [thread.id]  # hidden answers do not answer it
    review.restore(session, moderator, post_id=answer.id)
    assert reloaded(session, Thread, thread.id).answer_count == 1


def test_answers_page_links_skip_hidden_answers_for_others(session, thread, answer, second_answer, outsider,
                                                           moderator):
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    third = posting.answer(session, outsider, thread_id=thread.id, body="Reinstall the driver from scratch.")
    # Ordered oldest first (no kudos): the hidden one counts only for those who see it.
    assert thread_view.answer_page(session, third, viewer=None, per_page=1) == 2
    assert thread_view.answer_page(session, third, viewer=moderator, per_page=1) == 3


@pytest.mark.parametrize("who", OTHERS + INSIDERS)
def test_a_hidden_comment_is_seen_only_by_its_author_and_staff(request, session, thread, answer, member,
                                                               moderator, who):
    kept = posting.comment(session, member, post_id=answer.id, body="Which service is it?")
    hidden = posting.comment(session, member, post_id=answer.id, body="This forum is useless.")
    review.hide(session, moderator, post_id=hidden.id, reason="abusive")
    viewer = viewer_named(request, who, "member")
    session.expire_all()
    view = thread_view.thread_view(session, thread.id, viewer=viewer)
    shown = [c.id for c in view.comments_for(view.answers.items[0])]
    assert shown == ([kept.id, hidden.id] if who in INSIDERS else [kept.id])


# --- a hidden question hides the thread --------------------------------------------------------


@pytest.fixture
def hidden_thread(session, make_thread, thread, answer, moderator):
    """`thread` (with the helper's `answer`) hidden by hiding its question, beside a listed thread
    on the same board and tag."""
    listed = make_thread(title="Scanner lid sensor is broken")
    review.hide(session, moderator, post_id=question_of(session, thread).id, reason="off_topic")
    session.expire_all()
    return thread, listed


def test_a_hidden_question_takes_the_thread_out_of_every_list(session, board, hidden_thread):
    hidden, listed = hidden_thread
    assert reloaded(session, Thread, hidden.id).is_hidden
    session.expire_all()
    assert [t.id for t in listings.board_threads(session, board).items] == [listed.id]
    assert listings.board_threads(session, board).total == 1
    assert [t.id for t in listings.recent_threads(session)] == [listed.id]
    tag, page = listings.tag_threads(session, "wireless")
    assert [t.id for t in page.items] == [listed.id] and page.total == 1
    [summary] = listings.board_summaries(session)
    assert summary.thread_count == 1


def test_a_hidden_solved_thread_leaves_the_solved_counts(session, board, thread, member, answer, moderator):
    solutions.accept(session, member, answer_id=answer.id)
    assert listings.board_summaries(session)[0].solved_count == 1
    review.hide(session, moderator, post_id=question_of(session, thread).id, reason="spam")
    session.expire_all()
    summary = listings.board_summaries(session)[0]
    assert (summary.thread_count, summary.solved_count) == (0, 0)
    assert listings.board_threads(session, board, filter_="solved").items == []


@pytest.mark.parametrize("who", ["visitor", "nobody", "outsider", "helper"])
def test_others_cannot_open_a_thread_whose_question_is_hidden(request, session, hidden_thread, answer, who):
    # `helper` answered it, and still may not see the thread (only their answer, if it were shown).
    with pytest.raises(NotFound):
        thread_view.thread_view(session, hidden_thread[0].id, viewer=persona(request, who))


@pytest.mark.parametrize("who", ["member", "moderator", "admin"])
def test_the_asker_and_staff_still_open_a_thread_whose_question_is_hidden(request, session, hidden_thread, who):
    view = thread_view.thread_view(session, hidden_thread[0].id, viewer=persona(request, who))
    assert view.question.is_hidden and view.thread.is_hidden


def test_restoring_the_question_lists_the_thread_again(session, board, hidden_thread, moderator, outsider):
    hidden, listed = hidden_thread
    review.restore(session, moderator, post_id=question_of(session, hidden).id)
    session.expire_all()
    assert {t.id for t in listings.board_threads(session, board).items} == {hidden.id, listed.id}
    assert listings.board_summaries(session)[0].thread_count == 2
    assert thread_view.thread_view(session, hidden.id, viewer=outsider).question.review_state == "approved"


def test_others_cannot_answer_or_comment_in_a_thread_whose_question_is_hidden(session, hidden_thread, answer,
                                                                              outsider, member, moderator):
    thread = hidden_thread[0]
    with pytest.raises(NotFound):
        posting.answer(session, outsider, thread_id=thread.id, body="Try turning it off and on again.")
    with pytest.raises(NotFound):
        posting.comment(session, outsider, post_id=answer.id, body="Same here!")
    # The asker and staff still can (the asker may be fixing what got it hidden).
    posting.answer(session, member, thread_id=thread.id, body="Self answer: it was the cable.")
    posting.answer(session, moderator, thread_id=thread.id, body="Moved to the right board soon.")


def test_others_cannot_comment_on_a_hidden_answer(session, answer, outsider, helper, moderator):
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    with pytest.raises(NotFound):
        posting.comment(session, outsider, post_id=answer.id, body="Is this still true?")
    posting.comment(session, helper, post_id=answer.id, body="I have corrected the advice.")


# --- profiles ------------------------------------------------------------------------------------


@pytest.fixture
def helpers_posts(session, board, make_thread, thread, helper, moderator):
    """The helper's question and two answers; one answer and the question hidden."""
    own = make_thread(title="Toner smears on every page", author=helper)
    kept = posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")
    hidden = posting.answer(session, helper, thread_id=thread.id, body="Buy the premium cable from my shop.")
    review.hide(session, moderator, post_id=hidden.id, reason="competitor")
    review.hide(session, moderator, post_id=question_of(session, own).id, reason="spam")
    session.expire_all()
    return own, kept, hidden


@pytest.mark.parametrize("who", ["visitor", "nobody", "outsider", "helper", "moderator"])
def test_profile_counts_leave_hidden_posts_out_for_everyone(request, session, helper, helpers_posts, who):
    profile = listings.profile(session, helper.id, viewer=persona(request, who))
    assert (profile.question_count, profile.answer_count) == (0, 1)


@pytest.mark.parametrize("who", ["visitor", "nobody", "outsider"])
def test_profile_lists_show_hidden_posts_not_to_others(request, session, helper, helpers_posts, who):
    own, kept, hidden = helpers_posts
    profile = listings.profile(session, helper.id, viewer=persona(request, who))
    assert profile.questions == []
    assert [post.id for post, _ in profile.answers] == [kept.id]


@pytest.mark.parametrize("who", ["helper", "moderator", "admin"])
def test_profile_lists_show_hidden_posts_to_the_member_and_staff(request, session, helper, helpers_posts, who):
    own, kept, hidden = helpers_posts
    profile = listings.profile(session, helper.id, viewer=persona(request, who))
    assert [t.id for t in profile.questions] == [own.id] and profile.questions[0].is_hidden
    assert [post.id for post, _ in profile.answers] == [hidden.id, kept.id]


def test_answers_in_a_hidden_thread_leave_others_profile_lists(session, hidden_thread, answer, helper, outsider):
    profile = listings.profile(session, helper.id, viewer=outsider)
    assert profile.answers == [] and profile.answer_count == 0
    assert [post.id for post, _ in listings.profile(session, helper.id, viewer=helper).answers] == [answer.id]


# --- kudos and solutions -------------------------------------------------------------------------


@pytest.mark.parametrize("who, error", [
    ("outsider", NotFound), ("member", NotFound), ("moderator", InvalidInput), ("helper", InvalidInput),
])
def test_a_hidden_post_takes_no_kudos(request, session, answer, moderator, who, error):
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    actor = persona(request, who)
    with pytest.raises(error):
        kudos.give(session, actor, post_id=answer.id)
    with pytest.raises(error):
        kudos.take_back(session, actor, post_id=answer.id)
    session.commit()
    assert session.scalar(select(Kudos.id)) is None


def test_kudos_given_before_hiding_cannot_be_taken_back_while_hidden(session, answer, outsider, moderator):
    kudos.give(session, outsider, post_id=answer.id)
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    with pytest.raises(NotFound):
        kudos.take_back(session, outsider, post_id=answer.id)
    review.restore(session, moderator, post_id=answer.id)
    assert kudos.take_back(session, outsider, post_id=answer.id) == 0


@pytest.mark.parametrize("who, error", [("member", NotFound), ("moderator", InvalidInput)])
def test_a_hidden_answer_cannot_be_accepted(request, session, thread, answer, moderator, who, error):
    review.hide(session, moderator, post_id=answer.id, reason="spam")
    with pytest.raises(error):
        solutions.accept(session, persona(request, who), answer_id=answer.id)
    assert reloaded(session, Thread, thread.id).accepted_answer_id is None

