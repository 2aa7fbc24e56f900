"""Kudos, the reputation ledger, ranks, badges, "I have this question too" and the leaderboard:
per service, bad input / not found / forbidden / success with its side effects."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select, update

from app.models import BadgeAward, Board, Kudos, Post, ReputationEvent, Thread, User, me_too as me_too_table
from app.services import badges, kudos, leaderboard, me_too, posting, ranks, reputation, solutions
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.rules import DEFAULT_RANKS, ReputationRules, parse_points, parse_ranks

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=timezone.utc)


def _count(session, model, *where) -> int:
    session.commit()  # a fresh read snapshot
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _reputation(session, user: User) -> int:
    session.commit()
    return session.scalar(select(User.reputation).where(User.id == user.id))


def _events(session, user: User) -> list[tuple[int, str]]:
    session.commit()
    return [tuple(r) for r in session.execute(select(ReputationEvent.delta, ReputationEvent.reason)
                                              .where(ReputationEvent.user_id == user.id)
                                              .order_by(ReputationEvent.id))]


def _question_id(session, thread: Thread) -> int:
    return session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))


def _held(session, user: User) -> list[str]:
    session.commit()
    return sorted(session.scalars(select(BadgeAward.badge).where(BadgeAward.user_id == user.id)))


@pytest.fixture
def answer(session, thread, helper):
    return posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler service.")


@pytest.fixture
def fan(make_user):
    return make_user(name="Friendly Fan")


# --- kudos: refusals --------------------------------------------------------------------------------


def test_no_kudos_on_your_own_post(session, answer, helper):
    with pytest.raises(Forbidden, match="own post"):
        kudos.give(session, helper, post_id=answer.id)
    with pytest.raises(Forbidden):
        kudos.take_back(session, helper, post_id=answer.id)
    assert _count(session, Kudos) == 0 and _count(session, ReputationEvent) == 0


def test_kudos_are_for_questions_and_answers_not_comments(session, answer, member, fan):
    comment = posting.comment(session, member, post_id=answer.id, body="Thanks, trying it now.")
    with pytest.raises(InvalidInput) as caught:
        kudos.give(session, fan, post_id=comment.id)
    assert "post" in caught.value.errors
    with pytest.raises(InvalidInput):
        kudos.take_back(session, fan, post_id=comment.id)
    assert _count(session, Kudos) == 0


def test_kudos_on_an_unknown_post_is_not_found(session, fan):
    with pytest.raises(NotFound):
        kudos.give(session, fan, post_id=987654)
    with pytest.raises(NotFound):
        kudos.take_back(session, fan, post_id=987654)


def test_suspended_and_signed_out_members_cannot_give_kudos(session, answer, suspended):
    with pytest.raises(Forbidden, match="suspended"):
        kudos.give(session, suspended, post_id=answer.id)
    with pytest.raises(Forbidden, match="sign in"):
        kudos.give(session, AnonymousUserMixin(), post_id=answer.id)
    assert _count(session, Kudos) == 0 and _count(session, ReputationEvent) == 0


# --- kudos: success and its side effects ------------------------------------------------------------


def test_kudos_on_an_answer_counts_and_earns_ten(session, thread, answer, helper, fan):
    assert kudos.give(session, fan, post_id=answer.id) == 1
    assert _count(session, Kudos, Kudos.post_id == answer.id, Kudos.giver_id == fan.id) == 1
    assert session.scalar(select(Post.kudos_count).where(Post.id == answer.id)) == 1
    assert session.scalar(select(Thread.kudos_count).where(Thread.id == thread.id)) == 0  # the question's only
    assert _events(session, helper) == [(10, "kudos_received")]
    event = session.scalar(select(ReputationEvent).where(ReputationEvent.user_id == helper.id))
    assert (event.post_id, event.actor_id) == (answer.id, fan.id)
    assert _reputation(session, helper) == 10
    assert _events(session, fan) == []  # giving earns nothing
    assert "first_kudos_given" in _held(session, fan)
    assert kudos.given_by(session, fan, [answer.id, 424242]) == {answer.id}


def test_kudos_on_a_question_earns_five_and_counts_on_the_thread(session, thread, member, fan):
    question_id = _question_id(session, thread)
    assert kudos.give(session, fan, post_id=question_id) == 1
    assert _events(session, member) == [(5, "kudos_received")]
    session.commit()
    assert session.scalar(select(Thread.kudos_count).where(Thread.id == thread.id)) == 1


def test_point_values_come_from_the_rules(session, answer, helper, fan):
    rules = ReputationRules(points={**ReputationRules().points, "kudos_answer": 7})
    kudos.give(session, fan, post_id=answer.id, rules=rules)
    assert _reputation(session, helper) == 7


def test_giving_twice_is_harmless(session, answer, helper, fan):
    kudos.give(session, fan, post_id=answer.id)
    assert kudos.give(session, fan, post_id=answer.id) == 1
    assert _count(session, Kudos) == 1 and _count(session, ReputationEvent) == 1
    assert _reputation(session, helper) == 10


def test_taking_back_reverses_the_row(session, answer, helper, fan):
    kudos.give(session, fan, post_id=answer.id)
    assert kudos.take_back(session, fan, post_id=answer.id) == 0
    assert _count(session, Kudos) == 0
    assert session.scalar(select(Post.kudos_count).where(Post.id == answer.id)) == 0
    assert _events(session, helper) == [(10, "kudos_received"), (-10, "kudos_withdrawn")]
    assert _reputation(session, helper) == 0
    assert kudos.given_by(session, fan, [answer.id]) == set()


def test_taking_back_without_kudos_is_harmless(session, answer, helper, fan, make_user):
    other = make_user()
    kudos.give(session, other, post_id=answer.id)
    assert kudos.take_back(session, fan, post_id=answer.id) == 1  # someone else's kudos stays
    assert kudos.take_back(session, fan, post_id=answer.id) == 1
    assert _events(session, helper) == [(10, "kudos_received")]
    assert _reputation(session, helper) == 10


def test_taking_back_after_the_points_changed_undoes_what_was_given(session, answer, helper, fan):
    kudos.give(session, fan, post_id=answer.id, rules=ReputationRules(points={"kudos_answer": 12,
                                                                               "kudos_question": 5}))
    kudos.take_back(session, fan, post_id=answer.id)
    assert _events(session, helper) == [(12, "kudos_received"), (-12, "kudos_withdrawn")]


def test_taking_back_reverses_only_the_takers_own_kudos(session, answer, helper, fan, make_user):
    rules_then = ReputationRules(points={"kudos_answer": 3, "kudos_question": 1})
    early = make_user()
    kudos.give(session, early, post_id=answer.id, rules=rules_then)  # +3
    kudos.give(session, fan, post_id=answer.id)  # +10
    kudos.take_back(session, early, post_id=answer.id)  # -3, not -10 or -13
    assert _events(session, helper) == [(3, "kudos_received"), (10, "kudos_received"), (-3, "kudos_withdrawn")]
    assert _reputation(session, helper) == 10
    assert reputation.verify(session) == []


def test_daily_kudos_allowance(session, board, make_user, fan):
    rules = ReputationRules(kudos_per_day=3)
    authors = [make_user() for _ in range(5)]
    threads = [posting.ask(session, a, board_id=board.id, title=f"Printer question number {i}",
                           body="Some detail about the printer problem here.") for i, a in enumerate(authors)]
    posts = [_question_id(session, t) for t in threads]

    for post_id in posts[:3]:
        kudos.give(session, fan, post_id=post_id, rules=rules, now=NOW)
    with pytest.raises(Forbidden, match="daily allowance"):
        kudos.give(session, fan, post_id=posts[3], rules=rules, now=NOW + timedelta(hours=1))
    with pytest.raises(Forbidden):
        kudos.give(session, fan, post_id=posts[3], rules=rules, now=NOW + timedelta(hours=23, minutes=59))
    # Giving again what was already given is still harmless at the limit (no error, no change).
    assert kudos.give(session, fan, post_id=posts[0], rules=rules, now=NOW + timedelta(hours=2)) == 1
    assert _count(session, Kudos) == 3 and _count(session, ReputationEvent) == 3
    # A day later the allowance is back.
    kudos.give(session, fan, post_id=posts[3], rules=rules, now=NOW + timedelta(days=1, seconds=1))
    assert _count(session, Kudos) == 4
    # Others are not limited by this member's allowance.
    kudos.give(session, authors[0], post_id=posts[4], rules=rules, now=NOW + timedelta(hours=1))


# --- solutions and the ledger -----------------------------------------------------------------------


@pytest.fixture
def two_answers(session, thread, helper, make_user):
    other = make_user(name="Other Olga")
    return (answer_of(session, thread, helper, "Restart the print spooler."),
            answer_of(session, thread, other, "Use a TCP/IP port instead."))


def answer_of(session, thread, author, body):
    return posting.answer(session, author, thread_id=thread.id, body=body)


def test_asker_accepting_earns_the_author_and_the_asker(session, thread, member, helper, two_answers):
    solutions.accept(session, member, answer_id=two_answers[0].id)
    assert _events(session, helper) == [(15, "answer_accepted")]
    assert _events(session, member) == [(2, "accepted_solution")]
    assert "first_solution" in _held(session, helper)


def test_accepting_a_self_answer_earns_nothing(session, thread, member):
    own = answer_of(session, thread, member, "Found it myself: a new driver fixed it.")
    solutions.accept(session, member, answer_id=own.id)
    session.refresh(thread)
    assert thread.is_solved
    assert _events(session, member) == [] and _count(session, ReputationEvent) == 0
    assert "first_solution" not in _held(session, member)
    solutions.unaccept(session, member, thread_id=thread.id)
    assert _count(session, ReputationEvent) == 0


def test_moderator_accepting_earns_the_author_but_not_the_asker(session, thread, member, helper, moderator,
                                                               two_answers):
    solutions.accept(session, moderator, answer_id=two_answers[0].id)
    assert _events(session, helper) == [(15, "answer_accepted")]
    assert _events(session, member) == [] and _events(session, moderator) == []
    solutions.unaccept(session, moderator, thread_id=thread.id)
    assert _events(session, helper) == [(15, "answer_accepted"), (-15, "answer_unaccepted")]
    assert _events(session, member) == []


def test_changing_the_accepted_answer_moves_the_points(session, thread, member, helper, two_answers):
    other = two_answers[1].author_id
    solutions.accept(session, member, answer_id=two_answers[0].id)
    solutions.accept(session, member, answer_id=two_answers[1].id)
    assert _events(session, helper) == [(15, "answer_accepted"), (-15, "answer_unaccepted")]
    assert _reputation(session, helper) == 0
    assert session.scalar(select(User.reputation).where(User.id == other)) == 15
    assert _events(session, member) == [(2, "accepted_solution"), (-2, "solution_withdrawn"),
                                        (2, "accepted_solution")]
    assert _reputation(session, member) == 2
    assert reputation.verify(session) == []


def test_unaccept_reverses_everything(session, thread, member, helper, two_answers):
    solutions.accept(session, member, answer_id=two_answers[0].id)
    solutions.unaccept(session, member, thread_id=thread.id)
    assert _reputation(session, helper) == 0 and _reputation(session, member) == 0
    assert reputation.expected_from_state(session) == {}
    assert reputation.verify(session) == []


def test_a_moderator_changing_the_askers_choice_reverses_the_askers_points(session, thread, member, helper,
                                                                           moderator, two_answers):
    solutions.accept(session, member, answer_id=two_answers[0].id)
    solutions.accept(session, moderator, answer_id=two_answers[1].id)
    assert _reputation(session, member) == 0  # the asker did not choose the new one
    assert _reputation(session, helper) == 0
    session.commit()
    expected = reputation.expected_from_state(session)
    assert expected == {two_answers[1].author_id: 15}


def test_solution_points_come_from_the_rules_and_reverse_exactly(session, thread, member, helper, two_answers):
    then = ReputationRules(points={**ReputationRules().points, "answer_accepted": 30, "accepted_solution": 4})
    solutions.accept(session, member, answer_id=two_answers[0].id, rules=then)
    assert _reputation(session, helper) == 30 and _reputation(session, member) == 4
    solutions.unaccept(session, member, thread_id=thread.id)  # under the default rules now
    assert _reputation(session, helper) == 0 and _reputation(session, member) == 0


# --- the ledger itself, verify and fix, the CLI ---------------------------------------------------


def test_record_refuses_unknown_reasons_and_skips_zero(session, member):
    with pytest.raises(ValueError):
        reputation.record(session, user_id=member.id, delta=5, reason="because")
    assert reputation.record(session, user_id=member.id, delta=0, reason="kudos_received") is None
    session.rollback()
    assert _count(session, ReputationEvent) == 0


def _corrupt(session, user: User, value: int) -> None:
    session.execute(update(User).where(User.id == user.id).values(reputation=value))
    session.commit()


def test_verify_finds_a_corrupted_reputation_and_fix_repairs_it(session, answer, helper, member, fan):
    kudos.give(session, fan, post_id=answer.id)
    assert reputation.verify(session) == []
    _corrupt(session, helper, 999)
    _corrupt(session, member, -3)  # no ledger rows at all: the ledger says 0

    found = reputation.verify(session)
    assert [(m.user_id, m.display_name, m.stored, m.ledger) for m in found] == sorted(
        [(helper.id, helper.display_name, 999, 10), (member.id, member.display_name, -3, 0)])

    fixed = reputation.fix(session)
    assert [m.user_id for m in fixed] == [m.user_id for m in found]
    assert reputation.verify(session) == []
    assert _reputation(session, helper) == 10 and _reputation(session, member) == 0
    assert reputation.fix(session) == []


def test_cli_verify_reports_and_fix_repairs(app, session, answer, helper, fan):
    runner = app.test_cli_runner()
    kudos.give(session, fan, post_id=answer.id)

    clean = runner.invoke(args=["reputation", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "equals the sum" in clean.output

    _corrupt(session, helper, 55)
    broken = runner.invoke(args=["reputation", "verify"])
    assert broken.exit_code == 1
    assert f"{helper.display_name} (#{helper.id}): stored 55, ledger 10" in broken.output
    assert _reputation(session, helper) == 55  # verify alone changes nothing

    repaired = runner.invoke(args=["reputation", "verify", "--fix"])
    assert repaired.exit_code == 0, repaired.output
    assert "-> fixed" in repaired.output
    assert _reputation(session, helper) == 10
    assert runner.invoke(args=["reputation", "verify"]).exit_code == 0


def test_history_is_paged_newest_first_and_links_the_post(session, thread, answer, helper, make_user):
    for i in range(3):
        kudos.give(session, make_user(), post_id=answer.id, now=NOW + timedelta(minutes=i))
    page = reputation.history(session, helper.id, per_page=2)
    assert page.total == 3 and len(page.items) == 2
    event, thread_id, title, slug = page.items[0]
    assert event.created_at == NOW + timedelta(minutes=2) and event.post_id == answer.id
    assert (thread_id, title, slug) == (thread.id, thread.title, thread.slug)
    assert len(reputation.history(session, helper.id, page=2, per_page=2).items) == 1
    assert len(reputation.history(session, helper.id, page=99, per_page=2).items) == 1  # clamped


def test_timeline_is_a_running_total_per_day(session, answer, helper, make_user):
    fans = [make_user() for _ in range(3)]
    kudos.give(session, fans[0], post_id=answer.id, now=NOW)
    kudos.give(session, fans[1], post_id=answer.id, now=NOW + timedelta(hours=1))
    kudos.give(session, fans[2], post_id=answer.id, now=NOW + timedelta(days=2))
    kudos.take_back(session, fans[0], post_id=answer.id, now=NOW + timedelta(days=2, hours=1))
    points = reputation.timeline(session, helper.id)
    assert [(d.date(), total) for d, total in points] == [
        (NOW.date(), 20), ((NOW + timedelta(days=2)).date(), 20)]


# --- ranks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, name", [
    (-25, "New member"), (0, "New member"), (49, "New member"), (50, "Contributor"), (199, "Contributor"),
    (200, "Helper"), (999, "Helper"), (1000, "Expert"), (4999, "Expert"), (5000, "Champion"),
    (10**9, "Champion"),
])
def test_rank_boundaries(value, name):
    assert ranks.rank_for(value).name == name


def test_rank_progress_and_what_is_left_to_the_next():
    rank = ranks.rank_for(125)
    assert (rank.name, rank.level, rank.floor, rank.next_name, rank.next_at) == ("Contributor", 1, 50, "Helper", 200)
    assert rank.to_next == 75 and rank.progress == 50 and rank.slug == "contributor"
    assert ranks.rank_for(0).progress == 0 and ranks.rank_for(0).to_next == 50
    assert ranks.rank_for(-10).progress == 0 and ranks.rank_for(-10).to_next == 60
    assert ranks.rank_for(49).progress == 98
    top = ranks.rank_for(7000)
    assert top.next_name is None and top.to_next is None and top.progress == 100
    assert ranks.rank_for(200).slug == "helper" and ranks.rank_for(0).slug == "new-member"


def test_custom_thresholds():
    thresholds = (("Rookie", 0), ("Pro", 10), ("Legend", 100))
    assert [ranks.rank_for(v, thresholds).name for v in (-1, 0, 9, 10, 99, 100)] == [
        "Rookie", "Rookie", "Rookie", "Pro", "Pro", "Legend"]
    assert ranks.rank_for(55, thresholds).progress == 50
    assert ReputationRules.from_config({"RANK_THRESHOLDS": thresholds}).ranks == thresholds
    assert parse_ranks("Rookie:0, Pro:10,Legend:100") == thresholds
    assert parse_ranks("") == DEFAULT_RANKS
    for bad in ("Pro:10,Legend:100", "Rookie:0,Pro:10,Legend:5", "Rookie:0,Pro:0"):
        with pytest.raises(ValueError):
            parse_ranks(bad)
    assert parse_points("kudos_answer=12, answer_accepted=20") == {"kudos_answer": 12, "answer_accepted": 20}
    with pytest.raises(ValueError):
        parse_points("kudos=1")


# --- badges ----------------------------------------------------------------------------------------


def _solved_threads(session, board, asker: User, hero: User, n: int, *, start: int = 0) -> None:
    """n threads by `asker`, each with `hero`'s answer accepted: rows written directly (fast)."""
    for i in range(start, start + n):
        thread = Thread(board_id=board.id, author_id=asker.id, title=f"Solved question {i}", slug=f"solved-{i}",
                        status="solved", accepted_by_id=asker.id, accepted_at=NOW)
        session.add(thread)
        session.flush()
        session.add(Post(thread_id=thread.id, author_id=asker.id, kind="question", body_source="q", body_html="q"))
        answer = Post(thread_id=thread.id, author_id=hero.id, kind="answer", body_source="a", body_html="a")
        session.add(answer)
        session.flush()
        thread.accepted_answer_id = answer.id
    session.commit()


