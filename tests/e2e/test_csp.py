"""The Content-Security-Policy in Chromium: every main page (home, board, thread with its JSON-LD,
ask with the live similar-threads list and preview, search, profile, sign-in and sign-up, the
moderation and admin pages) loads and runs its script with nothing blocked, while an inline script
is blocked, so the check can see a violation when there is one."""
from __future__ import annotations

import base64
import re

from playwright.sync_api import Page, expect

from app.search import indexer, registry
from app.web.security_headers import CONTENT_SECURITY_POLICY
from tests.e2e.conftest import BrowserProblems, LiveServer, sign_in

# Recorded by the page itself, before any of its own scripts run (an init script is not subject
# to the page's policy).
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


class CspWatch:
    """Violations on a page, as events and as Chromium's console messages."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(_RECORD_VIOLATIONS)
        # Images in posts come from other https hosts; served here (no network in tests). A request
        # reaches this route only after the policy let it through.
        page.route("https://example.com/**", lambda route: route.fulfill(content_type="image/png", body=_PNG))
        page.on("console", lambda msg: self.console.append(msg.text)
                if "Content Security Policy" in msg.text else None)

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, path
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []") + self.console


def _seed(live: LiveServer):
    asker = live.add_member("Asker Anna")
    helper = live.add_member("Helpful Hans")
    live.add_member("Mod Maja", role="moderator")
    live.add_member("Admin Ada", role="admin")
    thread = live.ask(asker, "Printer shows offline after the update",
                      "Since the update Windows lists the printer as offline, although it prints from my phone.",
                      tags="offline")
    answer = live.answer(helper, thread, "Remove the printer, then add it again: see https://example.com/help "
                                         "and ![the dialog](https://example.com/dialog.png).")
    live._in_app(lambda s: indexer.drain(s, registry.backend(live.app)))
    return asker, helper, thread, answer


def test_no_main_page_has_anything_blocked_by_the_policy(new_page, live_server: LiveServer):
    asker, helper, thread, answer = _seed(live_server)
    thread_path = live_server.thread_path(thread)
    visitor = CspWatch(new_page())
    for path in ["/", "/b/printers", thread_path, "/search?q=printer+offline", "/leaderboard",
                 f"/u/{helper.id}", f"/u/{helper.id}/reputation", "/login", "/register", "/no-such-page"]:
        visitor.open(path)
        assert visitor.violations() == [], path
    visitor.open(thread_path)
    expect(visitor.page.locator('script[type="application/ld+json"]')).to_have_count(1)  # data, not blocked
    assert visitor.page.evaluate("document.querySelector('.post-body img').naturalWidth") == 1  # https image shown

    member = CspWatch(new_page())
    member.open("/")
    sign_in(member.page, asker.email)
    member.open("/ask")
    member.page.get_by_label("Title").fill("Printer offline")  # the similar-threads list is fetched
    expect(member.page.get_by_role("link", name="Printer shows offline after the update")).to_be_visible()
    member.page.get_by_label("Your question").fill("**Bold** text for the live preview.")
    expect(member.page.locator(".preview .post-body strong", has_text="Bold")).to_be_visible()
    member.open(thread_path)
    member.page.get_by_role("article").filter(has_text="Remove the printer").get_by_role(
        "button", name=re.compile("kudos", re.IGNORECASE)).click()  # fetch() with the CSRF header
    expect(member.page.get_by_role("article").filter(has_text="Remove the printer").get_by_role(
        "button", name=re.compile("kudos", re.IGNORECASE))).to_have_attribute("aria-pressed", "true")
    for path in [f"/p/{answer.id}/flag", f"/p/{answer.id}/history"]:
        member.open(path)
    assert member.violations() == []

    staff = CspWatch(new_page())
    staff.open("/")
    sign_in(staff.page, "admin.ada@example.com")
    for path in ["/moderation", "/moderation?tab=hidden", f"/moderation/posts/{answer.id}", "/moderation/log",
                 f"/moderation/members/{helper.id}", "/admin/boards", "/admin/users"]:
        staff.open(path)
        assert staff.violations() == [], path


def test_an_inline_script_is_blocked_and_reported(page: Page, live_server: LiveServer,
                                                  browser_problems: BrowserProblems):
    """The check above would see a violation: an injected inline script is refused and reported."""
    watch = CspWatch(page)
    watch.open("/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true";
        document.body.appendChild(script);
    }""")
    expect(page.locator("body")).to_be_visible()
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan === undefined")
    assert any(v.startswith("script-src") for v in watch.violations())
    # This console error is the one caused on purpose; anything else still fails the test.
    browser_problems.problems = [p for p in browser_problems.problems if "Content Security Policy" not in p]
