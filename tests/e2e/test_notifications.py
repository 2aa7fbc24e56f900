"""Notifications in a real browser: member B answers member A's question, and A's bell count goes up
without a reload (bell.js polls the count), the notification is listed, and opening it leads to
the answer and marks it read."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

QUESTION = "Printer prints blank pages after ink change"
QUESTION_BODY = "Since I changed the black cartridge every page comes out blank. Nozzle check is fine."
ANSWER = "Remove the protective tape from the new cartridge, then run two cleaning cycles."


def test_answer_reaches_the_askers_bell(live_server, new_page):
    asker = live_server.add_member("Asker Anna")
    live_server.add_member("Helpful Hans")
    thread = live_server.ask(asker, QUESTION, QUESTION_BODY, tags="ink")

    page_a = new_page()
    page_a.goto(live_server.url + "/")
    sign_in(page_a, "asker.anna@example.com")
    bell = page_a.locator("[data-bell-url]")
    count = bell.locator("[data-bell-count]")
    expect(count).to_have_text("1")  # the "Curious" badge for asking

    page_b = new_page()
    page_b.goto(live_server.url + live_server.thread_path(thread))
    sign_in(page_b, "helpful.hans@example.com")
    page_b.locator("#reply textarea").fill(ANSWER)
    page_b.get_by_role("button", name="Post your answer").click()
    expect(page_b.get_by_role("article").filter(has_text=ANSWER)).to_be_visible()

    # bell.js asks at once when the tab becomes visible again (and every 30 s while it is).
    page_a.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(count).to_have_text("2")
    expect(bell).to_contain_text("Notifications, 2 unread")

    bell.click()
    expect(page_a.get_by_role("heading", name="Notifications")).to_be_visible()
    item = page_a.get_by_role("link", name=re.compile("Helpful Hans answered"))
    expect(item).to_be_visible()
    item.click()
    expect(page_a.get_by_role("article").filter(has_text=ANSWER)).to_be_visible()
    expect(page_a.locator("[data-bell-count]")).to_have_text("1")
    page_a.goto(live_server.url + "/notifications")
    page_a.get_by_role("button", name="Mark all read").click()
    expect(page_a.locator("[data-bell-count]")).to_be_hidden()