def _earn_first_question(s, ctx):
    posting.ask(s, ctx.hero, board_id=ctx.board.id, title="My very first question",
                body="What does the blinking orange light mean?")


def _earn_first_answer(s, ctx):
    answer_of(s, ctx.thread, ctx.hero, "Hold the power button for ten seconds.")


def _earn_first_kudos_given(s, ctx):
    kudos.give(s, ctx.hero, post_id=_question_id(s, ctx.thread))


def _earn_first_solution(s, ctx):
    solutions.accept(s, ctx.member, answer_id=answer_of(s, ctx.thread, ctx.hero, "Reinstall the driver.").id)


def _earn_ten_solutions(s, ctx):
    for i in range(10):  # through the service, as members do it
        thread = posting.ask(s, ctx.member, board_id=ctx.board.id, title=f"Another printer problem {i}",
                             body="The printer does something odd again.")
        solutions.accept(s, ctx.member, answer_id=answer_of(s, thread, ctx.hero, "Try turning it off and on.").id)


def _earn_fifty_solutions(s, ctx):
    _solved_threads(s, ctx.board, ctx.member, ctx.hero, 50)


def _earn_good_answer(s, ctx):
    answer = answer_of(s, ctx.thread, ctx.hero, "A very good and detailed answer.")
    for _ in range(10):
        kudos.give(s, ctx.make_user(), post_id=answer.id)


