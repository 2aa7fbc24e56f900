"""Staff actions on whole threads: lock, unlock, move, and merging a duplicate into another thread."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.models import Board, ModerationAction, Post, Thread, User, me_too
from app.services import (
    me_too as me_too_service,
    official,
    posting,
    reputation,
    review,
    solutions,
    thread_moderation,
)
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RULES

POINTS = DEFAULT_RULES.points


def _log(session, action: str) -> list[ModerationAction]:
    session.rollback()
    return list(session.scalars(select(ModerationAction).where(ModerationAction.action == action)
                                .order_by(ModerationAction.id)))


def _fresh(session, model, row_id):
    session.rollback()
    session.expire_all()
    return session.get(model, row_id)


def _reputations(session) -> dict[int, int]:
    session.rollback()
    return dict(session.execute(select(User.id, User.reputation)).all())


@pytest.fixture
def laptops(session):
    board = Board(slug="laptops", name="Laptops", description="Notebooks.", position=1)
    session.add(board)
    session.commit()
    return board


# --- lock and unlock ---------------------------------------------------------------------------


def test_lock_and_unlock_are_logged_once_each_and_repeatable(session, thread, moderator, member):
    thread_moderation.lock(session, moderator, thread_id=thread.id)
    thread_moderation.lock(session, moderator, thread_id=thread.id)
    assert _fresh(session, Thread, thread.id).is_locked

    thread_moderation.unlock(session, moderator, thread_id=thread.id)
    thread_moderation.unlock(session, moderator, thread_id=thread.id)
    assert not _fresh(session, Thread, thread.id).is_locked

    for action in ("lock", "unlock"):
        [entry] = _log(session, action)
        assert (entry.actor_id, entry.thread_id, entry.target_user_id) == (moderator.id, thread.id, member.id)


def test_a_locked_thread_takes_answers_from_staff_only(session, thread, moderator, helper):
    thread_moderation.lock(session, moderator, thread_id=thread.id)

    with pytest.raises(Forbidden):
        posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler.")
    posting.answer(session, moderator, thread_id=thread.id, body="Staff can still add an answer here.")


@pytest.mark.parametrize("who", ["member", "helper", "suspended"])
def test_only_staff_lock_or_unlock(request, session, thread, moderator, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        thread_moderation.lock(session, actor, thread_id=thread.id)
    thread_moderation.lock(session, moderator, thread_id=thread.id)
    with pytest.raises(Forbidden):
        thread_moderation.unlock(session, actor, thread_id=thread.id)
    assert _fresh(session, Thread, thread.id).is_locked
    assert len(_log(session, "lock")) == 1 and _log(session, "unlock") == []


def test_locking_a_missing_thread_is_not_found(session, admin):
    with pytest.raises(NotFound):
        thread_moderation.lock(session, admin, thread_id=4711)


# --- move --------------------------------------------------------------------------------------


def test_move_changes_the_board_and_logs_from_where_to_where(session, thread, board, laptops, admin, member):
    thread_moderation.move(session, admin, thread_id=thread.id, board_id=laptops.id)

    assert _fresh(session, Thread, thread.id).board_id == laptops.id
    [entry] = _log(session, "move")
    assert entry.note == "from Printers to Laptops"
    assert (entry.board_id, entry.thread_id, entry.target_user_id) == (laptops.id, thread.id, member.id)


def test_moving_a_thread_where_it_is_changes_nothing(session, thread, board, moderator):
    thread_moderation.move(session, moderator, thread_id=thread.id, board_id=board.id)

    assert _fresh(session, Thread, thread.id).board_id == board.id and _log(session, "move") == []


@pytest.mark.parametrize("case", ["archived", "missing", "none"])
def test_move_needs_a_board_that_takes_threads(session, thread, board, laptops, moderator, case):
    if case == "archived":
        laptops.is_archived = True
        session.commit()
    board_id = {"archived": laptops.id, "missing": 4711, "none": 0}[case]

    with pytest.raises(InvalidInput) as error:
        thread_moderation.move(session, moderator, thread_id=thread.id, board_id=board_id)

    assert list(error.value.errors) == ["board"]
    assert ("archived" in error.value.message) == (case == "archived")
    assert _fresh(session, Thread, thread.id).board_id == board.id and _log(session, "move") == []


def test_only_staff_move(session, thread, board, laptops, member):
    with pytest.raises(Forbidden):
        thread_moderation.move(session, member, thread_id=thread.id, board_id=laptops.id)
    assert _fresh(session, Thread, thread.id).board_id == board.id


def test_move_targets_are_the_open_boards_in_order(session, board, laptops):
    phones = Board(slug="phones", name="Phones", position=2)
    old = Board(slug="fax", name="Fax machines", position=-1, is_archived=True)
    session.add_all([phones, old])
    session.commit()

    assert [b.slug for b in thread_moderation.move_targets(session)] == ["printers", "laptops", "phones"]


# --- merge -------------------------------------------------------------------------------------


@pytest.fixture
def olga(make_user):
    return make_user(name="Other Olga")


@pytest.fixture
def duplicate(session, board, make_user, helper, member):
    """A second thread, asked by Bob, with an answer by Hans and comments on the question and the answer."""
    bob = make_user(name="Bob Duplicate")
    thread = posting.ask(session, bob, board_id=board.id, title="Printer went offline after the update",
                         body="Since the update my printer is offline all the time.")
    answer = posting.answer(session, helper, thread_id=thread.id, body="Set a fixed IP address for the printer.")
    posting.comment(session, member, post_id=answer.id, body="Same here, did not help.")
    question_id = session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))
    posting.comment(session, helper, post_id=question_id, body="Which model is it?")
    return thread


def _posts(session, thread_id: int) -> list[tuple[str, str]]:
    session.rollback()
    return sorted(session.execute(select(Post.kind, Post.body_source).where(Post.thread_id == thread_id)).all())


def test_merge_moves_answers_with_their_comments_and_keeps_the_question_with_its_own(
        session, thread, duplicate, moderator, olga):
    posting.answer(session, olga, thread_id=thread.id, body="Reinstall the driver from the vendor site.")

    returned = thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    assert returned.id == thread.id
    # The comment on the source question belongs to that question, which stays where it is.
    assert _posts(session, duplicate.id) == [("comment", "Which model is it?"),
                                             ("question", "Since the update my printer is offline all the time.")]
    moved = _posts(session, thread.id)
    assert ("answer", "Set a fixed IP address for the printer.") in moved
    assert ("comment", "Same here, did not help.") in moved
    assert sorted(kind for kind, _ in moved) == ["answer", "answer", "comment", "question"]
    source, target = _fresh(session, Thread, duplicate.id), _fresh(session, Thread, thread.id)
    assert source.merged_into_id == thread.id and target.merged_into_id is None
    assert (source.answer_count, target.answer_count) == (0, 2)


def test_merge_is_logged_with_the_source_question(session, thread, duplicate, moderator):
    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    [entry] = _log(session, "merge")
    assert entry.actor_id == moderator.id and entry.thread_id == duplicate.id
    assert entry.target_user_id == duplicate.author_id
    assert entry.note == f"into thread #{thread.id}: Printer shows offline after update"
    assert entry.before_text == "Since the update my printer is offline all the time."


def test_merge_counts_only_visible_answers_and_keeps_the_latest_activity(session, thread, duplicate, moderator,
                                                                         olga):
    hidden = posting.answer(session, olga, thread_id=duplicate.id, body="Buy my printer instead, cheap!")
    review.hide(session, moderator, post_id=hidden.id, reason="spam")
    latest = datetime.now(timezone.utc) + timedelta(hours=2)
    session.get(Thread, duplicate.id).last_activity_at = latest
    session.commit()

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    target = _fresh(session, Thread, thread.id)
    assert target.answer_count == 1  # the hidden answer moved but is not counted
    assert session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread.id, Post.kind == "answer")) == 2
    assert abs(target.last_activity_at - latest) < timedelta(seconds=1)


def test_merge_keeps_the_targets_later_activity(session, thread, duplicate, moderator):
    later = datetime.now(timezone.utc) + timedelta(days=1)
    session.get(Thread, thread.id).last_activity_at = later
    session.commit()

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    assert abs(_fresh(session, Thread, thread.id).last_activity_at - later) < timedelta(seconds=1)


def _answer_of(session, thread_id: int) -> Post:
    return session.scalars(select(Post).where(Post.thread_id == thread_id, Post.kind == "answer")
                           .order_by(Post.id)).first()


def test_the_sources_solution_moves_to_a_target_without_one(session, thread, duplicate, moderator, helper):
    answer = _answer_of(session, duplicate.id)
    bob = session.get(User, duplicate.author_id)
    solutions.accept(session, bob, answer_id=answer.id)
    before = _reputations(session)

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    source, target = _fresh(session, Thread, duplicate.id), _fresh(session, Thread, thread.id)
    # The target's asker did not choose it: it counts as accepted by the moderator on their behalf.
    assert (target.accepted_answer_id, target.accepted_by_id, target.status) == (answer.id, moderator.id, "solved")
    assert (source.accepted_answer_id, source.accepted_by_id, source.accepted_at, source.status) == (
        None, None, None, "open")
    after = _reputations(session)
    assert after[helper.id] == before[helper.id]  # still the accepted answer: nothing earned or lost
    assert after[bob.id] == before[bob.id] - DEFAULT_RULES.points["accepted_solution"]  # no longer his solution
    assert reputation.verify(session) == []
    expected = reputation.expected_from_state(session)
    assert {user: expected.get(user, 0) for user in after} == after


def test_the_sources_solution_is_removed_when_the_target_has_one(session, thread, duplicate, moderator, member,
                                                                 helper, olga):
    own = posting.answer(session, olga, thread_id=thread.id, body="Turn off the printer's power saving mode.")
    solutions.accept(session, member, answer_id=own.id)
    moved = _answer_of(session, duplicate.id)
    bob = session.get(User, duplicate.author_id)
    solutions.accept(session, bob, answer_id=moved.id)
    before = _reputations(session)

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    source, target = _fresh(session, Thread, duplicate.id), _fresh(session, Thread, thread.id)
    assert (target.accepted_answer_id, target.status) == (own.id, "solved")
    assert (source.accepted_answer_id, source.status) == (None, "open")
    after = _reputations(session)
    assert after[helper.id] == before[helper.id] - POINTS["answer_accepted"]
    assert after[bob.id] == before[bob.id] - POINTS["accepted_solution"]
    assert after[olga.id] == before[olga.id] and after[member.id] == before[member.id]
    assert reputation.verify(session) == []
    assert {uid: points for uid, points in after.items() if points} == reputation.expected_from_state(session)


def test_the_sources_official_answer_moves_to_a_target_without_one(session, thread, duplicate, moderator, admin):
    answer = _answer_of(session, duplicate.id)
    official.mark(session, admin, answer_id=answer.id)
    marked_at = _fresh(session, Thread, duplicate.id).official_at
    before = _reputations(session)

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    source, target = _fresh(session, Thread, duplicate.id), _fresh(session, Thread, thread.id)
    assert (target.official_answer_id, target.official_by_id) == (answer.id, admin.id)  # still confirmed by Ada
    assert target.official_at >= marked_at
    assert (source.official_answer_id, source.official_by_id, source.official_at) == (None, None, None)
    assert target.status == "open"  # an official mark is no solution
    assert _reputations(session) == before
    assert reputation.verify(session) == []


def test_the_sources_official_answer_is_unmarked_when_the_target_has_one(session, thread, duplicate, moderator,
                                                                        admin, helper, olga):
    own = posting.answer(session, olga, thread_id=thread.id, body="Update the firmware from the printer menu.")
    official.mark(session, admin, answer_id=own.id)
    official.mark(session, admin, answer_id=_answer_of(session, duplicate.id).id)
    before = _reputations(session)

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    assert _fresh(session, Thread, thread.id).official_answer_id == own.id
    assert _fresh(session, Thread, duplicate.id).official_answer_id is None
    after = _reputations(session)
    assert after[helper.id] == before[helper.id] - POINTS["answer_official"]
    assert after[olga.id] == before[olga.id]
    assert reputation.verify(session) == []
    assert {uid: points for uid, points in after.items() if points} == reputation.expected_from_state(session)


def test_one_answer_both_solution_and_official_on_both_sides(session, thread, duplicate, moderator, admin, member,
                                                            olga):
    own = posting.answer(session, olga, thread_id=thread.id, body="Turn off the printer's power saving mode.")
    solutions.accept(session, member, answer_id=own.id)
    moved = _answer_of(session, duplicate.id)
    solutions.accept(session, session.get(User, duplicate.author_id), answer_id=moved.id)
    official.mark(session, admin, answer_id=moved.id)

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    target = _fresh(session, Thread, thread.id)
    assert (target.accepted_answer_id, target.official_answer_id) == (own.id, moved.id)
    assert reputation.verify(session) == []


def test_me_too_moves_once_per_member_and_counts_are_recomputed(session, thread, duplicate, moderator, member,
                                                                make_user):
    both, only_source = make_user(name="Both Berta"), make_user(name="Source Sam")
    for user in (both, only_source, member):  # member asked the target: not "too" on their own question
        me_too_service.add(session, user, thread_id=duplicate.id)
    me_too_service.add(session, both, thread_id=thread.id)

    thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=thread.id)

    session.rollback()
    on = {tid: set(session.scalars(select(me_too.c.user_id).where(me_too.c.thread_id == tid)))
          for tid in (thread.id, duplicate.id)}
    assert on[thread.id] == {both.id, only_source.id}
    source, target = _fresh(session, Thread, duplicate.id), _fresh(session, Thread, thread.id)
    assert target.me_too_count == 2 and source.me_too_count == len(on[duplicate.id])


@pytest.mark.parametrize("case", ["self", "source-merged", "target-merged", "target-hidden"])
def test_merge_refuses_what_cannot_be_merged(session, thread, duplicate, board, moderator, make_thread, case):
    third = make_thread(title="Printer offline again this morning")
    source_id, target_id = duplicate.id, thread.id
    if case == "self":
        target_id = source_id
    elif case == "source-merged":
        thread_moderation.merge(session, moderator, source_id=duplicate.id, target_id=third.id)
    elif case == "target-merged":
        thread_moderation.merge(session, moderator, source_id=thread.id, target_id=third.id)
    else:
        question = session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))
        review.hide(session, moderator, post_id=question, reason="off_topic")
    merges = len(_log(session, "merge"))
    before = _posts(session, duplicate.id)

    with pytest.raises(InvalidInput) as error:
        thread_moderation.merge(session, moderator, source_id=source_id, target_id=target_id)

    assert list(error.value.errors) == ["target"]
    assert _posts(session, duplicate.id) == before and len(_log(session, "merge")) == merges


@pytest.mark.parametrize("missing", ["source", "target"])
def test_merge_of_a_missing_thread_is_not_found(session, thread, moderator, missing):
    ids = {"source_id": thread.id, "target_id": thread.id, f"{missing}_id": 4711}
    with pytest.raises(NotFound, match="#4711"):
        thread_moderation.merge(session, moderator, **ids)


def test_only_staff_merge_and_nothing_changes(session, thread, duplicate, helper):
    before = (_posts(session, duplicate.id), _posts(session, thread.id))

    with pytest.raises(Forbidden):
        thread_moderation.merge(session, helper, source_id=duplicate.id, target_id=thread.id)

    assert (_posts(session, duplicate.id), _posts(session, thread.id)) == before
    assert _fresh(session, Thread, duplicate.id).merged_into_id is None and _log(session, "merge") == []
