"""Similar threads while asking, in a real browser: the live list under the title (solved first,
badges, a count for screen readers, late answers to older lookups ignored), and the "before you
post" step that takes its place with JavaScript off."""
from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from app.models import User
from app.search import indexer, registry
from app.services import official, solutions
from tests.e2e.conftest import ACTION_TIMEOUT_MS, LiveServer, sign_in

SOLVED = "Wireless printer drops off the network"
OPEN = "Wireless printer cannot find the network"
LIVE_HEADING = "Already answered? These threads look similar:"
STEP_HEADING = "Before you post: these threads look like yours"
BODY = "Every evening my wireless printer disappears from the network until I restart it."
SIMILAR_URL = re.compile(r"/search/similar\?")


@pytest.fixture
def seeded(live_server: LiveServer) -> dict:
    """A solved thread and one with an official answer, both in the index, and a newcomer to ask."""
    asker, helper = live_server.add_member("Asker Anna"), live_server.add_member("Helpful Hans")
    staff = live_server.add_member("Mod Maja", role="moderator")
    solved = live_server.ask(asker, SOLVED, "It drops off the wifi network every day.", tags="wireless")
    answer = live_server.answer(helper, solved, "Give the printer a fixed IP address in the router.")
    live_server._in_app(lambda s: solutions.accept(s, s.get(User, asker.id), answer_id=answer.id))
    open_ = live_server.ask(asker, OPEN, "The setup wizard cannot find the wifi network.", tags="wireless")
    other = live_server.answer(helper, open_, "Switch the router to 2.4 GHz during setup.")
    live_server._in_app(lambda s: official.mark(s, s.get(User, staff.id), answer_id=other.id))
    live_server._in_app(lambda s: indexer.drain(s, registry.backend(live_server.app)))
    newcomer = live_server.add_member("Newcomer Nina")
    return {"solved": solved, "open": open_, "email": newcomer.email}


def _open_ask_page(page: Page, email: str) -> None:
    page.goto("/")
    sign_in(page, email)
    page.goto("/ask")
    expect(page.get_by_role("heading", name="Ask the community")).to_be_visible()


def _wait_until(page: Page, done: Callable[[], bool]) -> None:
    """Let the browser run (and route handlers fire) until `done()` holds."""
    deadline = time.monotonic() + ACTION_TIMEOUT_MS / 1000
    while not done():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(50)