def _earn_hundred_kudos(s, ctx):
    answer = answer_of(s, ctx.thread, ctx.hero, "An answer that people liked a lot.")
    thread = posting.ask(s, ctx.hero, board_id=ctx.board.id, title="A popular question of mine",
                         body="Why does the scanner need so long to warm up?")
    s.execute(update(Post).where(Post.id == answer.id).values(kudos_count=70))
    s.execute(update(Post).where(Post.id == _question_id(s, thread)).values(kudos_count=30))
    s.commit()
    badges.check(s, [ctx.hero.id])
    s.commit()


def _earn_good_question(s, ctx):
    thread = posting.ask(s, ctx.hero, board_id=ctx.board.id, title="A question many people have",
                         body="The printer forgets its Wi-Fi after every update.")
    for _ in range(3):
        kudos.give(s, ctx.make_user(), post_id=_question_id(s, thread))
    for _ in range(2):
        me_too.add(s, ctx.make_user(), thread_id=thread.id)


def _earn_helpful_streak(s, ctx):
    start = NOW - timedelta(days=30)
    for day in range(10):
        answer = answer_of(s, ctx.thread, ctx.hero, f"Tip of day {day}: check the cable.")
        s.execute(update(Post).where(Post.id == answer.id).values(created_at=start + timedelta(days=day, hours=day)))
    s.commit()
    badges.check(s, [ctx.hero.id])
    s.commit()


