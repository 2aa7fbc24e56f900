"""The support dashboard in a real browser: a moderator opens it from the header, sees both bar
charts drawn as inline SVG (no CSP errors), switches the period and downloads a CSV."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import update

from app.db import utcnow
from app.models import Post, Thread
from app.services import solutions
from tests.e2e.conftest import LiveServer, sign_in

SCREENSHOT = "/tmp/dashboard-e2e.png"


def _backdate(live: LiveServer, thread: Thread, days: int, answer_after_hours: float | None = None) -> None:
    """Move a thread `days` (and half a day) into the past, its answers `answer_after_hours` after
    it and its solution an hour after that."""
    asked = utcnow() - timedelta(days=days, hours=12)

    def work(session):
        session.execute(update(Thread).where(Thread.id == thread.id).values(created_at=asked))
        session.execute(update(Post).where(Post.thread_id == thread.id, Post.kind == "question").values(created_at=asked))
        if answer_after_hours is not None:
            session.execute(update(Post).where(Post.thread_id == thread.id, Post.kind == "answer")
                            .values(created_at=asked + timedelta(hours=answer_after_hours)))
            session.execute(update(Thread).where(Thread.id == thread.id, Thread.accepted_at.is_not(None))
                            .values(accepted_at=asked + timedelta(hours=answer_after_hours + 1)))
        session.commit()

    live._in_app(work)


def test_moderator_reads_the_dashboard(new_page, live_server: LiveServer):
    asker = live_server.add_member("Asker Anna")
    helper = live_server.add_member("Helpful Hans")
    live_server.add_member("Mod Maja", role="moderator")
    for day in range(6):
        thread = live_server.ask(asker, f"Printer problem number {day + 1} after the update",
                                 "It stopped printing after the update; the light blinks orange.")
        if day % 2 == 0:
            answer = live_server.answer(helper, thread, "Reinstall the driver from the support page, then restart.")
            live_server._in_app(lambda s, a=answer: solutions.accept(s, s.get(type(asker), asker.id), answer_id=a.id))
        _backdate(live_server, thread, days=day, answer_after_hours=day + 1 if day % 2 == 0 else None)

    page: Page = new_page(viewport={"width": 1280, "height": 1500})
    page.goto("/")
    sign_in(page, "mod.maja@example.com")
    page.get_by_role("banner").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Support dashboard", level=1)).to_be_visible()

    activity = page.locator("svg#chart-activity")
    expect(activity).to_be_visible()
    expect(activity.locator("rect.bar-asked")).to_have_count(6)
    expect(activity.locator("rect.bar-solved")).to_have_count(3)
    expect(page.locator("svg#chart-wait rect.bar-wait")).to_have_count(3)
    box = activity.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100  # drawn at a readable size
    # The bars are coloured by the stylesheet (not black, the SVG default without CSS).
    fill = activity.locator("rect.bar-solved").first.evaluate("el => getComputedStyle(el).fill")
    assert fill not in ("rgb(0, 0, 0)", "")
    expect(page.get_by_role("table").filter(has_text="Printer problem number 2")).to_be_visible()  # unanswered
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.get_by_label("Period").select_option("7")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"days=7"))
    expect(page.locator("p.lead")).to_contain_text("last 7 days")
    expect(page.locator("svg#chart-activity rect.bar-asked")).to_have_count(6)

    with page.expect_download() as download:
        page.locator("#dash-unanswered").get_by_role("link", name="CSV of unanswered threads").click()
    assert re.match(r"peerdesk-unanswered-7d-all-boards-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
