"""HTTP tests of the home page, board and tag listings (filters, sorts, pages) and member profiles."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.models import Board, Thread
from app.services import posting, solutions
from tests.web.html_tools import SITE_HEADER, path_of

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def _titles(html: str) -> list[str]:
    """Thread titles of a listing, in the order shown."""
    return re.findall(r'<h3 class="thread-title"><a href="/t/[^"]+">([^<]+)</a>', html)


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _set_times(session, thread: Thread, *, created_days_ago: float, active_days_ago: float) -> None:
    row = session.get(Thread, thread.id)
    row.created_at = NOW - timedelta(days=created_days_ago)
    row.last_activity_at = NOW - timedelta(days=active_days_ago)
    session.commit()


@pytest.fixture
def listing(session, board, member, helper, make_thread):
    """Four threads with known ages, answers and one solution.

    title            created  active  answers  solved
    Alpha question   4 d      0.5 d   1        no
    Bravo question   3 d      3 d     0        no
    Charlie question 2 d      1 d     1        yes
    Delta question   1 d      1.5 d   0        no  (activity older than creation is not possible in
                                                   real life, but it makes the two sorts differ)
    """
    threads = {}
    for name, created, active in [("Alpha", 4, 0.5), ("Bravo", 3, 3), ("Charlie", 2, 1), ("Delta", 1, 1.5)]:
        thread = make_thread(title=f"{name} question about printing", tags="wireless" if name != "Delta" else "usb")
        if name in ("Alpha", "Charlie"):
            answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the print spooler.")
            if name == "Charlie":
                solutions.accept(session, member, answer_id=answer.id)
        _set_times(session, thread, created_days_ago=created, active_days_ago=active)
        threads[name] = thread
    return threads


def test_home_lists_boards_with_counts_solved_share_and_last_activity(client, session, listing):
    session.add(Board(slug="laptops", name="Laptops", description="Notebooks and batteries.", position=1))
    session.commit()

    html = _get(client, "/")

    cards = html.split('<li class="board-card">')[1:]
    assert [re.search(r'<h3><a href="(/b/[^"]+)">', c).group(1) for c in cards] == ["/b/printers", "/b/laptops"]
    printers, laptops = cards
    stat = lambda card, name: re.search(rf"<dt>{name}</dt><dd>(.*?)</dd>", card).group(1)  # noqa: E731
    assert stat(printers, "Threads") == "4"
    assert stat(printers, "Solved") == "25%"
    latest = (NOW - timedelta(days=0.5)).isoformat(timespec="seconds")
    assert f'datetime="{latest}"' in stat(printers, "Last activity")
    assert (stat(laptops, "Threads"), stat(laptops, "Solved"), stat(laptops, "Last activity")) == ("0", "0%", "none yet")
    recent = html.split('id="recent-heading"')[1]
    assert _titles(recent) == ["Alpha question about printing", "Charlie question about printing",
                               "Delta question about printing", "Bravo question about printing"]


def test_home_without_boards_says_so(client):
    html = _get(client, "/")

    assert "No boards yet" in html


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?sort=activity", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?sort=newest", ["Delta", "Charlie", "Bravo", "Alpha"]),
    ("?filter=all&sort=newest", ["Delta", "Charlie", "Bravo", "Alpha"]),
    ("?filter=unanswered", ["Delta", "Bravo"]),
    ("?filter=unanswered&sort=newest", ["Delta", "Bravo"]),
    ("?filter=solved", ["Charlie"]),
    ("?filter=solved&sort=newest", ["Charlie"]),
    # Unknown values fall back to "all" and "activity".
    ("?filter=bogus", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?sort=oldest", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?filter=SOLVED&sort=NEWEST", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?filter=&sort=", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?filter=solved%27%20OR%201=1--", ["Alpha", "Charlie", "Delta", "Bravo"]),
    ("?filter=unanswered&filter=solved", ["Delta", "Bravo"]),
])
def test_board_filters_and_sorts(client, listing, query, expected):
    html = _get(client, f"/b/printers{query}")

    assert _titles(html) == [f"{name} question about printing" for name in expected]
    assert f"{len(expected)} thread" in html


def test_board_filter_links_keep_the_sort(client, listing):
    html = _get(client, "/b/printers?sort=newest&page=1")

    assert 'href="/b/printers?sort=newest&amp;filter=solved"' in html
    assert 'href="/b/printers?sort=newest&amp;filter=unanswered"' in html


def test_empty_filter_says_nothing_matches(client, session, board, make_thread):
    make_thread()

    html = _get(client, "/b/printers?filter=solved")

    assert _titles(html) == [] and "No threads match this filter." in html


@pytest.fixture
def many_threads(session, board, make_thread):
    """23 threads (20 a page), created a minute apart: "Thread 22…" is the newest."""
    threads = []
    for i in range(23):
        thread = make_thread(title=f"Thread {i:02d} about the scanner")
        _set_times(session, thread, created_days_ago=(23 - i) / 1440, active_days_ago=(23 - i) / 1440)
        threads.append(thread)
    return threads


@pytest.mark.parametrize(("page", "shown", "numbers"), [
    ("", 1, range(22, 2, -1)),
    ("1", 1, range(22, 2, -1)),
    ("2", 2, range(2, -1, -1)),
    ("3", 2, range(2, -1, -1)),
    ("99999999999", 2, range(2, -1, -1)),
    ("0", 1, range(22, 2, -1)),
    ("-1", 1, range(22, 2, -1)),
    ("abc", 1, range(22, 2, -1)),
])
def test_board_pages(client, many_threads, page, shown, numbers):
    html = _get(client, f"/b/printers?page={page}")

    assert _titles(html) == [f"Thread {i:02d} about the scanner" for i in numbers]
    assert f"Page {shown} of 2" in html
    assert ('rel="next"' in html) is (shown == 1)
    assert ('rel="prev"' in html) is (shown == 2)


def test_board_pager_keeps_filter_and_sort(client, many_threads):
    html = _get(client, "/b/printers?filter=unanswered&sort=newest")

    assert 'href="/b/printers?filter=unanswered&amp;sort=newest&amp;page=2" rel="next"' in html


@pytest.mark.parametrize("slug", ["nope", "Printers", "printers-2", "%E2%80%8Bprinters"])
def test_unknown_board_is_a_404_in_site_style(client, board, slug):
    response = client.get(f"/b/{slug}")

    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert SITE_HEADER in html and "Page not found" in html


def test_tag_page_lists_only_threads_with_the_tag(client, listing):
    html = _get(client, "/tags/wireless")

    assert _titles(html) == ["Alpha question about printing", "Charlie question about printing",
                             "Bravo question about printing"]
    assert _titles(_get(client, "/tags/wireless?filter=solved")) == ["Charlie question about printing"]
    assert _titles(_get(client, "/tags/wireless?sort=newest")) == [
        "Charlie question about printing", "Bravo question about printing", "Alpha question about printing"]
    assert _titles(_get(client, "/tags/USB")) == ["Delta question about printing"]
    assert 'href="/b/printers"' in html  # the board is shown with each thread


def test_thread_lists_link_their_tags(client, listing):
    html = _get(client, "/b/printers")

    assert '<a class="tag" href="/tags/wireless">wireless</a>' in html
    assert '<a class="tag" href="/tags/usb">usb</a>' in html


@pytest.mark.parametrize("name", ["nope", "wire", "%00", "a" * 300])
def test_unknown_tag_is_a_404(client, listing, name):
    response = client.get(f"/tags/{name}")

    assert response.status_code == 404
    assert SITE_HEADER in response.get_data(as_text=True)


# --- profiles ----------------------------------------------------------------------------------


def test_profile_shows_the_members_questions_and_answers(client, session, member, helper, listing):
    html = _get(client, f"/u/{helper.id}-helpful-hans")

    assert "<h1>Helpful Hans" in html
    counts = dict(re.findall(r"<dt>(\w+)</dt><dd>(\d+)</dd>", html))
    assert counts == {"Questions": "0", "Answers": "2", "Solutions": "1"}
    answers_part = html.split('id="a-heading"')[1]
    assert "Charlie question about printing" in answers_part and "Alpha question about printing" in answers_part
    assert "Restart the print spooler." in answers_part

    asker = _get(client, f"/u/{member.id}-asker-anna")
    counts = dict(re.findall(r"<dt>(\w+)</dt><dd>(\d+)</dd>", asker))
    assert counts == {"Questions": "4", "Answers": "0", "Solutions": "0"}
    questions_part = asker.split('id="q-heading"')[1].split('id="a-heading"')[0]
    assert _titles(questions_part) == ["Delta question about printing", "Charlie question about printing",
                                       "Bravo question about printing", "Alpha question about printing"]


def test_profile_marks_staff(client, moderator):
    html = _get(client, f"/u/{moderator.id}-mod-maja")

    assert '<span class="badge badge-staff">Staff</span>' in html


@pytest.mark.parametrize("suffix", ["", "-wrong", "-anna", "-ASKER-ANNA", "-asker-anna-x", "-x-asker-anna"])
def test_profile_with_a_wrong_slug_redirects_permanently(client, member, suffix):
    response = client.get(f"/u/{member.id}{suffix}")

    assert response.status_code == 301
    assert path_of(response.location) == f"/u/{member.id}-asker-anna"


@pytest.mark.parametrize("url", ["/u/4711", "/u/4711-someone", "/u/abc", "/u/99999999999999999999999",
                                 "/u/2147483648-x"])
def test_unknown_profile_is_a_404(client, member, url):
    response = client.get(url)

    assert response.status_code == 404
    assert SITE_HEADER in response.get_data(as_text=True)