EARN = {
    "first_question": _earn_first_question,
    "first_answer": _earn_first_answer,
    "first_kudos_given": _earn_first_kudos_given,
    "first_solution": _earn_first_solution,
    "ten_solutions": _earn_ten_solutions,
    "fifty_solutions": _earn_fifty_solutions,
    "good_answer": _earn_good_answer,
    "hundred_kudos": _earn_hundred_kudos,
    "good_question": _earn_good_question,
    "helpful_streak": _earn_helpful_streak,
}


class Ctx:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_there_are_at_least_eight_badges_and_each_has_a_test():
    assert len(badges.BADGES) >= 8
    assert len({b.code for b in badges.BADGES}) == len(badges.BADGES)
    assert set(EARN) == set(badges.BY_CODE)


@pytest.mark.parametrize("code", [b.code for b in badges.BADGES])
def test_every_badge_is_earned_and_awarded_exactly_once(session, board, thread, member, make_user, code):
    hero = make_user(name="Hero Helga")
    assert code not in _held(session, hero)
    EARN[code](session, Ctx(hero=hero, member=member, board=board, thread=thread, make_user=make_user))
    session.commit()
    badges.check(session, [hero.id])  # whether or not the action checked already: the badge is there now
    session.commit()
    assert code in _held(session, hero)
    # Checking again (twice) awards nothing new.
    assert badges.check(session, [hero.id, hero.id]) == []
    session.commit()
    assert badges.check(session, [hero.id]) == []
    session.commit()
    assert _count(session, BadgeAward, BadgeAward.user_id == hero.id, BadgeAward.badge == code) == 1
    held = _held(session, hero)
    assert len(held) == len(set(held))
    shown = badges.of_user(session, hero.id)
    assert code in [badge.code for badge, _ in shown]
    assert all(isinstance(when, datetime) and when.tzinfo is not None for _, when in shown)


