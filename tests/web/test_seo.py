"""HTTP tests of what search engines and link previews read: sitemaps, robots.txt, canonical
addresses, Open Graph tags and the QAPage JSON-LD of thread pages."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import extruct
import pytest
from sqlalchemy import select

from app.models import Post, Thread
from app.services import kudos, official, posting, review, sitemap, solutions, thread_moderation
from tests.web.html_tools import parse

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
W3C_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
BREAKOUT = "</script><script>alert(1)</script>"


def _xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/xml"
    return ET.fromstring(response.data)  # well-formed, or this raises


def _locs(root: ET.Element) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def _lastmods(root: ET.Element) -> list[str]:
    return [mod.text for mod in root.iterfind(".//sm:lastmod", NS)]


def _thread_address(thread: Thread) -> str:
    return f"http://localhost/t/{thread.id}-{thread.slug}"


def _head(client, url: str) -> dict[str, list[str]]:
    """The canonical links and meta tags of a page: {'canonical': [...], 'og:title': [...], ...}."""
    response = client.get(url)
    assert response.status_code == 200, url
    found: dict[str, list[str]] = {}
    for tag in parse(response.get_data(as_text=True)).tags:
        if tag.name == "link" and tag.get("rel") == "canonical":
            found.setdefault("canonical", []).append(tag.get("href"))
        elif tag.name == "meta" and (tag.get("property") or tag.get("name")):
            found.setdefault(tag.get("property") or tag.get("name"), []).append(tag.get("content"))
    return found


def _json_ld(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return extruct.extract(response.get_data(as_text=True), base_url="http://localhost" + url,
                           syntaxes=["json-ld"])["json-ld"]


def _question(session, thread: Thread) -> Post:
    return session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()


@pytest.fixture
def threads(session, make_thread, moderator):
    """Five visible threads, one whose question is hidden and one merged into the first."""
    visible = [make_thread(title=f"Printer problem number {i}") for i in range(5)]
    hidden = make_thread(title="A question a moderator hid")
    review.hide(session, moderator, post_id=_question(session, hidden).id, reason="spam")
    merged = make_thread(title="A duplicate of problem zero")
    thread_moderation.merge(session, moderator, source_id=merged.id, target_id=visible[0].id)
    session.expire_all()
    return visible, hidden, merged


# --- sitemaps ----------------------------------------------------------------------------------


def test_sitemap_index_points_at_the_boards_file_and_thread_files_of_the_configured_size(app, client, threads):
    app.config["SITEMAP_URLS_PER_FILE"] = 2
    visible, hidden, merged = threads

    index = _xml(client, "/sitemap.xml")

    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    assert _locs(index) == ["http://localhost/sitemap-boards.xml", "http://localhost/sitemap-threads-1.xml",
                            "http://localhost/sitemap-threads-2.xml", "http://localhost/sitemap-threads-3.xml"]
    assert all(W3C_UTC.match(m) for m in _lastmods(index))
    files = [_locs(_xml(client, f"/sitemap-threads-{n}.xml")) for n in (1, 2, 3)]
    assert [len(f) for f in files] == [2, 2, 1]
    assert [url for f in files for url in f] == [_thread_address(t) for t in visible]  # in id order
    listed = " ".join(url for f in files for url in f)
    assert f"/t/{hidden.id}-" not in listed and f"/t/{merged.id}-" not in listed


@pytest.mark.parametrize("url", ["/sitemap-threads-4.xml", "/sitemap-threads-0.xml",
                                 "/sitemap-threads-99999999999.xml", "/sitemap-threads-x.xml"])
def test_a_thread_sitemap_beyond_the_last_is_a_404(app, client, threads, url):
    app.config["SITEMAP_URLS_PER_FILE"] = 2

    assert client.get(url).status_code == 404


def test_without_threads_the_index_lists_only_the_boards_file(client, board):
    index = _xml(client, "/sitemap.xml")

    assert _locs(index) == ["http://localhost/sitemap-boards.xml"]
    assert client.get("/sitemap-threads-1.xml").status_code == 404


def test_thread_sitemap_gives_last_activity_in_w3c_utc(client, session, thread):
    thread.last_activity_at = datetime(2026, 11, 24, 7, 36, 28, 123456, tzinfo=timezone.utc)
    session.commit()

    threads_file = _xml(client, "/sitemap-threads-1.xml")

    assert _locs(threads_file) == [_thread_address(thread)]
    assert _lastmods(threads_file) == ["2026-11-24T07:36:28+00:00"]
    assert "2026-11-24T07:36:28+00:00" in _lastmods(_xml(client, "/sitemap.xml"))


def test_thread_sitemap_is_read_in_batches_to_the_end_of_the_file(session, threads):
    """More rows than one batch, and a file that ends inside a batch: nothing lost or repeated."""
    visible, _, _ = threads
    ids = [t.id for t in visible]

    first = [row.id for row in sitemap.thread_entries(session, 1, per_file=4, batch=3)]
    second = [row.id for row in sitemap.thread_entries(session, 2, per_file=4, batch=3)]

    assert first == ids[:4] and second == ids[4:]


def test_boards_sitemap_lists_home_and_every_board(client, session, thread, board):
    thread.last_activity_at = datetime(2026, 3, 2, 10, 0, 0, tzinfo=timezone.utc)
    session.commit()

    boards_file = _xml(client, "/sitemap-boards.xml")

    assert _locs(boards_file) == ["http://localhost/", "http://localhost/b/printers"]
    assert _lastmods(boards_file) == ["2026-03-02T10:00:00+00:00", "2026-03-02T10:00:00+00:00"]


# --- robots.txt --------------------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_private_and_writing_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = [line for line in response.get_data(as_text=True).splitlines() if line and not line.startswith("#")]
    assert lines == ["User-agent: *", "Disallow: /moderation", "Disallow: /admin", "Disallow: /login",
                     "Disallow: /register", "Disallow: /ask", "Disallow: /p/*/edit", "Disallow: /p/*/flag",
                     "Disallow: /search", "Sitemap: http://localhost/sitemap.xml"]


# --- canonical addresses and robots rules of list pages ----------------------------------------


@pytest.fixture
def three_threads(app, make_thread):
    """Three threads on a board that shows two per page."""
    app.config["THREADS_PER_PAGE"] = 2
    return [make_thread(title=f"Printer problem number {i}") for i in range(3)]


@pytest.mark.parametrize(("url", "canonical"), [
    ("/", "http://localhost/"),
    ("/b/printers", "http://localhost/b/printers"),
    ("/b/printers?page=1", "http://localhost/b/printers"),
    ("/b/printers?page=2", "http://localhost/b/printers?page=2"),
    ("/b/printers?page=999", "http://localhost/b/printers?page=2"),  # the page actually shown
    ("/b/printers?sort=kudos&page=2", "http://localhost/b/printers?page=2"),
    ("/b/printers?filter=nonsense", "http://localhost/b/printers"),
    ("/tags/wireless?sort=newest", "http://localhost/tags/wireless"),
    ("/tags/WIRELESS", "http://localhost/tags/wireless"),
    ("/leaderboard", "http://localhost/leaderboard"),
])
def test_indexed_list_pages_name_one_canonical_address(client, three_threads, url, canonical):
    head = _head(client, url)

    assert head["canonical"] == [canonical]
    assert head["og:url"] == [canonical]
    assert "robots" not in head


@pytest.mark.parametrize(("url", "canonical"), [
    ("/b/printers?filter=solved", "http://localhost/b/printers?filter=solved"),
    ("/b/printers?filter=unanswered&sort=newest&page=2", "http://localhost/b/printers?filter=unanswered&page=2"),
    ("/tags/wireless?filter=unanswered", "http://localhost/tags/wireless?filter=unanswered"),
])
def test_filtered_lists_are_followed_but_not_indexed(client, three_threads, url, canonical):
    head = _head(client, url)

    assert head["robots"] == ["noindex, follow"]
    assert head["canonical"] == [canonical]


def test_profile_and_thread_pages_name_their_canonical_address(client, member, thread):
    profile = f"http://localhost/u/{member.id}-asker-anna"

    assert _head(client, f"/u/{member.id}-asker-anna")["canonical"] == [profile]
    assert _head(client, f"/t/{thread.id}-{thread.slug}")["canonical"] == [_thread_address(thread)]


# --- Open Graph ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "og_type", "title"), [
    ("/", "website", "Community home"),
    ("/b/printers", "website", "Printers"),
    ("/tags/wireless", "website", "Tagged wireless"),
    ("/login", "website", "Sign in"),
    ("/leaderboard", "website", "Top helpers"),
    ("THREAD", "article", "Printer shows offline after update"),
])
def test_every_page_has_open_graph_and_twitter_card_tags(client, thread, url, og_type, title):
    url = f"/t/{thread.id}-{thread.slug}" if url == "THREAD" else url

    head = _head(client, url)

    assert head["og:site_name"] == ["Peerdesk"]
    assert head["og:type"] == [og_type]
    assert head["og:title"] == [title]
    assert head["og:description"] == head["description"] and head["description"][0]
    assert head["og:url"][0].startswith("http://localhost/")
    assert head["twitter:card"] == ["summary"]


def test_thread_description_is_the_question_as_plain_text(client, make_thread):
    thread = make_thread(body="Since **Tuesday** the `spooler` stops; [details](https://example.com/log).")

    head = _head(client, f"/t/{thread.id}-{thread.slug}")

    assert head["description"] == ["Since Tuesday the spooler stops; details."]
    assert head["og:description"] == head["description"]


# --- QAPage JSON-LD ------------------------------------------------------------------------------


@pytest.fixture
def answered(session, thread, member, helper, moderator, make_user):
    """Four answers: one accepted, one official, one plain and one hidden (with kudos here and there)."""
    olga, pete = make_user(name="Other Olga"), make_user(name="Hidden Pete")
    accepted = posting.answer(session, helper, thread_id=thread.id, body="Reinstall the **driver** from the site.")
    official_answer = posting.answer(session, moderator, thread_id=thread.id, body="Firmware 2.4.1 fixes this.")
    plain = posting.answer(session, olga, thread_id=thread.id, body="Check that the router gives it an address.")
    hidden = posting.answer(session, pete, thread_id=thread.id, body="Buy a printer from a competitor instead.")
    solutions.accept(session, member, answer_id=accepted.id)
    official.mark(session, moderator, answer_id=official_answer.id)
    review.hide(session, moderator, post_id=hidden.id, reason="competitor")
    kudos.give(session, olga, post_id=accepted.id)
    kudos.give(session, helper, post_id=_question(session, thread).id)
    session.expire_all()
    return {"accepted": accepted, "official": official_answer, "plain": plain, "hidden": hidden, "pete": pete}


@pytest.mark.parametrize("persona", ["visitor", "moderator", "hidden_author"])
def test_thread_page_has_a_qa_page_without_hidden_answers(client, session, thread, answered, request, persona):
    """Staff and the hidden answer's author see it on the page; the JSON-LD leaves it out all the same."""
    if persona == "moderator":
        client.sign_in(request.getfixturevalue("moderator"))
    elif persona == "hidden_author":
        client.sign_in(answered["pete"])
    url = f"/t/{thread.id}-{thread.slug}"
    page_url = _thread_address(thread)

    (data,) = _json_ld(client, url)

    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    question = data["mainEntity"]
    assert question["@type"] == "Question"
    assert question["name"] == thread.title
    assert question["text"] == "It worked yesterday; now it is offline."
    assert question["answerCount"] == 3 and question["upvoteCount"] == 1
    assert question["author"] == {"@type": "Person", "name": "Asker Anna",
                                  "url": f"http://localhost/u/{thread.author_id}-asker-anna"}
    assert W3C_UTC.match(question["dateCreated"])
    accepted = question["acceptedAnswer"]
    assert accepted["@type"] == "Answer"
    assert accepted["text"] == "Reinstall the driver from the site."
    assert accepted["upvoteCount"] == 1
    assert accepted["url"] == f"{page_url}#post-{answered['accepted'].id}"
    assert accepted["author"]["name"] == "Helpful Hans" and W3C_UTC.match(accepted["dateCreated"])
    suggested = {a["url"]: a for a in question["suggestedAnswer"]}
    assert set(suggested) == {f"{page_url}#post-{answered['official'].id}", f"{page_url}#post-{answered['plain'].id}"}
    assert suggested[f"{page_url}#post-{answered['official'].id}"]["author"]["name"] == "Mod Maja"
    assert all(a["@type"] == "Answer" and a["upvoteCount"] == 0 for a in suggested.values())
    html = client.get(url).get_data(as_text=True)
    assert "competitor instead" not in str(data) and "Hidden Pete" not in str(data)
    assert ("competitor instead" in html) == (persona != "visitor")  # the page itself does show it to them


