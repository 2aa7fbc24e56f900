"""HTTP tests of deflection measured from behaviour (app/web/deflection.py): the ask page starts a
session that records the solved threads shown (live and in the "before you post" step), their
opening and the posting; "Did this solve your problem?" for visitors (no account, a token-carrying
page when their shared page has none, CSRF enforced, a clear 429) and members; and the dashboard's
"Deflection" section with its CSV."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import AskSession, AskSuggestion, SolutionFeedback, Thread
from app.web.deflection import VOTER_COOKIE
from tests.web.html_tools import parse, path_of
from tests.web.test_ask_similar import QUESTION, solved  # noqa: F401 - `solved` is a fixture

WIDGET = "Did this solve your problem?"
THANKS = "Thank you for your answer!"


def _feedback(session) -> list[tuple[int, bool, int | None]]:
    session.rollback()
    return [(f.thread_id, f.helpful, f.ask_session_id)
            for f in session.scalars(select(SolutionFeedback).order_by(SolutionFeedback.id))]


def _path(thread) -> str:
    return f"/t/{thread.id}-{thread.slug}"


def _token_page(client, thread) -> str:
    """The visitor's way without JavaScript: the confirming page, whose form carries a token."""
    page = client.get(f"/t/{thread.id}/feedback?helpful=yes")
    assert page.status_code == 200
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


# --- "Did this solve your problem?" ---------------------------------------------------------------


def test_a_visitor_answers_without_an_account_and_a_second_answer_replaces_the_first(client, session, solved):
    html = client.get(_path(solved)).get_data(as_text=True)
    assert WIDGET in html
    widget = html[html.index('id="solution-feedback"'):html.index("</section>", html.index('id="solution-feedback"'))]
    assert 'method="get"' in widget and "csrf" not in widget  # a shared page: nothing of the visitor
    token = _token_page(client, solved)

    response = client.post(f"/t/{solved.id}/feedback", data={"helpful": "yes", "csrf_token": token})

    assert response.status_code == 302
    assert path_of(response.location) == _path(solved)
    assert response.location.endswith("#solution-feedback")
    assert VOTER_COOKIE in response.headers.get("Set-Cookie", "")
    assert THANKS in client.get(_path(solved)).get_data(as_text=True)
    assert _feedback(session) == [(solved.id, True, None)]

    client.post(f"/t/{solved.id}/feedback", data={"helpful": "no", "csrf_token": token})

    assert _feedback(session) == [(solved.id, False, None)]


def test_two_visitors_are_two_voters(client, new_client, session, solved):
    other = new_client()
    for browser in (client, other):
        browser.post(f"/t/{solved.id}/feedback", data={"helpful": "yes", "csrf_token": _token_page(browser, solved)})

    assert _feedback(session) == [(solved.id, True, None), (solved.id, True, None)]


def test_script_answers_get_json_with_a_token_fetched_for_the_shared_page(client, session, solved):
    token = client.get("/feedback/token")
    assert token.headers["Cache-Control"] == "no-store"

    response = client.post(f"/t/{solved.id}/feedback", data={"helpful": "no"}, with_csrf=False,
                           headers={"X-CSRFToken": token.json["csrf_token"], "Accept": "application/json"})

    assert response.status_code == 200
    assert response.json["message"].startswith(THANKS)
    assert _feedback(session) == [(solved.id, False, None)]


def test_a_member_posts_from_the_thread_page_directly(client, session, member, solved):
    client.sign_in(member)
    html = client.get(_path(solved)).get_data(as_text=True)
    widget = html[html.index('id="solution-feedback"'):]
    assert 'method="post"' in widget[:800] and 'name="csrf_token"' in widget[:800]

    response = client.post(f"/t/{solved.id}/feedback", data={"helpful": "yes"})

    assert response.status_code == 302
    assert VOTER_COOKIE not in response.headers.get("Set-Cookie", "")
    assert _feedback(session) == [(solved.id, True, None)]


@pytest.mark.parametrize("data", [{"helpful": "yes"}, {"helpful": "yes", "csrf_token": "forged"}],
                         ids=["no-token", "wrong-token"])
def test_csrf_is_enforced(client, session, solved, data):
    response = client.post(f"/t/{solved.id}/feedback", data=data, with_csrf=False)

    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert _feedback(session) == []


def test_an_answer_other_than_yes_or_no_is_a_clear_400(client, session, solved):
    response = client.post(f"/t/{solved.id}/feedback", data={"helpful": "maybe"})

    assert response.status_code == 400
    assert "Please answer Yes or No." in response.get_data(as_text=True)
    assert _feedback(session) == []


def test_an_unsolved_thread_shows_no_widget_and_takes_no_answer(client, session, thread):
    assert WIDGET not in client.get(_path(thread)).get_data(as_text=True)
    assert client.get(f"/t/{thread.id}/feedback").status_code == 404
    assert client.post(f"/t/{thread.id}/feedback", data={"helpful": "yes"}).status_code == 404
    assert _feedback(session) == []


@pytest.mark.parametrize("path", ["/t/999999/feedback", "/t/99999999999999/feedback"])
def test_a_bad_thread_id_is_404(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, data={"helpful": "yes"}).status_code == 404