def test_the_badge_is_awarded_by_the_action_itself(session, thread, member, helper):
    answer = answer_of(session, thread, helper, "Reset the network settings.")
    assert "first_answer" in _held(session, helper)
    solutions.accept(session, member, answer_id=answer.id, now=NOW)
    assert "first_solution" in _held(session, helper)
    awarded = dict((b.code, when) for b, when in badges.of_user(session, helper.id))
    assert awarded["first_solution"] == NOW


def test_badges_are_not_awarded_before_the_threshold(session, board, thread, member, make_user):
    hero = make_user(name="Almost Anton")
    _solved_threads(session, board, member, hero, 9)
    answer = answer_of(session, thread, hero, "Nearly a great answer.")
    session.execute(update(Post).where(Post.id == answer.id).values(kudos_count=9))
    session.commit()
    start = NOW - timedelta(days=40)
    for day in [*range(9), 10]:  # nine days in a row, then a gap
        post = answer_of(session, thread, hero, f"Tip on day {day}.")
        session.execute(update(Post).where(Post.id == post.id).values(created_at=start + timedelta(days=day)))
    session.commit()
    badges.check(session, [hero.id])
    session.commit()
    held = _held(session, hero)
    assert "first_solution" in held
    assert not {"ten_solutions", "good_answer", "hundred_kudos", "helpful_streak"} & set(held)
    _solved_threads(session, board, member, hero, 1, start=9)
    badges.check(session, [hero.id])
    session.commit()
    assert "ten_solutions" in _held(session, hero)


