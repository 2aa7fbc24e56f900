"""Property tests of the reputation ledger: random sequences of kudos, take-backs, accepts,
un-accepts and changes of the accepted answer, and of moderation (hiding and restoring posts,
approving them, members' flags that hide a post on their own, official marks set, moved and
removed), by several members and staff on several posts. After EVERY step the invariants of
PRODUCT.md ("Reputation is a ledger", "Ranks", "Moderation") are checked:

- stored reputation == the sum of the member's ledger rows (`reputation.verify()` finds nothing);
- stored reputation == a recomputation from the posts' current state (`expected_from_state`),
  and == an independent model of what each kudos, solution and official mark earned when it was
  given (a hidden post earns nothing; restoring gives back exactly what hiding took);
- kudos counts are never negative, equal the kudos rows, and the thread carries its question's;
- review states, hidden threads, answer counts, solution and official marks, the marks a hidden
  answer holds for its restore, flags (open or resolved) and the audit log (one row per move,
  naming the actor) are the model's;
- the rank follows the thresholds (checked at every boundary);
- no badge is held twice, and a badge once earned is never lost.

Invalid attempts (kudos on one's own post, on a comment or on a hidden post, a suspended member,
a member who did not ask choosing the solution, members reviewing or marking, staff or authors
flagging, posts someone may not see, unknown posts) must raise and change nothing at all: not one
ledger row, count, mark, flag or audit row. Harmless repeats (giving twice, taking back what was
never given, accepting the accepted answer, un-accepting an open thread, marking the official
answer again, unmarking when there is none, flagging twice) must also write nothing.

The forum (members, staff, boards, threads, posts) is built once per test through the posting
services; each example starts by deleting every kudos, ledger row, badge, flag and audit row and
putting every counter, mark and review state back, and checks that nothing from an earlier example
is left.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
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
from sqlalchemy import case, delete, func, select, update

from app.models import BadgeAward, Board, Flag, Kudos, ModerationAction, Post, ReputationEvent, Thread, User
from app.services import flags, kudos, official, posting, ranks, reputation, review, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_POINTS, DEFAULT_RANKS, ReputationRules
from tests.conftest import _PASSWORD_HASH
from tests.databases import empty_all_tables

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

# Point tables, thresholds and flag weights an example may run under: the defaults, and others, so
# nothing in the services silently relies on the default numbers.
RULE_VARIANTS = (
    ReputationRules(),
    ReputationRules(points={**DEFAULT_POINTS, "kudos_question": 3, "kudos_answer": 7, "answer_accepted": 40,
                            "accepted_solution": 1},
                    ranks=(("Newcomer", 0), ("Regular", 10), ("Guru", 30)), kudos_per_day=3,
                    flag_hide_weight=2, flag_weights=(1, 2, 3)),
    ReputationRules(points={**DEFAULT_POINTS, "kudos_question": 1, "kudos_answer": 2, "answer_accepted": 3,
                            "accepted_solution": 0, "answer_official": 4},
                    ranks=(("A", 0), ("B", 2), ("C", 5), ("D", 11)), kudos_per_day=2,
                    flag_hide_weight=4, flag_weights=(1, 2, 2, 4)),
)
# What a rule change may switch to in the middle of a run (the values must still balance).
POINT_CHANGES = (
    {"kudos_question": 5, "kudos_answer": 10, "answer_accepted": 15, "accepted_solution": 2},
    {"kudos_question": 9, "kudos_answer": 25, "answer_accepted": 1, "accepted_solution": 6, "answer_official": 3},
    {"kudos_question": 2, "kudos_answer": 3, "answer_accepted": 50, "accepted_solution": 0, "answer_official": 40},
)

# Who acts: the five members, the moderator, the suspended member and the admin (see Forum.actors);
# staff's moves are drawn from STAFF_MOSTLY, half the time the moderator or the admin, so that they
# are not nearly always refused.
ACTOR = st.integers(0, 7)
STAFF_MOSTLY = st.one_of(st.sampled_from([5, 7]), ACTOR)
# Which post: the three questions and nine answers; -1 the comment, -2 a post that does not exist.
POST = st.integers(-2, 11)

MACHINE_SETTINGS = settings(max_examples=60, stateful_step_count=30, deadline=None,
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
    (answer, who accepted, points to the answer's author, points to the asker) as earned then, and
    `official` to (answer, who marked it, points to the answer's author). `states` is every post's
    review state; `held` maps a hidden answer to the (accepter, marker) of the marks it held, for
    its restore; `flags` maps (flagger, post) to (weight, still open); `audit` lists the audit
    log's rows as (action, actor, post).
    """

    states: dict[int, str]
    kudos: dict[tuple[int, int], tuple[datetime, int]] = field(default_factory=dict)
    accepted: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)
    official: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    held: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    flags: dict[tuple[int, int], tuple[int, bool]] = field(default_factory=dict)
    audit: list[tuple[str, int | None, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Forum:
    """The members, threads and posts every example plays on (ids only; built once per test)."""

    members: tuple[int, ...]
    moderator: int
    admin: int
    suspended: int
    threads: tuple[int, ...]
    posts: tuple[int, ...]  # the questions, then the answers: what kudos may go to
    answers: tuple[int, ...]
    comment: int
    post_info: dict[int, tuple[int, str, int]]  # post -> (author, kind, thread)
    thread_author: dict[int, int]
    review_states: dict[int, str]  # as posted: the staff answer approved, the others unreviewed

    @property
    def actors(self) -> tuple[int, ...]:
        return (*self.members, self.moderator, self.suspended, self.admin)

    @property
    def questions(self) -> dict[int, int]:
        """thread -> its question"""
        return {thread: post for post, (_, kind, thread) in self.post_info.items() if kind == "question"}


def build_forum(s) -> Forum:  # noqa: ANN001
    """Five members (three of them askers), a moderator, an admin and a suspended member; three
    threads in two boards with nine answers, two of them the asker's own and one the moderator's,
    and a comment."""

    def user(name: str, role: str = "member", suspended: bool = False) -> User:
        user = User(email=f"{name.lower()}@example.com", display_name=name, role=role, password_hash=_PASSWORD_HASH)
        if suspended:
            user.suspended_until = datetime.now(timezone.utc) + timedelta(days=30)
        s.add(user)
        s.commit()
        return user

    anna, bert, cleo, dirk, emil = members = [user(n) for n in ("Anna", "Bert", "Cleo", "Dirk", "Emil")]
    moderator, suspended, admin = user("Maja", role="moderator"), user("Sid", suspended=True), user("Ada", "admin")
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
        posting.answer(s, moderator, thread_id=t2, body="Staff tip: reinstall the scan driver."),
    ]
    comment = posting.comment(s, dirk, post_id=answers[0].id, body="This worked for me too.")
    questions = list(s.scalars(select(Post).where(Post.kind == "question").order_by(Post.thread_id)))
    posts = [*questions, *answers]
    forum = Forum(
        members=tuple(u.id for u in members), moderator=moderator.id, admin=admin.id, suspended=suspended.id,
        threads=(t0, t1, t2), posts=tuple(p.id for p in posts), answers=tuple(a.id for a in answers),
        comment=comment.id, post_info={p.id: (p.author_id, p.kind, p.thread_id) for p in [*posts, comment]},
        thread_author={t.id: t.author_id for t in threads},
        review_states={p.id: p.review_state for p in [*posts, comment]},
    )
    assert (len(forum.actors), len(forum.posts)) == (8, 12), "ACTOR and POST above draw from these"
    return forum


def reset_reputation_state(s) -> None:  # noqa: ANN001
    """Back to the forum as built, before anyone gave kudos, chose a solution, flagged or moderated:
    every row and counter the actions write is removed or put back, so no example sees the one
    before it."""
    for model in (Kudos, ReputationEvent, BadgeAward, Flag, ModerationAction):
        s.execute(delete(model))
    s.execute(update(User).values(reputation=0))
    s.execute(update(Post).values(
        kudos_count=0, review_state=case((Post.posted_as_staff, "approved"), else_="unreviewed"),
        hidden_reason=None, hidden_note=None, hidden_at=None, hidden_by_id=None,
        hidden_accepted_by_id=None, hidden_official_by_id=None,
    ))
    every_answer = (select(func.count(Post.id)).where(Post.thread_id == Thread.id, Post.kind == "answer")
                    .scalar_subquery())
    s.execute(update(Thread).values(
        kudos_count=0, accepted_answer_id=None, accepted_by_id=None, accepted_at=None, status="open",
        official_answer_id=None, official_by_id=None, official_at=None, is_hidden=False, answer_count=every_answer,
    ).execution_options(synchronize_session=False))
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
        self.suspended = users[forum.suspended]
        self.staff = [users[forum.moderator], users[forum.admin]]
        self.post_info, self.thread_author = forum.post_info, forum.thread_author
        self.questions = forum.questions
        self.unknown_post_id = max(self.post_info) + 1000
        self.unknown_thread_id = max(self.thread_author) + 1000
        self.model = Model(states=dict(forum.review_states))
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
            s.execute(select(Post.id, Post.kudos_count, Post.review_state, Post.hidden_reason, Post.hidden_by_id,
                             Post.reviewed_at).order_by(Post.id)).all(),
            s.execute(select(Thread.id, Thread.kudos_count, Thread.accepted_answer_id, Thread.accepted_by_id,
                             Thread.status, Thread.official_answer_id, Thread.official_by_id, Thread.is_hidden,
                             Thread.answer_count).order_by(Thread.id)).all(),
            s.execute(select(BadgeAward.user_id, BadgeAward.badge).order_by(BadgeAward.id)).all(),
            s.execute(select(Flag.id, Flag.weight, Flag.resolved_at, Flag.outcome).order_by(Flag.id)).all(),
            s.execute(select(ModerationAction.id).order_by(ModerationAction.id)).all(),
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

    # --- the actions: kudos and solutions ----------------------------------------------------------

    @rule(giver=ACTOR, post=POST)
    def give_kudos(self, giver: int, post: int) -> None:
        self._give(giver, post)

    @rule(giver=st.integers(0, 5), posts=st.lists(st.integers(0, 11), min_size=2, max_size=5))
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

    @rule(giver=ACTOR, post=POST)
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

    @rule(who=ACTOR, answer=POST)
    def accept(self, who: int, answer: int) -> None:
        """Anyone tries to accept any post: only the asker (or staff) and only visible answers succeed."""
        actor = self.actors[who]
        post_id = self._post_id(answer)
        if post_id == self.unknown_post_id:
            expected = NotFound
        elif self.post_info[post_id][1] != "answer":
            expected = InvalidInput
        elif not (self._sees_thread(actor, self.post_info[post_id][2]) and self._sees_post(actor, post_id)):
            expected = NotFound
        elif not self._may_choose(actor, self.post_info[post_id][2]):
            expected = Forbidden
        else:
            expected = InvalidInput if self._hidden(post_id) else None
        if expected is not None or self._accepted_answer(post_id) == post_id:
            self.expect_unchanged(lambda: solutions.accept(self.session, actor, answer_id=post_id, rules=self.rules,
                                                           now=self.now), raises=expected)
            return
        self._accept(actor, post_id)

    @rule(data=st.data())
    def choose_a_solution(self, data) -> None:  # noqa: ANN001
        """The asker (or staff) accepts one of the visible answers of a thread, or moves the solution
        to another one."""
        thread_id = data.draw(st.sampled_from(self.forum.threads), label="thread")
        answers = [a for a in self._visible_answers(thread_id) if a != self.model.accepted.get(thread_id, (None,))[0]]
        if not answers:
            return
        asker = next(u for u in self.actors if u.id == self.thread_author[thread_id])
        actor = data.draw(st.sampled_from([asker, *self.staff]), label="actor")
        self._accept(actor, data.draw(st.sampled_from(answers), label="answer"))

    def _visible_answers(self, thread_id: int) -> list[int]:
        return [a for a in self.forum.answers if self.post_info[a][2] == thread_id and not self._hidden(a)]

    @rule(who=ACTOR, thread=st.integers(-1, 2))
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
        earlier = self.model.accepted.pop(thread_id)[0]
        if actor.id != self.thread_author[thread_id]:  # staff choosing for the asker is logged
            self.model.audit.append(("unaccept", actor.id, earlier))

    @rule(hours=st.sampled_from([1, 6, 23, 25]))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @precondition(lambda self: self.allow_rule_changes)
    @rule(change=st.sampled_from(range(len(POINT_CHANGES))))
    def change_point_values(self, change: int) -> None:
        """The operator changes the configuration: what was earned stays, reversals undo exactly it."""
        self.rules = replace(self.rules, points={**DEFAULT_POINTS, **POINT_CHANGES[change]})
        self.rules_changed = True

    # --- the actions: moderation -------------------------------------------------------------------

    @rule(who=STAFF_MOSTLY, post=POST)
    def hide(self, who: int, post: int) -> None:
        """Anyone tries to hide any post: staff hide it (again: with the new reason), others may not."""
        actor, post_id = self.actors[who], self._post_id(post)
        expected = self._review_refusal(actor, post_id)
        if expected is not None:
            self.expect_unchanged(lambda: review.hide(self.session, actor, post_id=post_id, reason="spam",
                                                      rules=self.rules, now=self.now), raises=expected)
            return
        self._hide(actor, post_id)

    @precondition(lambda self: bool(self._marked_answers()))
    @rule(data=st.data())
    def hide_a_marked_answer(self, data) -> None:  # noqa: ANN001
        """Staff hide an answer that is the solution or official: the marks and their points go."""
        post_id = data.draw(st.sampled_from(self._marked_answers()), label="answer")
        self._hide(data.draw(st.sampled_from(self.staff), label="actor"), post_id)

    def _hide(self, actor: User, post_id: int) -> None:
        review.hide(self.session, actor, post_id=post_id, reason="spam", rules=self.rules, now=self.now)
        self._take_out_of_sight(post_id)
        self._resolve_flags(post_id)
        self.model.audit.append(("hide", actor.id, post_id))

    @rule(who=STAFF_MOSTLY, post=POST)
    def restore(self, who: int, post: int) -> None:
        actor, post_id = self.actors[who], self._post_id(post)
        expected = self._review_refusal(actor, post_id) or (None if self._hidden(post_id) else InvalidInput)
        if expected is not None:
            self.expect_unchanged(lambda: review.restore(self.session, actor, post_id=post_id, rules=self.rules,
                                                         now=self.now), raises=expected)
            return
        self._restore(actor, post_id)

    @precondition(lambda self: bool(self._hidden_posts()))
    @rule(data=st.data())
    def restore_a_hidden_post(self, data) -> None:  # noqa: ANN001
        post_id = data.draw(st.sampled_from(self._hidden_posts()), label="post")
        self._restore(data.draw(st.sampled_from(self.staff), label="actor"), post_id)

    @precondition(lambda self: bool(self._holding_marks()))
    @rule(data=st.data())
    def restore_an_answer_that_held_marks(self, data) -> None:  # noqa: ANN001
        """Restoring a hidden solution or official answer: the marks come back if still free."""
        post_id = data.draw(st.sampled_from(self._holding_marks()), label="answer")
        self._restore(data.draw(st.sampled_from(self.staff), label="actor"), post_id)

    def _holding_marks(self) -> list[int]:
        return sorted(p for p, marks in self.model.held.items() if marks != (None, None))

    def _restore(self, actor: User, post_id: int) -> None:
        """Back, approved, with the marks it held if nobody took their place meanwhile."""
        review.restore(self.session, actor, post_id=post_id, rules=self.rules, now=self.now)
        self.model.states[post_id] = "approved"
        accepter, marker = self.model.held.pop(post_id, (None, None))
        thread_id = self.post_info[post_id][2]
        if accepter is not None and thread_id not in self.model.accepted:
            self._set_accepted(post_id, accepter)
        if marker is not None and thread_id not in self.model.official:
            self._set_official(post_id, marker)
        self._resolve_flags(post_id)
        self.model.audit.append(("restore", actor.id, post_id))

    @rule(who=STAFF_MOSTLY, post=POST)
    def approve(self, who: int, post: int) -> None:
        actor, post_id = self.actors[who], self._post_id(post)
        expected = self._review_refusal(actor, post_id) or (InvalidInput if self._hidden(post_id) else None)
        if expected is not None:
            self.expect_unchanged(lambda: review.approve(self.session, actor, post_id=post_id, now=self.now),
                                  raises=expected)
            return
        review.approve(self.session, actor, post_id=post_id, now=self.now)
        self.model.states[post_id] = "approved"
        self._resolve_flags(post_id)
        self.model.audit.append(("approve", actor.id, post_id))

    @rule(who=ACTOR, post=POST)
    def flag(self, who: int, post: int) -> None:
        self._flag(self.actors[who], self._post_id(post))

    @rule(who=st.lists(ACTOR, min_size=2, max_size=5, unique=True), post=st.integers(-1, 11))
    def members_pile_on(self, who: list[int], post: int) -> None:
        """Several members flag the same post one after another: may reach the hiding weight."""
        for index in who:
            self._flag(self.actors[index], self._post_id(post))

    def _flag(self, actor: User, post_id: int) -> None:
        expected = self._flag_refusal(actor, post_id)
        if expected is not None or (actor.id, post_id) in self.model.flags:
            self.expect_unchanged(lambda: flags.raise_flag(self.session, actor, post_id=post_id, reason="spam",
                                                           rules=self.rules, now=self.now), raises=expected)
            return
        self.session.refresh(actor)  # as a request loads the member: the weight follows their rank now
        flags.raise_flag(self.session, actor, post_id=post_id, reason="spam", rules=self.rules, now=self.now)
        level = reference_rank(self._model_reputation()[actor.id], self.rules.ranks)[1]
        self.model.flags[(actor.id, post_id)] = (self.rules.flag_weight(level), True)
        open_weight = sum(w for (_, p), (w, is_open) in self.model.flags.items() if p == post_id and is_open)
        if open_weight >= self.rules.flag_hide_weight:  # hidden at once; the flags wait for staff
            self._take_out_of_sight(post_id)
            self.model.audit.append(("auto_hide", None, post_id))

    @rule(who=STAFF_MOSTLY, answer=POST)
    def mark_official(self, who: int, answer: int) -> None:
        actor, post_id = self.actors[who], self._post_id(answer)
        if not self._is_staff(actor):
            expected = Forbidden
        elif post_id == self.unknown_post_id or self.post_info[post_id][1] != "answer":
            expected = NotFound
        else:
            expected = InvalidInput if self._hidden(post_id) else None
        thread_id = None if post_id == self.unknown_post_id else self.post_info[post_id][2]
        if expected is not None or self.model.official.get(thread_id, (None,))[0] == post_id:
            self.expect_unchanged(lambda: official.mark(self.session, actor, answer_id=post_id, rules=self.rules,
                                                        now=self.now), raises=expected)
            return
        self._mark(actor, post_id)

    @rule(data=st.data())
    def staff_mark_an_answer_official(self, data) -> None:  # noqa: ANN001
        """Staff mark one of the visible answers of a thread official (moving an earlier mark)."""
        thread_id = data.draw(st.sampled_from(self.forum.threads), label="thread")
        answers = [a for a in self._visible_answers(thread_id) if a != self.model.official.get(thread_id, (None,))[0]]
        if not answers:
            return
        actor = data.draw(st.sampled_from(self.staff), label="actor")
        self._mark(actor, data.draw(st.sampled_from(answers), label="answer"))

    def _mark(self, actor: User, post_id: int) -> None:
        official.mark(self.session, actor, answer_id=post_id, rules=self.rules, now=self.now)
        self._set_official(post_id, actor.id)
        self.model.audit.append(("official", actor.id, post_id))

    @rule(who=STAFF_MOSTLY, thread=st.integers(-1, 2))
    def unmark_official(self, who: int, thread: int) -> None:
        actor = self.actors[who]
        thread_id = self.unknown_thread_id if thread < 0 else self.forum.threads[thread]
        if not self._is_staff(actor):
            expected = Forbidden
        else:
            expected = NotFound if thread_id == self.unknown_thread_id else None
        if expected is not None or thread_id not in self.model.official:
            self.expect_unchanged(lambda: official.unmark(self.session, actor, thread_id=thread_id, rules=self.rules,
                                                          now=self.now), raises=expected)
            return
        official.unmark(self.session, actor, thread_id=thread_id, rules=self.rules, now=self.now)
        earlier = self.model.official.pop(thread_id)[0]
        self.model.audit.append(("unofficial", actor.id, earlier))

    # --- helpers of the actions ------------------------------------------------------------------

    def _post_id(self, index: int) -> int:
        if index == -2:
            return self.unknown_post_id
        if index == -1:
            return self.forum.comment
        return self.forum.posts[index]

    def _is_staff(self, actor: User) -> bool:
        return actor in self.staff

    def _hidden(self, post_id: int) -> bool:
        return self.model.states.get(post_id) == "hidden"

    def _hidden_posts(self) -> list[int]:
        return sorted(p for p, state in self.model.states.items() if state == "hidden")

    def _marked_answers(self) -> list[int]:
        return sorted({mark[0] for mark in (*self.model.accepted.values(), *self.model.official.values())})

    def _sees_post(self, actor: User, post_id: int) -> bool:
        """The rule, written from the model: a hidden post only for its author and staff."""
        return not self._hidden(post_id) or self._is_staff(actor) or self.post_info[post_id][0] == actor.id

    def _sees_thread(self, actor: User, thread_id: int) -> bool:
        """A thread whose question is hidden only for the asker and staff."""
        return (not self._hidden(self.questions[thread_id]) or self._is_staff(actor)
                or self.thread_author[thread_id] == actor.id)

    def _refusal(self, actor: User, post_id: int) -> type[Exception] | None:
        """Which error giving or taking back kudos must raise, in the services' order of checks."""
        if post_id == self.unknown_post_id or not self._sees_post(actor, post_id):
            return NotFound
        if not self._sees_thread(actor, self.post_info[post_id][2]):
            return NotFound
        author_id, kind, _ = self.post_info[post_id]
        if kind == "comment" or self._hidden(post_id):
            return InvalidInput
        if actor is self.suspended or author_id == actor.id:
            return Forbidden
        return None

    def _review_refusal(self, actor: User, post_id: int) -> type[Exception] | None:
        if not self._is_staff(actor):
            return Forbidden
        return NotFound if post_id == self.unknown_post_id else None

    def _flag_refusal(self, actor: User, post_id: int) -> type[Exception] | None:
        if post_id == self.unknown_post_id:
            return NotFound
        author_id, _, thread_id = self.post_info[post_id]
        if not (self._sees_post(actor, post_id) and self._sees_thread(actor, thread_id)):
            return NotFound
        if actor is self.suspended or self._is_staff(actor) or author_id == actor.id:
            return Forbidden
        return None

    def _may_choose(self, actor: User, thread_id: int) -> bool:
        return self._is_staff(actor) or (actor is not self.suspended and actor.id == self.thread_author[thread_id])

    def _accepted_answer(self, post_id: int) -> int | None:
        thread_id = self.post_info[post_id][2]
        return self.model.accepted.get(thread_id, (None,))[0]

    def _accept(self, actor: User, post_id: int) -> None:
        solutions.accept(self.session, actor, answer_id=post_id, rules=self.rules, now=self.now)
        self._set_accepted(post_id, actor.id)
        if actor.id != self.thread_author[self.post_info[post_id][2]]:
            self.model.audit.append(("accept", actor.id, post_id))

    def _set_accepted(self, post_id: int, accepter: int) -> None:
        author_id, _, thread_id = self.post_info[post_id]
        asker = self.thread_author[thread_id]
        if author_id == asker:  # a self-answer earns nothing, whoever accepts it
            earned = (0, 0)
        else:
            earned = (self.rules.points["answer_accepted"],
                      self.rules.points["accepted_solution"] if accepter == asker else 0)
        self.model.accepted[thread_id] = (post_id, accepter, *earned)

    def _set_official(self, post_id: int, marker: int) -> None:
        author_id, _, thread_id = self.post_info[post_id]
        earned = self.rules.points["answer_official"] if author_id != marker else 0  # not for one's own
        self.model.official[thread_id] = (post_id, marker, earned)

    def _take_out_of_sight(self, post_id: int) -> None:
        """Hidden: an answer gives up its solution and official marks, remembering who set them."""
        if self._hidden(post_id):
            return
        self.model.states[post_id] = "hidden"
        _, kind, thread_id = self.post_info[post_id]
        if kind != "answer":
            return
        marks = []
        for held in (self.model.accepted, self.model.official):
            if held.get(thread_id, (None,))[0] == post_id:
                marks.append(held.pop(thread_id)[1])
            else:
                marks.append(None)
        self.model.held[post_id] = (marks[0], marks[1])

    def _resolve_flags(self, post_id: int) -> None:
        for key, (weight, _) in self.model.flags.items():
            if key[1] == post_id:
                self.model.flags[key] = (weight, False)

    # --- what must hold after every step --------------------------------------------------------

    def _model_reputation(self, points_now: dict | None = None) -> dict[int, int]:
        """Each member's reputation by the model: as earned at the time, or (with `points_now`) as
        if everything had been earned under those point values. A hidden post earns nothing."""
        totals = dict.fromkeys(self.actor_ids, 0)
        for (_, post_id), (_, earned) in self.model.kudos.items():
            author_id, kind, _ = self.post_info[post_id]
            if points_now is not None:
                earned = points_now["kudos_question" if kind == "question" else "kudos_answer"]
            totals[author_id] += 0 if self._hidden(post_id) else earned
        for thread_id, (answer_id, accepter, to_author, to_asker) in self.model.accepted.items():
            author_id, asker = self.post_info[answer_id][0], self.thread_author[thread_id]
            if points_now is not None and author_id != asker:
                to_author = points_now["answer_accepted"]
                to_asker = points_now["accepted_solution"] if accepter == asker else 0
            totals[author_id] += to_author
            totals[asker] += to_asker
        for answer_id, marker, to_author in self.model.official.values():
            author_id = self.post_info[answer_id][0]
            if points_now is not None:
                to_author = points_now["answer_official"] if author_id != marker else 0
            totals[author_id] += to_author
        return totals

    @invariant()
    def everything_balances(self) -> None:
        """One method, so each step costs few queries (the suite also runs on PostgreSQL)."""
        s = self.session
        s.commit()  # a new read snapshot (reads below select columns, never stale ORM objects)
        stored = dict(s.execute(select(User.id, User.reputation)).all())
        self._check_reputation(s, stored)
        self._check_kudos_and_marks(s)
        self._check_moderation(s)
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
        # The model: stored numbers are what each kudos/solution/mark earned when it was given ...
        assert stored == self._model_reputation()
        # ... and the kudos, solutions and marks in the database are the model's (under today's points).
        model_now = self._model_reputation(self.rules.points)
        assert {u: v for u, v in recomputed.items() if v} == {u: v for u, v in model_now.items() if v}

    def _check_kudos_and_marks(self, s) -> None:  # noqa: ANN001
        # (c) kudos rows are the model's; each post's count is its rows; none is negative
        rows = sorted(tuple(r) for r in s.execute(select(Kudos.giver_id, Kudos.post_id)))
        assert rows == sorted(self.model.kudos)
        per_post = {post_id: sum(1 for _, p in rows if p == post_id) for post_id in self.post_info}
        counts = dict(s.execute(select(Post.id, Post.kudos_count)).all())
        assert counts == per_post, "a post's kudos count differs from its kudos rows"
        assert min(counts.values()) >= 0
        # the thread carries its question's count; its solution, official answer and visibility are
        # the model's, and it counts its visible answers
        for thread_id, thread_count, question_count, answer_id, accepted_by, status, official_id, official_by, \
                is_hidden, answer_count in s.execute(
                    select(Thread.id, Thread.kudos_count, Post.kudos_count, Thread.accepted_answer_id,
                           Thread.accepted_by_id, Thread.status, Thread.official_answer_id, Thread.official_by_id,
                           Thread.is_hidden, Thread.answer_count)
                    .join(Post, (Post.thread_id == Thread.id) & (Post.kind == "question"))):
            assert thread_count == question_count >= 0, f"thread {thread_id}: {thread_count} != {question_count}"
            expected = self.model.accepted.get(thread_id)
            assert (answer_id, accepted_by) == ((expected[0], expected[1]) if expected else (None, None))
            assert status == ("solved" if expected else "open")
            expected = self.model.official.get(thread_id)
            assert (official_id, official_by) == ((expected[0], expected[1]) if expected else (None, None))
            assert is_hidden == self._hidden(self.questions[thread_id])
            assert answer_count == sum(1 for a in self.forum.answers
                                       if self.post_info[a][2] == thread_id and not self._hidden(a))

    def _check_moderation(self, s) -> None:  # noqa: ANN001
        # (f) review states, the marks hidden answers hold, flags and the audit log are the model's
        assert dict(s.execute(select(Post.id, Post.review_state)).all()) == self.model.states
        held = {post_id: (accepter, marker) for post_id, accepter, marker in s.execute(
            select(Post.id, Post.hidden_accepted_by_id, Post.hidden_official_by_id)
            .where(Post.review_state == "hidden"))}
        assert {p: m for p, m in held.items() if m != (None, None)} == {
            p: m for p, m in self.model.held.items() if m != (None, None)}
        flag_rows = {(flagger, post): (weight, resolved is None) for flagger, post, weight, resolved in s.execute(
            select(Flag.flagger_id, Flag.post_id, Flag.weight, Flag.resolved_at))}
        assert flag_rows == self.model.flags
        logged = [tuple(r) for r in s.execute(select(ModerationAction.action, ModerationAction.actor_id,
                                                     ModerationAction.post_id).order_by(ModerationAction.id))]
        assert logged == self.model.audit

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