def test_the_rate_limit_answers_a_clear_429_page(make_app, session, solved):
    site = make_app(RATELIMIT_ENABLED=True, RATELIMIT_FEEDBACK="2 per hour")
    client = site.test_client()
    client.test_session = session
    token = _token_page(client, solved)
    statuses = [client.post(f"/t/{solved.id}/feedback", data={"helpful": "yes", "csrf_token": token}).status_code
                for _ in range(2)]

    refused = client.post(f"/t/{solved.id}/feedback", data={"helpful": "no", "csrf_token": token})

    assert statuses == [302, 302]
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Slow down a little" in page and "the limit is 2 per 1 hour" in page
    assert refused.headers["Retry-After"]
    assert _feedback(session) == [(solved.id, True, None)]
    as_json = client.post(f"/t/{solved.id}/feedback", data={"helpful": "no", "csrf_token": token},
                          headers={"Accept": "application/json"})
    assert as_json.status_code == 429 and "try again" in as_json.json["error"]


# --- ask sessions ----------------------------------------------------------------------------------


def _ask_token(client) -> str:
    token = parse(client.get("/ask").get_data(as_text=True)).value("ask_session")
    assert len(token) == 43
    return token


def test_the_live_list_records_solved_suggestions_and_their_opening_links_feedback(client, session, member, board,
                                                                                     solved, make_thread, drain):
    unsolved = make_thread(title="Wireless printer cannot find the network")
    drain()
    client.sign_in(member)
    token = _ask_token(client)

    found = client.get("/search/similar", query_string={"title": "Wireless printer drops every evening!",
                                                        "ask": token, "board": board.id}).json

    links = {row["title"]: row["url"] for row in found}
    assert links[solved.title] == f"/ask/{token}/open/{solved.id}"
    assert links[unsolved.title] == _path(unsolved)  # only solved threads are suggestions
    ask = session.scalar(select(AskSession))
    assert (ask.terms, ask.board_id, ask.outcome) == ("wireless printer drops evening", board.id, "open")

    opened = client.get(links[solved.title])

    assert opened.status_code == 302 and path_of(opened.location) == _path(solved)
    suggestion = session.scalar(select(AskSuggestion))
    assert suggestion.thread_id == solved.id and suggestion.opened_at is not None
    client.post(f"/t/{solved.id}/feedback", data={"helpful": "yes"})
    assert _feedback(session) == [(solved.id, True, ask.id)]


def test_posting_ends_the_session_as_posted(client, session, member, board, solved):
    client.sign_in(member)
    token = _ask_token(client)

    response = client.post("/ask", data={"board": str(board.id), **QUESTION, "checked_similar": "1",
                                         "ask_session": token})

    assert response.status_code == 302
    ask = session.scalar(select(AskSession))
    posted = session.scalar(select(Thread).where(Thread.id != solved.id))
    assert (ask.outcome, ask.posted_thread_id) == ("posted", posted.id)


def test_the_step_without_javascript_links_suggestions_through_the_session(client, session, member, board, solved):
    client.sign_in(member)
    token = _ask_token(client)

    html = client.post("/ask", data={"board": str(board.id), **QUESTION, "ask_session": token}).get_data(as_text=True)

    assert f'<a href="/ask/{token}/open/{solved.id}">{solved.title}</a>' in html
    assert parse(html).value("ask_session") == token
    assert session.scalar(select(AskSession.terms)) == "wireless printer dropping network"


def test_an_unknown_session_token_still_leads_to_the_thread_and_records_nothing(client, session, solved):
    response = client.get(f"/ask/{'x' * 43}/open/{solved.id}")

    assert response.status_code == 302 and path_of(response.location) == _path(solved)
    assert client.get(f"/ask/{'x' * 43}/open/999999").status_code == 404
    assert session.scalar(select(func.count(AskSuggestion.id))) == 0


def test_a_visitors_shared_thread_page_carries_the_widget_and_nothing_of_the_visitor(make_app, session, solved):
    site = make_app(PAGE_CACHE_SECONDS=60.0)
    first, second = site.test_client(), site.test_client()

    page = first.get(_path(solved))
    kept = second.get(_path(solved))

    assert kept.headers.get("X-Page-Cache") == "hit" and kept.data == page.data
    assert WIDGET in kept.get_data(as_text=True) and "csrf" not in kept.get_data(as_text=True)


# --- the dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_shows_deflection_and_exports_helpfulness(client, new_client, session, moderator, board,
                                                                solved, member):
    asker = new_client()
    asker.sign_in(member)
    token = _ask_token(asker)
    asker.get("/search/similar", query_string={"title": "Wireless printer drops", "ask": token})
    asker.get(f"/ask/{token}/open/{solved.id}")
    asker.post(f"/t/{solved.id}/feedback", data={"helpful": "yes"})
    _ask_token(asker)  # a second session, still open: not counted yet
    visitor = new_client()
    visitor.post(f"/t/{solved.id}/feedback", data={"helpful": "no", "csrf_token": _token_page(visitor, solved)})
    first = session.scalar(select(AskSession).where(AskSession.token == token))
    first.last_seen_at -= timedelta(hours=1)  # the first asker left an hour ago
    session.commit()
    client.sign_in(moderator)

    html = client.get("/dashboard?days=7").get_data(as_text=True)

    section = html[html.index('id="dash-deflection"'):]
    assert "100%" in section and "1 of 1 ask sessions" in section  # one ended, abandoned, deflected
    assert "Helpfulness per solved thread" in section and solved.title in section
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/helpfulness.csv?days=7").get_data(as_text=True))))
    assert rows[0] == ["Thread", "Board", "Yes", "No", "Share of yes", "Address"]
    assert rows[1][:5] == [solved.title, "Printers", "1", "1", "50%"]
