"""HTTP tests of the profile (reputation, rank progress, badges, history, chart), the paged
reputation history and the leaderboard (measures, periods, boards)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.models import Board, Post, User
from app.services import kudos, posting, reputation, solutions
from tests.web.html_tools import SITE_HEADER, parse, path_of, unsafe_markup


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _ledger_rows(html: str) -> list[tuple[str, str, str]]:
    """(reason, post link, points) of each row of a reputation table."""
    table = html.split('<table class="ledger">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<td class="ledger-what">([^<]+)</td>\s*<td class="ledger-post">\s*(?:<a href="([^"]+)">)?.*?'
                      r'<span class="delta (?:delta-plus|delta-minus)">([^<]+)</span>', table, re.S)
    return rows


# --- profile ------------------------------------------------------------------------------------


@pytest.fixture
def appreciated(session, thread, helper, member, make_user):
    """The helper's answer got kudos from two members; one took it back."""
    answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the printer and the router.")
    first, second = make_user(), make_user()
    kudos.give(session, first, post_id=answer.id)
    kudos.give(session, second, post_id=answer.id)
    kudos.take_back(session, second, post_id=answer.id)
    return answer


def test_profile_shows_reputation_rank_and_progress_to_the_next_rank(client, session, appreciated, helper):
    html = _get(client, f"/u/{helper.id}-helpful-hans")

    assert "<strong>10</strong> reputation" in html
    assert 'Rank: <span class="badge rank rank-0">New member</span>' in html
    progress = next(t for t in parse(html).tags if t.name == "progress")
    assert (progress.get("max"), progress.get("value")) == ("100", "20")  # 10 of the 50 to Contributor
    assert "40 more to Contributor (50)" in html


@pytest.mark.parametrize(("points", "rank", "following", "to_go"), [
    (0, "New member", "Contributor", "50"), (120, "Contributor", "Helper", "80"),
    (880, "Helper", "Expert", "120"), (1000, "Expert", "Champion", "4,000")])
def test_progress_names_the_next_rank(client, session, member, points, rank, following, to_go):
    session.get(User, member.id).reputation = points
    session.commit()

    html = _get(client, f"/u/{member.id}-asker-anna")

    assert f"Progress from {rank} to {following}" in html and f"{to_go} more to {following}" in html


def test_the_top_rank_has_no_progress_bar(client, session, member):
    session.get(User, member.id).reputation = 5000
    session.commit()

    html = _get(client, f"/u/{member.id}-asker-anna")

    assert '<span class="badge rank rank-4">Champion</span>' in html
    assert "The top rank" in html and "<progress" not in html


def test_profile_lists_every_badge_earned_first_with_its_date(client, session, appreciated, helper):
    html = _get(client, f"/u/{helper.id}-helpful-hans")

    assert "1 of 10 earned" in html
    grid = html.split('<ul class="badge-grid">', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r'<li class="achievement (is-earned|is-locked)">.*?<p class="achievement-name">([^<]+)'
                       r'.*?<p class="achievement-desc">([^<]+)</p>\s*<p class="achievement-when">(.*?)</p>', grid, re.S)
    assert len(items) == 10
    assert items[0][:3] == ("is-earned", "First answer", "Answered a question for the first time.")
    today = datetime.now(timezone.utc)
    assert f"{today.day} {today:%b %Y}</time>" in items[0][3] and "Earned" in items[0][3]
    locked = {name.strip(): (desc, when) for state, name, desc, when in items if state == "is-locked"}
    assert locked["Troubleshooter"] == ("10 answers accepted as solutions.", "Not earned yet")
    assert len(locked) == 9


def test_profile_shows_the_latest_reputation_changes_with_links_to_the_posts(client, session, appreciated, helper):
    html = _get(client, f"/u/{helper.id}-helpful-hans")

    rows = _ledger_rows(html)
    link = f"/p/{appreciated.id}"
    assert rows == [("Kudos taken back", link, "\u221210"), ("Kudos received", link, "+10"), ("Kudos received", link, "+10")]
    assert 'class="delta delta-minus">\u221210<' in html and 'class="delta delta-plus">+10<' in html
    assert f'href="/u/{helper.id}-helpful-hans/reputation">Full reputation history (3 changes)' in html
    assert path_of(client.get(link).location).startswith(f"/t/{appreciated.thread_id}-")


def test_profile_draws_the_reputation_chart_as_accessible_inline_svg(client, session, appreciated, helper):
    html = _get(client, f"/u/{helper.id}-helpful-hans")

    svg = next(t for t in parse(html).tags if t.name == "svg")
    today = datetime.now(timezone.utc)
    day = f"{today.day} {today:%b %Y}"
    summary = f"Reputation over time: from 0 on {day} to 10 on {day}; highest 10."  # per day: +20 −10
    assert (svg.get("class"), svg.get("role"), svg.get("aria-label")) == ("chart-svg", "img", summary)
    assert f"<title>{summary}</title>" in html
    assert re.search(r'<polyline class="chart-line" points="[\d., ]+">', html)
    assert re.search(r'<path class="chart-area" d="M[\d.,LZ ]+">', html)
    assert unsafe_markup(html) == []


