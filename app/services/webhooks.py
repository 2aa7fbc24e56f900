"""Escalation webhooks: signed JSON POSTs to a company's ticket system, queued in webhook_outbox
in the transaction that escalated the thread and sent by `flask support tick` (services/outbox_rows.py
claims each row, retries it with back-off, and marks it sent once the receiver answers 2xx).

Signing (docs/decisions.md has it for receivers): each attempt carries
  X-Peerdesk-Delivery: the row's id (the same on every retry, so a receiver can drop repeats),
  X-Peerdesk-Timestamp: the attempt's time, in seconds since 1970 (a receiver refuses old ones),
  X-Peerdesk-Signature: sha256=<hex HMAC-SHA256, keyed with ESCALATION_WEBHOOK_SECRET, of
                        "<timestamp>.<delivery>." followed by the exact body bytes>.
The body is stored as sent, so every retry sends the same bytes.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import WebhookDelivery
from app.services.outbox_rows import Delivery, deliver_due as deliver_rows

TIMEOUT_SECONDS = 10
USER_AGENT = "Peerdesk-Webhook/1"


class WebhookNotSent(Exception):
    """The receiver could not be reached or did not answer 2xx; the delivery is retried later."""


@dataclass(frozen=True)
class Request:
    """One attempt: where to, the exact body, and its headers (with the signature)."""

    url: str
    body: bytes
    headers: dict[str, str]


def queue(session: Session, *, thread_id: int | None, url: str, event: dict, now: datetime) -> WebhookDelivery:
    """Add a delivery of `event` as JSON (caller's transaction)."""
    payload = json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    delivery = WebhookDelivery(thread_id=thread_id, url=url, payload=payload, created_at=now, next_attempt_at=now)
    session.add(delivery)
    return delivery


def signature(secret: str, *, delivery_id: int, timestamp: int, body: bytes) -> str:
    """The X-Peerdesk-Signature value of one attempt."""
    message = f"{timestamp}.{delivery_id}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_request(delivery: WebhookDelivery, secret: str, now: datetime) -> Request:
    body, timestamp = delivery.payload.encode(), int(now.timestamp())
    return Request(url=delivery.url, body=body, headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Peerdesk-Delivery": str(delivery.id),
        "X-Peerdesk-Timestamp": str(timestamp),
        "X-Peerdesk-Signature": signature(secret, delivery_id=delivery.id, timestamp=timestamp, body=body),
    })


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is no delivery: following it would turn the POST into a GET without the body."""

    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(request: Request) -> None:
    """POST one attempt; WebhookNotSent unless the receiver answers 2xx within the timeout."""
    http_request = urllib.request.Request(request.url, data=request.body, headers=request.headers, method="POST")
    try:
        # urllib raises HTTPError for every answer outside 2xx (redirects included, as they are not followed).
        with _opener.open(http_request, timeout=TIMEOUT_SECONDS):
            pass
    except urllib.error.HTTPError as exc:
        exc.close()
        raise WebhookNotSent(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:  # refused, timed out, bad address
        raise WebhookNotSent(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from None


def deliver_due(session: Session, secret: str, *, now: datetime | None = None, limit: int = 100,
                send=post) -> Delivery:
    """Send the deliveries that are due, each signed with `secret` at the moment of its attempt."""
    if not secret:
        raise ValueError("ESCALATION_WEBHOOK_SECRET is not set: webhooks are not sent unsigned")
    now = now or datetime.now(timezone.utc)
    return deliver_rows(session, WebhookDelivery, now=now, limit=limit,
                        prepare=lambda _session, delivery: signed_request(delivery, secret, now),
                        send=send, failure=WebhookNotSent)


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count(WebhookDelivery.id)).where(WebhookDelivery.sent_at.is_(None))) or 0
