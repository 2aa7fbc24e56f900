"""Deflection in a real browser: a member types a title, opens the solved thread suggested, answers
"Yes" to "Did this solve your problem?" and leaves without asking; the ask session, its opened
suggestion and the linked answer are recorded, and once the idle timeout has passed (a fake now)
the session counts as abandoned and deflected. Visitors answer too, with and without JavaScript."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import utcnow
from app.models import AskSession, AskSuggestion, SolutionFeedback, User
from app.search import indexer, registry
from app.services import dashboard, deflection, solutions
from tests.e2e.conftest import LiveServer, sign_in

SOLVED = "Wireless printer drops off the network"
LIVE_HEADING = "Already answered? These threads look similar:"
WIDGET = "Did this solve your problem?"
THANKS = "Thank you for your answer!"
IDLE = timedelta(minutes=30)


@pytest.fixture
def seeded(live_server: LiveServer) -> dict:
    """A solved thread in the index, and a member who has not asked yet."""
    asker, helper = live_server.add_member("Asker Anna"), live_server.add_member("Helpful Hans")
    solved = live_server.ask(asker, SOLVED, "It drops off the wifi network every day.", tags="wireless")
    answer = live_server.answer(helper, solved, "Give the printer a fixed IP address in the router.")
    live_server._in_app(lambda s: solutions.accept(s, s.get(User, asker.id), answer_id=answer.id))
    live_server._in_app(lambda s: indexer.drain(s, registry.backend(live_server.app)))
    return {"solved": solved, "email": live_server.add_member("Newcomer Nina").email}


def _recorded(live_server: LiveServer):
    def read(session):
        return (session.scalars(select(AskSession)).all(), session.scalars(select(AskSuggestion)).all(),
                session.scalars(select(SolutionFeedback)).all())
    return live_server._in_app(read)


def test_a_member_opens_a_suggestion_marks_it_helpful_and_leaves(page: Page, live_server: LiveServer, seeded):
    page.goto("/")
    sign_in(page, seeded["email"])
    page.goto("/ask")
    page.get_by_label("Board").select_option(label="Printers")

    page.get_by_label("Title", exact=True).press_sequentially("My wireless printer drops the network", delay=40)
    suggestion = page.get_by_role("region", name=LIVE_HEADING).get_by_role("link", name=SOLVED)
    expect(suggestion).to_be_visible()
    suggestion.click()

    expect(page).to_have_url(re.compile(rf"{live_server.thread_path(seeded['solved'])}$"))
    widget = page.get_by_role("region", name=WIDGET)
    widget.get_by_role("button", name="Yes").click()
    expect(widget).to_contain_text(THANKS)  # answered without leaving the page
    expect(widget.get_by_role("button", name="Yes")).to_be_hidden()
    expect(page).to_have_url(re.compile(rf"{live_server.thread_path(seeded['solved'])}$"))
    page.goto("/")  # and leaves without asking

    sessions, suggestions, answers = _recorded(live_server)
    [ask] = sessions
    assert ask.terms == "wireless printer drops network"
    assert ask.board_id == live_server.board("printers").id and ask.posted_thread_id is None
    assert [(s.session_id, s.thread_id) for s in suggestions] == [(ask.id, seeded["solved"].id)]
    assert suggestions[0].opened_at is not None
    assert [(a.thread_id, a.helpful, a.ask_session_id) for a in answers] == [(seeded["solved"].id, True, ask.id)]
    later = utcnow() + IDLE + timedelta(minutes=1)  # a fake now, past the idle timeout
    assert deflection.outcome(ask, utcnow(), IDLE) == "open"
    assert deflection.outcome(ask, later, IDLE) == "abandoned"
    funnel = live_server._in_app(lambda s: deflection.funnel(s, None, dashboard.period(7, later), IDLE))
    assert (funnel.ended, funnel.abandoned, funnel.opened, funnel.deflected) == (1, 1, 1, 1)


def test_a_visitor_answers_on_a_shared_page_with_a_fetched_token(page: Page, live_server: LiveServer, seeded):
    page.goto(live_server.thread_path(seeded["solved"]))
    widget = page.get_by_role("region", name=WIDGET)

    widget.get_by_role("button", name="No").click()

    expect(widget).to_contain_text(THANKS)
    assert [(a.helpful, a.ask_session_id) for a in _recorded(live_server)[2]] == [(False, None)]


def test_without_javascript_a_visitor_confirms_on_a_page_with_a_token(new_page, live_server: LiveServer, seeded):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.thread_path(seeded["solved"]))

    page.get_by_role("region", name=WIDGET).get_by_role("button", name="Yes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WIDGET)
    page.get_by_role("main").get_by_role("button", name="Yes").click()

    expect(page.get_by_role("status")).to_contain_text(THANKS)
    expect(page).to_have_url(re.compile(rf"{live_server.thread_path(seeded['solved'])}#solution-feedback$"))
    assert [a.helpful for a in _recorded(live_server)[2]] == [True]
