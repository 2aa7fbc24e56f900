"""HTTP tests of the search page: results with highlighted, escaped snippets; filters; sorting;
hidden posts never shown; "Did you mean"; the help page; hostile queries never break it."""
from __future__ import annotations

import re

import pytest

from app.services import official, posting, review, solutions
from tests.web.html_tools import unsafe_markup


def _results(client, **params) -> str:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="search-title"><a href="[^"]+">([^<]+)</a>', html)


def test_a_question_is_found_with_its_words_highlighted(client, make_thread, drain):
    make_thread(title="Printer shows offline after update", body="Since the update the printer is offline.")
    drain()

    html = _results(client, q="offline printer")

    assert _titles(html) == ["Printer shows offline after update"]
    assert "<mark>offline</mark>" in html and "1 thread found" in html


def test_a_snippet_shows_markup_as_text(session, client, thread, helper, drain):
    posting.answer(session, helper, thread_id=thread.id, body="Type `<script>alert(1)</script>` into the zebra box.")
    drain()

    html = _results(client, q="zebra")

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<mark>zebra</mark>" in html
    assert unsafe_markup(html) == []


def test_solved_and_official_filters(session, client, make_thread, helper, moderator, drain):
    solved = make_thread(title="Scanner stops halfway through", body="The scanner stops halfway through a page.")
    open_ = make_thread(title="Scanner stops at the start", body="The scanner stops at the start of a page.")
    answer = posting.answer(session, helper, thread_id=solved.id, body="Clean the scanner glass strip.")
    solutions.accept(session, moderator, answer_id=answer.id)
    other = posting.answer(session, helper, thread_id=open_.id, body="Reinstall the scanner driver.")
    official.mark(session, moderator, answer_id=other.id)
    drain()

    assert _titles(_results(client, q="scanner", solved="1")) == ["Scanner stops halfway through"]
    assert _titles(_results(client, q="scanner", official="1")) == ["Scanner stops at the start"]
    # Relevance favours the solved thread when the words match as well.
    assert _titles(_results(client, q="scanner stops"))[0] == "Scanner stops halfway through"


def test_a_hidden_answer_is_not_found_and_a_hidden_question_not_listed(session, client, make_thread, helper,
                                                                      moderator, drain):
    thread = make_thread(title="Laptop fan is loud at idle", body="The fan spins loudly even when nothing runs.")
    answer = posting.answer(session, helper, thread_id=thread.id, body="Buy cheap fans at walrus-deals.example")
    drain()
    assert _titles(_results(client, q="walrus")) == [thread.title]

    review.hide(session, moderator, post_id=answer.id, reason="spam")
    drain()
    assert _titles(_results(client, q="walrus")) == []

    question_id = posting.Post.id
    question = session.scalar(posting.select(question_id).where(posting.Post.thread_id == thread.id,
                                                                 posting.Post.kind == "question"))
    review.hide(session, moderator, post_id=question, reason="off_topic")
    # Even before the indexer runs, a hidden thread is not shown.
    assert _titles(_results(client, q="fan loud")) == []


def test_did_you_mean(client, make_thread, drain):
    make_thread(title="Printer shows offline after update", body="Since the update the printer is offline.")
    drain()

    html = _results(client, q="printr")

    assert "Did you mean" in html and ">printer</strong>" in html


def test_an_empty_query_shows_how_to_search(client):
    html = _results(client, q="")

    assert "How to search" in html and 'name="robots" content="noindex' in html


@pytest.mark.parametrize("query", ['"', "*", "AND", "OR NOT", ":", "\x00", "a" * 5000, "'; DROP TABLE threads; --",
                                   "(((", "title:", "🖨️ offline", "\u202eevil", "%00", "<script>alert(1)</script>"])
def test_hostile_queries_never_break_the_page(client, make_thread, drain, query):
    make_thread()
    drain()

    response = client.get("/search", query_string={"q": query, "page": "99999", "board": "nope", "within": "x",
                                                   "sort": "weird"})

    assert response.status_code == 200
    assert unsafe_markup(response.get_data(as_text=True)) == []


def test_board_filter_and_newest_sort(session, client, make_thread, drain, board):
    from app.models import Board

    laptops = Board(slug="laptops", name="Laptops", description="", position=1)
    session.add(laptops)
    session.commit()
    make_thread(title="Battery drains overnight on the printer", body="The printer battery drains overnight fast.")
    posting.ask(session, session.get(posting.User, 1), board_id=laptops.id, title="Battery drains overnight",
                body="My laptop battery drains overnight while asleep.")
    drain()

    assert _titles(_results(client, q="battery", board="laptops")) == ["Battery drains overnight"]
    assert _titles(_results(client, q="battery", sort="newest"))[0] == "Battery drains overnight"


def test_the_header_has_a_search_box_on_every_page(client, thread):
    for url in ("/", f"/t/{thread.id}-{thread.slug}", "/leaderboard", "/search?q=x"):
        assert 'role="search"' in client.get(url).get_data(as_text=True), url


def test_similar_threads_json_lists_solved_first(session, client, make_thread, helper, moderator, drain):
    solved = make_thread(title="Wireless printer drops off the network", body="It drops off the wifi network daily.")
    make_thread(title="Wireless printer cannot find the network", body="Setup cannot find the wifi network.")
    answer = posting.answer(session, helper, thread_id=solved.id, body="Give the printer a fixed IP address.")
    solutions.accept(session, moderator, answer_id=answer.id)
    drain()

    found = client.get("/search/similar", query_string={"title": "my wireless printer network"}).get_json()

    assert [item["title"] for item in found][0] == "Wireless printer drops off the network"
    assert found[0]["solved"] is True and found[0]["url"].startswith("/t/")
    assert len(found) == 2
