"""Flask commands: demo content (idempotent) and creating an administrator."""
from __future__ import annotations

from sqlalchemy import func, select

from app.demo import loader
from app.demo.content import BOARDS, MEMBERS, THREADS
from app.models import AskSession, Board, Notification, OutgoingMail, Post, SolutionFeedback, Thread, User


def _counts(session):
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Board, User, Thread, Post, AskSession, SolutionFeedback))


def test_demo_content_is_big_and_realistic_enough():
    assert len(BOARDS) >= 5 and len(THREADS) >= 60
    assert sum(1 for t in THREADS if not t["answers"]) >= 5
    assert sum(1 for t in THREADS if any(a.get("accepted") for a in t["answers"])) >= 10
    assert any(m["role"] == "moderator" for m in MEMBERS)


def test_demo_load_is_idempotent(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load", "--if-empty"])
    assert first.exit_code == 0, first.output
    counts = _counts(session)
    assert counts[0] == len(BOARDS) and counts[2] == len(THREADS)
    assert "already" in runner.invoke(args=["demo", "load", "--if-empty"]).output
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and f"({len(THREADS)} already there)" in again.output
    session.expire_all()
    assert _counts(session) == counts
    solved = session.scalar(select(func.count()).select_from(Thread).where(Thread.status == "solved"))
    unanswered = session.scalar(select(func.count()).select_from(Thread).where(Thread.answer_count == 0))
    assert solved >= 10 and unanswered >= 5


def test_demo_history_rings_the_bell_but_sends_no_mail(app, session):
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0

    assert session.scalar(select(func.count()).select_from(OutgoingMail)) == 0
    notes = session.execute(select(Notification.created_at, Post.created_at, Notification.mail_state)
                            .join(Post, Post.id == Notification.post_id)).all()
    assert len(notes) > 50
    assert [n for n in notes if n[0] != n[1] or n[2] == "pending"][:3] == []


def test_the_demo_routes_its_old_unanswered_questions(app, session):
    # make run ticks beside the server: the demo shows invitations and escalations at once.
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    first = runner.invoke(args=["support", "tick"])
    assert first.exit_code == 0, first.output
    assert "invited" in first.output and "escalated to support-tickets@example.com" in first.output
    assert "Sam (Peerdesk Staff)" not in first.output  # staff are told, not invited
    assert "0 thread(s) with invitations, 0 escalated" in runner.invoke(args=["support", "tick"]).output
    tickets = select(func.count()).select_from(OutgoingMail).where(
        OutgoingMail.to_address == "support-tickets@example.com")
    assert session.scalar(tickets) >= 1


def test_the_demo_has_a_deflection_history(app, session):
    from datetime import datetime, timedelta, timezone

    from app.services import dashboard, deflection

    app.test_cli_runner().invoke(args=["demo", "load"])
    span = dashboard.period(30, datetime.now(timezone.utc))
    funnel = deflection.funnel(session, None, span, timedelta(minutes=30))
    assert funnel.posted >= 10 and funnel.abandoned >= 10
    assert 0 < funnel.deflected < funnel.opened < funnel.shown <= funnel.ended
    helpfulness = deflection.helpfulness(session, None, span)
    assert len(helpfulness) >= 10 and any(row.no for row in helpfulness)
    # Posted sessions name the demo thread they became, in its board.
    posted = session.execute(select(AskSession.board_id, Thread.board_id)
                             .join(Thread, Thread.id == AskSession.posted_thread_id)).all()
    assert posted and all(mine == theirs for mine, theirs in posted)


def test_demo_accounts_are_printed_and_can_sign_in(app, session, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    output = runner.invoke(args=["demo", "accounts"]).output
    assert loader.DEMO_PASSWORD in output and "moderator" in output
    sam = next(m for m in MEMBERS if m["role"] == "moderator")
    response = client.post("/login", data={"email": sam["email"], "password": loader.DEMO_PASSWORD})
    assert response.status_code == 302


def test_create_admin(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "--email", "boss@example.com",
                                 "--display-name", "Boss", "--password", "Correct-Horse-Battery-9"])
    assert result.exit_code == 0, result.output
    assert session.scalar(select(User.role).where(User.email == "boss@example.com")) == "admin"
    bad = runner.invoke(args=["users", "create-admin", "--email", "x", "--display-name", "B",
                              "--password", "short"])
    assert bad.exit_code == 1 and "password" in bad.output
