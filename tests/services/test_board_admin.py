"""Administrators managing boards: create, rename and describe, reorder, archive and reopen."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app import db
from app.models import Board, ModerationAction, User
from app.services import board_admin, listings
from app.services.errors import Forbidden, InvalidInput, NotFound


def _log(session, action: str | None = None) -> list[ModerationAction]:
    session.rollback()
    query = select(ModerationAction).order_by(ModerationAction.id)
    if action:
        query = query.where(ModerationAction.action == action)
    return list(session.scalars(query))


def _order(session) -> list[str]:
    session.rollback()  # a fresh snapshot: see what other sessions committed
    session.expire_all()
    return [b.slug for b in listings.boards(session)]


def _positions(session) -> list[int]:
    session.rollback()
    session.expire_all()
    return [b.position for b in listings.boards(session)]


@pytest.fixture
def three_boards(session, admin, board):
    """printers (0), then laptops and desktops created after it."""
    laptops = board_admin.create(session, admin, name="Laptops", description="Notebooks and batteries.")
    desktops = board_admin.create(session, admin, name="Desktop PCs")
    return board, laptops, desktops


# --- create ------------------------------------------------------------------------------------


def test_create_makes_the_slug_from_the_name_puts_it_last_and_logs(session, admin, board):
    created = board_admin.create(session, admin, name="  Home   Printers\u200b ", description="Ink and toner.")

    session.refresh(created)
    assert (created.name, created.slug, created.description) == ("Home Printers", "home-printers", "Ink and toner.")
    assert created.position == board.position + 1 and not created.is_archived
    [entry] = _log(session)
    assert (entry.action, entry.actor_id, entry.board_id, entry.note) == ("board_create", admin.id, created.id,
                                                                         "Home Printers")


def test_create_on_an_empty_site_starts_at_position_zero(session, admin):
    created = board_admin.create(session, admin, name="Monitors")

    assert created.position == 0


def test_create_takes_a_given_slug(session, admin):
    created = board_admin.create(session, admin, name="Printers and scanners", slug="printing")

    assert created.slug == "printing"


@pytest.mark.parametrize(("name", "message"), [
    ("", "The name needs 2 to 80 characters (it has 0)."),
    ("A", "The name needs 2 to 80 characters (it has 1)."),
    ("\u200b \u200bA ", "The name needs 2 to 80 characters (it has 1)."),
    ("N" * 81, "The name needs 2 to 80 characters (it has 81)."),
])
def test_create_refuses_a_bad_name(session, admin, name, message):
    with pytest.raises(InvalidInput) as caught:
        board_admin.create(session, admin, name=name)

    assert caught.value.errors == {"name": [message]}
    assert session.scalars(select(Board)).all() == [] and _log(session) == []


@pytest.mark.parametrize("slug", ["Printers", "a", "s" * 81, "two words", "-lead", "trail-", "dou--ble",
                                  "ümlaut", "under_score", "dot.ted", "../etc"])
def test_create_refuses_a_bad_slug(session, admin, slug):
    with pytest.raises(InvalidInput) as caught:
        board_admin.create(session, admin, name="Monitors", slug=slug)

    assert list(caught.value.errors) == ["slug"] and "lowercase letters, digits and hyphens" in caught.value.message
    assert session.scalars(select(Board)).all() == []


def test_create_reports_every_bad_field_at_once(session, admin):
    with pytest.raises(InvalidInput) as caught:
        board_admin.create(session, admin, name="", description="d" * 301, slug="Bad Slug")

    assert set(caught.value.errors) == {"name", "description", "slug"}
    assert caught.value.errors["description"] == ["Please keep the description under 300 characters (it has 301)."]


def test_a_name_without_letters_for_an_address_asks_for_one(session, admin):
    with pytest.raises(InvalidInput) as caught:
        board_admin.create(session, admin, name="Ä!")

    assert list(caught.value.errors) == ["slug"]


@pytest.mark.parametrize("kwargs", [{"name": "Printers"}, {"name": "Print stuff", "slug": "printers"}])
def test_create_refuses_a_slug_that_is_taken(session, admin, board, kwargs):
    with pytest.raises(InvalidInput) as caught:
        board_admin.create(session, admin, **kwargs)

    assert caught.value.errors == {"slug": ["The address /b/printers belongs to “Printers” already; "
                                            "please choose another."]}
    assert len(session.scalars(select(Board)).all()) == 1 and _log(session) == []


def test_a_slug_taken_at_the_same_moment_is_a_field_error(session, admin, board, monkeypatch):
    # The check before the insert passes (as when another administrator's insert is not committed
    # yet); the unique index then refuses the row, and that becomes the same field error.
    monkeypatch.setattr(board_admin, "_check_slug_free", lambda *args, **kwargs: None)

    with pytest.raises(InvalidInput) as caught:
        board_admin.create(session, admin, name="Printers")

    assert list(caught.value.errors) == ["slug"]
    assert len(session.scalars(select(Board)).all()) == 1 and _log(session) == []


# --- update ------------------------------------------------------------------------------------


def test_update_renames_and_describes_but_keeps_the_address(session, admin, board):
    board_admin.update(session, admin, board_id=board.id, name="Printers & scanners",
                       description="Also scanners now.")

    session.refresh(board)
    assert (board.name, board.description, board.slug) == ("Printers & scanners", "Also scanners now.", "printers")
    [entry] = _log(session)
    assert (entry.action, entry.actor_id, entry.board_id, entry.note) == ("board_update", admin.id, board.id, None)
    assert entry.before_text == "Printers\n\nPrinting and scanning."
    assert entry.after_text == "Printers & scanners\n\nAlso scanners now."


def test_update_with_an_empty_slug_keeps_the_address(session, admin, board):
    board_admin.update(session, admin, board_id=board.id, name="Printing", description="", slug="  ")

    session.refresh(board)
    assert (board.name, board.slug) == ("Printing", "printers")


def test_update_changes_the_address_when_asked_and_notes_it(session, admin, board):
    board_admin.update(session, admin, board_id=board.id, name="Printers", description=board.description,
                       slug="printing")

    session.refresh(board)
    assert board.slug == "printing"
    with pytest.raises(NotFound):
        listings.get_board(session, "printers")
    [entry] = _log(session)
    assert entry.note == "Address changed from /b/printers to /b/printing"


def test_update_refuses_another_boards_slug_and_changes_nothing(session, admin, three_boards):
    printers, laptops, _ = three_boards
    before = len(_log(session))

    with pytest.raises(InvalidInput) as caught:
        board_admin.update(session, admin, board_id=laptops.id, name="Renamed", description="", slug="printers")

    assert caught.value.errors == {"slug": ["The address /b/printers belongs to “Printers” already; "
                                            "please choose another."]}
    session.refresh(laptops)
    assert (laptops.name, laptops.slug) == ("Laptops", "laptops") and len(_log(session)) == before


def test_update_without_a_change_logs_nothing(session, admin, board):
    board_admin.update(session, admin, board_id=board.id, name=" Printers ", description="Printing and scanning.",
                       slug="printers")

    assert _log(session) == []


def test_update_checks_the_fields(session, admin, board):
    with pytest.raises(InvalidInput) as caught:
        board_admin.update(session, admin, board_id=board.id, name="P", description="", slug="No Way")

    assert set(caught.value.errors) == {"name", "slug"}
    session.refresh(board)
    assert board.name == "Printers"


def test_update_of_a_missing_board_is_not_found(session, admin):
    with pytest.raises(NotFound):
        board_admin.update(session, admin, board_id=999, name="Ghost board", description="")


# --- move --------------------------------------------------------------------------------------


def test_move_swaps_with_the_neighbour_and_logs_the_order(session, admin, three_boards):
    _, laptops, desktops = three_boards

    board_admin.move(session, admin, board_id=desktops.id, direction="up")
    assert _order(session) == ["printers", "desktop-pcs", "laptops"]

    board_admin.move(session, admin, board_id=laptops.id, direction="up")
    board_admin.move(session, admin, board_id=laptops.id, direction="up")
    assert _order(session) == ["laptops", "printers", "desktop-pcs"]
    assert _positions(session) == [0, 1, 2]
    entry = _log(session, "board_reorder")[0]
    assert (entry.actor_id, entry.board_id, entry.note) == (admin.id, desktops.id, "Moved “Desktop PCs” up")
    assert entry.before_text == "Printers\nLaptops\nDesktop PCs"
    assert entry.after_text == "Printers\nDesktop PCs\nLaptops"


def test_move_down(session, admin, three_boards):
    printers, _, _ = three_boards

    board_admin.move(session, admin, board_id=printers.id, direction="down")

    assert _order(session) == ["laptops", "printers", "desktop-pcs"]


def test_move_at_the_edges_changes_nothing(session, admin, three_boards):
    printers, _, desktops = three_boards
    logged = len(_log(session))

    board_admin.move(session, admin, board_id=printers.id, direction="up")
    board_admin.move(session, admin, board_id=desktops.id, direction="down")

    assert _order(session) == ["printers", "laptops", "desktop-pcs"] and len(_log(session)) == logged


def test_move_works_when_positions_were_equal(session, admin):
    # Older data (the demo loader, hand edits) may give several boards the same position.
    session.add_all([Board(slug=slug, name=name, position=5) for slug, name in
                     [("gamma", "Gamma"), ("alpha", "Alpha"), ("beta", "Beta")]])
    session.commit()
    beta = session.scalar(select(Board).where(Board.slug == "beta"))

    board_admin.move(session, admin, board_id=beta.id, direction="up")

    assert _order(session) == ["beta", "alpha", "gamma"] and _positions(session) == [0, 1, 2]
    board_admin.move(session, admin, board_id=beta.id, direction="down")
    assert _order(session) == ["alpha", "beta", "gamma"]


def test_move_refuses_an_unknown_direction_or_board(session, admin, three_boards):
    with pytest.raises(InvalidInput):
        board_admin.move(session, admin, board_id=three_boards[1].id, direction="sideways")
    with pytest.raises(NotFound):
        board_admin.move(session, admin, board_id=999, direction="up")
    assert _order(session) == ["printers", "laptops", "desktop-pcs"]


# --- archive -----------------------------------------------------------------------------------


def test_archive_and_unarchive_each_log_once(session, admin, board):
    board_admin.archive(session, admin, board_id=board.id)
    board_admin.archive(session, admin, board_id=board.id)
    session.refresh(board)
    assert board.is_archived

    board_admin.unarchive(session, admin, board_id=board.id)
    board_admin.unarchive(session, admin, board_id=board.id)
    session.refresh(board)
    assert not board.is_archived
    assert [(e.action, e.board_id, e.note, e.actor_id) for e in _log(session)] == [
        ("board_archive", board.id, "Printers", admin.id), ("board_unarchive", board.id, "Printers", admin.id)]


def test_archived_boards_leave_the_choice_for_new_questions_only(session, admin, three_boards):
    board_admin.archive(session, admin, board_id=three_boards[1].id)

    assert [b.slug for b in listings.boards(session, include_archived=False)] == ["printers", "desktop-pcs"]
    assert _order(session) == ["printers", "laptops", "desktop-pcs"]
    assert listings.get_board(session, "laptops").is_archived


def test_archive_of_a_missing_board_is_not_found(session, admin):
    with pytest.raises(NotFound):
        board_admin.archive(session, admin, board_id=999)


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["moderator", "member", "suspended"])
def test_only_administrators_manage_boards(request, session, board, who):
    actor = request.getfixturevalue(who)
    calls = [
        lambda: board_admin.create(session, actor, name="Monitors"),
        lambda: board_admin.update(session, actor, board_id=board.id, name="Renamed", description=""),
        lambda: board_admin.move(session, actor, board_id=board.id, direction="down"),
        lambda: board_admin.archive(session, actor, board_id=board.id),
        lambda: board_admin.unarchive(session, actor, board_id=board.id),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()

    session.refresh(board)
    assert (board.name, board.is_archived) == ("Printers", False)
    assert len(session.scalars(select(Board)).all()) == 1 and _log(session) == []


def test_a_visitor_cannot_manage_boards(session, board):
    with pytest.raises(Forbidden):
        board_admin.create(session, None, name="Monitors")


# --- at the same moment ------------------------------------------------------------------------


def _at_once(app, admin_id: int, calls: list) -> list[str]:
    """Run each call(session, actor) in its own thread and session, all starting together."""
    ready = threading.Barrier(len(calls))

    def run(call) -> str:
        with app.app_context():
            own = db.session()
            actor = own.get(User, admin_id)
            ready.wait()
            try:
                call(own, actor)
            except InvalidInput as exc:
                return ",".join(exc.errors)
            return "done"

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_simultaneous_moves_keep_positions_a_clean_sequence(app, session, admin, three_boards):
    ids = [b.id for b in three_boards]
    calls = [lambda own, actor, i=i: board_admin.move(own, actor, board_id=ids[i % 3],
                                                       direction="up" if i % 2 else "down")
             for i in range(8)]

    assert _at_once(app, admin.id, calls) == ["done"] * 8

    assert sorted(_positions(session)) == [0, 1, 2] and sorted(_order(session)) == sorted(
        ["printers", "laptops", "desktop-pcs"])


def test_the_same_new_slug_at_once_makes_one_board(app, session, admin):
    calls = [lambda own, actor: board_admin.create(own, actor, name="Monitors")] * 4

    outcomes = _at_once(app, admin.id, calls)

    assert sorted(outcomes) == ["done", "slug", "slug", "slug"]
    assert [b.slug for b in listings.boards(session)] == ["monitors"] and len(_log(session)) == 1


def test_simultaneous_moves_of_one_board_act_one_after_another(app, session, admin, three_boards):
    printers = three_boards[0]
    logged = len(_log(session))
    calls = [lambda own, actor: board_admin.move(own, actor, board_id=printers.id, direction="down")] * 6

    _at_once(app, admin.id, calls)

    # Two moves take it to the bottom; the others find it there and change nothing.
    assert _order(session) == ["laptops", "desktop-pcs", "printers"] and _positions(session) == [0, 1, 2]
    assert len(_log(session)) == logged + 2