def test_typing_a_title_lists_similar_threads_solved_first(page: Page, live_server: LiveServer, seeded):
    _open_ask_page(page, seeded["email"])
    similar = page.get_by_role("region", name=LIVE_HEADING)
    expect(similar).to_be_hidden()

    page.get_by_label("Title", exact=True).press_sequentially("Wireless printer drops", delay=60)

    expect(similar).to_be_visible()
    items = similar.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0).get_by_role("link")).to_have_text(SOLVED)
    expect(items.nth(0)).to_contain_text("Solved")
    expect(items.nth(0)).to_contain_text("Printers · 1 answer")
    expect(items.nth(1).get_by_role("link")).to_have_text(OPEN)
    expect(items.nth(1)).to_contain_text("Official answer")
    expect(items.nth(1)).not_to_contain_text("Solved")
    expect(page.locator(".similar-live [aria-live=polite]")).to_have_text("2 similar threads")
    expect(page.locator("input[name=checked_similar]")).to_have_value("1")

    items.nth(0).get_by_role("link", name=SOLVED).click()
    expect(page).to_have_url(re.compile(rf"{live_server.thread_path(seeded['solved'])}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(SOLVED)


def test_a_member_who_saw_the_list_posts_without_a_second_stop(page: Page, live_server: LiveServer, seeded):
    _open_ask_page(page, seeded["email"])
    page.get_by_label("Board").select_option(label="Printers")
    page.get_by_label("Title", exact=True).press_sequentially("Wireless printer drops every evening", delay=30)
    expect(page.get_by_role("region", name=LIVE_HEADING).get_by_role("listitem")).to_have_count(2)
    page.get_by_label("Your question").fill(BODY)

    page.get_by_role("button", name="Post your question").click()

    expect(page.get_by_role("status")).to_contain_text("Your question is live")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wireless printer drops every evening")


def test_short_or_unmatched_titles_show_nothing(page: Page, live_server: LiveServer, seeded):
    _open_ask_page(page, seeded["email"])
    title = page.get_by_label("Title", exact=True)
    similar = page.get_by_role("region", name=LIVE_HEADING)

    title.press_sequentially("Wireless", delay=30)
    expect(similar).to_be_visible()
    title.fill("Wi")  # too short to look up: the list goes away
    expect(similar).to_be_hidden()
    expect(page.locator(".similar-live [aria-live=polite]")).to_have_text("")
    with page.expect_response(SIMILAR_URL):
        title.fill("Laptop battery")
    page.wait_for_timeout(300)
    expect(similar).to_be_hidden()


def test_an_older_answer_arriving_late_never_replaces_a_newer_one(page: Page, live_server: LiveServer, seeded):
    _open_ask_page(page, seeded["email"])
    held: list[Route] = []
    page.route(SIMILAR_URL, lambda route: held.append(route))  # answered below, in the order the test chooses
    title = page.get_by_label("Title", exact=True)
    title.fill("Wireless printer")
    _wait_until(page, lambda: len(held) == 1)
    title.fill("Wireless printer drops")
    _wait_until(page, lambda: len(held) == 2)
    older, newer = held
    assert "drops" in newer.request.url and "drops" not in older.request.url

    newer.fulfill(json=[{"title": "Newer answer", "url": "/t/1-newer", "solved": True, "official": False,
                         "answers": 1, "board": "Printers"}])
    similar = page.get_by_role("region", name=LIVE_HEADING)
    expect(similar.get_by_role("link")).to_have_text(["Newer answer"])
    with page.expect_response(lambda response: response.request.url == older.request.url):
        older.fulfill(json=[{"title": "Stale answer", "url": "/t/2-stale", "solved": False, "official": False,
                             "answers": 0, "board": "Printers"}])
    page.wait_for_timeout(300)  # time for the script to read the late answer (and drop it)

    expect(similar.get_by_role("link")).to_have_text(["Newer answer"])
    expect(page.locator(".similar-live [aria-live=polite]")).to_have_text("1 similar thread")


def test_a_failed_lookup_is_silent_and_the_step_takes_over(page: Page, live_server: LiveServer, seeded):
    _open_ask_page(page, seeded["email"])
    # Not JSON (a proxy's error page, say). A real network failure or error status would also be
    # logged by Chromium itself as a console error, which the script cannot prevent.
    page.route(SIMILAR_URL, lambda route: route.fulfill(status=200, body="<html>Bad gateway</html>"))
    page.get_by_label("Board").select_option(label="Printers")
    with page.expect_response(SIMILAR_URL):
        page.get_by_label("Title", exact=True).fill("Wireless printer drops every evening")
    page.get_by_label("Your question").fill(BODY)
    page.wait_for_timeout(300)
    expect(page.get_by_role("region", name=LIVE_HEADING)).to_be_hidden()
    expect(page.locator("input[name=checked_similar]")).to_have_value("")

    page.get_by_role("button", name="Post your question").click()

    expect(page.get_by_role("region", name=STEP_HEADING).get_by_role("link", name=SOLVED)).to_be_visible()


def test_without_javascript_similar_threads_come_as_a_step_before_posting(new_page, live_server: LiveServer, seeded):
    page = new_page(java_script_enabled=False)
    _open_ask_page(page, seeded["email"])
    page.get_by_label("Board").select_option(label="Printers")
    page.get_by_label("Title", exact=True).fill("Wireless printer drops every evening")
    page.get_by_label("Your question").fill(BODY)
    page.get_by_label("Tags").fill("wireless")
    page.get_by_role("button", name="Post your question").click()

    step = page.get_by_role("region", name=STEP_HEADING)
    expect(step).to_be_visible()
    expect(step.get_by_role("listitem").first.get_by_role("link")).to_have_text(SOLVED)
    expect(step.get_by_role("listitem").first).to_contain_text("Solved")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Wireless printer drops every evening")
    expect(page.get_by_label("Your question")).to_have_value(BODY)
    expect(page.get_by_label("Tags")).to_have_value("wireless")

    step.get_by_role("button", name="None of these helps — post my question").click()

    expect(page.get_by_role("status")).to_contain_text("Your question is live")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wireless printer drops every evening")
