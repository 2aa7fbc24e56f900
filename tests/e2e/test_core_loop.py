"""The core loop of the forum, as real people do it in a browser: ask, answer, accept, find it solved."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, LiveServer, sign_in, sign_out

TITLE = "OfficeJet 9015e shows offline after router change"
BODY = ("Since I replaced my router the printer shows **offline** on Windows 11.\n\n"
        "The printer's own report says `Wi-Fi connected`. What else can I try?")


def register(page: Page, email: str, name: str) -> None:
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="Join the community")).to_be_visible()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to the community, {name}!")
    expect(page.get_by_role("banner").get_by_role("link", name=name)).to_be_visible()


def test_ask_answer_accept_and_find_it_solved(page: Page, live_server: LiveServer):
    # 1. A customer registers and asks a question, previewing it first.
    register(page, "anna@example.com", "Asker Anna")
    page.get_by_role("link", name="Ask a question").click()
    expect(page.get_by_role("heading", name="Ask the community")).to_be_visible()
    page.get_by_label("Board").select_option(label="Printers")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Your question").fill(BODY)
    page.get_by_label("Tags").fill("wireless windows-11")
    page.get_by_role("button", name="Preview", exact=True).click()

    preview = page.locator(".preview")
    expect(preview.get_by_role("heading", name="Preview")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("offline")
    expect(preview.locator("code")).to_have_text("Wi-Fi connected")
    # The preview round trip keeps everything typed, so posting needs no retyping.
    expect(page.get_by_label("Board")).to_have_value(str(live_server.board("printers").id))
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("Your question")).to_have_value(BODY)
    expect(page.get_by_label("Tags")).to_have_value("wireless windows-11")
    page.get_by_role("button", name="Post your question").click()

    expect(page.get_by_role("status")).to_contain_text("Your question is live")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator(".post-question .post-body strong")).to_have_text("offline")
    expect(page.get_by_role("link", name="wireless")).to_be_visible()
    expect(page.get_by_text("No answers yet.")).to_be_visible()
    thread_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert re.fullmatch(r"/t/\d+-officejet-9015e-shows-offline-after-router-change", thread_path), thread_path
    sign_out(page)

    # 2. Another customer registers, finds the thread on the board and answers it.
    register(page, "hans@example.com", "Helpful Hans")
    page.get_by_role("region", name="Boards").get_by_role("link", name="Printers").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    page.get_by_role("textbox", name="Your answer").fill("Print a **network configuration page** and re-add the printer "
                                          "with its new IP address in Settings › Printers & scanners.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_role("status")).to_contain_text("Thanks for helping! Your answer is posted.")
    answer = page.locator("article.post-answer")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text("re-add the printer")
    expect(answer.get_by_role("link", name="Helpful Hans")).to_be_visible()
    # Only the asker may choose the solution.
    expect(page.get_by_role("button", name="Accept as solution")).to_have_count(0)
    sign_out(page)

    # 3. The asker comes back, signs in ("keep me signed in") and accepts the answer.
    page.goto(thread_path)
    sign_in(page, "anna@example.com", remember=True)
    assert page.url.endswith(thread_path), "signing in from a thread leads back to it"
    cookies = {c["name"] for c in page.context.cookies()}
    assert "remember_token" in cookies, cookies
    page.get_by_role("button", name="Accept as solution").click()

    expect(page.get_by_role("status")).to_contain_text("Marked as the solution")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Solved")
    expect(page.get_by_text("Solved! Go to the solution")).to_be_visible()
    solution = page.get_by_role("region", name="Accepted solution")
    expect(solution.get_by_text("Accepted solution — chosen by the member who asked")).to_be_visible()
    expect(solution).to_contain_text("re-add the printer")
    expect(page.get_by_role("button", name="Unmark as solution")).to_be_visible()

    # 4. The board lists the thread as solved; the filters agree.
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Printers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Printers")
    row = page.locator(".thread-row", has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("Solved")
    filters = page.get_by_role("navigation", name="Show")

    filters.get_by_role("link", name="Solved").click()
    expect(page).to_have_url(re.compile(r"/b/printers\?filter=solved$"))
    expect(filters.get_by_role("link", name="Solved")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_text("1 thread", exact=True)).to_be_visible()

    filters.get_by_role("link", name="Unanswered").click()
    expect(page).to_have_url(re.compile(r"/b/printers\?filter=unanswered$"))
    expect(page.get_by_text("No threads match this filter.")).to_be_visible()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
