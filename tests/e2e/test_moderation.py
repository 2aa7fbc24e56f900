"""Post-moderation in a real browser: a wrong answer is reported, the moderator finds it first in
the queue, hides it with a reason and marks the right answer official; visitors then see the
official answer first and no trace of the hidden one, while its author sees why it was hidden."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, sign_in

QUESTION = "Printer shows offline after the Windows update"
QUESTION_BODY = "Since Tuesday's update Windows lists the printer as offline, although it prints from my phone."
WRONG = "Hold the power button for forty seconds while it prints, that resets the network chip."
RIGHT = "Update the printer firmware from the support page, then remove and re-add the printer in Windows."


def test_report_review_hide_and_official_answer(new_page, live_server: LiveServer):
    asker = live_server.add_member("Asker Anna")
    wrong_author = live_server.add_member("Wrong Walter")
    helper = live_server.add_member("Helpful Hans")
    reporter = live_server.add_member("Careful Carla")
    live_server.add_member("Mod Maja", role="moderator")
    thread = live_server.ask(asker, QUESTION, QUESTION_BODY, tags="offline")
    live_server.answer(helper, thread, RIGHT)
    path = live_server.thread_path(thread)

    # A member posts the wrong answer through the page.
    walter = new_page()
    walter.goto(path)
    sign_in(walter, wrong_author.email)
    walter.goto(path)
    walter.get_by_role("textbox", name="Your answer").fill(WRONG)
    walter.get_by_role("button", name="Post your answer").click()
    expect(walter.get_by_role("article").filter(has_text=WRONG)).to_be_visible()

    # Another member reports it.
    carla = new_page()
    carla.goto("/")
    sign_in(carla, reporter.email)
    carla.goto(path)
    carla.get_by_role("article").filter(has_text=WRONG).get_by_role("link", name="Report").click()
    carla.get_by_label("What is wrong with it?").select_option("incorrect")
    carla.get_by_label(re.compile("Anything staff should know")).fill("This could break the printer.")
    carla.get_by_role("button", name="Report it").click()
    expect(carla.get_by_text("Thank you. The staff will look at it")).to_be_visible()
    expect(carla.get_by_role("article").filter(has_text=WRONG).get_by_text("Reported — thank you")).to_be_visible()

    # The moderator opens the queue: the reported answer is first.
    maja = new_page()
    maja.goto("/")
    sign_in(maja, "mod.maja@example.com")
    maja.get_by_role("link", name=re.compile("^Review queue")).click()
    first = maja.locator("article.queue-item").first
    expect(first).to_contain_text(WRONG)
    expect(first).to_contain_text("Incorrect or unsafe advice")
    expect(first).to_contain_text("This could break the printer.")

    # … hides it with "incorrect or unsafe advice" …
    first.locator("summary", has_text="Hide…").click()
    first.get_by_label("Why hide it?").select_option("incorrect")
    first.get_by_label(re.compile("Note for the author")).fill("Holding the button does not reset the network; see the firmware answer.")
    first.get_by_role("button", name="Hide this post").click()
    expect(maja.get_by_text("Hidden. Its author sees the reason")).to_be_visible()
    expect(maja.locator("article.queue-item").filter(has_text=WRONG)).to_have_count(0)

    # … and marks the right answer official from the thread.
    maja.goto(path)
    expect(maja.get_by_role("article").filter(has_text=WRONG)).to_contain_text("Hidden by a moderator")
    maja.get_by_role("article").filter(has_text=RIGHT).get_by_role("link", name="Moderate").click()
    maja.get_by_role("button", name="Mark official").click()
    expect(maja.get_by_text("Marked as the official answer.")).to_be_visible()

    # A visitor sees the official answer first and nothing of the hidden one.
    visitor = new_page()
    visitor.goto(path)
    articles = visitor.get_by_role("article")
    expect(articles).to_have_count(2)
    expect(articles.nth(0)).to_contain_text(QUESTION_BODY)
    expect(articles.nth(1)).to_contain_text(RIGHT)
    expect(articles.nth(1)).to_contain_text("Official answer — confirmed by staff (Mod Maja)")
    expect(visitor.get_by_text(WRONG)).to_have_count(0)
    expect(visitor.locator(".thread-head")).to_contain_text("1 answer")

    # The author still sees the answer, with the reason.
    walter.goto(path)
    hidden = walter.get_by_role("article").filter(has_text=WRONG)
    expect(hidden).to_contain_text("Incorrect or unsafe advice")
    expect(hidden).to_contain_text("Only you and the staff can see it.")