def test_self_answers_do_not_count_as_solutions_for_badges(session, board, member):
    _solved_threads(session, board, member, member, 10)
    badges.check(session, [member.id])
    session.commit()
    assert not {"first_solution", "ten_solutions"} & set(_held(session, member))


# --- "I have this question too" --------------------------------------------------------------------


def test_me_too_add_remove_and_twice(session, thread, fan):
    assert me_too.add(session, fan, thread_id=thread.id) == 1
    assert me_too.add(session, fan, thread_id=thread.id) == 1
    assert me_too.has(session, fan, thread.id)
    assert _count(session, me_too_table) == 1
    assert me_too.remove(session, fan, thread_id=thread.id) == 0
    assert me_too.remove(session, fan, thread_id=thread.id) == 0
    assert not me_too.has(session, fan, thread.id)
    session.commit()
    assert session.scalar(select(Thread.me_too_count).where(Thread.id == thread.id)) == 0


def test_me_too_counts_each_member(session, thread, make_user):
    for _ in range(3):
        me_too.add(session, make_user(), thread_id=thread.id)
    session.commit()
    assert session.scalar(select(Thread.me_too_count).where(Thread.id == thread.id)) == 3


def test_me_too_refusals(session, thread, member, suspended):
    with pytest.raises(Forbidden, match="own question"):
        me_too.add(session, member, thread_id=thread.id)
    with pytest.raises(Forbidden, match="suspended"):
        me_too.add(session, suspended, thread_id=thread.id)
    with pytest.raises(Forbidden):
        me_too.add(session, AnonymousUserMixin(), thread_id=thread.id)
    with pytest.raises(NotFound):
        me_too.add(session, suspended, thread_id=424242)
    assert not me_too.has(session, None, thread.id)
    assert _count(session, me_too_table) == 0


