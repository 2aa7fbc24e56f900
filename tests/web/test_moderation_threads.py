"""HTTP tests of the staff tools on threads (lock, move, merge) and of the member page (suspension)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import select

from app.models import Board, ModerationAction, Post, Thread, User
from app.services import posting, review, suspension
from app.web.moderation_threads import thread_id_from
from tests.web.db_tools import BOOKKEEPING, snapshot
from tests.web.html_tools import SITE_HEADER, parse, path_of

REASON = "Posted the same advert in five boards."


def _thread(session, thread_id: int) -> Thread:
    session.rollback()
    return session.get(Thread, thread_id, populate_existing=True)


def _user(session, user_id: int) -> User:
    session.rollback()
    return session.get(User, user_id, populate_existing=True)


def _flashes(html: str) -> list[str]:
    """The flashed messages on a page, as text."""
    return [unescape(text) for text in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', html, re.DOTALL)]


def _follow(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return client.get(response.location).get_data(as_text=True)


@pytest.fixture
def laptops(session):
    board = Board(slug="laptops", name="Laptops", description="Notebooks.", position=1)
    session.add(board)
    session.commit()
    return board


@pytest.fixture
def duplicate(session, board, helper, make_user):
    asker = make_user(name="Bob Duplicate")
    thread = posting.ask(session, asker, board_id=board.id, title="Printer went offline after the update",
                         body="Since the update my printer is offline all the time.")
    posting.answer(session, helper, thread_id=thread.id, body="Set a fixed IP address for the printer.")
    return thread


@pytest.fixture
def unchanged(session):
    """Every row of every table, but for what reading pages changes (views, last seen)."""
    return lambda: snapshot(session, ignore=BOOKKEEPING)


@pytest.fixture
def staff_client(client, moderator):
    client.sign_in(moderator)
    return client


# --- who may -----------------------------------------------------------------------------------


def _requests(thread, duplicate, laptops, helper, suspended):
    threads = f"/moderation/threads/{duplicate.id}"
    members = f"/moderation/members/{helper.id}"
    return [
        ("post", f"{threads}/lock", {}),
        ("post", f"{threads}/unlock", {}),
        ("post", f"{threads}/move", {"board_id": str(laptops.id)}),
        ("post", f"{threads}/merge", {"target": str(thread.id)}),
        ("get", members, {}),
        ("post", f"{members}/suspend", {"days": "7", "reason": REASON}),
        ("post", f"/moderation/members/{suspended.id}/unsuspend", {}),
    ]


def test_members_are_refused_everything_and_nothing_changes(client, member, thread, duplicate, laptops, helper,
                                                            suspended, unchanged):
    client.sign_in(member)
    before = unchanged()

    for method, url, data in _requests(thread, duplicate, laptops, helper, suspended):
        response = client.get(url) if method == "get" else client.post(url, data=data)

        assert response.status_code == 403, url
        assert SITE_HEADER in response.get_data(as_text=True)
    assert unchanged() == before


def test_visitors_are_sent_to_sign_in_and_nothing_changes(client, thread, duplicate, laptops, helper, suspended,
                                                          unchanged):
    before = unchanged()

    for method, url, data in _requests(thread, duplicate, laptops, helper, suspended):
        response = client.get(url) if method == "get" else client.post(url, data=data)

        assert response.status_code == 302, url
        assert path_of(response.location).startswith("/login?next="), url
    assert unchanged() == before


def test_staff_posts_need_the_csrf_token(staff_client, session, duplicate, unchanged):
    before = unchanged()

    response = staff_client.post(f"/moderation/threads/{duplicate.id}/lock", with_csrf=False)

    assert response.status_code == 400 and unchanged() == before


# --- lock, move ----------------------------------------------------------------------------------


def test_staff_lock_and_unlock_a_thread(staff_client, session, duplicate):
    response = staff_client.post(f"/moderation/threads/{duplicate.id}/lock")

    assert path_of(response.location) == f"/t/{duplicate.id}-{duplicate.slug}"
    html = _follow(staff_client, response)
    assert "The thread is locked" in " ".join(_flashes(html))
    assert "Unlock the thread" in html and _thread(session, duplicate.id).is_locked

    html = _follow(staff_client, staff_client.post(f"/moderation/threads/{duplicate.id}/unlock"))
    assert "The thread is unlocked" in " ".join(_flashes(html))
    assert not _thread(session, duplicate.id).is_locked


def test_locking_a_missing_thread_is_a_404(staff_client):
    assert staff_client.post("/moderation/threads/4711/lock").status_code == 404


def test_staff_move_a_thread(staff_client, session, duplicate, laptops):
    response = staff_client.post(f"/moderation/threads/{duplicate.id}/move", data={"board_id": laptops.id})

    html = _follow(staff_client, response)
    assert "The thread is now in the board “Laptops”." in _flashes(html)
    assert _thread(session, duplicate.id).board_id == laptops.id


@pytest.mark.parametrize("value", ["", "abc", "4711", "99999999999999999999", "archived"])
def test_moving_to_no_open_board_says_so_on_the_thread(staff_client, session, duplicate, board, laptops, value):
    if value == "archived":
        laptops.is_archived = True
        session.commit()
        value = str(laptops.id)

    response = staff_client.post(f"/moderation/threads/{duplicate.id}/move", data={"board_id": value})

    assert path_of(response.location) == f"/t/{duplicate.id}-{duplicate.slug}"
    [message] = _flashes(_follow(staff_client, response))
    assert message.startswith("Please choose the board") or "is archived" in message
    assert _thread(session, duplicate.id).board_id == board.id


# --- merge ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["{id}", "#{id}", "/t/{id}", "/t/{id}-{slug}",
                                  " http://localhost/t/{id}-{slug}?page=2#post-9 ", "https://community.example.com/t/{id}"])
def test_staff_merge_naming_the_target_by_number_or_address(staff_client, session, thread, duplicate, form):
    target = form.format(id=thread.id, slug=thread.slug)

    response = staff_client.post(f"/moderation/threads/{duplicate.id}/merge", data={"target": target})

    assert path_of(response.location) == f"/t/{thread.id}-{thread.slug}"
    html = _follow(staff_client, response)
    assert f"Merged into “{thread.title}”." in " ".join(_flashes(html))
    assert "Set a fixed IP address for the printer." in html
    assert _thread(session, duplicate.id).merged_into_id == thread.id
    old = staff_client.get(f"/t/{duplicate.id}-{duplicate.slug}")
    assert old.status_code == 301 and path_of(old.location).startswith(f"/t/{thread.id}")


@pytest.mark.parametrize(("target", "message"), [
    ("", "Please give the number of the thread to merge this one into"),
    ("hello", "“hello” names no thread."),
    ("/p/12", "“/p/12” names no thread."),
    ("99999999999999999999", "names no thread."),
    ("4711", "There is no thread #4711."),
    ("self", "cannot be merged into itself"),
])
def test_merge_mistakes_are_explained_on_the_thread(staff_client, session, duplicate, target, message, unchanged):
    target = str(duplicate.id) if target == "self" else target
    before = unchanged()

    response = staff_client.post(f"/moderation/threads/{duplicate.id}/merge", data={"target": target})

    assert path_of(response.location) == f"/t/{duplicate.id}-{duplicate.slug}"
    [shown] = _flashes(_follow(staff_client, response))
    assert message in shown
    assert unchanged() == before


@pytest.mark.parametrize(("text", "expected"), [
    ("123", 123), ("#123", 123), (" 123 ", 123), ("/t/123", 123), ("t/123-a-slug", 123),
    ("http://host/t/123-some-slug", 123), ("HTTPS://host:8080/t/123/", 123), ("/t/123?page=2#post-4", 123),
    ("", None), (None, None), ("abc", None), ("0", None), ("-5", None), ("12a", None), ("/t/abc", None),
    ("/u/123", None), ("http://host/t/123/answer", None), ("2147483648", None), ("١٢٣", None),
])
def test_thread_ids_from_what_moderators_type(text, expected):
    assert thread_id_from(text) == expected


# --- the staff tools on the thread page -----------------------------------------------------------


def test_staff_see_the_tools_with_the_open_boards(staff_client, session, duplicate, board, laptops):
    session.add(Board(slug="fax", name="Fax machines", position=2, is_archived=True))
    session.commit()

    page = parse(staff_client.get(f"/t/{duplicate.id}-{duplicate.slug}").get_data(as_text=True))

    assert "Staff tools" in page.text
    assert page.selected["board_id"] == [str(board.id)]
    options = [t.get("value") for t in page.tags if t.name == "option"]
    assert options == [str(board.id), str(laptops.id)]
    actions = {t.get("action") for t in page.tags if t.name == "form"}
    assert {f"/moderation/threads/{duplicate.id}/{a}" for a in ("lock", "move", "merge")} <= actions
    assert f"/moderation/members/{duplicate.author_id}" in {t.get("href") for t in page.tags if t.name == "a"}


def test_no_move_form_when_there_is_no_other_board(staff_client, duplicate):
    html = staff_client.get(f"/t/{duplicate.id}-{duplicate.slug}").get_data(as_text=True)

    assert "Staff tools" in html and f"/moderation/threads/{duplicate.id}/merge" in html
    assert f"/moderation/threads/{duplicate.id}/move" not in html


def test_members_do_not_see_the_tools(client, member, duplicate):
    client.sign_in(member)

    html = client.get(f"/t/{duplicate.id}-{duplicate.slug}").get_data(as_text=True)

    assert "Staff tools" not in html and "/moderation/threads/" not in html


# --- the member page -----------------------------------------------------------------------------


def test_the_member_page_shows_the_member_their_hidden_posts_and_the_log(staff_client, session, moderator, helper,
                                                                        thread):
    spam = posting.answer(session, helper, thread_id=thread.id, body="Buy a new printer from my shop today.")
    review.hide(session, moderator, post_id=spam.id, reason="competitor", note="Third time this week.")

    response = staff_client.get(f"/moderation/members/{helper.id}")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = parse(html)
    assert "Helpful Hans" in html and "Member" in page.text and "Not suspended." in page.text
    assert f"/p/{spam.id}" in {t.get("href") for t in page.tags if t.name == "a"}
    assert "Promotes a competitor" in html and "Third time this week." in html
    assert "Buy a new printer from my shop today." in html
    assert "Hid" in page.text  # the log entry of the hide
    assert page.selected["days"] == ["7"]
    assert [o.get("value") for o in page.tags if o.name == "option"] == ["1", "3", "7", "30", "90", "365"]


def test_the_member_page_of_a_missing_member_is_a_404(staff_client):
    assert staff_client.get("/moderation/members/4711").status_code == 404


def test_staff_pages_offer_no_suspend_form_for_staff_or_oneself(staff_client, moderator, admin):
    for user in (moderator, admin):
        html = staff_client.get(f"/moderation/members/{user.id}").get_data(as_text=True)

        assert "/suspend" not in html and 'name="reason"' not in html


# --- suspend and lift ----------------------------------------------------------------------------


def test_staff_suspend_a_member_who_then_sees_the_banner(staff_client, new_client, session, helper):
    response = staff_client.post(f"/moderation/members/{helper.id}/suspend", data={"days": "3", "reason": REASON})

    assert path_of(response.location) == f"/moderation/members/{helper.id}"
    html = _follow(staff_client, response)
    user = _user(session, helper.id)
    until = user.suspended_until.strftime("%Y-%m-%d %H:%M UTC")
    assert f"Helpful Hans is suspended until {until}." in _flashes(html)
    assert abs(user.suspended_until - datetime.now(timezone.utc) - timedelta(days=3)) < timedelta(minutes=1)
    assert "Lift the suspension" in html and REASON in html
    assert session.scalars(select(ModerationAction.action)).all() == ["suspend"]

    browser = new_client()
    browser.sign_in(helper)
    banner = browser.get("/").get_data(as_text=True)
    assert f"Your account is suspended until {until} because: Posted the same advert in five boards." in banner
    assert "You can read, but cannot post, edit, give kudos or flag until then." in banner


def test_the_banner_shows_the_reason_as_text(client, session, helper, moderator):
    suspension.suspend(session, moderator, user_id=helper.id, days=1, reason="<script>alert(1)</script> spam")
    client.sign_in(helper)

    html = client.get("/").get_data(as_text=True)

    assert "&lt;script&gt;alert(1)&lt;/script&gt; spam" in html and "<script>alert" not in html


def test_no_banner_for_members_in_good_standing(client, member):
    client.sign_in(member)

    assert "Your account is suspended" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"days": "7", "reason": "Spam"}, "reason", "in 5 to 1,000 characters (this has 4)"),
    ({"days": "7", "reason": ""}, "reason", "Please tell the member why they are suspended."),
    ({"days": "abc", "reason": REASON}, "days", "Please choose a period of 1 to 3,650 days."),
    ({"days": "9999", "reason": REASON}, "days", "Please choose a period of 1 to 3,650 days."),
], ids=["short-reason", "no-reason", "days-abc", "days-too-many"])
def test_suspend_mistakes_rerender_the_page_with_what_was_typed(staff_client, session, helper, data, field, message,
                                                               unchanged):
    before = unchanged()

    response = staff_client.post(f"/moderation/members/{helper.id}/suspend", data=data)

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert any(message in e for e in page.errors.get(field, [])), page.errors
    assert page.value("reason") == data["reason"]
    assert unchanged() == before and _user(session, helper.id).suspended_until is None


@pytest.mark.parametrize("who", ["self", "moderator", "admin"])
def test_staff_and_oneself_cannot_be_suspended_through_the_page(staff_client, session, moderator, make_user, who,
                                                                unchanged):
    target = moderator if who == "self" else make_user(who)
    before = unchanged()

    response = staff_client.post(f"/moderation/members/{target.id}/suspend", data={"days": "7", "reason": REASON})

    assert response.status_code == 403 and unchanged() == before


def test_staff_lift_a_suspension(staff_client, session, suspended):
    response = staff_client.post(f"/moderation/members/{suspended.id}/unsuspend")

    html = _follow(staff_client, response)
    assert "Suspended Sid can post again." in _flashes(html)
    assert "Not suspended." in html
    assert _user(session, suspended.id).suspended_until is None
    assert session.scalars(select(ModerationAction.action)).all() == ["unsuspend"]
