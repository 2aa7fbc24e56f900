"""Deflection measured from behaviour: ask sessions (the solved threads a member typing a question
was shown and opened, and whether the question was then posted), "Did this solve your problem?"
answers on solved threads, and the dashboard's figures drawn from both.

Privacy: an ask session names no member and keeps no text beyond the title's search terms; a
feedback answer is stored under a keyed hash of its voter that differs per thread, so answers can
be neither traced back to a voter nor linked to each other across threads.

An ask session ends when its question is posted, or when it has been idle for `abandon_after`
(ASK_SESSION_ABANDON_MINUTES): "abandoned" is decided when read, from `now`, never written, so
nothing needs closing and every reading agrees. A session ended that way takes no more events.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.db import ROW_LOCK, transaction
from app.models import AskSession, AskSuggestion, Board, SolutionFeedback, Thread, User
from app.services import policies
from app.services.dashboard import Period, Rate
from app.services.errors import NotFound
from app.services.search import title_words

TERMS_MAX = 200  # AskSession.terms
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


def search_terms(title: str) -> str:
    """The title's search terms, each once, in order: all of the title an ask session keeps."""
    terms = ""
    for word in dict.fromkeys(title_words(title)):
        longer = f"{terms} {word}".lstrip()
        if len(longer) > TERMS_MAX:
            break
        terms = longer
    return terms


def outcome(ask: AskSession, now: datetime, abandon_after: timedelta) -> str:
    """"posted", "open", or "abandoned": open and idle for longer than `abandon_after`."""
    if ask.outcome == "open" and ask.last_seen_at < now - abandon_after:
        return "abandoned"
    return ask.outcome


def _board_id(session: Session, board_id: int | None) -> int | None:
    """The board if it exists (a lookup's ?board= is whatever the browser sent)."""
    if board_id is None or not 0 < board_id < 2**31:
        return None
    return board_id if session.get(Board, board_id) is not None else None


def start(session: Session, *, board_id: int | None, now: datetime) -> AskSession:
    """A new ask session for the ask form being shown (in the board it was opened for, if any)."""
    with transaction(session):
        ask = AskSession(token=secrets.token_urlsafe(32), board_id=_board_id(session, board_id),
                         started_at=now, last_seen_at=now)
        session.add(ask)
    return ask


def _plausible(token: str | None) -> bool:
    """Worth looking up: checked before a write transaction is begun for nothing."""
    return bool(token) and len(token) <= TOKEN_LENGTH


@contextmanager
def _event(session: Session, token: str | None, now: datetime, abandon_after: timedelta) -> Iterator[AskSession | None]:
    """One event of an ask session, in a transaction: yields the session a token names, locked, if
    it takes events still; None for an unknown or ended one."""
    if not _plausible(token):
        yield None
        return
    with transaction(session):
        ask = session.scalar(select(AskSession).where(AskSession.token == token).with_for_update(**ROW_LOCK))
        yield ask if ask is not None and outcome(ask, now, abandon_after) == "open" else None


def record_shown(session: Session, token: str | None, *, title: str, threads: list[Thread], board_id: int | None,
                 now: datetime, abandon_after: timedelta) -> set[int]:
    """Note the solved ones among `threads` as shown in the session, and the title's terms; return
    their ids (their links then go through `record_opened`). Nothing for an unknown or ended session."""
    with _event(session, token, now, abandon_after) as ask:
        if ask is None:
            return set()
        ask.terms = search_terms(title)
        ask.last_seen_at = now
        ask.board_id = _board_id(session, board_id) or ask.board_id
        solved = {t.id for t in threads if t.is_solved}
        known = set(session.scalars(select(AskSuggestion.thread_id).where(
            AskSuggestion.session_id == ask.id, AskSuggestion.thread_id.in_(solved))))
        session.add_all(AskSuggestion(session_id=ask.id, thread_id=thread_id, shown_at=now)
                        for thread_id in sorted(solved - known))
    return solved


def record_opened(session: Session, token: str | None, thread_id: int, *, now: datetime,
                  abandon_after: timedelta) -> bool:
    """Note that the session's suggestion `thread_id` was opened (the first time counts)."""
    with _event(session, token, now, abandon_after) as ask:
        if ask is None:
            return False
        suggestion = session.scalar(select(AskSuggestion).where(
            AskSuggestion.session_id == ask.id, AskSuggestion.thread_id == thread_id))
        if suggestion is None:
            return False
        suggestion.opened_at = suggestion.opened_at or now
        ask.last_seen_at = now
    return True


def mark_posted(session: Session, token: str | None, thread: Thread, *, now: datetime,
                abandon_after: timedelta) -> bool:
    """The session's question was posted as `thread`: the session ends as posted."""
    with _event(session, token, now, abandon_after) as ask:
        if ask is None:
            return False
        ask.outcome, ask.posted_thread_id, ask.board_id, ask.last_seen_at = "posted", thread.id, thread.board_id, now
    return True


# --- "Did this solve your problem?" --------------------------------------------------------------


def voter_key(secret: str, thread_id: int, voter: str) -> str:
    """One voter on one thread ("member:<id>" or "browser:<random cookie>"), keyed with the site's
    secret: a second answer finds the first, but nobody can tell whose it is or link two threads."""
    return hmac.new(secret.encode(), f"{thread_id}|{voter}".encode(), hashlib.sha256).hexdigest()


