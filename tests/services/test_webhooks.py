"""Escalation webhooks (app/services/webhooks.py) against a local receiver that checks the signature
the way docs/decisions.md tells receivers to: a delivery refused once (500) is retried after its
back-off and received exactly once; a wrong secret, a redirect or a closed port is no delivery."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app.models import WebhookDelivery
from app.services import outbox_rows, routing, webhooks
from tests.concurrency import run_at_once

SECRET = "test-only-webhook-secret"
SITE = routing.Site(url="https://help.example")


class Receiver(ThreadingHTTPServer):
    """Answers each POST with the next of `answers` (then 200), after checking its signature; keeps
    what it accepted (2xx with a good signature) and every request it saw."""

    def __init__(self, answers: list[int], secret: str = SECRET) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers, self.secret = list(answers), secret
        self.seen: list[dict] = []
        self.accepted: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/peerdesk"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's name
        server: Receiver = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        timestamp, delivery = self.headers["X-Peerdesk-Timestamp"], self.headers["X-Peerdesk-Delivery"]
        expected = "sha256=" + hmac.new(server.secret.encode(), f"{timestamp}.{delivery}.".encode() + body,
                                        hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, self.headers.get("X-Peerdesk-Signature", ""))
        request = {"delivery": delivery, "timestamp": timestamp, "body": body, "valid": valid}
        server.seen.append(request)
        status = (server.answers.pop(0) if server.answers else 200) if valid else 401
        if 200 <= status < 300:
            server.accepted.append(request)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def receiver():
    servers = []

    def start(answers=(), secret=SECRET) -> Receiver:
        server = Receiver(list(answers), secret)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def escalated(session, board, thread):
    """Escalate `thread` to `url` through the tick; returns the moment it happened."""
    def escalate(url):
        board.escalate_after_hours, board.escalation_webhook_url = 24, url
        session.commit()
        now = thread.created_at + timedelta(hours=24)
        assert routing.tick(session, SITE, now=now).escalated
        return now
    return escalate


def _delivery(session) -> WebhookDelivery:
    session.rollback()
    return session.scalars(select(WebhookDelivery)).one()


def test_a_refused_delivery_is_retried_and_received_once(session, thread, receiver, escalated):
    hook = receiver(answers=[500])
    now = escalated(hook.url)

    first = webhooks.deliver_due(session, SECRET, now=now)
    assert (first.sent, first.failed) == (0, 1)
    assert [r["valid"] for r in hook.seen] == [True] and hook.accepted == []
    row = _delivery(session)
    assert row.sent_at is None and row.attempts == 1 and "500" in row.last_error
    assert row.next_attempt_at == now + outbox_rows.FIRST_RETRY

    assert webhooks.deliver_due(session, SECRET, now=now + timedelta(seconds=30)).sent == 0  # backing off
    later = now + outbox_rows.FIRST_RETRY
    assert webhooks.deliver_due(session, SECRET, now=later).sent == 1
    assert webhooks.deliver_due(session, SECRET, now=later + timedelta(hours=1)).sent == 0
    assert len(hook.seen) == 2 and len(hook.accepted) == 1
    row = _delivery(session)
    assert row.sent_at is not None and row.attempts == 2 and row.last_error is None

    # The same delivery id and body both times, each attempt signed with its own timestamp.
    refused, accepted = hook.seen
    assert refused["delivery"] == accepted["delivery"] == str(row.id) and refused["body"] == accepted["body"]
    assert int(accepted["timestamp"]) == int(later.timestamp())
    event = json.loads(accepted["body"])
    assert event["event"] == "thread.escalated" and event["thread_id"] == thread.id
    assert event["url"] == f"https://help.example/t/{thread.id}-{thread.slug}"


@pytest.mark.parametrize("trouble", ["wrong_secret", "redirect", "closed_port"])
def test_no_delivery_without_a_2xx(session, receiver, escalated, trouble):
    if trouble == "closed_port":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{s.getsockname()[1]}/hooks"
        hook = None
    else:
        hook = receiver(answers=[302] if trouble == "redirect" else [],
                        secret="another-secret-entirely" if trouble == "wrong_secret" else SECRET)
        url = hook.url
    now = escalated(url)
    result = webhooks.deliver_due(session, SECRET, now=now)
    assert (result.sent, result.failed) == (0, 1)
    row = _delivery(session)
    assert row.sent_at is None and row.last_error and row.next_attempt_at > now
    if hook is not None:
        assert len(hook.seen) == 1 and hook.accepted == []


def test_nothing_is_sent_unsigned(session):
    with pytest.raises(ValueError):
        webhooks.deliver_due(session, "")


def test_two_workers_send_a_delivery_once(app, session, receiver, escalated):
    hook = receiver()
    now = escalated(hook.url)
    results = run_at_once(app, lambda own, _: webhooks.deliver_due(own, SECRET, now=now), range(2))
    assert sum(r.sent for r in results) == 1 and len(hook.accepted) == 1 and len(hook.seen) == 1
