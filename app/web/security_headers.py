"""Security headers on every response: a Content-Security-Policy without inline scripts or styles,
no framing, no MIME sniffing, and a referrer that never carries a page's address to other sites."""
from __future__ import annotations

from flask import Flask, Response

# Every script and stylesheet is a file under /static, so nothing inline is allowed: an injected
# <script> or on…= attribute would not run even if it got past bleach. The JSON-LD block on
# thread pages is data (type="application/ld+json"), which browsers neither run nor check here.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # Members' posts may show images from any https address (services/rendering.py allows only https).
    "img-src 'self' https:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Other sites learn that a visitor came from Peerdesk, not from which thread or search.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # frame-ancestors for browsers too old to know it.
    "X-Frame-Options": "DENY",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
