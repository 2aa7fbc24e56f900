"""Live thread pages in a real browser: a reader with text typed into the answer box is told of a
new answer another member posts, shows it without a reload and keeps the text (a visitor reading
along sees it too); marks ask for a reload, which puts the typed text back."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from app.services import solutions
from tests.e2e.conftest import LiveServer, sign_in

QUESTION = "Scanner stopped sending to e-mail"
QUESTION_BODY = "Since the router change, scan-to-email fails with an SMTP error every time."
DRAFT = "Half-written idea: check the SMTP port\nand whether TLS is on"
ANSWER = "Your new router blocks port 25. Switch the scanner to port 587 with STARTTLS."


def open_as(new_page, live: LiveServer, email: str, thread) -> Page:
    page = new_page()
    page.goto("/")
    sign_in(page, email)
    page.goto(live.thread_path(thread))
    expect(page.get_by_role("heading", level=1)).to_contain_text(QUESTION)
    return page


def answer_box(page: Page):
    return page.locator("#reply textarea")


def test_a_new_answer_is_shown_without_losing_the_draft(new_page, live_server: LiveServer):
    live_server.app.config["LIVE_POLL_SECONDS"] = 1
    asker = live_server.add_member("Asker Anna")
    reader = live_server.add_member("Reading Rita")
    writer = live_server.add_member("Helpful Hans")
    thread = live_server.ask(asker, QUESTION, QUESTION_BODY, tags="scanner")

    reading = open_as(new_page, live_server, reader.email, thread)
    answer_box(reading).fill(DRAFT)
    reading.evaluate("window.__marker = 1")  # gone if the page were loaded again
    bar = reading.locator("#live-updates")
    expect(bar).to_be_hidden()

    visiting = new_page()  # a visitor, not signed in, reads along
    visiting.goto(live_server.thread_path(thread))

    writing = open_as(new_page, live_server, writer.email, thread)
    answer_box(writing).fill(ANSWER)
    writing.get_by_role("button", name="Post your answer").click()
    expect(writing.get_by_role("status").first).to_contain_text("Your answer is posted")

    expect(bar).to_be_visible()
    expect(bar).to_contain_text(re.compile(r"1 new answer\s+—\s+show"))
    bar.get_by_role("button", name="show").click()
    new_answer = reading.get_by_role("article").filter(has_text=ANSWER)
    expect(new_answer).to_be_visible()
    expect(bar).to_be_hidden()
    expect(answer_box(reading)).to_have_value(DRAFT)
    assert reading.evaluate("window.__marker") == 1, "showing the answer reloaded the page"
    expect(reading.get_by_text("No answers yet")).to_have_count(0)
    visitor_bar = visiting.locator("#live-updates")
    expect(visitor_bar).to_contain_text("1 new answer")
    visitor_bar.get_by_role("button", name="show").click()
    expect(visiting.get_by_role("article").filter(has_text=ANSWER)).to_be_visible()

    # A comment on the shown answer is announced and slotted under it the same way.
    writing.reload()
    article = writing.get_by_role("article").filter(has_text=ANSWER)
    article.get_by_text("Add a comment").click()
    article.get_by_label("Comment").fill("Port 465 works too, with SSL.")
    article.get_by_role("button", name="Post comment").click()
    expect(bar).to_contain_text("1 new comment")
    bar.get_by_role("button", name="show").click()
    expect(new_answer.get_by_text("Port 465 works too, with SSL.")).to_be_visible()
    expect(answer_box(reading)).to_have_value(DRAFT)
    assert reading.evaluate("window.__marker") == 1


def test_a_solution_mark_reloads_and_keeps_the_draft(new_page, live_server: LiveServer):
    live_server.app.config["LIVE_POLL_SECONDS"] = 1
    asker = live_server.add_member("Asker Anna")
    reader = live_server.add_member("Reading Rita")
    helper = live_server.add_member("Helpful Hans")
    thread = live_server.ask(asker, QUESTION, QUESTION_BODY, tags="scanner")
    answer = live_server.answer(helper, thread, ANSWER)

    reading = open_as(new_page, live_server, reader.email, thread)
    answer_box(reading).fill(DRAFT)
    live_server._in_app(lambda s: solutions.accept(s, s.get(type(asker), asker.id), answer_id=answer.id))

    bar = reading.locator("#live-updates")
    expect(bar).to_contain_text("The thread is marked solved")
    bar.get_by_role("button", name="reload").click()
    expect(reading.get_by_text("Solved!")).to_be_visible()
    expect(answer_box(reading)).to_have_value(DRAFT)


def test_on_a_thread_of_several_pages_show_goes_to_the_new_answer(new_page, live_server: LiveServer):
    live_server.app.config.update(LIVE_POLL_SECONDS=1, ANSWERS_PER_PAGE=1)
    asker = live_server.add_member("Asker Anna")
    reader = live_server.add_member("Reading Rita")
    helper = live_server.add_member("Helpful Hans")
    thread = live_server.ask(asker, QUESTION, QUESTION_BODY, tags="scanner")
    live_server.answer(helper, thread, "First idea: restart the scanner.")
    live_server.answer(helper, thread, "Second idea: update its firmware.")

    reading = open_as(new_page, live_server, reader.email, thread)
    answer_box(reading).fill(DRAFT)
    newest = live_server.answer(helper, thread, ANSWER)
    bar = reading.locator("#live-updates")
    expect(bar).to_contain_text("1 new answer")
    bar.get_by_role("button", name="show").click()
    expect(reading).to_have_url(re.compile(rf"page=3#post-{newest.id}$"))
    expect(reading.get_by_role("article").filter(has_text=ANSWER)).to_be_visible()
    expect(answer_box(reading)).to_have_value(DRAFT)