def test_a_profile_without_reputation_says_so_instead_of_a_chart(client, member):
    html = _get(client, f"/u/{member.id}-asker-anna")

    assert "<svg" not in html
    assert "No reputation yet." in html and "No reputation changes yet." in html
    assert "0 of 10 earned" in html


# --- the full reputation history -------------------------------------------------------------------


@pytest.fixture
def long_history(session, thread, helper):
    answer = posting.answer(session, helper, thread_id=thread.id, body="Restart the printer and the router.")
    start = datetime.now(timezone.utc) - timedelta(days=40)
    for i in range(30):
        reputation.record(session, user_id=helper.id, delta=10 if i % 3 else -5, reason="kudos_received",
                          post_id=answer.id, now=start + timedelta(days=i))
    session.commit()
    return answer


@pytest.mark.parametrize(("query", "shown", "pager"), [
    ("", 25, ['href="/u/{id}-helpful-hans/reputation?page=2" rel="next"']),
    ("?page=2", 5, ['href="/u/{id}-helpful-hans/reputation?page=1" rel="prev"']),
    ("?page=999", 5, ["Page 2 of 2"]),
    ("?page=-3", 25, ["Page 1 of 2"]),
    ("?page=abc", 25, ["Page 1 of 2"]),
])
def test_the_reputation_history_is_paged(client, helper, long_history, query, shown, pager):
    html = _get(client, f"/u/{helper.id}-helpful-hans/reputation{query}")

    rows = _ledger_rows(html)
    assert len(rows) == shown
    assert all(link == f"/p/{long_history.id}" for _, link, _ in rows)
    for piece in pager:
        assert piece.format(id=helper.id) in html
    assert "30 changes" in html


def test_the_history_lists_the_newest_first(client, helper, long_history):
    rows = _ledger_rows(_get(client, f"/u/{helper.id}-helpful-hans/reputation"))

    # i = 29 (+10), 28 (+10), 27 (-5), …
    assert [points for _, _, points in rows[:3]] == ["+10", "+10", "\u22125"]


@pytest.mark.parametrize("url", ["/u/{id}/reputation", "/u/{id}-wrong/reputation", "/u/{id}-HELPFUL-HANS/reputation"])
def test_the_history_with_a_wrong_slug_redirects(client, helper, url):
    response = client.get(url.format(id=helper.id))

    assert response.status_code == 301
    assert path_of(response.location) == f"/u/{helper.id}-helpful-hans/reputation"


@pytest.mark.parametrize("url", ["/u/4711/reputation", "/u/4711-x/reputation", "/u/99999999999999/reputation"])
def test_the_history_of_an_unknown_member_is_a_404(client, member, url):
    response = client.get(url)

    assert response.status_code == 404 and SITE_HEADER in response.get_data(as_text=True)


# --- leaderboard ------------------------------------------------------------------------------------


def _board_rows(html: str) -> list[tuple[int, str, int]]:
    rows = re.findall(r'<td class="num position[^"]*">(\d+)</td>\s*<td class="member"><a href="[^"]+" '
                      r'class="author-name">([^<]+)</a>.*?<td class="num score">([\d,]+)</td>', html, re.S)
    return [(int(position), name, int(score.replace(",", ""))) for position, name, score in rows]


@pytest.fixture
def helpers(session, board, member, helper, make_user, make_thread):
    """Helpers with points in two boards, some of it long ago (see each test for the sums).

    Hans: 2 kudos on an answer in Printers (+20, now).
    Greta: answer accepted in Printers (+15, now) and 1 kudos on an answer in Laptops (+10, now).
    Otto: answer accepted in Laptops 400 days ago (+15) and +100 more then, on the same answer.
    Anna (the asker): +2 for accepting each solution (now in Printers, 400 days ago in Laptops).
    """
    laptops = Board(slug="laptops", name="Laptops", description="Notebooks.", position=1)
    session.add(laptops)
    session.commit()
    greta, otto = make_user(name="Greta Gear"), make_user(name="Otto Old")
    fans = [make_user() for _ in range(2)]
    long_ago = datetime.now(timezone.utc) - timedelta(days=400)

    printing = make_thread(title="Printer shows offline after update")
    notebook = posting.ask(session, member, board_id=laptops.id, title="Laptop battery drains overnight",
                           body="Even when it is switched off the battery is empty by morning.", tags="battery")
    by_hans = posting.answer(session, helper, thread_id=printing.id, body="Restart the printer and router.")
    by_greta = posting.answer(session, greta, thread_id=printing.id, body="Use a TCP/IP port instead of WSD.")
    greta_laptop = posting.answer(session, greta, thread_id=notebook.id, body="Disable fast startup in Windows.")
    by_otto = posting.answer(session, otto, thread_id=notebook.id, body="Update the BIOS, it fixes the drain.")
    for fan in fans:
        kudos.give(session, fan, post_id=by_hans.id)
    kudos.give(session, fans[0], post_id=greta_laptop.id)
    solutions.accept(session, member, answer_id=by_greta.id)
    solutions.accept(session, member, answer_id=by_otto.id, now=long_ago)
    reputation.record(session, user_id=otto.id, delta=100, reason="answer_official", post_id=by_otto.id, now=long_ago)
    session.commit()
    return laptops