def test_official_answer_that_is_also_accepted_is_only_the_accepted_answer(client, session, thread, member,
                                                                           moderator, helper):
    answer = posting.answer(session, helper, thread_id=thread.id, body="Reinstall the driver from the site.")
    solutions.accept(session, member, answer_id=answer.id)
    official.mark(session, moderator, answer_id=answer.id)

    (data,) = _json_ld(client, f"/t/{thread.id}-{thread.slug}")

    assert data["mainEntity"]["acceptedAnswer"]["url"].endswith(f"#post-{answer.id}")
    assert "suggestedAnswer" not in data["mainEntity"]


def test_answers_on_a_later_page_link_to_that_page(app, client, session, thread, helper, make_user):
    app.config["ANSWERS_PER_PAGE"] = 1
    answers = [posting.answer(session, user, thread_id=thread.id, body=f"Answer number {i} with a tip.")
               for i, user in enumerate([helper, make_user()])]

    (data,) = _json_ld(client, f"/t/{thread.id}-{thread.slug}?page=2")

    (suggested,) = data["mainEntity"]["suggestedAnswer"]
    assert suggested["url"] == f"{_thread_address(thread)}?page=2#post-{answers[1].id}"
    assert data["mainEntity"]["answerCount"] == 2


def test_a_hidden_question_has_no_qa_page_even_for_staff(client, session, thread, moderator):
    review.hide(session, moderator, post_id=_question(session, thread).id, reason="spam")
    client.sign_in(moderator)

    assert _json_ld(client, f"/t/{thread.id}-{thread.slug}") == []


def test_a_closing_script_tag_in_posts_cannot_break_out_of_the_json_ld(client, session, make_thread, helper):
    thread = make_thread(title=f"Printer {BREAKOUT} offline", body=f"My printer says {BREAKOUT} & stops.")
    posting.answer(session, helper, thread_id=thread.id, body=f"Type {BREAKOUT} <!-- and & then restart.")
    url = f"/t/{thread.id}-{thread.slug}"

    html = client.get(url).get_data(as_text=True)

    scripts = [t for t in parse(html).tags if t.name == "script"]
    assert [t.attrs for t in scripts] == [[("type", "application/ld+json")],
                                          [("src", "/static/js/live.js"), ("defer", None)],
                                          [("src", "/static/js/site.js"), ("defer", None)]]
    body = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in body and ">" not in body and "&" not in body
    (data,) = _json_ld(client, url)
    question = data["mainEntity"]
    assert question["name"] == f"Printer {BREAKOUT} offline"
    assert question["text"] == f"My printer says {BREAKOUT} & stops."
    assert question["suggestedAnswer"][0]["text"] == f"Type {BREAKOUT} <!-- and & then restart."
