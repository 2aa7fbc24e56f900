"""The Atom feeds (a board's, newly solved, a search's): valid Atom read by a feed reader, in the right
order, public threads only, member text escaped, and linked from the pages they follow."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from lxml import etree
from sqlalchemy import select

from app.models import Board, Post, Thread
from app.services import feeds, posting, review, solutions, thread_moderation

ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"
XSS_TITLE = '<script>alert("t")</script> & <b>bold</b> printer'
XSS_BODY = 'My printer <img src=x onerror=alert(1)> says "offline" <script>alert(2)</script> & stops.'


def _feed(client, url: str) -> feedparser.FeedParserDict:
    """The feed at `url`: answered as Atom, an Atom document for lxml and well-formed for feedparser."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    assert etree.fromstring(response.data).tag == ATOM_FEED
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def _question(session, thread: Thread) -> Post:
    return session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()


def _at(thread: Thread, session, minutes: int) -> None:
    """Date a thread's asking `minutes` after a fixed moment, so the order is the test's, not the clock's."""
    thread.created_at = thread.last_activity_at = datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes)
    session.commit()


def test_a_board_feed_lists_its_newest_visible_threads_newest_first(app, client, session, make_thread, moderator,
                                                                     board):
    old, new, newest = (make_thread(title=f"Printer trouble number {i}", body=f"Details of trouble {i}.")
                        for i in range(3))
    for minutes, thread in enumerate((old, new, newest)):
        _at(thread, session, minutes)
    hidden = make_thread(title="A question a moderator hid", body="Spam about walrus deals.")
    review.hide(session, moderator, post_id=_question(session, hidden).id, reason="spam")
    merged = make_thread(title="A duplicate of trouble zero")
    thread_moderation.merge(session, moderator, source_id=merged.id, target_id=old.id)

    parsed = _feed(client, "/b/printers/feed.atom")

    assert _titles(parsed) == [newest.title, new.title, old.title]
    entry = parsed.entries[0]
    assert entry.link == f"http://localhost/t/{newest.id}-{newest.slug}"
    assert entry.id == f"tag:localhost,{feeds.TAG_YEAR}:thread-{newest.id}"
    assert entry.author == "Asker Anna"
    assert entry.summary == "Details of trouble 2."
    assert entry.updated_parsed[:5] == (2026, 3, 1, 0, 2)
    assert parsed.feed.title == "Printers · Peerdesk"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"self": "http://localhost/b/printers/feed.atom", "alternate": "http://localhost/b/printers"}
    assert parsed.feed.updated_parsed == max(e.updated_parsed for e in parsed.entries)  # the merge touched `old`
    assert b"walrus" not in client.get("/b/printers/feed.atom").data


def test_a_board_feed_holds_at_most_the_limit(client, session, make_thread, monkeypatch):
    monkeypatch.setattr(feeds, "LIMIT", 2)
    for i in range(3):
        make_thread(title=f"Scanner question number {i}")

    assert len(_feed(client, "/b/printers/feed.atom").entries) == 2


def test_an_archived_board_keeps_its_feed_and_an_unknown_board_has_none(client, session, board, thread):
    board.is_archived = True
    session.commit()

    assert _titles(_feed(client, "/b/printers/feed.atom")) == [thread.title]
    assert client.get("/b/no-such-board/feed.atom").status_code == 404


def test_the_solved_feed_lists_threads_by_when_they_were_solved(client, session, make_thread, member, helper,
                                                                moderator):
    first, second, open_one, hidden = (make_thread(title=f"Router question number {i}") for i in range(4))
    for minutes, thread in enumerate((second, first, hidden)):  # second solved first, first solved later
        answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the router, then the printer.")
        solutions.accept(session, member, answer_id=answer.id,
                         now=datetime(2026, 4, 1, tzinfo=timezone.utc) + timedelta(hours=minutes))
    review.hide(session, moderator, post_id=_question(session, hidden).id, reason="spam")

    parsed = _feed(client, "/feeds/solved.atom")

    assert _titles(parsed) == [first.title, second.title]
    assert parsed.entries[0].updated_parsed[:4] == (2026, 4, 1, 1)
    assert {link.rel: link.href for link in parsed.feed.links}["alternate"] == "http://localhost/"