# --- leaderboard -----------------------------------------------------------------------------------


@pytest.fixture
def second_board(session):
    board = Board(slug="laptops", name="Laptops", description="Notebooks.", position=1)
    session.add(board)
    session.commit()
    return board


def _ranking(entries) -> list[tuple[str, int]]:
    return [(e.user.display_name, e.score) for e in entries]


def test_leaderboard_by_reputation_all_time_month_and_board(session, board, second_board, member, make_user):
    ann, ben, cid = (make_user(name=n) for n in ("Ann", "Ben", "Cid"))
    printer = posting.ask(session, member, board_id=board.id, title="Printer question here",
                          body="The printer prints blank pages.")
    laptop = posting.ask(session, member, board_id=second_board.id, title="Laptop question here",
                         body="The laptop does not wake from sleep.")
    on_printer = {u.id: answer_of(session, printer, u, "An answer on the printer.").id for u in (ann, ben, cid)}
    on_laptop = {u.id: answer_of(session, laptop, u, "An answer on the laptop.").id for u in (ann, ben, cid)}
    last_month = NOW - timedelta(days=30)
    for user, post, delta, when in [
        (ann, on_printer, 100, last_month),  # Ann: big, but long ago
        (ann, on_laptop, 10, NOW),
        (ben, on_printer, 40, NOW),
        (ben, on_laptop, 15, NOW),
        (cid, on_laptop, 30, NOW - timedelta(days=1)),
        (cid, on_printer, -5, NOW),
    ]:
        reputation.record(session, user_id=user.id, delta=delta, reason="kudos_received", post_id=post[user.id],
                          now=when)
    session.commit()

    assert _ranking(leaderboard.top(session, now=NOW)) == [("Ann", 110), ("Ben", 55), ("Cid", 25)]
    assert _ranking(leaderboard.top(session, period="month", now=NOW)) == [("Ben", 55), ("Cid", 25), ("Ann", 10)]
    assert _ranking(leaderboard.top(session, board_id=board.id, now=NOW)) == [("Ann", 100), ("Ben", 40)]
    assert _ranking(leaderboard.top(session, board_id=second_board.id, period="month", now=NOW)) == [
        ("Cid", 30), ("Ben", 15), ("Ann", 10)]
    assert _ranking(leaderboard.top(session, limit=1, now=NOW)) == [("Ann", 110)]
    assert leaderboard.period_start("month", NOW) == datetime(2026, 3, 1, tzinfo=timezone.utc)
    assert leaderboard.period_start("all", NOW) is None


