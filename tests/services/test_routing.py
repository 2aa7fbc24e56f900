"""Unanswered routing (app/services/routing.py) on a fake clock: nothing before a board's invite time;
then the top solvers of that board are invited (not the asker, not the suspended, at most three)
and staff told, once, however often or concurrently the tick runs; after the escalation time the
thread goes to the ticket system once (mail and webhook), unless it was answered meanwhile. Also the
board settings' checks, and `flask support tick`."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app import config, create_app
from app.models import Board, Notification, OutgoingMail, Post, Thread, WebhookDelivery
from app.services import posting, review, routing, solutions, thread_moderation
from app.services.errors import FieldErrors
from tests.concurrency import run_at_once

SITE = routing.Site(url="https://help.example", max_invites=3)


@pytest.fixture
def routed(session, board):
    """The printers board: helpers invited after 4 hours, escalation by mail after 24."""
    board.invite_after_hours, board.escalate_after_hours = 4, 24
    board.escalation_email = "tickets@example.com"
    session.commit()
    return board


@pytest.fixture
def solvers(session, routed, make_user, member):
    """Members with 3, 2, 1 and 1 solutions in the board, a suspended one with 5, the asker with 2,
    and one with 4 solutions in another board only."""
    other_asker = make_user(name="Otto Other")
    laptops = Board(slug="laptops", name="Laptops", description="", position=1)
    session.add(laptops)
    session.commit()

    def solve(helper, times, board_id=routed.id):
        for n in range(times):
            thread = posting.ask(session, other_asker, board_id=board_id, title=f"Question {n} for {helper.display_name}",
                                 body="Something is broken, please help.")
            answer = posting.answer(session, helper, thread_id=thread.id, body="Do this and it works again.")
            solutions.accept(session, other_asker, answer_id=answer.id)

    people = {name: make_user(name=name) for name in ("Top Tina", "Second Sam", "Third Theo", "Fourth Fay",
                                                      "Suspended Sue", "Laptop Lars")}
    for name, times in (("Top Tina", 3), ("Second Sam", 2), ("Third Theo", 1), ("Fourth Fay", 1),
                        ("Suspended Sue", 5)):
        solve(people[name], times)
    solve(member, 2)
    solve(people["Laptop Lars"], 4, board_id=laptops.id)
    people["Suspended Sue"].suspended_until = datetime.now(timezone.utc) + timedelta(days=3)
    session.commit()
    return people


def _kinds(session, kind):
    session.rollback()
    return sorted(session.execute(select(Notification.user_id).where(Notification.kind == kind)).scalars())


def _mail_to(session, address):
    session.rollback()
    return session.scalars(select(OutgoingMail).where(OutgoingMail.to_address == address)).all()


def test_nothing_happens_before_the_invite_time(session, routed, solvers, thread, moderator):
    report = routing.tick(session, SITE, now=thread.created_at + timedelta(hours=4) - timedelta(seconds=1))
    assert report.invited == [] and report.escalated == []
    assert _kinds(session, "invited_to_answer") == [] and _kinds(session, "unanswered") == []
    assert session.get(Thread, thread.id, populate_existing=True).invited_at is None


def test_invites_the_boards_top_solvers_and_tells_staff(session, routed, solvers, thread, member, moderator, admin):
    now = thread.created_at + timedelta(hours=4)
    report = routing.tick(session, SITE, now=now)
    # Tina 3, Sam 2, then Theo and Fay tie at 1 (Theo joined first); Sue is suspended, Anna asked,
    # Lars solved in another board only.
    assert report.invited == [(thread.id, thread.title, ["Top Tina", "Second Sam", "Third Theo"])]
    invited = [solvers[name].id for name in ("Top Tina", "Second Sam", "Third Theo")]
    assert _kinds(session, "invited_to_answer") == sorted(invited)
    assert _kinds(session, "unanswered") == sorted([moderator.id, admin.id])
    assert session.get(Thread, thread.id, populate_existing=True).invited_at == now
    # Helpers who want mail at once get it through the outbox, like every other notification.
    tina = solvers["Top Tina"]
    assert any(thread.title in m.subject for m in _mail_to(session, tina.email))
    assert not report.escalated


def test_staff_are_told_not_invited(session, routed, solvers, thread, moderator):
    solvers["Top Tina"].role = "moderator"
    session.commit()
    report = routing.tick(session, SITE, now=thread.created_at + timedelta(hours=4))
    assert report.invited == [(thread.id, thread.title, ["Second Sam", "Third Theo", "Fourth Fay"])]
    assert _kinds(session, "unanswered") == sorted([moderator.id, solvers["Top Tina"].id])


def test_at_most_max_invites(session, routed, solvers, thread):
    routing.tick(session, routing.Site(url=SITE.url, max_invites=1), now=thread.created_at + timedelta(hours=5))
    assert _kinds(session, "invited_to_answer") == [solvers["Top Tina"].id]


def test_a_second_tick_does_nothing_twice(session, routed, solvers, thread, moderator):
    now = thread.created_at + timedelta(hours=4)
    routing.tick(session, SITE, now=now)
    counts = (len(_kinds(session, "invited_to_answer")), len(_kinds(session, "unanswered")))
    mails = session.scalar(select(func.count(OutgoingMail.id)))
    for later in (now, now + timedelta(hours=1), now + timedelta(hours=10)):
        assert routing.tick(session, SITE, now=later).invited == []
    assert (len(_kinds(session, "invited_to_answer")), len(_kinds(session, "unanswered"))) == counts
    assert session.scalar(select(func.count(OutgoingMail.id))) == mails


def test_two_ticks_at_once_invite_once(app, session, routed, solvers, thread, moderator):
    now = thread.created_at + timedelta(hours=4)
    reports = run_at_once(app, lambda own, _: routing.tick(own, SITE, now=now), range(2))
    assert sum(len(r.invited) for r in reports) == 1
    assert len(_kinds(session, "invited_to_answer")) == 3 and _kinds(session, "unanswered") == [moderator.id]


def test_escalates_once_by_mail_after_its_hours(session, routed, solvers, thread, moderator):
    asked = thread.created_at
    assert routing.tick(session, SITE, now=asked + timedelta(hours=23, minutes=59)).escalated == []
    assert _mail_to(session, "tickets@example.com") == []
    now = asked + timedelta(hours=24)
    report = routing.tick(session, SITE, now=now)
    assert report.escalated == [(thread.id, thread.title, ["tickets@example.com"])]
    assert session.get(Thread, thread.id, populate_existing=True).escalated_at == now
    [mail] = _mail_to(session, "tickets@example.com")
    assert mail.user_id is None and thread.title in mail.subject
    assert "It worked yesterday; now it is offline." in mail.body_text
    assert f"/t/{thread.id}-{thread.slug}" in mail.body_text and "Asker Anna" in mail.body_text
    assert "has had no answer for 24 hours" in mail.body_text
    assert _kinds(session, "escalated") == [moderator.id]
    assert routing.tick(session, SITE, now=now + timedelta(days=3)).escalated == []
    assert len(_mail_to(session, "tickets@example.com")) == 1 and _kinds(session, "escalated") == [moderator.id]


def test_a_late_tick_says_how_long_the_question_really_waited(session, routed, solvers, thread):
    routing.tick(session, SITE, now=thread.created_at + timedelta(hours=30, minutes=59))
    [mail] = _mail_to(session, "tickets@example.com")
    assert "has had no answer for 30 hours" in mail.body_text


def test_a_thread_answered_in_between_is_not_escalated(session, routed, solvers, thread):
    asked = thread.created_at
    assert routing.tick(session, SITE, now=asked + timedelta(hours=4)).invited
    posting.answer(session, solvers["Top Tina"], thread_id=thread.id, body="Reinstall the driver from the site.")
    assert routing.tick(session, SITE, now=asked + timedelta(hours=30)).escalated == []
    assert session.get(Thread, thread.id, populate_existing=True).escalated_at is None
    assert _mail_to(session, "tickets@example.com") == []


def test_a_hidden_answer_leaves_the_question_unanswered(session, routed, thread, helper, moderator):
    answer = posting.answer(session, helper, thread_id=thread.id, body="Buy a new printer, obviously!!!")
    review.hide(session, moderator, post_id=answer.id, reason="off_topic")
    assert routing.tick(session, SITE, now=thread.created_at + timedelta(hours=24)).escalated


@pytest.mark.parametrize("change", ["locked", "archived", "switched_off", "hidden", "solved"])
def test_threads_out_of_routing(session, routed, thread, helper, moderator, change):
    if change == "locked":
        thread_moderation.lock(session, moderator, thread_id=thread.id)
    elif change == "archived":
        routed.is_archived = True
    elif change == "switched_off":
        routed.invite_after_hours = routed.escalate_after_hours = None
    elif change == "hidden":
        question = session.scalar(select(Post).where(Post.thread_id == thread.id, Post.kind == "question"))
        review.hide(session, moderator, post_id=question.id, reason="spam")
    else:
        thread.status = "solved"  # on its own: a solved thread has a visible answer besides
    session.commit()
    report = routing.tick(session, SITE, now=thread.created_at + timedelta(days=2))
    assert report.invited == [] and report.escalated == []


def test_the_webhook_carries_the_thread(session, routed, thread):
    routed.escalation_email, routed.escalation_webhook_url = None, "https://tickets.example/hooks/peerdesk"
    thread.product, thread.os_version = "LaserJet 200", "Windows 11"
    session.commit()
    now = thread.created_at + timedelta(hours=24)
    routing.tick(session, SITE, now=now)
    [delivery] = session.scalars(select(WebhookDelivery)).all()
    assert delivery.url == "https://tickets.example/hooks/peerdesk" and delivery.thread_id == thread.id
    event = json.loads(delivery.payload)
    assert event == {
        "event": "thread.escalated", "thread_id": thread.id, "title": thread.title,
        "url": f"https://help.example/t/{thread.id}-{thread.slug}",
        "board": {"id": routed.id, "slug": "printers", "name": "Printers"}, "author": "Asker Anna",
        "created_at": thread.created_at.isoformat(), "question": "It worked yesterday; now it is offline.",
        "product": "LaserJet 200", "os_version": "Windows 11", "escalated_at": now.isoformat(),
    }
    assert _mail_to(session, "tickets@example.com") == []


def _clean(**typed):
    problems = FieldErrors()
    settings = routing.clean_settings(problems, **typed)
    return settings, problems.errors


def test_settings_are_checked():
    settings, errors = _clean(invite_after_hours=" 4 ", escalate_after_hours="24",
                              escalation_email="Support@Example.com", escalation_webhook_url="http://tickets.example/in")
    assert errors == {}
    assert settings == routing.BoardRouting(4, 24, "support@example.com", "http://tickets.example/in")
    assert _clean() == (routing.BoardRouting(), {})
    _, errors = _clean(invite_after_hours="0", escalate_after_hours="-3", escalation_email="nope",
                       escalation_webhook_url="ftp://tickets.example")
    assert set(errors) == {"invite_after_hours", "escalate_after_hours", "escalation_email", "escalation_webhook_url"}
    _, errors = _clean(invite_after_hours="24", escalate_after_hours="24", escalation_email="a@example.com")
    assert list(errors) == ["escalate_after_hours"]
    _, errors = _clean(escalate_after_hours="24")
    assert list(errors) == ["escalation_email"]  # escalating needs somewhere to go
    _, errors = _clean(escalation_webhook_url="https://user:pw@tickets.example/in")
    assert list(errors) == ["escalation_webhook_url"]


def test_the_cli_tick(app, session, routed, solvers, thread, moderator):
    runner = app.test_cli_runner()
    asked = thread.created_at
    early = runner.invoke(args=["support", "tick", "--now", (asked + timedelta(hours=1)).isoformat()])
    assert early.exit_code == 0, early.output
    assert "0 thread(s) with invitations, 0 escalated" in early.output
    due = runner.invoke(args=["support", "tick", "--now", (asked + timedelta(hours=25)).isoformat()])
    assert due.exit_code == 0, due.output
    assert f"Thread #{thread.id}" in due.output and "invited Top Tina, Second Sam, Third Theo" in due.output
    assert "escalated to tickets@example.com" in due.output
    assert "1 thread(s) with invitations, 1 escalated" in due.output
    again = runner.invoke(args=["support", "tick", "--now", (asked + timedelta(hours=26)).isoformat()])
    assert "0 thread(s) with invitations, 0 escalated" in again.output
    assert runner.invoke(args=["support", "tick", "--now", "yesterday"]).exit_code == 2
    assert runner.invoke(args=["support", "tick", "--now", asked.isoformat(), "--loop", "60"]).exit_code == 2


def test_the_cli_tick_keeps_webhooks_without_a_secret(app, database_url, tmp_path, session, routed, thread):
    routed.escalation_webhook_url = "https://tickets.example/hooks/peerdesk"
    session.commit()
    unsigned = create_app({**config.for_tests(database_url, tmp_path), "ESCALATION_WEBHOOK_SECRET": ""})
    result = unsigned.test_cli_runner().invoke(
        args=["support", "tick", "--now", (thread.created_at + timedelta(hours=24)).isoformat()])
    unsigned.extensions["db_engine"].dispose()
    assert result.exit_code == 1 and "ESCALATION_WEBHOOK_SECRET is not set: 1 webhook(s) wait unsent" in result.output
    session.rollback()
    assert session.scalar(select(WebhookDelivery.sent_at)) is None
