"""Search in a real browser: the header box, highlighted snippets, a filter, "Did you mean", and
a solved thread opened from the results."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from app.search import indexer, registry
from app.services import posting, solutions
from tests.e2e.conftest import LiveServer


def _drain(live: LiveServer) -> None:
    live._in_app(lambda s: indexer.drain(s, registry.backend(live.app)))


def test_search_from_the_header_to_a_solved_thread(page: Page, live_server: LiveServer):
    asker, helper = live_server.add_member("Asker Anna"), live_server.add_member("Helpful Hans")
    solved = live_server.ask(asker, "Printer prints blank pages after ink change",
                             "Every page comes out blank since I changed the black cartridge.", tags="ink")
    answer = live_server.answer(helper, solved, "Remove the orange protective tape from the new cartridge.")
    live_server._in_app(lambda s: solutions.accept(s, s.get(type(asker), asker.id), answer_id=answer.id))
    live_server.ask(asker, "Printer prints faded pages", "The pages come out faded and streaky.", tags="ink")
    _drain(live_server)

    page.goto("/")
    page.get_by_role("search").get_by_label("Search the community").fill("blank pages")
    page.get_by_role("search").get_by_role("button", name="Search").click()

    results = page.locator(".search-result")
    expect(results).to_have_count(1)
    expect(results.first.locator("mark").filter(has_text="blank")).not_to_have_count(0)
    expect(results.first).to_contain_text("Solved")

    page.get_by_label("Search for").fill("pages")
    page.get_by_label("Solved only").check()
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(results).to_have_count(1)

    page.get_by_label("Search for").fill("cartrige")
    page.get_by_label("Solved only").uncheck()
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_text("Did you mean")).to_be_visible()
    page.get_by_role("link", name="cartridge").click()
    results.first.get_by_role("link", name="Printer prints blank pages after ink change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Printer prints blank pages")
    expect(page.get_by_text("Remove the orange protective tape")).to_be_visible()


def test_a_post_containing_markup_shows_it_as_text_in_the_snippet(page: Page, live_server: LiveServer):
    asker = live_server.add_member("Asker Anna")
    live_server.ask(asker, "Strange text in the scan preview window",
                    'The preview shows `<img src=x onerror="alert(1)">` and a penguin where the page should be.')
    _drain(live_server)

    page.goto("/search?q=penguin")

    expect(page.locator(".search-snippet")).to_contain_text('<img src=x onerror="alert(1)">')
    expect(page.locator(".search-snippet mark")).to_have_text("penguin")
