"""Every error under /api/v1 as an RFC 9457 problem detail (application/problem+json).

The handlers are the API blueprint's, so they win over the site's HTML error pages for every
request the blueprint answers; app/api/views.py routes every other /api/v1 address to this
blueprint too (404 or 405), so no API client ever gets an HTML page.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, json, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceError
from app.web.errors import retry_after_seconds, wait_in_words

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
SERVICE_STATUS = {NotFound: 404, Forbidden: 403, Conflict: 409, InvalidInput: 422}


class ApiProblem(Exception):
    """An error a view raises to answer with a problem detail (e.g. bad JSON, a bad parameter)."""

    def __init__(self, status: int, detail: str, *, errors: dict[str, list[str]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers or {}


def problem(status: int, detail: str = "", *, errors: dict[str, list[str]] | None = None,
            headers: dict[str, str] | None = None, **extra) -> Response:
    """A problem detail: `type` about:blank, so `title` is the status's own phrase (RFC 9457 4.2.1)."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail or HTTP_STATUS_CODES.get(status, "Error"), "instance": request.path}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def bad_input(field: str, message: str) -> ApiProblem:
    return ApiProblem(400, message, errors={field: [message]})


def register(bp: Blueprint) -> None:
    @bp.errorhandler(ApiProblem)
    def api_problem(error: ApiProblem):
        return problem(error.status, error.detail, errors=error.errors, headers=error.headers)

    @bp.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        status = SERVICE_STATUS.get(type(error), 400)
        if isinstance(error, InvalidInput):
            return problem(status, error.message or "The input breaks a rule.", errors=error.errors)
        return problem(status, error.message)

    @bp.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status == 429:
            seconds = retry_after_seconds()
            return problem(429, f"Too many requests (the limit is {error.description}). Please try again in "
                                f"{wait_in_words(seconds)}.", headers={"Retry-After": str(seconds)},
                           retry_after=seconds)
        # Keep the exception's own headers (Allow on a 405, WWW-Authenticate on a 401).
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        detail = HTTP_STATUS_CODES.get(status, "Error") if status >= 500 else error.description
        return problem(status, detail, headers=headers)

    @bp.errorhandler(Exception)
    def unexpected(error: Exception):
        # Logged in full here; the client learns nothing of the code (no traceback, no message).
        log.exception("Unhandled API error on %s %s", request.method, request.path)
        return problem(500, "Something went wrong on our side. Please try again later.")
