"""Deflection measured from behaviour (app/services/deflection.py): the title's search terms, ask
sessions and their events, abandonment by timeout with a fake now, one "Did this solve your
problem?" answer per voter and thread, and the dashboard's funnel and helpfulness table on a fixed
fixture, checked against values worked out by hand in the comments."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.models import AskSession, AskSuggestion, Board, SolutionFeedback, Thread
from app.services import dashboard, deflection, posting, solutions
from app.services.errors import NotFound

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=timezone.utc)
IDLE = timedelta(minutes=30)
SECRET = "test-secret"
SPAN = dashboard.period(7, NOW)  # 9 March 00:00 to NOW


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture
def solve(session, helper, moderator):
    """Accept an answer on a thread, so that it is solved."""
    def run(thread: Thread) -> Thread:
        answer = posting.answer(session, helper, thread_id=thread.id, body="Give the printer a fixed IP address.")
        solutions.accept(session, moderator, answer_id=answer.id)
        session.refresh(thread)
        return thread
    return run


@pytest.fixture
def solved(make_thread, solve) -> Thread:
    return solve(make_thread(title="Wireless printer drops off the network"))


def _start(session, board_id, at) -> AskSession:
    return deflection.start(session, board_id=board_id, now=at)


def _show(session, ask, threads, at, title="Printer drops off the wifi network") -> set[int]:
    return deflection.record_shown(session, ask.token, title=title, threads=threads, board_id=None, now=at,
                                   abandon_after=IDLE)


def _open(session, ask, thread, at) -> bool:
    return deflection.record_opened(session, ask.token, thread.id, now=at, abandon_after=IDLE)


def _answer(session, thread, helpful, voter, at, ask=None) -> SolutionFeedback:
    return deflection.answer(session, None, thread_id=thread.id, helpful=helpful, voter=voter, secret=SECRET,
                             ask_token=ask.token if ask else None, now=at)


# --- terms ---------------------------------------------------------------------------------------


def test_terms_keep_meaningful_words_once_without_stop_words_or_punctuation():
    title = "How do I fix the printer, please?? It keeps DROPPING the Wi-Fi; printer again!"

    assert deflection.search_terms(title) == "fix printer dropping"


def test_terms_of_a_title_of_stop_words_are_empty():
    assert deflection.search_terms("How do I? Can anyone help, please!") == ""


def test_terms_stop_at_a_whole_word_within_the_column():
    terms = deflection.search_terms(" ".join(f"word{n:03d}" for n in range(60)))

    assert len(terms) <= deflection.TERMS_MAX and terms.split()[-1] == "word024"  # 25 words of 7 + 24 spaces = 199


# --- ask sessions --------------------------------------------------------------------------------


def test_a_session_records_terms_solved_suggestions_once_and_no_member(session, board, solved, make_thread):
    unsolved = make_thread(title="Wireless printer cannot find the network")
    ask = _start(session, board.id, NOW)

    shown = _show(session, ask, [solved, unsolved], NOW, title="My WIRELESS printer drops off the network!")
    _show(session, ask, [solved], NOW + minutes(1), title="My wireless printer drops off the network daily")

    assert shown == {solved.id}
    session.refresh(ask)
    assert ask.terms == "wireless printer drops network daily"
    assert ask.last_seen_at == NOW + minutes(1)
    assert [(s.thread_id, s.opened_at) for s in session.scalars(select(AskSuggestion))] == [(solved.id, None)]
    assert len(ask.token) == 43 and not hasattr(ask, "user_id")


def test_opening_a_suggestion_is_recorded_once_and_only_for_one_shown(session, board, solved, make_thread):
    other = make_thread(title="Scanner is slow")
    ask = _start(session, board.id, NOW)
    _show(session, ask, [solved], NOW)

    assert _open(session, ask, solved, NOW + minutes(2)) is True
    assert _open(session, ask, solved, NOW + minutes(3)) is True
    assert _open(session, ask, other, NOW + minutes(3)) is False

    suggestion = session.scalar(select(AskSuggestion))
    session.refresh(suggestion)
    assert suggestion.opened_at == NOW + minutes(2)


def test_unknown_or_silly_tokens_record_nothing(session, solved):
    for token in (None, "", "nope", "x" * 500):
        assert deflection.record_shown(session, token, title="printer", threads=[solved], board_id=None, now=NOW,
                                       abandon_after=IDLE) == set()
        assert deflection.record_opened(session, token, solved.id, now=NOW, abandon_after=IDLE) is False
        assert deflection.mark_posted(session, token, solved, now=NOW, abandon_after=IDLE) is False
    assert session.scalar(select(func.count(AskSuggestion.id))) == 0


def test_posting_ends_the_session_as_posted_in_the_thread_board(session, board, solved, make_thread):
    ask = _start(session, None, NOW)
    question = make_thread(title="Printer drops off the wifi network every evening")

    assert deflection.mark_posted(session, ask.token, question, now=NOW + minutes(5), abandon_after=IDLE) is True

    session.refresh(ask)
    assert (ask.outcome, ask.posted_thread_id, ask.board_id) == ("posted", question.id, board.id)
    assert deflection.outcome(ask, NOW + timedelta(days=1), IDLE) == "posted"
    assert deflection.mark_posted(session, ask.token, solved, now=NOW + minutes(6), abandon_after=IDLE) is False


def test_abandonment_is_decided_by_the_idle_timeout_at_read_time(session, board, solved):
    ask = _start(session, board.id, NOW)
    _show(session, ask, [solved], NOW + minutes(5))

    assert deflection.outcome(ask, NOW + minutes(35), IDLE) == "open"  # idle exactly 30 minutes
    assert deflection.outcome(ask, NOW + minutes(35) + timedelta(seconds=1), IDLE) == "abandoned"
    # An abandoned session takes no more events: opening or posting from it changes nothing.
    assert _open(session, ask, solved, NOW + minutes(36)) is False
    assert deflection.mark_posted(session, ask.token, solved, now=NOW + minutes(36), abandon_after=IDLE) is False
    session.refresh(ask)
    assert ask.outcome == "open" and ask.last_seen_at == NOW + minutes(5)


# --- "Did this solve your problem?" ----------------------------------------------------------------


def test_a_second_answer_replaces_the_first(session, solved):
    _answer(session, solved, True, "browser:abc", NOW)
    _answer(session, solved, False, "browser:abc", NOW + minutes(1))
    _answer(session, solved, True, "member:7", NOW + minutes(2))

    rows = session.scalars(select(SolutionFeedback).order_by(SolutionFeedback.id)).all()
    assert [(r.helpful, r.created_at) for r in rows] == [(False, NOW + minutes(1)), (True, NOW + minutes(2))]
    assert rows[0].voter_key == deflection.voter_key(SECRET, solved.id, "browser:abc")


def test_voter_keys_differ_per_thread_and_per_secret():
    keys = {deflection.voter_key(SECRET, 1, "member:7"), deflection.voter_key(SECRET, 2, "member:7"),
            deflection.voter_key("other", 1, "member:7")}
    assert len(keys) == 3 and all(len(k) == 64 for k in keys)


def test_an_answer_is_linked_to_the_ask_session_that_opened_the_thread(session, board, solved, solve, make_thread):
    other = solve(make_thread(title="Scanner is slow over the network"))
    ask = _start(session, board.id, NOW)
    _show(session, ask, [solved, other], NOW)
    _open(session, ask, solved, NOW + minutes(1))

    linked = _answer(session, solved, True, "browser:a", NOW + minutes(2), ask)
    shown_not_opened = _answer(session, other, True, "browser:a", NOW + minutes(2), ask)
    replaced_without_token = _answer(session, solved, False, "browser:a", NOW + minutes(3))

    assert linked.ask_session_id == ask.id
    assert shown_not_opened.ask_session_id is None
    assert replaced_without_token.id == linked.id and replaced_without_token.ask_session_id == ask.id


def test_answers_only_on_visible_solved_threads(session, thread, solved):
    with pytest.raises(NotFound):
        _answer(session, thread, True, "browser:a", NOW)  # not solved
    solved.is_hidden = True
    session.commit()
    with pytest.raises(NotFound):
        _answer(session, solved, True, "browser:a", NOW)
    with pytest.raises(NotFound):
        deflection.feedback_thread(session, None, 999_999)
    assert session.scalar(select(func.count(SolutionFeedback.id))) == 0


# --- the dashboard's figures -------------------------------------------------------------------------


@pytest.fixture
def fixture(session, board, solved, solve, make_thread):
    """Ask sessions and answers worked out by hand below (NOW = 15 March 12:00, 7 days from 9 March)."""
    laptops = Board(slug="laptops", name="Laptops", description="Notebooks.", position=1)
    session.add(laptops)
    session.commit()
    other = solve(make_thread(title="Scanner is slow over the network"))
    posted_question = make_thread(title="Printer drops off the wifi network every evening")
    early = NOW - timedelta(hours=2)

    def session_that(*, board_id=board.id, at=early, show=(), open_=(), helpful=None, voter=None, post=None):
        ask = _start(session, board_id, at)
        if show:
            _show(session, ask, list(show), at)
        for t in open_:
            _open(session, ask, t, at + minutes(1))
        if helpful is not None:
            _answer(session, open_[0], helpful, voter, at + minutes(2), ask)
        if post is not None:
            deflection.mark_posted(session, ask.token, post, now=at + minutes(3), abandon_after=IDLE)
        return ask

    session_that(show=[solved], open_=[solved], helpful=True, voter="browser:s1")  # S1 abandoned, deflected
    session_that(show=[solved], open_=[solved], helpful=False, voter="browser:s2")  # S2 abandoned, marked "no"
    session_that(show=[solved], open_=[solved], helpful=True, voter="member:3", post=posted_question)  # S3 posted
    session_that(show=[solved])  # S4 abandoned, only shown
    session_that(post=posted_question)  # S5 posted with nothing shown
    session_that(at=NOW - minutes(10))  # S6 still open (idle 10 minutes): not ended, counted nowhere
    session_that(at=SPAN.start - minutes(40))  # S7 ended 10 minutes before the period: not counted
    session_that(at=SPAN.start - minutes(10))  # S8 ended 20 minutes into the period: abandoned
    session_that(board_id=laptops.id)  # S9 abandoned, in another board
    _answer(session, solved, True, "browser:visitor", NOW - minutes(1))
    _answer(session, other, False, "browser:visitor", NOW - minutes(1))
    _answer(session, other, True, "browser:long-ago", SPAN.start - minutes(1))  # before the period
    return {"solved": solved, "other": other, "printers": board, "laptops": laptops}


def test_funnel_on_all_boards(session, fixture):
    funnel = deflection.funnel(session, None, SPAN, IDLE)

    # posted: S3 S5; abandoned: S1 S2 S4 S8 S9; shown: S1-S4; opened: S1-S3; deflected: S1.
    assert (funnel.posted, funnel.abandoned, funnel.shown, funnel.opened, funnel.deflected) == (2, 5, 4, 3, 1)
    assert funnel.ended == 7 and funnel.rate.value == pytest.approx(1 / 7)


def test_funnel_of_one_board(session, fixture):
    funnel = deflection.funnel(session, fixture["printers"].id, SPAN, IDLE)

    assert (funnel.ended, funnel.abandoned, funnel.deflected) == (6, 4, 1)  # S9 is in Laptops
    assert deflection.funnel(session, fixture["laptops"].id, SPAN, IDLE).ended == 1


def test_funnel_with_a_later_now_counts_the_open_session_as_abandoned(session, fixture):
    later = dashboard.period(7, NOW + minutes(25))  # S6 idle 35 minutes by then

    assert deflection.funnel(session, None, later, IDLE).abandoned == 6


def test_helpfulness_per_thread_most_answers_first(session, fixture):
    rows = deflection.helpfulness(session, None, SPAN)

    # solved: S1 yes, S2 no, S3 yes, a visitor yes -> 3 yes, 1 no, 75 %; other: one no (the yes is too old).
    assert [(r.thread.id, r.yes, r.no, r.answers, r.share_yes.value) for r in rows] == [
        (fixture["solved"].id, 3, 1, 4, 0.75), (fixture["other"].id, 0, 1, 1, 0.0)]
    assert deflection.helpfulness(session, fixture["laptops"].id, SPAN) == []
    assert len(deflection.helpfulness(session, None, SPAN, limit=1)) == 1


def test_an_empty_site_has_no_rate_rather_than_zero(session):
    funnel = deflection.funnel(session, None, SPAN, IDLE)

    assert funnel.ended == 0 and funnel.rate.value is None
    assert deflection.helpfulness(session, None, SPAN) == []
