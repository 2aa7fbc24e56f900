"""Kudos, ranks and the leaderboard in a real browser: kudos without a reload, kudos with
JavaScript off, no kudos on one's own post, rank badges beside names, the leaderboard's order."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from app.models import Post, User
from app.services import reputation
from tests.e2e.conftest import LiveServer, sign_in

KUDOS = re.compile("kudos", re.I)
QUESTION = "Printer prints blank pages after ink change"
QUESTION_BODY = "Since I changed the black cartridge every page comes out blank. Nozzle check is fine."
ANSWER = "Remove the protective tape from the new cartridge, then run two cleaning cycles."


def seed(live: LiveServer):
    asker = live.add_member("Asker Anna")
    helper = live.add_member("Helpful Hans")
    fan = live.add_member("Friendly Fan")
    thread = live.ask(asker, QUESTION, QUESTION_BODY, tags="ink")
    answer = live.answer(helper, thread, ANSWER)
    return asker, helper, fan, thread, answer


def reputation_of(live: LiveServer, user: User) -> int:
    return live._in_app(lambda s: s.scalar(select(User.reputation).where(User.id == user.id)))


def kudos_count_of(live: LiveServer, post_id: int) -> int:
    return live._in_app(lambda s: s.scalar(select(Post.kudos_count).where(Post.id == post_id)))


def answer_article(page: Page) -> Locator:
    return page.get_by_role("article").filter(has_text=ANSWER)


def question_article(page: Page) -> Locator:
    return page.get_by_role("article").filter(has_text=QUESTION_BODY)


def open_thread(page: Page, live: LiveServer, thread) -> None:
    page.goto(live.thread_path(thread))
    expect(page.get_by_role("heading", level=1)).to_contain_text(QUESTION)


def test_kudos_without_reload(page: Page, live_server: LiveServer):
    _, helper, fan, thread, answer = seed(live_server)
    page.goto("/")
    sign_in(page, fan.email)
    open_thread(page, live_server, thread)

    button = answer_article(page).get_by_role("button", name=KUDOS)
    expect(button).to_have_count(1)
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_contain_text("0")
    page.evaluate("window.__marker = 1")  # gone if the page were loaded again

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("1")
    expect(button).to_have_accessible_name(re.compile(r"kudos.*\b1\b", re.I))
    assert page.evaluate("window.__marker") == 1, "giving kudos reloaded the page"
    assert kudos_count_of(live_server, answer.id) == 1
    assert reputation_of(live_server, helper) == 10

    button.click()  # and take it back, still without a reload
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_contain_text("0")
    assert page.evaluate("window.__marker") == 1
    assert kudos_count_of(live_server, answer.id) == 0
    assert reputation_of(live_server, helper) == 0

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    page.reload()  # the server remembers: after a reload the button shows the kudos as given
    button = answer_article(page).get_by_role("button", name=KUDOS)
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("1")
    assert page.evaluate("window.__marker") is None


def test_kudos_on_the_question_without_reload(page: Page, live_server: LiveServer):
    asker, _, fan, thread, _ = seed(live_server)
    page.goto("/")
    sign_in(page, fan.email)
    open_thread(page, live_server, thread)
    page.evaluate("window.__marker = 1")
    button = question_article(page).get_by_role("button", name=KUDOS)
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("1")
    assert page.evaluate("window.__marker") == 1
    assert reputation_of(live_server, asker) == 5


def test_kudos_with_javascript_off(new_page, live_server: LiveServer):
    _, helper, fan, thread, answer = seed(live_server)
    page = new_page(java_script_enabled=False)
    page.goto("/")
    sign_in(page, fan.email)
    open_thread(page, live_server, thread)

    answer_article(page).get_by_role("button", name=KUDOS).click()  # a plain form POST and a redirect
    expect(page.get_by_role("status")).to_contain_text("Kudos given")
    expect(page).to_have_url(re.compile(rf"#post-{answer.id}$"))
    button = answer_article(page).get_by_role("button", name=KUDOS)
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text("1")
    assert reputation_of(live_server, helper) == 10

    button.click()
    expect(page.get_by_role("status")).to_contain_text("taken back")
    button = answer_article(page).get_by_role("button", name=KUDOS)
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(button).to_contain_text("0")
    assert kudos_count_of(live_server, answer.id) == 0
    assert reputation_of(live_server, helper) == 0


def test_no_kudos_button_on_your_own_post_and_a_forced_post_is_refused(page: Page, live_server: LiveServer):
    _, helper, _, thread, answer = seed(live_server)
    page.goto("/")
    sign_in(page, helper.email)
    open_thread(page, live_server, thread)

    own = answer_article(page)
    expect(own.get_by_role("button", name=KUDOS)).to_have_count(0)
    expect(own).to_contain_text(re.compile(r"0\s+kudos", re.I))  # the count, without a button
    expect(question_article(page).get_by_role("button", name=KUDOS)).to_have_count(1)  # others' posts: yes

    # The JSON answer the page's script would get: a clear message, nothing counted.
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(f"/p/{answer.id}/kudos", form={"action": "give"},
                                 headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.status == 403
    assert "own post" in response.json()["error"]

    # A hand-made form, as a script or an old page would send it: a page saying why.
    with page.expect_navigation():
        page.evaluate(
            """([url, token]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = url;
                for (const [name, value] of [["csrf_token", token], ["action", "give"]]) {
                    const input = document.createElement("input");
                    input.type = "hidden"; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [f"/p/{answer.id}/kudos", token],
        )
    expect(page.get_by_text("You cannot give kudos to your own post.")).to_be_visible()
    assert kudos_count_of(live_server, answer.id) == 0
    assert reputation_of(live_server, helper) == 0


def test_visitors_see_the_count_and_a_way_to_sign_in(page: Page, live_server: LiveServer):
    _, _, _, thread, _ = seed(live_server)
    open_thread(page, live_server, thread)
    expect(answer_article(page).get_by_role("button", name=KUDOS)).to_have_count(0)
    answer_article(page).get_by_role("link", name="Sign in to give kudos").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def _give_reputation(live: LiveServer, user: User, points: int, post_id: int | None = None) -> None:
    def work(session):
        reputation.record(session, user_id=user.id, delta=points, reason="kudos_received", post_id=post_id)
        session.commit()

    live._in_app(work)


def make_moderator(live: LiveServer, user: User) -> None:
    def work(session):
        session.get(User, user.id).role = "moderator"
        session.commit()

    live._in_app(work)


def test_rank_badge_beside_author_names(page: Page, live_server: LiveServer):
    asker, helper, _, thread, answer = seed(live_server)
    expert = live_server.add_member("Expert Erik")
    moderator = live_server.add_member("Mod Maja")
    make_moderator(live_server, moderator)
    live_server.answer(expert, thread, "Check the cartridge contacts with a dry cotton swab.")
    live_server.answer(moderator, thread, "Staff here: this is a known issue, a firmware fix is coming.")
    _give_reputation(live_server, helper, 250, answer.id)
    _give_reputation(live_server, expert, 1200)

    open_thread(page, live_server, thread)
    expected = {"Asker Anna": "New member", "Helpful Hans": "Helper", "Expert Erik": "Expert", "Mod Maja": "Staff"}
    for name, rank in expected.items():
        article = page.get_by_role("article").filter(has=page.get_by_role("link", name=name, exact=True)).first
        head = article.locator(".author").first
        expect(head.get_by_role("link", name=name, exact=True)).to_be_visible()
        badge = head.locator(".badge")
        expect(badge).to_be_visible()
        expect(badge).to_contain_text(rank)

    # In the board's thread list too.
    page.goto("/b/printers")
    row = page.locator(".thread-row", has=page.get_by_role("link", name=QUESTION))
    expect(row.locator(".author .badge")).to_contain_text("New member")


def test_leaderboard_lists_members_in_the_right_order(page: Page, live_server: LiveServer):
    asker, helper, fan, thread, answer = seed(live_server)
    _give_reputation(live_server, helper, 40, answer.id)
    _give_reputation(live_server, fan, 120)
    _give_reputation(live_server, asker, 75)

    page.goto("/")
    page.get_by_role("link", name="Top helpers").first.click()
    expect(page.get_by_role("heading", level=1, name="Top helpers")).to_be_visible()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(4)  # a header row and three members
    names = page.get_by_role("table").locator("tbody tr .author-name")
    expect(names).to_have_text(["Friendly Fan", "Asker Anna", "Helpful Hans"])
    expect(page.get_by_role("table").locator("tbody tr .score")).to_have_text(["120", "75", "40"])
    expect(page.get_by_role("table").locator("tbody tr").first.locator(".badge")).to_contain_text("Contributor")

    # Kudos given in the browser move a member up.
    sign_in(page, asker.email)
    open_thread(page, live_server, thread)
    answer_article(page).get_by_role("button", name=KUDOS).click()
    expect(answer_article(page).get_by_role("button", name=KUDOS)).to_have_attribute("aria-pressed", "true")
    page.goto("/leaderboard")
    expect(page.get_by_role("table").locator("tbody tr .author-name")).to_have_text(
        ["Friendly Fan", "Asker Anna", "Helpful Hans"])
    expect(page.get_by_role("table").locator("tbody tr .score")).to_have_text(["120", "75", "50"])
    page.get_by_role("navigation", name="Board").get_by_role("link", name="Printers").click()
    expect(page.get_by_role("table").locator("tbody tr .author-name")).to_have_text(["Helpful Hans"])