@pytest.mark.parametrize(("query", "expected"), [
    ("", [("Otto Old", 115), ("Greta Gear", 25), ("Helpful Hans", 20), ("Asker Anna", 4)]),
    ("?measure=reputation&period=all", [("Otto Old", 115), ("Greta Gear", 25), ("Helpful Hans", 20), ("Asker Anna", 4)]),
    ("?period=month", [("Greta Gear", 25), ("Helpful Hans", 20), ("Asker Anna", 2)]),
    ("?board=printers", [("Helpful Hans", 20), ("Greta Gear", 15), ("Asker Anna", 2)]),
    ("?board=laptops", [("Otto Old", 115), ("Greta Gear", 10), ("Asker Anna", 2)]),
    ("?board=laptops&period=month", [("Greta Gear", 10)]),
    ("?measure=solutions", [("Greta Gear", 1), ("Otto Old", 1)]),
    ("?measure=solutions&period=month", [("Greta Gear", 1)]),
    ("?measure=solutions&board=laptops", [("Otto Old", 1)]),
    ("?measure=solutions&board=printers&period=month", [("Greta Gear", 1)]),
])
def test_the_leaderboard_ranks_helpers_by_measure_period_and_board(client, helpers, query, expected):
    html = _get(client, f"/leaderboard{query}")

    assert _board_rows(html) == [(i, name, score) for i, (name, score) in enumerate(expected, start=1)]


def test_the_leaderboard_shows_ranks_beside_names(client, session, helpers):
    otto = session.scalar(select(User).where(User.display_name == "Otto Old"))

    html = _get(client, "/leaderboard")

    assert re.search(rf'href="/u/{otto.id}-otto-old" class="author-name">Otto Old</a>\s*<span class="badge rank rank-1"', html)


def test_the_leaderboard_choices_keep_each_other(client, helpers):
    html = _get(client, "/leaderboard?measure=solutions&period=month&board=laptops")

    current = re.findall(r'<a href="([^"]+)"(?: class="chip")? aria-current="page">([^<]+)</a>', html)
    assert [label for _, label in current] == ["Top helpers", "Solutions", "This month", "Laptops"]  # nav first
    assert 'href="/leaderboard?period=month&amp;board=laptops"' in html  # reputation, keeping the rest
    assert 'href="/leaderboard?measure=solutions&amp;board=laptops"' in html  # all time
    assert 'href="/leaderboard?measure=solutions&amp;period=month&amp;board=printers"' in html
    assert 'href="/leaderboard?measure=solutions&amp;period=month" class="chip">All boards' in html
    assert "Nobody has earned anything here this month yet." in html  # Otto's solution is old
    assert "<caption>Solutions · All time · Laptops</caption>" in _get(client, "/leaderboard?measure=solutions&board=laptops")


@pytest.mark.parametrize("query", ["?measure=karma", "?period=year", "?board=nope", "?board=", "?measure=%ff%fe",
                                   "?period=%00", "?board=a%00b", "?measure=REPUTATION&period=ALL&board=PRINTERS",
                                   "?page=-1&limit=99999"])
def test_unknown_leaderboard_choices_fall_back_to_the_defaults(client, helpers, query):
    html = _get(client, f"/leaderboard{query}")

    assert SITE_HEADER in html
    assert "<caption>Reputation earned · All time · All boards</caption>" in html
    assert [name for _, name, _ in _board_rows(html)] == ["Otto Old", "Greta Gear", "Helpful Hans", "Asker Anna"]


def test_an_empty_leaderboard_says_so(client, board):
    html = _get(client, "/leaderboard?period=month")

    assert "<table" not in html and "Nobody has earned anything here this month yet." in html


def test_the_header_links_to_the_leaderboard(client, board):
    html = _get(client, "/")

    assert '<a href="/leaderboard">Top helpers</a>' in html
    assert '<a href="/leaderboard" aria-current="page">Top helpers</a>' in _get(client, "/leaderboard")


def test_the_leaderboard_marks_the_signed_in_member(client, session, helpers, helper):
    client.sign_in(helper)

    html = _get(client, "/leaderboard")

    assert re.search(r'<tr class="is-me">\s*<td class="num position position-3">3</td>', html)
