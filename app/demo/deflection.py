"""The demo's made-up deflection history: four weeks of ask sessions (shown and opened solved
threads, questions posted or given up) and visitors' "Did this solve your problem?" answers,
written through app/services/deflection.py, so the dashboard's Deflection section has figures."""
from __future__ import annotations

import itertools
import random
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Thread
from app.services import deflection

DAYS = 28
IDLE = timedelta(minutes=30)  # the default ASK_SESSION_ABANDON_MINUTES; events come minutes apart
ASKED_THROUGH_FORM = 0.7  # share of the demo's recent questions that were typed with suggestions shown
GAVE_UP_PER_DAY = (0, 3)  # ask sessions a day that ended without a question
OPENED = 0.7  # of those, the share that opened a suggestion …
SAID_YES = 0.6  # … and of those, the share that answered "Yes" there
VISITOR_ANSWERS = (0, 6)  # visitors' answers per solved thread
VISITOR_YES = 0.75


def load(session: Session, now: datetime) -> None:
    rng = random.Random(8)  # the same history on every machine
    # Demo voters never come back, so their keys need only differ from each other: a throwaway secret.
    secret = secrets.token_hex(16)
    threads = session.scalars(select(Thread).order_by(Thread.created_at)).all()
    solved = [t for t in threads if t.is_solved and t.accepted_at is not None]
    since = now - timedelta(days=DAYS)
    voters = itertools.count(1)

    def suggestions(board_id: int, at: datetime) -> list[Thread]:
        return [t for t in solved if t.board_id == board_id and t.accepted_at < at][-3:]

    def ask_session(board_id: int, at: datetime, title: str) -> tuple[str, list[Thread]]:
        token = deflection.start(session, board_id=board_id, now=at).token
        shown = suggestions(board_id, at)
        deflection.record_shown(session, token, title=title, threads=shown, board_id=board_id,
                                now=at + timedelta(seconds=40), abandon_after=IDLE)
        return token, shown

    for thread in threads:
        if thread.created_at >= since and rng.random() < ASKED_THROUGH_FORM:
            token, _shown = ask_session(thread.board_id, thread.created_at - timedelta(minutes=4), thread.title)
            deflection.mark_posted(session, token, thread, now=thread.created_at, abandon_after=IDLE)

    for day in range(DAYS, 0, -1):
        for _ in range(rng.randint(*GAVE_UP_PER_DAY)):
            at = now - timedelta(days=day, minutes=rng.randint(0, 23 * 60))
            known = [t for t in solved if t.accepted_at < at]
            if not known:
                continue
            like = rng.choice(known)  # someone with that problem, typing its first words
            words = like.title.split()
            token, shown = ask_session(like.board_id, at, " ".join(words[: max(3, len(words) // 2)]))
            if not shown or rng.random() >= OPENED:
                continue
            opened = rng.choice(shown)
            deflection.record_opened(session, token, opened.id, now=at + timedelta(minutes=1), abandon_after=IDLE)
            if rng.random() < SAID_YES:
                deflection.answer(session, None, thread_id=opened.id, helpful=True, voter=f"browser:demo-{next(voters)}",
                                  secret=secret, ask_token=token, now=at + timedelta(minutes=3))

    for thread in solved:
        for _ in range(rng.randint(*VISITOR_ANSWERS)):
            at = max(thread.accepted_at, since) + (now - max(thread.accepted_at, since)) * rng.random()
            deflection.answer(session, None, thread_id=thread.id, helpful=rng.random() < VISITOR_YES,
                              voter=f"browser:demo-{next(voters)}", secret=secret, ask_token=None, now=at)

