"""HTTP tests of the administrators' pages (boards and roles) and of archived boards on the site."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.models import Board, User
from app.services import board_admin, posting
from tests.web.html_tools import SITE_HEADER, parse, path_of


@pytest.fixture
def laptops(session, admin, board):
    return board_admin.create(session, admin, name="Laptops", description="Notebooks and batteries.")


def _boards(session) -> list[tuple[str, str, bool]]:
    session.rollback()
    return [(b.slug, b.name, b.is_archived) for b in session.scalars(select(Board).order_by(Board.position))]


def _target(response) -> str:
    """Where a redirect goes: path, query and #fragment."""
    parts = urlsplit(response.location)
    return path_of(response.location) + (f"#{parts.fragment}" if parts.fragment else "")


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


# --- who may -----------------------------------------------------------------------------------


def _admin_requests(board_id: int, user_id: int) -> list[tuple[str, str, dict]]:
    return [
        ("GET", "/admin/boards", {}),
        ("GET", "/admin/users", {}),
        ("POST", "/admin/boards", {"new-name": "Monitors"}),
        ("POST", f"/admin/boards/{board_id}", {f"board-{board_id}-name": "Renamed",
                                               f"board-{board_id}-slug": "renamed"}),
        ("POST", f"/admin/boards/{board_id}/move", {"direction": "down"}),
        ("POST", f"/admin/boards/{board_id}/archive", {}),
        ("POST", f"/admin/boards/{board_id}/unarchive", {}),
        ("POST", f"/admin/users/{user_id}/role", {"role": "admin"}),
    ]


@pytest.mark.parametrize("who", ["moderator", "member"])
def test_moderators_and_members_are_refused_and_nothing_changes(request, client, session, row_counts, board,
                                                                laptops, helper, who):
    client.sign_in(request.getfixturevalue(who))
    before = row_counts()

    for method, url, data in _admin_requests(board.id, helper.id):
        response = client.get(url) if method == "GET" else client.post(url, data=data)

        assert response.status_code == 403, (url, response.status_code)
        assert SITE_HEADER in response.get_data(as_text=True)
    assert row_counts() == before
    assert _boards(session) == [("printers", "Printers", False), ("laptops", "Laptops", False)]
    assert session.get(User, helper.id).role == "member"


def test_visitors_are_sent_to_sign_in(client, session, row_counts, board, helper):
    before = row_counts()

    for method, url, data in _admin_requests(board.id, helper.id):
        response = client.get(url) if method == "GET" else client.post(url, data=data)

        assert response.status_code == 302, (url, response.status_code)
        assert path_of(response.location).startswith("/login?next="), url
    assert row_counts() == before


@pytest.mark.parametrize("who", ["admin", "visitor"])
def test_posts_without_a_csrf_token_are_refused_and_change_nothing(request, client, session, row_counts, board,
                                                                   helper, who):
    if who == "admin":
        client.sign_in(request.getfixturevalue("admin"))
    before = row_counts()

    for method, url, data in _admin_requests(board.id, helper.id):
        if method == "POST":
            response = client.post(url, data=data, with_csrf=False)

            assert response.status_code == 400, (url, response.status_code)
            assert "without a valid security token" in response.get_data(as_text=True), url
    assert row_counts() == before


def test_only_administrators_see_the_admin_link(client, new_client, admin, moderator):
    assert 'href="/admin/boards"' not in _get(client, "/")
    client.sign_in(moderator)
    assert 'href="/admin/boards"' not in _get(client, "/")
    administrator = new_client()
    administrator.sign_in(admin)
    assert 'href="/admin/boards"' in _get(administrator, "/")


# --- the boards page ---------------------------------------------------------------------------


def test_boards_page_lists_boards_with_their_threads_and_forms(client, session, admin, laptops, make_thread):
    make_thread()
    make_thread(title="Second printer question here")
    board_admin.archive(session, admin, board_id=laptops.id)
    client.sign_in(admin)

    html = _get(client, "/admin/boards")

    page = parse(html)
    printers_row, laptops_row = html.split('<li class="admin-board')[1:]
    assert "Printers" in printers_row and "2 threads" in printers_row and "Archive Printers" in printers_row
    assert "Laptops" in laptops_row and "0 threads" in laptops_row and "Reopen Laptops" in laptops_row
    assert "Archived" in laptops_row
    assert page.value(f"board-{laptops.id}-name") == "Laptops"
    assert page.value(f"board-{laptops.id}-slug") == "laptops"
    assert page.value(f"board-{laptops.id}-description") == "Notebooks and batteries."
    assert page.value("new-name") == "" and page.value("new-slug") == ""
    # The first board cannot move up and the last cannot move down.
    buttons = [t for t in page.tags if t.name == "button" and t.get("name") == "direction"]
    assert [(b.get("value"), any(k == "disabled" for k, _ in b.attrs)) for b in buttons] == [
        ("up", True), ("down", False), ("up", False), ("down", True)]