def test_a_search_feed_lists_the_results_with_the_pages_filters(client, session, make_thread, helper, member,
                                                                drain):
    make_thread(title="Scanner stops halfway through", body="The scanner stops halfway through every page.")
    solved = make_thread(title="Scanner jams at the start", body="The scanner jams at the start of a page.")
    answer = posting.answer(session, helper, thread_id=solved.id, body="Clean the scanner rollers.")
    solutions.accept(session, member, answer_id=answer.id)
    make_thread(title="Printer is offline", body="Nothing about the other device.")
    drain()

    assert sorted(_titles(_feed(client, "/search.atom?q=scanner"))) == ["Scanner jams at the start",
                                                                       "Scanner stops halfway through"]
    assert _titles(_feed(client, "/search.atom?q=scanner&solved=1")) == ["Scanner jams at the start"]
    assert _titles(_feed(client, "/search.atom?q=scanner&board=no-such-board&sort=newest")) == [
        "Scanner jams at the start", "Scanner stops halfway through"]
    parsed = _feed(client, "/search.atom?q=scanner&solved=1&page=3")
    assert {link.rel: link.href for link in parsed.feed.links}["alternate"] == (
        "http://localhost/search?q=scanner&solved=1")


def test_a_search_feed_never_shows_a_hidden_thread(client, session, make_thread, moderator, drain):
    thread = make_thread(title="Laptop fan is loud at idle", body="The fan spins loudly even when idle.")
    drain()
    review.hide(session, moderator, post_id=_question(session, thread).id, reason="off_topic")

    # Even before the indexer runs, a hidden thread is left out.
    assert _feed(client, "/search.atom?q=fan").entries == []


@pytest.mark.parametrize("query", ["", "   ", '"', "(((", "title:", "AND", "\x00", "a" * 5000,
                                   "<script>alert(1)</script>"])
def test_an_empty_or_nonsense_query_gives_a_valid_feed(client, make_thread, drain, query):
    make_thread()
    drain()

    assert _feed(client, "/search.atom?" + f"q={query}".replace("&", "%26")).entries == []


def test_member_text_comes_out_escaped(client, session, make_thread, drain):
    thread = make_thread(title=XSS_TITLE, body=XSS_BODY)
    drain()

    for url in ("/b/printers/feed.atom", "/search.atom?q=printer"):
        raw = client.get(url).data
        parsed = _feed(client, url)
        assert parsed.entries[0].title == thread.title
        assert parsed.entries[0].title_detail.type == "text/plain"
        # The question's text as a reader sees it on the page (the sanitiser dropped the image), as text.
        assert parsed.entries[0].summary == 'My printer says "offline" <script>alert(2)</script> & stops.'
        assert parsed.entries[0].summary_detail.type == "text/plain"
        # No markup of the member's reached the XML: every < of theirs is an entity there.
        assert not re.search(rb"<(script|img|b)\b", raw), raw


def _feed_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]+)">', html)


@pytest.mark.parametrize(("page", "feed"), [("/", "/feeds/solved.atom"), ("/b/printers", "/b/printers/feed.atom"),
                                            ("/search?q=printer&solved=1&page=2", "/search.atom?q=printer&solved=1")])
def test_pages_link_their_feed(client, thread, drain, page, feed):
    drain()
    links = _feed_links(client.get(page).get_data(as_text=True))

    assert [href.replace("&amp;", "&") for _, href in links] == [feed]
    assert links[0][0]
    _feed(client, feed)


def test_a_search_page_without_a_query_links_no_feed(client, member):
    assert _feed_links(client.get("/search").get_data(as_text=True)) == []
    client.sign_in(member)
    # A member's page links the same feeds as a visitor's: nothing of theirs is in the address.
    assert _feed_links(client.get("/search?q=x").get_data(as_text=True)) == [("Search: x", "/search.atom?q=x")]


def test_a_second_board_has_its_own_feed(client, session, make_thread, member):
    other = Board(slug="laptops", name="Laptops", description="", position=1)
    session.add(other)
    session.commit()
    make_thread(title="Printer question here")
    posting.ask(session, member, board_id=other.id, title="Laptop battery drains",
                body="It drains overnight, very fast, every day.")

    assert _titles(_feed(client, "/b/laptops/feed.atom")) == ["Laptop battery drains"]
