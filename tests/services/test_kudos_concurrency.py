"""Kudos under concurrency: each writer has its own app context and database session, as a request
in another worker would. The unique constraint on (post, giver) decides races from one member;
counters move in SQL, so writers from different members all count. Runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select, update

from app import db
from app.models import BadgeAward, Kudos, Post, ReputationEvent, Thread, User
from app.services import badges, kudos, posting, reputation, solutions
from tests.concurrency import run_at_once

WRITERS = 8


@pytest.fixture
def answer(session, thread, helper):
    return posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")


@pytest.fixture
def question_id(session, thread):
    return session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))


def state_of(session, post_id: int, author_id: int) -> dict:
    session.commit()  # end this session's read snapshot, to see the other sessions' writes
    session.expire_all()
    return {
        "rows": session.scalar(select(func.count(Kudos.id)).where(Kudos.post_id == post_id)),
        "count": session.scalar(select(Post.kudos_count).where(Post.id == post_id)),
        "events": session.scalars(select(ReputationEvent.delta).where(ReputationEvent.user_id == author_id,
                                                                      ReputationEvent.post_id == post_id)
                                  .order_by(ReputationEvent.id)).all(),
        "reputation": session.scalar(select(User.reputation).where(User.id == author_id)),
    }


def test_simultaneous_kudos_from_the_same_member_count_once(app, session, answer, helper, make_user):
    fan = make_user(name="Eager Fan")

    def give(own, _):
        return kudos.give(own, own.get(User, fan.id), post_id=answer.id)

    counts = run_at_once(app, give, range(WRITERS))

    assert set(counts) == {1}  # every click answers with the same, true count
    assert state_of(session, answer.id, helper.id) == {"rows": 1, "count": 1, "events": [10], "reputation": 10}
    assert reputation.verify(session) == []


def test_simultaneous_kudos_from_different_members_all_count(app, session, answer, helper, make_user):
    fans = [make_user() for _ in range(WRITERS)]

    def give(own, fan_id):
        return kudos.give(own, own.get(User, fan_id), post_id=answer.id)

    counts = run_at_once(app, give, [f.id for f in fans])

    assert sorted(counts)[-1] == WRITERS and all(1 <= c <= WRITERS for c in counts)
    state = state_of(session, answer.id, helper.id)
    assert state == {"rows": WRITERS, "count": WRITERS, "events": [10] * WRITERS, "reputation": 10 * WRITERS}
    assert reputation.verify(session) == []


def test_simultaneous_kudos_on_a_question_count_on_the_thread_too(app, session, thread, question_id, member,
                                                                  make_user):
    fans = [make_user() for _ in range(WRITERS)]
    run_at_once(app, lambda own, fan_id: kudos.give(own, own.get(User, fan_id), post_id=question_id),
                [f.id for f in fans] + [fans[0].id, fans[1].id])  # two of them click twice

    state = state_of(session, question_id, member.id)
    assert state == {"rows": WRITERS, "count": WRITERS, "events": [5] * WRITERS, "reputation": 5 * WRITERS}
    assert session.scalar(select(Thread.kudos_count).where(Thread.id == thread.id)) == WRITERS


def test_give_and_take_back_storm_from_one_member_ends_consistent(app, session, answer, helper, make_user):
    fan = make_user(name="Undecided Fan")
    rounds = 6

    def storm(own, seed):
        chooser = random.Random(seed)
        user = own.get(User, fan.id)
        for _ in range(rounds):
            if chooser.random() < 0.5:
                kudos.give(own, user, post_id=answer.id)
            else:
                kudos.take_back(own, user, post_id=answer.id)

    run_at_once(app, storm, list(range(WRITERS)))

    state = state_of(session, answer.id, helper.id)
    assert state["rows"] in (0, 1)
    assert state["count"] == state["rows"]
    assert state["reputation"] == sum(state["events"]) == 10 * state["rows"]
    assert all(delta in (10, -10) for delta in state["events"])
    assert reputation.verify(session) == []
    # Whatever the order, the member can still settle it: take back, and everything is zero.
    kudos.take_back(session, session.get(User, fan.id), post_id=answer.id)
    assert state_of(session, answer.id, helper.id)["reputation"] == 0


def test_storm_of_many_members_giving_and_taking_back_on_two_posts(app, session, thread, question_id, answer,
                                                                    member, helper, make_user):
    fans = [make_user() for _ in range(WRITERS)]
    posts = [question_id, answer.id]

    def storm(own, fan_id):
        chooser = random.Random(fan_id)
        user = own.get(User, fan_id)
        for _ in range(8):
            post_id = chooser.choice(posts)
            if chooser.random() < 0.6:
                kudos.give(own, user, post_id=post_id)
            else:
                kudos.take_back(own, user, post_id=post_id)

    run_at_once(app, storm, [f.id for f in fans])

    session.commit()
    session.expire_all()
    for post_id, author, points in ((question_id, member, 5), (answer.id, helper, 10)):
        state = state_of(session, post_id, author.id)
        assert state["count"] == state["rows"] >= 0
        assert sum(state["events"]) == points * state["rows"]
    assert session.scalar(select(Thread.kudos_count).where(Thread.id == thread.id)) == \
        state_of(session, question_id, member.id)["rows"]
    assert reputation.verify(session) == []
    stored = dict(session.execute(select(User.id, User.reputation)).all())
    expected = reputation.expected_from_state(session)
    assert stored == {user_id: expected.get(user_id, 0) for user_id in stored}


def test_simultaneous_badge_checks_award_a_badge_once(app, session, answer, helper):
    session.execute(update(Post).where(Post.id == answer.id).values(kudos_count=100))
    session.commit()

    def check(own, _):
        with db.transaction(own):
            return [award.badge for award in badges.check(own, [helper.id])]

    awarded = run_at_once(app, check, range(WRITERS))

    assert sum(codes.count("hundred_kudos") for codes in awarded) == 1
    session.commit()
    rows = session.execute(select(BadgeAward.badge, func.count()).where(BadgeAward.user_id == helper.id)
                           .group_by(BadgeAward.badge)).all()
    assert dict(rows)["hundred_kudos"] == 1 and all(n == 1 for _, n in rows)


def test_solution_changes_at_once_leave_the_ledger_balanced(app, session, thread, member, moderator, make_user):
    authors = [make_user() for _ in range(4)]
    answers = [posting.answer(session, a, thread_id=thread.id, body=f"Answer number {i}: try this.")
               for i, a in enumerate(authors)]

    def choose(own, seed):
        chooser = random.Random(seed)
        actor = own.get(User, member.id if seed % 2 else moderator.id)
        for _ in range(5):
            if chooser.random() < 0.75:
                solutions.accept(own, actor, answer_id=chooser.choice(answers).id)
            else:
                solutions.unaccept(own, actor, thread_id=thread.id)

    run_at_once(app, choose, list(range(WRITERS)))

    session.commit()
    assert reputation.verify(session) == []
    stored = dict(session.execute(select(User.id, User.reputation)).all())
    expected = reputation.expected_from_state(session)
    assert stored == {user_id: expected.get(user_id, 0) for user_id in stored}
    accepted = session.scalar(select(Thread.accepted_answer_id).where(Thread.id == thread.id))
    assert sum(1 for a in authors if stored[a.id]) == (1 if accepted else 0)