def test_admin_creates_a_board(client, session, admin, board):
    client.sign_in(admin)

    response = client.post("/admin/boards", data={"new-name": "Home Printers", "new-description": "Ink and toner.",
                                                  "new-slug": ""})

    assert response.status_code == 302
    created = session.scalar(select(Board).where(Board.slug == "home-printers"))
    assert _target(response) == f"/admin/boards#board-{created.id}"
    assert (created.name, created.description, created.position) == ("Home Printers", "Ink and toner.", 1)
    html = _get(client, "/admin/boards")
    assert "The board “Home Printers” is open at /b/home-printers." in html


@pytest.mark.parametrize(("data", "errors"), [
    ({"new-name": "", "new-description": "Typed with care.", "new-slug": "my-board"},
     {"new-name": ["Please give the board a name."]}),
    ({"new-name": "X", "new-description": "Typed with care.", "new-slug": "Bad Slug"},
     {"new-name": ["The name needs 2 to 80 characters (it has 1)."],
      "new-slug": ["Use 2 to 80 lowercase letters, digits and hyphens, e.g. “home-printers”."]}),
    ({"new-name": "Printers again", "new-description": "Typed with care.", "new-slug": "printers"},
     {"new-slug": ["The address /b/printers belongs to “Printers” already; please choose another."]}),
])
def test_bad_input_for_a_new_board_is_shown_beside_the_fields_and_kept(client, session, row_counts, admin, board,
                                                                     data, errors):
    client.sign_in(admin)
    before = row_counts()

    response = client.post("/admin/boards", data=data)

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors == errors
    for name, value in data.items():
        assert page.value(name) == value
    assert row_counts() == before


def test_admin_edits_a_board_and_the_address_stays(client, session, admin, board, laptops):
    client.sign_in(admin)

    response = client.post(f"/admin/boards/{laptops.id}", data={
        f"board-{laptops.id}-name": "Notebooks", f"board-{laptops.id}-description": "Laptops of every kind.",
        f"board-{laptops.id}-slug": "laptops"})

    assert response.status_code == 302 and _target(response) == f"/admin/boards#board-{laptops.id}"
    assert _boards(session)[1] == ("laptops", "Notebooks", False)
    assert "Notebooks" in _get(client, "/b/laptops")


def test_admin_changes_a_boards_address(client, session, admin, laptops):
    client.sign_in(admin)

    client.post(f"/admin/boards/{laptops.id}", data={
        f"board-{laptops.id}-name": "Laptops", f"board-{laptops.id}-description": "",
        f"board-{laptops.id}-slug": "notebooks"})

    assert _boards(session)[1] == ("notebooks", "Laptops", False)
    assert client.get("/b/laptops").status_code == 404


def test_bad_input_when_editing_is_shown_beside_that_boards_fields(client, session, row_counts, admin, board, laptops):
    client.sign_in(admin)
    before = row_counts()
    prefix = f"board-{laptops.id}-"

    response = client.post(f"/admin/boards/{laptops.id}", data={
        prefix + "name": "Laptops and more", prefix + "description": "Typed with care.", prefix + "slug": "printers"})

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = parse(html)
    assert page.errors == {prefix + "slug": ["The address /b/printers belongs to “Printers” already; "
                                             "please choose another."]}
    assert (page.value(prefix + "name"), page.value(prefix + "description"), page.value(prefix + "slug")) == (
        "Laptops and more", "Typed with care.", "printers")
    # The other board's form shows its stored values, and the failed one is open.
    assert page.value(f"board-{board.id}-name") == "Printers"
    assert html.split(f'id="board-{laptops.id}"')[1].count("<details class=\"admin-board-edit\" open>") == 1
    assert row_counts() == before


