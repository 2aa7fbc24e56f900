"""Property tests of the reputation ledger: random sequences of kudos, take-backs, accepts,
un-accepts and changes of the accepted answer, by several members on several posts, and after
EVERY step the invariants of PRODUCT.md ("Reputation is a ledger", "Ranks") are checked:

- stored reputation == the sum of the member's ledger rows (`reputation.verify()` finds nothing);
- stored reputation == a recomputation from the posts' current state (`expected_from_state`),
  and == an independent model of what each kudos and each solution earned when it was given;
- kudos counts are never negative, equal the kudos rows, and the thread carries its question's;
- the rank follows the thresholds (checked at every boundary);
- no badge is held twice, and a badge once earned is never lost.

Invalid attempts (kudos on one's own post or on a comment, a suspended member, a member who did
not ask choosing the solution, unknown posts) must raise and change nothing at all: not one
ledger row, count or mark. Harmless repeats (giving twice, taking back what was never given,
accepting the accepted answer, un-accepting an open thread) must also write nothing.

The forum (members, boards, threads, posts) is built once per test through the posting services;
each example starts by deleting every kudos, ledger row and badge and zeroing every counter and
solution mark, and checks that nothing from an earlier example is left.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, func, select, update

from app.models import BadgeAward, Board, Kudos, Post, ReputationEvent, Thread, User
from app.services import kudos, posting, ranks, reputation, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_POINTS, DEFAULT_RANKS, ReputationRules
from tests.conftest import _PASSWORD_HASH
from tests.databases import empty_all_tables

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

# Point tables and thresholds an example may run under: the defaults, and others, so nothing in
# the services silently relies on the default numbers.
RULE_VARIANTS = (
    ReputationRules(),
    ReputationRules(points={**DEFAULT_POINTS, "kudos_question": 3, "kudos_answer": 7, "answer_accepted": 40,
                            "accepted_solution": 1},
                    ranks=(("Newcomer", 0), ("Regular", 10), ("Guru", 30)), kudos_per_day=3),
    ReputationRules(points={**DEFAULT_POINTS, "kudos_question": 1, "kudos_answer": 2, "answer_accepted": 3,
                            "accepted_solution": 0},
                    ranks=(("A", 0), ("B", 2), ("C", 5), ("D", 11)), kudos_per_day=2),
)
# What a rule change may switch to in the middle of a run (the values must still balance).
POINT_CHANGES = (
    {"kudos_question": 5, "kudos_answer": 10, "answer_accepted": 15, "accepted_solution": 2},
    {"kudos_question": 9, "kudos_answer": 25, "answer_accepted": 1, "accepted_solution": 6},
    {"kudos_question": 2, "kudos_answer": 3, "answer_accepted": 50, "accepted_solution": 0},
)

MACHINE_SETTINGS = settings(max_examples=60, stateful_step_count=25, deadline=None,
                            suppress_health_check=[HealthCheck.too_slow])


def reference_rank(reputation_value: int, thresholds) -> tuple[str, int]:
    """The rank by the definition, written independently of ranks.rank_for."""
    chosen = (thresholds[0][0], 0)
    for level, (name, floor) in enumerate(thresholds):
        if reputation_value >= floor:
            chosen = (name, level)
    return chosen


@dataclass
class Model:
    """What the state should be, kept beside the database by the test alone.

    `kudos` maps (giver, post) to (when, points earned then); `accepted` maps a thread to
    (answer, who accepted, points to the answer's author, points to the asker) as earned then.
    """

    kudos: dict[tuple[int, int], tuple[datetime, int]] = field(default_factory=dict)
    accepted: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Forum:
    """The members, threads and posts every example plays on (ids only; built once per test)."""

    members: tuple[int, ...]
    moderator: int
    suspended: int
    threads: tuple[int, ...]
    posts: tuple[int, ...]  # the questions, then the answers: what kudos may go to
    answers: tuple[int, ...]
    comment: int
    post_info: dict[int, tuple[int, str, int]]  # post -> (author, kind, thread)
    thread_author: dict[int, int]

    @property
    def actors(self) -> tuple[int, ...]:
        return (*self.members, self.moderator, self.suspended)


def build_forum(s) -> Forum:  # noqa: ANN001
    """Five members (three of them askers), a moderator and a suspended member; three threads in
    two boards with eight answers, two of them the asker's own, and a comment."""

    def user(name: str, role: str = "member", suspended: bool = False) -> User:
        user = User(email=f"{name.lower()}@example.com", display_name=name, role=role, password_hash=_PASSWORD_HASH)
        if suspended:
            user.suspended_until = datetime.now(timezone.utc) + timedelta(days=30)
        s.add(user)
        s.commit()
        return user

    anna, bert, cleo, dirk, emil = members = [user(n) for n in ("Anna", "Bert", "Cleo", "Dirk", "Emil")]
    moderator, suspended = user("Maja", role="moderator"), user("Sid", suspended=True)
    boards = [Board(slug="printers", name="Printers", position=0), Board(slug="laptops", name="Laptops", position=1)]
    s.add_all(boards)
    s.commit()
    threads = [
        posting.ask(s, anna, board_id=boards[0].id, title="Printer offline after update",
                    body="It printed yesterday and now it shows offline."),
        posting.ask(s, bert, board_id=boards[1].id, title="Laptop battery drains overnight",
                    body="The battery is empty every morning although it is shut down."),
        posting.ask(s, cleo, board_id=boards[0].id, title="Scanner not found on network",
                    body="The scan app cannot find the scanner on the network any more."),
    ]
    t0, t1, t2 = (t.id for t in threads)
    answers = [
        posting.answer(s, bert, thread_id=t0, body="Restart the print spooler service."),
        posting.answer(s, cleo, thread_id=t0, body="Set a static IP address for it."),
        posting.answer(s, anna, thread_id=t0, body="Self answer: a new driver fixed it."),
        posting.answer(s, cleo, thread_id=t1, body="Disable fast startup in Windows."),
        posting.answer(s, dirk, thread_id=t1, body="Update the BIOS to the newest version."),
        posting.answer(s, bert, thread_id=t1, body="Self answer: unplug the USB mouse."),
        posting.answer(s, anna, thread_id=t1, body="Turn off wake on LAN in the BIOS."),
        posting.answer(s, emil, thread_id=t2, body="Add the scanner by its IP address."),
    ]
    comment = posting.comment(s, dirk, post_id=answers[0].id, body="This worked for me too.")
    questions = list(s.scalars(select(Post).where(Post.kind == "question").order_by(Post.thread_id)))
    posts = [*questions, *answers]
    return Forum(
        members=tuple(u.id for u in members), moderator=moderator.id, suspended=suspended.id,
        threads=(t0, t1, t2), posts=tuple(p.id for p in posts), answers=tuple(a.id for a in answers),
        comment=comment.id, post_info={p.id: (p.author_id, p.kind, p.thread_id) for p in [*posts, comment]},
        thread_author={t.id: t.author_id for t in threads},
    )


def reset_reputation_state(s) -> None:  # noqa: ANN001
    """Back to the forum as built, before anyone gave kudos or chose a solution: every row and
    counter the actions write is removed or zeroed, so no example sees the one before it."""
    s.execute(delete(Kudos))
    s.execute(delete(ReputationEvent))
    s.execute(delete(BadgeAward))
    s.execute(update(User).values(reputation=0))
    s.execute(update(Post).values(kudos_count=0))
    s.execute(update(Thread).values(kudos_count=0, accepted_answer_id=None, accepted_by_id=None,
                                    accepted_at=None, status="open"))
    s.commit()


class LedgerMachine(RuleBasedStateMachine):
    """Set `app` and `forum` on a subclass before running it (see the `machine` fixture)."""

    app = None
    forum: Forum
    allow_rule_changes = False

    def __init__(self) -> None:
        super().__init__()
        self.session = self.app.extensions["db_sessionmaker"]()
        reset_reputation_state(self.session)
        forum = self.forum
        users = {u.id: u for u in self.session.scalars(select(User))}
        assert set(users) == set(forum.actors), "rows from elsewhere leaked into the example"
        self.actors = [users[i] for i in forum.actors]
        self.actor_ids = list(forum.actors)
        self.moderator, self.suspended = users[forum.moderator], users[forum.suspended]
        self.post_info, self.thread_author = forum.post_info, forum.thread_author
        self.unknown_post_id = max(self.post_info) + 1000
        self.unknown_thread_id = max(self.thread_author) + 1000
        self.model = Model()
        self.now = START
        self.rules = RULE_VARIANTS[0]
        self.rules_changed = False
        self.badges_seen: set[tuple[int, str]] = set()

    def teardown(self) -> None:
        self.session.close()

    # --- reading the state ------------------------------------------------------------------------

    def snapshot(self) -> tuple:
        """Everything an action could change, down to single ledger rows."""
        s = self.session
        s.commit()  # a new read snapshot
        state = (
            s.execute(select(ReputationEvent.id, ReputationEvent.user_id, ReputationEvent.delta,
                             ReputationEvent.reason, ReputationEvent.post_id).order_by(ReputationEvent.id)).all(),
            s.execute(select(User.id, User.reputation).order_by(User.id)).all(),
            s.execute(select(Kudos.post_id, Kudos.giver_id).order_by(Kudos.post_id, Kudos.giver_id)).all(),
            s.execute(select(Post.id, Post.kudos_count).order_by(Post.id)).all(),
            s.execute(select(Thread.id, Thread.kudos_count, Thread.accepted_answer_id, Thread.accepted_by_id,
                             Thread.status).order_by(Thread.id)).all(),
            s.execute(select(BadgeAward.user_id, BadgeAward.badge).order_by(BadgeAward.id)).all(),
        )
        s.commit()
        return state

    def expect_unchanged(self, action, *, raises: type[Exception] | None) -> None:
        before = self.snapshot()
        if raises is None:
            action()
        else:
            with pytest.raises(raises):
                action()
        assert self.snapshot() == before, "an invalid or repeated action changed the state"

    def _points_for_kind(self, kind: str) -> int:
        return self.rules.points["kudos_question" if kind == "question" else "kudos_answer"]

    def _given_in_last_day(self, giver_id: int) -> int:
        return sum(1 for (g, _), (when, _) in self.model.kudos.items()
                   if g == giver_id and when > self.now - timedelta(days=1))

    # --- set-up of an example --------------------------------------------------------------------

    @initialize(variant=st.sampled_from(range(len(RULE_VARIANTS))))
    def choose_rules(self, variant: int) -> None:
        self.rules = RULE_VARIANTS[variant]
        note(f"rules: {self.rules}")
        # (d) at every boundary: the floor itself has the rank, one point less the rank below
        thresholds = self.rules.ranks
        for level, (name, floor) in enumerate(thresholds):
            assert ranks.rank_for(floor, thresholds).name == name
            assert ranks.rank_for(floor - 1, thresholds).level == max(level - 1, 0)

    # --- the actions ------------------------------------------------------------------------------

    @rule(giver=st.integers(0, 6), post=st.integers(-2, 10))
    def give_kudos(self, giver: int, post: int) -> None:
        self._give(giver, post)

    @rule(giver=st.integers(0, 5), posts=st.lists(st.integers(0, 10), min_size=2, max_size=5))
    def generous_member(self, giver: int, posts: list[int]) -> None:
        """One member gives kudos to several posts in a row: reaches the daily allowance."""
        for post in posts:
            self._give(giver, post)

    def _give(self, giver: int, post: int) -> None:
        actor = self.actors[giver]
        post_id = self._post_id(post)
        expected = self._refusal(actor, post_id)
        if expected is None and (actor.id, post_id) not in self.model.kudos \
                and self._given_in_last_day(actor.id) >= self.rules.kudos_per_day:
            expected = Forbidden  # the daily allowance is used up
        if expected is not None or (actor.id, post_id) in self.model.kudos:
            self.expect_unchanged(lambda: kudos.give(self.session, actor, post_id=post_id, rules=self.rules,
                                                     now=self.now), raises=expected)
            return
        count = kudos.give(self.session, actor, post_id=post_id, rules=self.rules, now=self.now)
        self.model.kudos[(actor.id, post_id)] = (self.now, self._points_for_kind(self.post_info[post_id][1]))
        assert count == sum(1 for (_, p) in self.model.kudos if p == post_id)
        assert self.session.scalar(select(BadgeAward.id).where(BadgeAward.user_id == actor.id,
                                                               BadgeAward.badge == "first_kudos_given"))

    @rule(giver=st.integers(0, 6), post=st.integers(-2, 10))
    def take_back_kudos(self, giver: int, post: int) -> None:
        actor = self.actors[giver]
        post_id = self._post_id(post)
        expected = self._refusal(actor, post_id)
        if expected is not None or (actor.id, post_id) not in self.model.kudos:
            self.expect_unchanged(lambda: kudos.take_back(self.session, actor, post_id=post_id, now=self.now),
                                  raises=expected)
            return
        count = kudos.take_back(self.session, actor, post_id=post_id, now=self.now)
        del self.model.kudos[(actor.id, post_id)]
        assert count == sum(1 for (_, p) in self.model.kudos if p == post_id)

    @rule(who=st.integers(0, 6), answer=st.integers(-2, 10))
    def accept(self, who: int, answer: int) -> None:
        """Anyone tries to accept any post: only the asker (or staff) and only answers succeed."""
        actor = self.actors[who]
        post_id = self._post_id(answer)
        if post_id == self.unknown_post_id:
            expected = NotFound
        elif self.post_info[post_id][1] != "answer":
            expected = InvalidInput
        else:
            expected = None if self._may_choose(actor, self.post_info[post_id][2]) else Forbidden
        if expected is not None or self._accepted_answer(post_id) == post_id:
            self.expect_unchanged(lambda: solutions.accept(self.session, actor, answer_id=post_id, rules=self.rules,
                                                           now=self.now), raises=expected)
            return
        self._accept(actor, post_id)

    def _changeable(self) -> list[int]:
        """Solved threads with more than one answer: their solution can move to another."""
        return [t for t in sorted(self.model.accepted)
                if sum(1 for a in self.forum.answers if self.post_info[a][2] == t) > 1]

    @precondition(lambda self: bool(self._changeable()))
    @rule(data=st.data())
    def change_accepted_answer(self, data) -> None:  # noqa: ANN001
        """The asker (or a moderator) switches a solved thread to another of its answers."""
        thread_id = data.draw(st.sampled_from(self._changeable()), label="thread")
        current = self.model.accepted[thread_id][0]
        others = [a for a in self.forum.answers if self.post_info[a][2] == thread_id and a != current]
        post_id = data.draw(st.sampled_from(others), label="new answer")
        asker = next(u for u in self.actors if u.id == self.thread_author[thread_id])
        actor = data.draw(st.sampled_from([asker, self.moderator]), label="actor")
        self._accept(actor, post_id)

    @rule(who=st.integers(0, 6), thread=st.integers(-1, 2))
    def unaccept(self, who: int, thread: int) -> None:
        actor = self.actors[who]
        thread_id = self.unknown_thread_id if thread < 0 else self.forum.threads[thread]
        if thread_id == self.unknown_thread_id:
            expected = NotFound
        else:
            expected = None if self._may_choose(actor, thread_id) else Forbidden
        if expected is not None or thread_id not in self.model.accepted:
            self.expect_unchanged(lambda: solutions.unaccept(self.session, actor, thread_id=thread_id,
                                                             rules=self.rules, now=self.now), raises=expected)
            return
        solutions.unaccept(self.session, actor, thread_id=thread_id, rules=self.rules, now=self.now)
        del self.model.accepted[thread_id]

    @rule(hours=st.sampled_from([1, 6, 23, 25]))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @precondition(lambda self: self.allow_rule_changes)
    @rule(change=st.sampled_from(range(len(POINT_CHANGES))))
    def change_point_values(self, change: int) -> None:
        """The operator changes the configuration: what was earned stays, reversals undo exactly it."""
        self.rules = ReputationRules(points={**DEFAULT_POINTS, **POINT_CHANGES[change]}, ranks=self.rules.ranks,
                                     kudos_per_day=self.rules.kudos_per_day)
        self.rules_changed = True

    # --- helpers of the actions ------------------------------------------------------------------

    def _post_id(self, index: int) -> int:
        if index == -2:
            return self.unknown_post_id
        if index == -1:
            return self.forum.comment
        return self.forum.posts[index]

    def _refusal(self, actor: User, post_id: int) -> type[Exception] | None:
        """Which error giving or taking back kudos must raise, in the services' order of checks."""
        if post_id == self.unknown_post_id:
            return NotFound
        author_id, kind, _ = self.post_info[post_id]
        if kind == "comment":
            return InvalidInput
        if actor is self.suspended or author_id == actor.id:
            return Forbidden
        return None

    def _may_choose(self, actor: User, thread_id: int) -> bool:
        return actor is self.moderator or (actor is not self.suspended and actor.id == self.thread_author[thread_id])

    def _accepted_answer(self, post_id: int) -> int | None:
        thread_id = self.post_info[post_id][2]
        return self.model.accepted.get(thread_id, (None,))[0]

    def _accept(self, actor: User, post_id: int) -> None:
        author_id, _, thread_id = self.post_info[post_id]
        asker = self.thread_author[thread_id]
        solutions.accept(self.session, actor, answer_id=post_id, rules=self.rules, now=self.now)
        if author_id == asker:  # a self-answer earns nothing, whoever accepts it
            earned = (0, 0)
        else:
            earned = (self.rules.points["answer_accepted"],
                      self.rules.points["accepted_solution"] if actor.id == asker else 0)
        self.model.accepted[thread_id] = (post_id, actor.id, *earned)

    # --- what must hold after every step --------------------------------------------------------

    def _model_reputation(self, points_now: dict | None = None) -> dict[int, int]:
        """Each member's reputation by the model: as earned at the time, or (with `points_now`) as
        if everything had been earned under those point values."""
        totals = dict.fromkeys(self.actor_ids, 0)
        for (_, post_id), (_, earned) in self.model.kudos.items():
            author_id, kind, _ = self.post_info[post_id]
            if points_now is not None:
                earned = points_now["kudos_question" if kind == "question" else "kudos_answer"]
            totals[author_id] += earned
        for thread_id, (answer_id, accepter, to_author, to_asker) in self.model.accepted.items():
            author_id, asker = self.post_info[answer_id][0], self.thread_author[thread_id]
            if points_now is not None and author_id != asker:
                to_author = points_now["answer_accepted"]
                to_asker = points_now["accepted_solution"] if accepter == asker else 0
            totals[author_id] += to_author
            totals[asker] += to_asker
        return totals

    @invariant()
    def everything_balances(self) -> None:
        """One method, so each step costs few queries (the suite also runs on PostgreSQL)."""
        s = self.session
        s.commit()  # a new read snapshot (reads below select columns, never stale ORM objects)
        stored = dict(s.execute(select(User.id, User.reputation)).all())
        self._check_reputation(s, stored)
        self._check_kudos_and_solutions(s)
        self._check_ranks(stored)
        self._check_badges(s)
        s.commit()

    def _check_reputation(self, s, stored: dict[int, int]) -> None:  # noqa: ANN001
        # (a) stored == the sum of the ledger rows, by the service and by the test's own query
        assert reputation.verify(s) == []
        ledger = dict(s.execute(select(ReputationEvent.user_id, func.sum(ReputationEvent.delta))
                                .group_by(ReputationEvent.user_id)).all())
        assert set(stored) == set(self.actor_ids)  # only this example's members exist
        assert stored == {user_id: ledger.get(user_id, 0) for user_id in stored}
        # (b) stored == a recomputation from the posts' current state (when the points never changed)
        recomputed = reputation.expected_from_state(s, self.rules)
        assert set(recomputed) <= set(stored)
        if not self.rules_changed:
            assert stored == {user_id: recomputed.get(user_id, 0) for user_id in stored}
        # The model: stored numbers are what each kudos/solution earned when it was given ...
        assert stored == self._model_reputation()
        # ... and the kudos and solutions in the database are the model's (under today's points).
        model_now = self._model_reputation(self.rules.points)
        assert {u: v for u, v in recomputed.items() if v} == {u: v for u, v in model_now.items() if v}

    def _check_kudos_and_solutions(self, s) -> None:  # noqa: ANN001
        # (c) kudos rows are the model's; each post's count is its rows; none is negative
        rows = sorted(tuple(r) for r in s.execute(select(Kudos.giver_id, Kudos.post_id)))
        assert rows == sorted(self.model.kudos)
        per_post = {post_id: sum(1 for _, p in rows if p == post_id) for post_id in self.post_info}
        counts = dict(s.execute(select(Post.id, Post.kudos_count)).all())
        assert counts == per_post, "a post's kudos count differs from its kudos rows"
        assert min(counts.values()) >= 0
        # the thread carries its question's count; its solution is the model's
        for thread_id, thread_count, question_count, answer_id, accepted_by, status in s.execute(
            select(Thread.id, Thread.kudos_count, Post.kudos_count, Thread.accepted_answer_id,
                   Thread.accepted_by_id, Thread.status)
            .join(Post, (Post.thread_id == Thread.id) & (Post.kind == "question"))
        ):
            assert thread_count == question_count >= 0, f"thread {thread_id}: {thread_count} != {question_count}"
            expected = self.model.accepted.get(thread_id)
            assert (answer_id, accepted_by) == ((expected[0], expected[1]) if expected else (None, None))
            assert status == ("solved" if expected else "open")

    def _check_ranks(self, stored: dict[int, int]) -> None:
        # (d) every member's rank follows the thresholds
        thresholds = self.rules.ranks
        for value in stored.values():
            rank = ranks.rank_for(value, thresholds)
            assert (rank.name, rank.level) == reference_rank(value, thresholds)
            assert rank.floor <= value or rank.level == 0
            if rank.next_at is not None:
                assert value < rank.next_at and rank.to_next == rank.next_at - value > 0
                assert 0 <= rank.progress <= 100

    def _check_badges(self, s) -> None:  # noqa: ANN001
        # (e) no badge is held twice, and none is ever taken away
        held = [tuple(r) for r in s.execute(select(BadgeAward.user_id, BadgeAward.badge))]
        assert len(held) == len(set(held)), "a badge was awarded twice"
        assert self.badges_seen <= set(held), "a badge was taken away"
        self.badges_seen = set(held)


@pytest.fixture
def machine(app, session):
    """A subclass bound to this test's app and forum; each example resets the state it plays on."""
    forum = build_forum(session)

    def bind(**attributes):
        return type("BoundLedgerMachine", (LedgerMachine,), {"app": app, "forum": forum, **attributes})

    return bind


def test_random_actions_keep_the_ledger_balanced(machine):
    run_state_machine_as_test(machine(), settings=MACHINE_SETTINGS)


def test_random_actions_balance_when_point_values_change_between_them(machine):
    run_state_machine_as_test(machine(allow_rule_changes=True),
                              settings=settings(MACHINE_SETTINGS, max_examples=40))


# --- changed point values, step by step -------------------------------------------------------------

POINTS = st.integers(min_value=0, max_value=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.tuples(POINTS, POINTS, POINTS), after=st.tuples(POINTS, POINTS, POINTS))
def test_take_back_and_unaccept_undo_exactly_what_was_earned_under_older_points(app, database_url, before, after):
    empty_all_tables(database_url)
    first = ReputationRules(points={**DEFAULT_POINTS, "kudos_answer": before[0], "kudos_question": before[1],
                                    "answer_accepted": before[2]})
    second = ReputationRules(points={**DEFAULT_POINTS, "kudos_answer": after[0], "kudos_question": after[1],
                                     "answer_accepted": after[2]})
    s = app.extensions["db_sessionmaker"]()
    try:
        asker, helper, other, fan = (User(email=f"{n}@example.com", display_name=n, password_hash=_PASSWORD_HASH)
                                     for n in ("asker", "helper", "other", "fan"))
        board = Board(slug="printers", name="Printers", position=0)
        s.add_all([asker, helper, other, fan, board])
        s.commit()
        thread = posting.ask(s, asker, board_id=board.id, title="Printer offline after update",
                             body="It printed yesterday and now it shows offline.")
        question_id = s.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))
        answer = posting.answer(s, helper, thread_id=thread.id, body="Restart the print spooler.")
        second_answer = posting.answer(s, other, thread_id=thread.id, body="Give it a static IP address.")

        kudos.give(s, fan, post_id=answer.id, rules=first)
        kudos.give(s, fan, post_id=question_id, rules=first)
        solutions.accept(s, asker, answer_id=answer.id, rules=first)
        s.commit()
        assert reputation.expected_from_state(s, first).get(helper.id, 0) == before[0] + before[2]
        assert s.get(User, helper.id, populate_existing=True).reputation == before[0] + before[2]

        # The configuration changes; taking back and changing the solution undo the old values.
        kudos.take_back(s, fan, post_id=answer.id)
        kudos.take_back(s, fan, post_id=question_id)
        solutions.accept(s, asker, answer_id=second_answer.id, rules=second)
        s.commit()
        assert reputation.verify(s) == []
        reps = dict(s.execute(select(User.id, User.reputation)).all())
        assert reps[helper.id] == 0
        assert reps[asker.id] == DEFAULT_POINTS["accepted_solution"]  # earned again for the new choice
        assert reps[other.id] == after[2]
        assert reps == {u: reputation.expected_from_state(s, second).get(u, 0) for u in reps}

        # Under the new values a new kudos earns the new number, and taking it back undoes that.
        kudos.give(s, fan, post_id=answer.id, rules=second)
        s.commit()
        assert s.get(User, helper.id, populate_existing=True).reputation == after[0]
        kudos.take_back(s, fan, post_id=answer.id)
        solutions.unaccept(s, asker, thread_id=thread.id, rules=first)
        s.commit()
        assert reputation.verify(s) == []
        assert set(s.scalars(select(User.reputation))) == {0}
        nets = s.execute(select(ReputationEvent.post_id, func.sum(ReputationEvent.delta))
                         .group_by(ReputationEvent.post_id)).all()
        assert all(net == 0 for _, net in nets)
    finally:
        s.close()


@given(value=st.integers(min_value=-10**6, max_value=10**7))
def test_rank_for_any_reputation_follows_the_default_thresholds(value):
    rank = ranks.rank_for(value)
    assert (rank.name, rank.level) == reference_rank(value, DEFAULT_RANKS)
    assert 0 <= rank.progress <= 100
    if rank.next_at is None:
        assert rank.name == "Champion" and rank.to_next is None and rank.progress == 100
    else:
        assert rank.to_next == rank.next_at - value > 0