def feedback_thread(session: Session, viewer: User | None, thread_id: int) -> Thread:
    """The solved thread feedback is asked on, or NotFound."""
    thread = session.get(Thread, thread_id)
    if (thread is None or not policies.can_see_thread(viewer, thread) or thread.merged_into_id is not None
            or not thread.is_solved):
        raise NotFound("There is no solved thread here to answer about.")
    return thread


def _session_that_opened(session: Session, token: str | None, thread_id: int) -> int | None:
    if not _plausible(token):
        return None
    return session.scalar(
        select(AskSession.id).join(AskSuggestion, AskSuggestion.session_id == AskSession.id)
        .where(AskSession.token == token, AskSuggestion.thread_id == thread_id, AskSuggestion.opened_at.is_not(None)))


def answer(session: Session, viewer: User | None, *, thread_id: int, helpful: bool, voter: str, secret: str,
           ask_token: str | None, now: datetime) -> SolutionFeedback:
    """Record a voter's answer on a solved thread; a second answer replaces the first. Linked to the
    ask session `ask_token` when that session had opened this thread as a suggestion."""
    with transaction(session):
        thread = feedback_thread(session, viewer, thread_id)
        key = voter_key(secret, thread.id, voter)
        ask_session_id = _session_that_opened(session, ask_token, thread.id)
        mine = select(SolutionFeedback).where(SolutionFeedback.thread_id == thread.id,
                                              SolutionFeedback.voter_key == key)
        feedback = session.scalar(mine.with_for_update(**ROW_LOCK))
        if feedback is None:
            try:
                with session.begin_nested():
                    feedback = SolutionFeedback(thread_id=thread.id, voter_key=key, helpful=helpful,
                                                ask_session_id=ask_session_id, created_at=now)
                    session.add(feedback)
                return feedback
            except IntegrityError:  # the same voter's other answer won a race: replace it below
                feedback = session.scalar(mine.with_for_update(**ROW_LOCK))
        feedback.helpful, feedback.created_at = helpful, now
        feedback.ask_session_id = ask_session_id or feedback.ask_session_id
    return feedback


# --- the dashboard's figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    """Ask sessions that ended in the period, and what happened in them.

    A session ends when its question is posted (counted on the day it was posted) or when it has
    been idle for `abandon_after` (counted on the day it went idle plus `abandon_after`). Deflected:
    abandoned after opening a suggestion that this session's visitor then marked as helpful.
    Deflection rate = deflected / (posted + abandoned).
    """

    posted: int
    abandoned: int
    shown: int  # ended sessions that were shown at least one solved thread
    opened: int  # … and opened at least one of them
    deflected: int

    @property
    def ended(self) -> int:
        return self.posted + self.abandoned

    @property
    def rate(self) -> Rate:
        return Rate(self.deflected, self.ended)


def funnel(session: Session, board_id: int | None, span: Period, abandon_after: timedelta) -> Funnel:
    idle_since = span.end - abandon_after
    posted = and_(AskSession.outcome == "posted", AskSession.last_seen_at.between(span.start, span.end))
    abandoned = and_(AskSession.outcome == "open", AskSession.last_seen_at < idle_since,
                     AskSession.last_seen_at >= span.start - abandon_after)
    suggested = AskSuggestion.session_id == AskSession.id

    def count(condition):  # noqa: ANN001, ANN202 - counted in the database: a busy period has many sessions
        return func.count(AskSession.id).filter(condition)

    row = session.execute(
        select(count(AskSession.outcome == "posted"), count(AskSession.outcome == "open"),
               count(exists().where(suggested)),
               count(exists().where(suggested, AskSuggestion.opened_at.is_not(None))),
               count(and_(AskSession.outcome == "open",
                          exists().where(SolutionFeedback.ask_session_id == AskSession.id,
                                         SolutionFeedback.helpful.is_(True)))))
        .where(or_(posted, abandoned), *([AskSession.board_id == board_id] if board_id is not None else []))
    ).one()
    return Funnel(posted=row[0], abandoned=row[1], shown=row[2], opened=row[3], deflected=row[4])


@dataclass(frozen=True)
class Helpfulness:
    """The "Did this solve your problem?" answers a thread got in the period."""

    thread: Thread
    yes: int
    no: int

    @property
    def answers(self) -> int:
        return self.yes + self.no

    @property
    def share_yes(self) -> Rate:
        return Rate(self.yes, self.answers)


def helpfulness(session: Session, board_id: int | None, span: Period, *, limit: int | None = None) -> list[Helpfulness]:
    """Threads (not hidden) by the number of answers given in the period, most first."""
    counts = (
        select(SolutionFeedback.thread_id,
               func.count(SolutionFeedback.id).filter(SolutionFeedback.helpful.is_(True)).label("yes"),
               func.count(SolutionFeedback.id).label("total"))
        .where(SolutionFeedback.created_at.between(span.start, span.end))
        .group_by(SolutionFeedback.thread_id).subquery()
    )
    rows = session.execute(
        select(Thread, counts.c.yes, counts.c.total).join(counts, counts.c.thread_id == Thread.id)
        .where(Thread.is_hidden.is_(False), *([Thread.board_id == board_id] if board_id is not None else []))
        .options(joinedload(Thread.board))
        .order_by(counts.c.total.desc(), counts.c.yes.desc(), Thread.id).limit(limit)
    ).all()
    return [Helpfulness(thread, yes, total - yes) for thread, yes, total in rows]