def test_admin_reorders_boards(client, session, admin, board, laptops):
    client.sign_in(admin)

    response = client.post(f"/admin/boards/{laptops.id}/move", data={"direction": "up"})

    assert response.status_code == 302 and _target(response) == f"/admin/boards#board-{laptops.id}"
    assert [slug for slug, _, _ in _boards(session)] == ["laptops", "printers"]
    cards = _get(client, "/").split('<li class="board-card">')[1:]
    assert ["Laptops" in cards[0], "Printers" in cards[1]] == [True, True]


def test_an_unknown_direction_is_a_bad_request(client, session, admin, board, laptops):
    client.sign_in(admin)

    response = client.post(f"/admin/boards/{laptops.id}/move", data={"direction": "sideways"})

    assert response.status_code == 400 and SITE_HEADER in response.get_data(as_text=True)
    assert [slug for slug, _, _ in _boards(session)] == ["printers", "laptops"]


def test_an_unknown_board_is_not_found(client, admin, board):
    client.sign_in(admin)

    for url in ("/admin/boards/999/move", "/admin/boards/999/archive", "/admin/boards/999/unarchive"):
        assert client.post(url, data={"direction": "up"}).status_code == 404, url
    assert client.post("/admin/boards/999", data={"board-999-name": "Ghost board"}).status_code == 404


def test_admin_archives_and_reopens_a_board(client, session, admin, board, laptops):
    client.sign_in(admin)

    response = client.post(f"/admin/boards/{laptops.id}/archive")
    assert response.status_code == 302
    assert _boards(session)[1] == ("laptops", "Laptops", True)
    assert "“Laptops” is archived" in _get(client, "/admin/boards")

    client.post(f"/admin/boards/{laptops.id}/unarchive")
    assert _boards(session)[1] == ("laptops", "Laptops", False)
    assert "“Laptops” takes new questions again." in _get(client, "/admin/boards")


# --- archived boards on the site ---------------------------------------------------------------


def test_home_shows_archived_boards_apart(client, session, admin, board, laptops):
    board_admin.archive(session, admin, board_id=laptops.id)

    html = _get(client, "/")

    active, archived = html.split("Archived boards — read only")
    assert "/b/printers" in active and "/b/laptops" not in active
    assert "/b/laptops" in archived and "/b/printers" not in archived.split('id="recent-heading"')[0]


def test_home_without_archived_boards_has_no_archived_section(client, board):
    assert "Archived boards" not in _get(client, "/")


def test_home_when_every_board_is_archived(client, session, admin, board):
    board_admin.archive(session, admin, board_id=board.id)

    html = _get(client, "/")

    assert "Every board is archived" in html and "No boards yet" not in html


def test_an_archived_boards_page_takes_no_new_questions(client, session, admin, member, board, make_thread):
    make_thread(title="Old printer question stays readable")
    board_admin.archive(session, admin, board_id=board.id)
    client.sign_in(member)

    html = _get(client, "/b/printers")

    assert "This board is archived: it takes no new questions." in html
    assert "Ask in Printers" not in html and "Old printer question stays readable" in html


def test_an_open_boards_page_offers_asking(client, board):
    html = _get(client, "/b/printers")

    assert "Ask in Printers" in html and "This board is archived" not in html


def test_the_ask_form_does_not_offer_archived_boards(client, session, admin, member, board, laptops):
    board_admin.archive(session, admin, board_id=laptops.id)
    client.sign_in(member)

    page = parse(_get(client, "/ask?board=laptops"))

    # The board choices (ids), not the suggestions of the product and OS fields' datalists.
    options = [t.get("value") for t in page.tags if t.name == "option" and t.get("value").isdigit()]
    assert options == ["0", str(board.id)]
    assert page.selected.get("board") == ["0"]


def test_asking_in_an_archived_board_is_refused_with_the_text_kept(client, session, admin, member, laptops):
    board_admin.archive(session, admin, board_id=laptops.id)
    client.sign_in(member)
    question = {"board": laptops.id, "title": "Battery drains overnight when closed",
                "body": "The battery is empty every morning although the lid was closed.", "tags": "battery"}

    response = client.post("/ask", data=question)

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors["board"] == ["This board is archived and takes no new questions; please choose another."]
    assert page.value("title") == question["title"] and page.value("body") == question["body"]


