"""The JSON API under /api/v1: a blueprint with token authentication (auth.py), problem-detail
errors (errors.py), one module of views per resource, and its OpenAPI document (openapi.py)."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, RequestRedirect

from app.api import errors
from app.api.auth import api_user

PREFIX = "/api/v1"
MAX_ROW_ID = 2**31 - 1
bp = Blueprint("api", __name__, url_prefix=PREFIX)
errors.register(bp)


@bp.before_request
def check_token() -> None:
    """Every request's token is checked first: a wrong one is a 401 even where none is needed."""
    api_user()


from app.api import boards, posts, search, threads  # noqa: E402,F401 - the views register themselves


@bp.get("/openapi.json")
def openapi_document():
    from app.api.openapi import document

    return jsonify(document())


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@bp.route("", methods=[*_METHODS, "HEAD", "OPTIONS"])
@bp.route("/<path:rest>", methods=[*_METHODS, "HEAD", "OPTIONS"])
def no_such_address(rest: str = ""):
    """Every other address under /api/v1 lands here rather than on the site's HTML error page:
    a 405 naming the allowed methods when the address exists for other methods, else a 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = set()
    for method in _METHODS:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except (NotFound, MethodNotAllowed, RequestRedirect):
            continue
        if endpoint != "api.no_such_address":
            allowed.add(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=sorted(allowed | ({"HEAD"} if "GET" in allowed else set())))
    raise NotFound("There is nothing at this address of the API; see /api/v1/openapi.json.")


class RowIdConverter(BaseConverter):
    """A row id in an API address. The site's `int` refuses ids beyond an INTEGER column with a
    routing error that no blueprint sees (an HTML 404); here such an id becomes 0, which names no
    row, so the view answers its own 404 problem detail."""

    regex = r"[0-9]{1,20}"
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        return number if number <= MAX_ROW_ID else 0

    def to_url(self, value: int) -> str:
        return str(int(value))


def init_app(app: Flask) -> None:
    """Register the API. CSRF protection is off for it because it never reads the session
    cookie: only a bearer token, which no other site can make a browser send, authorises."""
    from app.extensions import csrf

    csrf.exempt(bp)
    app.url_map.converters["row_id"] = RowIdConverter
    app.register_blueprint(bp)
