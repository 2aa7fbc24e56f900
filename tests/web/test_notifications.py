"""Notifications over HTTP: the bell and its polled count (ETag / 304), the page, opening an item,
mark all read, follow buttons, the mail setting, and unsubscribing signed out."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Notification, User
from app.services import follows, mail_outbox, posting


def _answer(session, thread, author):
    return posting.answer(session, author, thread_id=thread.id, body="Restart the spooler, then add it again.")


def test_bell_shows_the_unread_count_for_members_only(client, session, thread, member, helper):
    _answer(session, thread, helper)
    visitor_page = client.get("/").get_data(as_text=True)
    assert "data-bell-url" not in visitor_page and "bell.js" not in visitor_page
    client.sign_in(member)
    page = client.get("/").get_data(as_text=True)
    assert "data-bell-url" in page and "js/bell.js" in page
    assert "Notifications, 2 unread" in page  # the answer and the "Curious" badge


def test_unread_json_with_etag_and_304(client, session, thread, member, helper):
    client.sign_in(member)
    first = client.get("/notifications/unread.json")
    assert first.status_code == 200 and first.get_json() == {"unread": 1}
    etag = first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    same = client.get("/notifications/unread.json", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    _answer(session, thread, helper)
    changed = client.get("/notifications/unread.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.get_json() == {"unread": 2}
    assert changed.headers["ETag"] != etag


def test_unread_json_needs_sign_in(client):
    assert client.get("/notifications/unread.json").status_code in (302, 401)


def test_page_open_and_mark_all_read(client, session, thread, member, helper):
    answer = _answer(session, thread, helper)
    client.sign_in(member)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Helpful Hans answered “Printer shows offline after update”" in page
    assert page.index("Helpful Hans answered") < page.index("You earned the badge")  # newest first
    session.commit()
    note = session.scalars(select(Notification).where(Notification.user_id == member.id,
                                                      Notification.kind == "answer")).one()
    opened = client.get(f"/notifications/open?n={note.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/p/{answer.id}")
    assert client.get("/notifications/unread.json").get_json() == {"unread": 1}
    assert client.post("/notifications/read-all").status_code == 302
    assert client.get("/notifications/unread.json").get_json() == {"unread": 0}


def test_someone_elses_notification_is_not_opened(client, session, thread, member, helper):
    _answer(session, thread, helper)
    session.commit()
    note = session.scalars(select(Notification).where(Notification.user_id == member.id)).first()
    client.sign_in(helper)
    response = client.get(f"/notifications/open?n={note.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/notifications")
    session.commit()
    assert session.get(Notification, note.id, populate_existing=True).read_at is None


def test_mark_all_read_needs_csrf(client, member):
    client.sign_in(member)
    assert client.post("/notifications/read-all", with_csrf=False).status_code == 400


def test_follow_and_unfollow_thread_and_board(client, session, thread, board, helper):
    client.sign_in(helper)
    page = client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    assert "Follow this thread" in page
    assert client.post(f"/t/{thread.id}/follow", data={"action": "follow"}).status_code == 302
    assert follows.is_following(session, helper, thread_id=thread.id)
    assert "Following ✓" in client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    client.post(f"/t/{thread.id}/follow", data={"action": "unfollow"})
    assert not follows.is_following(session, helper, thread_id=thread.id)
    assert "Follow this board" in client.get(f"/b/{board.slug}").get_data(as_text=True)
    client.post(f"/b/{board.id}/follow", data={"action": "follow"})
    assert follows.is_following(session, helper, board_id=board.id)
    assert client.post("/b/987654/follow").status_code == 404
    assert client.post("/t/999999/follow").status_code == 404
    assert client.post(f"/t/{thread.id}/follow", data={"action": "follow"}, with_csrf=False).status_code == 400


def test_visitors_are_sent_to_sign_in_to_follow(client, thread):
    page = client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)
    assert "Follow this thread" not in page
    assert client.post(f"/t/{thread.id}/follow").status_code in (302, 400)


@pytest.mark.parametrize("choice", ["daily", "off", "immediate"])
def test_mail_setting_on_the_account_page(client, session, member, choice):
    client.sign_in(member)
    assert "Notification mail" in client.get("/account").get_data(as_text=True)
    assert client.post("/account/notification-mail", data={"email_notifications": choice}).status_code == 302
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == choice


def test_a_bad_mail_setting_is_refused(client, session, member):
    client.sign_in(member)
    response = client.post("/account/notification-mail", data={"email_notifications": "hourly"})
    assert response.status_code == 400 and "Notification mail" in response.get_data(as_text=True)
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == "immediate"


def test_unsubscribe_signed_out(app, client, session, member):
    token = mail_outbox.unsubscribe_token(app.config["SECRET_KEY"], member.id)
    page = client.get("/unsubscribe", query_string={"token": token})
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == "immediate"  # GET changes nothing
    done = client.post("/unsubscribe", data={"token": token})  # the page's button, with its token
    assert done.status_code == 200 and "no more notification mail" in done.get_data(as_text=True)
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == "off"


def test_unsubscribe_needs_the_pages_csrf_token(app, client, session, member):
    token = mail_outbox.unsubscribe_token(app.config["SECRET_KEY"], member.id)
    assert client.post("/unsubscribe", data={"token": token}, with_csrf=False).status_code == 400
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == "immediate"


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_or_tampered_unsubscribe_link_is_refused(app, client, session, member, method):
    good = mail_outbox.unsubscribe_token(app.config["SECRET_KEY"], member.id)
    forged = mail_outbox.unsubscribe_token("not-the-secret", member.id)
    for token in (forged, good[:-3] + "xyz", "garbage", "a" * 3000, good.replace(".", ".."), ""):
        if method == "get":
            response = client.get("/unsubscribe", query_string={"token": token})
        else:
            response = client.post("/unsubscribe", data={"token": token})
        assert response.status_code == 400, token
        assert "not valid" in response.get_data(as_text=True)
    session.commit()
    assert session.get(User, member.id, populate_existing=True).email_notifications == "immediate"