def test_leaderboard_ties_go_to_who_was_first(session, board, member, make_user):
    first, second = make_user(name="First Fred"), make_user(name="Second Sam")
    for user in (second, first):
        reputation.record(session, user_id=user.id, delta=20, reason="kudos_received", now=NOW)
    session.commit()
    assert _ranking(leaderboard.top(session, now=NOW)) == [("First Fred", 20), ("Second Sam", 20)]


def test_leaderboard_by_solutions(session, board, second_board, member, make_user):
    ann, ben = make_user(name="Ann"), make_user(name="Ben")
    _solved_threads(session, board, member, ann, 3)
    _solved_threads(session, second_board, member, ben, 2, start=10)
    _solved_threads(session, board, member, member, 4, start=20)  # self-answers do not count
    # Two of Ann's solutions were accepted last month.
    old = session.scalars(select(Thread).join(Post, Post.id == Thread.accepted_answer_id)
                          .where(Post.author_id == ann.id).order_by(Thread.id).limit(2)).all()
    for thread in old:
        thread.accepted_at = NOW - timedelta(days=40)
    session.commit()

    assert _ranking(leaderboard.top(session, measure="solutions", now=NOW)) == [("Ann", 3), ("Ben", 2)]
    assert _ranking(leaderboard.top(session, measure="solutions", period="month", now=NOW)) == [
        ("Ben", 2), ("Ann", 1)]
    assert _ranking(leaderboard.top(session, measure="solutions", board_id=second_board.id, now=NOW)) == [
        ("Ben", 2)]


def test_leaderboard_through_the_services(session, thread, member, make_user):
    """End to end in the services: kudos and an accepted answer make the order."""
    ann, ben = make_user(name="Ann"), make_user(name="Ben")
    a1, a2 = answer_of(session, thread, ann, "Ann's good answer."), answer_of(session, thread, ben, "Ben's answer.")
    solutions.accept(session, member, answer_id=a2.id)
    kudos.give(session, ann, post_id=a2.id)
    kudos.give(session, ben, post_id=a1.id)
    ranking = _ranking(leaderboard.top(session))
    assert ranking == [("Ben", 25), ("Ann", 10), ("Asker Anna", 2)]
