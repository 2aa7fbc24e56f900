"""Reading what an API request sends: query parameters and the JSON body, each problem a 400."""
from __future__ import annotations

from flask import json, request

from app.api.errors import ApiProblem, bad_input
from app.services.pagination import MAX_PAGE


def page_arg() -> int:
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise bad_input("page", f"The page is a whole number from 1 to {MAX_PAGE}.")
    return int(raw)


def choice_arg(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in choices:
        raise bad_input(name, f"'{name}' is one of: {', '.join(choices)}.")
    return value


def flag_arg(name: str) -> bool:
    value = request.args.get(name, "false")
    if value not in ("true", "false"):
        raise bad_input(name, f"'{name}' is true or false.")
    return value == "true"


def json_body() -> dict:
    """The request's JSON object. Anything else (no body, broken JSON, a list) is a 400."""
    try:
        data = json.loads(request.get_data(cache=True) or b"")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, "The body is not valid JSON; send a JSON object "
                              "with the header 'Content-Type: application/json'.") from None
    if not isinstance(data, dict):
        raise ApiProblem(400, "The body must be a JSON object.")
    return data


def text_field(data: dict, name: str, *, required: bool = True) -> str:
    """A string member of the body ("" when optional and missing); a wrong type is a 400."""
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        problem = f"'{name}' is required." if value is None else f"'{name}' must be a string."
        raise ApiProblem(400, problem, errors={name: [problem]})
    return value
