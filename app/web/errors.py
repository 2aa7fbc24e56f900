"""Error pages in the site's style, and the one mapping from service errors to HTTP answers."""
from __future__ import annotations

import logging
import math
import time
from datetime import datetime, timezone

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import limiter
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from app.web.form_errors import error_text
from app.web.forms import HONEYPOT_FIELD

log = logging.getLogger(__name__)

TITLES = {
    400: _l("That request could not be understood"),
    403: _l("You cannot do that"),
    404: _l("Page not found"),
    405: _l("That is not allowed here"),
    409: _l("Changed in the meantime"),
    413: _l("That is too large"),
    429: _l("Slow down a little"),
    500: _l("Something went wrong on our side"),
}
# How each service error reaches the visitor (the views do not catch these themselves).
SERVICE_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidInput: 400}
_SECRET_FIELDS = {"password", "csrf_token"}
# Fields of button-only forms (kudos, "me too"): nothing a person typed, so not shown back.
_BUTTON_FIELDS = {"action"}
# Routes that only ever answer JSON answer their errors in JSON too, whatever the Accept header.
JSON_ENDPOINTS = {"search.similar"}
# What people type into the site's forms: on the 429 page these come back as editable boxes in a
# form that sends them again; the form's other fields (a board id, the revision an edit started
# from) go back unchanged as hidden fields.
TYPED_LABELS = {"title": _l("Title"), "body": _l("Text"), "tags": _l("Tags"), "reason": _l("Reason"),
                "note": _l("Note"), "email": _l("E-mail address"), "display_name": _l("Display name")}
_MULTILINE = {"body", "note"}
_NOT_SENT_AGAIN = _SECRET_FIELDS | {"preview", HONEYPOT_FIELD}


def wants_json() -> bool:
    """Whether the request asked for JSON (the site's own fetch() calls do) rather than a page."""
    if request.endpoint in JSON_ENDPOINTS:
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _typed_text() -> dict[str, str]:
    """Text fields of a failed POST, shown back so nothing typed is lost (never passwords)."""
    if request.method != "POST":
        return {}
    try:
        form = request.form
    except Exception:  # noqa: BLE001 - a malformed body must not break the error page itself
        return {}
    return {k: v for k, v in form.items()
            if k not in _SECRET_FIELDS and k not in _BUTTON_FIELDS and "password" not in k and v.strip()}


def _form_to_send_again() -> dict | None:
    """A refused POST form, to be offered again once the wait is over (the 429 page): its typed
    fields as editable boxes, its other fields hidden. None when nothing was typed, or when the form
    held a password: a password is never sent back to the browser, so that form is typed anew."""
    if request.method != "POST":
        return None
    try:
        items = list(request.form.items(multi=True))
    except Exception:  # noqa: BLE001 - a malformed body must not break the error page itself
        return None
    if any("password" in name for name, _ in items):
        return None
    typed = [{"name": name, "label": TYPED_LABELS[name], "value": value, "multiline": name in _MULTILINE}
             for name, value in items if name in TYPED_LABELS]
    if not any(field["value"].strip() for field in typed):
        return None
    return {"action": request.full_path if request.query_string else request.path, "typed": typed,
            "hidden": [(name, value) for name, value in items
                       if name not in TYPED_LABELS and name not in _NOT_SENT_AGAIN]}


def render_error(code: int, message: str = "", *, send_again: bool = False):
    """The error as a page in the site's style, or as {"error": message} for a JSON request.

    A view may set `g.error_back_url` to offer a way back to where the visitor came from.
    `send_again` offers the refused form again (for a 429, where waiting is all it takes).
    """
    if wants_json():
        return jsonify(error=str(message or TITLES.get(code, _l("Error")))), code
    resend = _form_to_send_again() if send_again else None
    body = render_template(
        "errors/error.html", code=code, title=TITLES.get(code, _l("Error")), message=message,
        typed={} if resend else _typed_text(), resend=resend, back_url=g.get("error_back_url"),
    )
    return body, code


def retry_after_seconds() -> int:
    """Seconds until the limit that refused this request lets it through again (at least 1)."""
    try:
        resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    except Exception:  # noqa: BLE001 - the storage may be the reason; then suggest a minute
        log.warning("Could not read when the rate limit resets", exc_info=True)
        resets = []
    # Rounded as Flask-Limiter rounds its Retry-After header (reset_at is a second late already).
    return max(1, int(max(resets) - time.time())) if resets else 60


def wait_in_words(seconds: int) -> str:
    """"90 seconds", "5 minutes", "3 hours", "2 days": rounded up, so trying again then works."""
    units = ((1, 120, lambda n: ngettext("%(num)s second", "%(num)s seconds", n)),
             (60, 7200, lambda n: ngettext("%(num)s minute", "%(num)s minutes", n)),
             (3600, 172800, lambda n: ngettext("%(num)s hour", "%(num)s hours", n)),
             (86400, None, lambda n: ngettext("%(num)s day", "%(num)s days", n)))
    for size, below, words in units:
        if below is None or seconds < below:
            return words(math.ceil(seconds / size))


def too_many_requests(error: HTTPException):
    """429: when to try again in words, in Retry-After, and in JSON; a refused form is kept."""
    seconds = retry_after_seconds()
    at = datetime.fromtimestamp(time.time() + seconds, timezone.utc).strftime("%H:%M UTC")
    wait = wait_in_words(seconds)
    if isinstance(error, RateLimitExceeded):
        message = _("You have done this too often in a short time (the limit is %(limit)s). "
                    "Please try again in %(wait)s (at %(at)s).", limit=error.description, wait=wait, at=at)
    else:
        message = _("You have done this too often in a short time. Please try again in %(wait)s (at %(at)s).",
                    wait=wait, at=at)
    headers = [("Retry-After", str(seconds))]
    if wants_json():
        return jsonify(error=message, retry_after=seconds), 429, headers
    body, code = render_error(429, message, send_again=True)
    return body, code, headers


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "This form was sent without a valid security token, usually because the page was open "
                 "for a long time or cookies are blocked. Please reload the page and send it again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 429:
            return too_many_requests(error)
        if error.code is None or error.code < 400:
            return error
        body, code = render_error(error.code, error.description if error.code not in (404, 405, 500) else "")
        # Keep the exception's own headers (Allow on a 405, as HTTP requires), but not its content type.
        return body, code, [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]

    def service_error(error: ServiceError):
        return render_error(SERVICE_STATUS[type(error)], error_text(error))

    for error_class in SERVICE_STATUS:
        app.register_error_handler(error_class, service_error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
