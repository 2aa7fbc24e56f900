"""Error pages in the site's style, and the one mapping from service errors to HTTP answers."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError

log = logging.getLogger(__name__)

TITLES = {
    400: "That request could not be understood",
    403: "You cannot do that",
    404: "Page not found",
    405: "That is not allowed here",
    409: "Changed in the meantime",
    413: "That is too large",
    429: "Slow down a little",
    500: "Something went wrong on our side",
}
# How each service error reaches the visitor (the views do not catch these themselves).
SERVICE_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidInput: 400}
_SECRET_FIELDS = {"password", "csrf_token"}
# Fields of button-only forms (kudos, "me too"): nothing a person typed, so not shown back.
_BUTTON_FIELDS = {"action"}


def wants_json() -> bool:
    """Whether the request asked for JSON (the site's own fetch() calls do) rather than a page."""
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


def render_error(code: int, message: str = ""):
    """The error as a page in the site's style, or as {"error": message} for a JSON request.

    A view may set `g.error_back_url` to offer a way back to where the visitor came from.
    """
    if wants_json():
        return jsonify(error=message or TITLES.get(code, "Error")), code
    body = render_template(
        "errors/error.html", code=code, title=TITLES.get(code, "Error"), message=message, typed=_typed_text(),
        back_url=g.get("error_back_url"),
    )
    return body, code


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
            body, code = render_error(429, f"You have done this too often in a short time (the limit is "
                                           f"{error.description}). Please wait a little and try again.")
        elif error.code is None or error.code < 400:
            return error
        else:
            body, code = render_error(error.code, error.description if error.code not in (404, 405, 500) else "")
        # Keep the exception's own headers (Allow on a 405, as HTTP requires), but not its content type.
        return body, code, [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]

    def service_error(error: ServiceError):
        return render_error(SERVICE_STATUS[type(error)], error.message)

    for error_class in SERVICE_STATUS:
        app.register_error_handler(error_class, service_error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
