"""HTTP tests of unanswered routing: its settings on the boards page (checked, shown beside the
fields and kept as typed), the "Escalated to support" badge that only staff see on the thread page,
and the escalated mark on the dashboard's unanswered list."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Board, ModerationAction
from app.services import routing
from tests.web.html_tools import parse

FIELDS = ("invite_after_hours", "escalate_after_hours", "escalation_email", "escalation_webhook_url")


def _edit(board: Board, **values) -> dict[str, str]:
    prefix = f"board-{board.id}-"
    data = {prefix + "name": board.name, prefix + "description": board.description, prefix + "slug": board.slug}
    data.update({prefix + name: value for name, value in values.items()})
    return data


def _settings(session, board_id: int) -> routing.BoardRouting:
    session.rollback()
    return routing.BoardRouting.of(session.get(Board, board_id, populate_existing=True))


def test_admin_sets_a_boards_routing(client, session, admin, board):
    client.sign_in(admin)
    response = client.post(f"/admin/boards/{board.id}", data=_edit(
        board, invite_after_hours="4", escalate_after_hours="24", escalation_email="tickets@example.com",
        escalation_webhook_url="https://tickets.example/hooks/peerdesk"))
    assert response.status_code == 302
    assert _settings(session, board.id) == routing.BoardRouting(4, 24, "tickets@example.com",
                                                                "https://tickets.example/hooks/peerdesk")
    change = session.scalars(select(ModerationAction).where(ModerationAction.action == "board_update")).one()
    assert "Escalate after 24 h" in change.after_text and "Escalate" not in change.before_text
    # The form shows the saved values; emptying the hours switches routing off again.
    page = parse(client.get("/admin/boards").get_data(as_text=True))
    assert page.value(f"board-{board.id}-invite_after_hours") == "4"
    assert page.value(f"board-{board.id}-escalation_email") == "tickets@example.com"
    client.post(f"/admin/boards/{board.id}", data=_edit(board, **dict.fromkeys(FIELDS, "")))
    assert _settings(session, board.id) == routing.BoardRouting()


@pytest.mark.parametrize("typed, errors", [
    ({"invite_after_hours": "four", "escalate_after_hours": "0"},
     {"invite_after_hours": "Please give a whole number of hours from 1 to 8760 (a year), or leave it empty.",
      "escalate_after_hours": "Please give a whole number of hours from 1 to 8760 (a year), or leave it empty."}),
    ({"invite_after_hours": "24", "escalate_after_hours": "12", "escalation_email": "tickets@example.com"},
     {"escalate_after_hours": "Escalate later than you invite helpers: give more hours here than for the "
                              "invitation."}),
    ({"escalate_after_hours": "12", "escalation_email": "tickets(at)example", "escalation_webhook_url": "ftp://x.example"},
     {"escalation_email": "Please give a valid e-mail address, e.g. support@example.com.",
      "escalation_webhook_url": "Please give a web address starting with https:// (or http://), e.g. "
                                "https://tickets.example.com/hooks/peerdesk."}),
    ({"escalate_after_hours": "12"},
     {"escalation_email": "Escalating needs somewhere to go: give an e-mail address, a webhook address, or both."}),
])
def test_bad_routing_settings_are_shown_and_kept(client, session, row_counts, admin, board, typed, errors):
    client.sign_in(admin)
    before = row_counts()
    prefix = f"board-{board.id}-"
    response = client.post(f"/admin/boards/{board.id}", data=_edit(board, **typed))
    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors == {prefix + name: [message] for name, message in errors.items()}
    for name, value in typed.items():
        assert page.value(prefix + name) == value
    assert row_counts() == before and _settings(session, board.id) == routing.BoardRouting()


def test_a_new_board_takes_routing_settings(client, session, admin):
    client.sign_in(admin)
    response = client.post("/admin/boards", data={"new-name": "Scanners", "new-description": "",
                                                  "new-slug": "", "new-invite_after_hours": "6"})
    assert response.status_code == 302
    session.rollback()
    assert session.scalars(select(Board.invite_after_hours).where(Board.slug == "scanners")).one() == 6
    bad = client.post("/admin/boards", data={"new-name": "Copiers", "new-description": "", "new-slug": "",
                                             "new-invite_after_hours": "soon"})
    assert bad.status_code == 400 and parse(bad.get_data(as_text=True)).value("new-invite_after_hours") == "soon"


@pytest.fixture
def escalated_thread(session, board, thread):
    board.escalate_after_hours, board.escalation_email = 24, "tickets@example.com"
    session.commit()
    assert routing.tick(session, routing.Site(url="https://help.example"), now=thread.created_at + timedelta(hours=24))
    return thread


def test_only_staff_see_that_a_thread_was_escalated(client, new_client, escalated_thread, member, moderator):
    url = f"/t/{escalated_thread.id}-{escalated_thread.slug}"
    client.sign_in(moderator)
    staff_page = client.get(url).get_data(as_text=True)
    assert "Escalated to support" in staff_page and 'class="badge badge-escalated"' in staff_page
    asker = new_client()
    asker.sign_in(member)
    visitor = new_client()
    for browser in (asker, visitor):
        response = browser.get(url)
        assert response.status_code == 200 and "Escalated to support" not in response.get_data(as_text=True)


def test_a_thread_not_escalated_has_no_badge(client, moderator, thread):
    client.sign_in(moderator)
    assert "Escalated to support" not in client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)


def test_the_dashboard_marks_escalated_threads(client, admin, escalated_thread, make_thread):
    make_thread(title="Scanner makes a grinding noise")
    client.sign_in(admin)
    html = client.get("/dashboard").get_data(as_text=True)
    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr>") if "/t/" in row}
    assert 'badge-escalated' in rows[escalated_thread.title]
    assert 'badge-escalated' not in rows["Scanner makes a grinding noise"]