def test_threads_of_an_archived_board_stay_readable_and_answerable(client, session, admin, helper, board, thread):
    board_admin.archive(session, admin, board_id=board.id)

    answer = posting.answer(session, helper, thread_id=thread.id, body="Try the printer's own web page.")

    assert answer.id and _get(client, f"/t/{thread.id}-{thread.slug}")


# --- the members page --------------------------------------------------------------------------


@pytest.fixture
def crowd(make_user):
    return [make_user(name=f"Crowd member {n:02d}") for n in range(3)]


def test_members_page_lists_members_with_role_joined_reputation(client, session, admin, moderator, member):
    session.get(User, member.id).reputation = 1234
    session.commit()
    client.sign_in(admin)

    html = _get(client, "/admin/users")

    rows = {row.split('"')[0]: row for row in html.split('<tr id="member-')[1:]}
    anna = rows[str(member.id)]
    assert "Asker Anna" in anna and member.email in anna and "1,234" in anna and "<time" in anna
    assert f'href="/u/{member.id}-asker-anna"' in anna
    assert f'id="role-{member.id}"' in anna and f'id="role-{moderator.id}"' in rows[str(moderator.id)]
    # The administrator's own row has no form: someone else must change it.
    own = rows[str(admin.id)]
    assert "This is you" in own and "<select" not in own


def test_members_page_marks_each_members_role_selected(client, admin, moderator, member):
    client.sign_in(admin)

    html = _get(client, "/admin/users")

    rows = {row.split('"')[0]: row for row in html.split('<tr id="member-')[1:]}
    assert '<option value="moderator" selected>' in rows[str(moderator.id)]
    assert '<option value="member" selected>' in rows[str(member.id)]


def test_members_page_searches_and_filters(client, admin, moderator, member, crowd):
    client.sign_in(admin)

    html = _get(client, "/admin/users?q=CROWD")
    assert "3 members" in html and "Crowd member 00" in html and "Asker Anna" not in html
    assert 'name="q" value="CROWD"' in html  # the typed search is kept (the header's box is another q)

    html = _get(client, "/admin/users?role=moderator")
    assert "1 member" in html and "Mod Maja" in html and "Asker Anna" not in html
    assert parse(html).selected["role"][0] == "moderator"

    assert "No member matches this search." in _get(client, "/admin/users?q=nobody-at-all")
    assert "Asker Anna" in _get(client, "/admin/users?role=bogus&page=-3")


def test_admin_changes_a_role_and_returns_to_the_same_list(client, session, admin, member):
    client.sign_in(admin)

    response = client.post(f"/admin/users/{member.id}/role?q=anna&page=1&_external=1", data={"role": "moderator"})

    assert response.status_code == 302
    assert _target(response) == f"/admin/users?q=anna&page=1#member-{member.id}"
    assert session.get(User, member.id).role == "moderator"
    assert "Asker Anna’s role is now “Moderator”." in _get(client, response.location)


def test_admin_cannot_change_their_own_role(client, session, admin, row_counts):
    client.sign_in(admin)
    before = row_counts()

    response = client.post(f"/admin/users/{admin.id}/role", data={"role": "member"})

    assert response.status_code == 403 and "ask another administrator" in response.get_data(as_text=True)
    assert session.get(User, admin.id).role == "admin" and row_counts() == before


def test_an_unknown_role_is_a_bad_request(client, session, admin, member, row_counts):
    client.sign_in(admin)
    before = row_counts()

    response = client.post(f"/admin/users/{member.id}/role", data={"role": "owner"})

    assert response.status_code == 400 and "Please choose member, moderator or administrator." in (
        response.get_data(as_text=True))
    assert session.get(User, member.id).role == "member" and row_counts() == before


def test_changing_the_role_of_a_missing_member_is_not_found(client, admin):
    client.sign_in(admin)

    assert client.post("/admin/users/999999/role", data={"role": "admin"}).status_code == 404


def test_a_demoted_administrator_loses_the_admin_pages_at_once(client, new_client, admin, make_user):
    second = make_user("admin", name="Second Admin")
    other = new_client()
    other.sign_in(second)
    assert other.get("/admin/boards").status_code == 200
    client.sign_in(admin)

    client.post(f"/admin/users/{second.id}/role", data={"role": "moderator"})

    assert other.get("/admin/boards").status_code == 403
