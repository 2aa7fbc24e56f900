"""The OpenAPI 3.1 document of /api/v1, kept as a Python dict beside the views it describes.

tests/api/test_openapi_schemathesis.py runs schemathesis against the app with this document, so
a response that differs from it (a field, a status, a content type) fails `make test`.
"""
from __future__ import annotations

from app.search.backend import QUERY_MAX, SORTS
from app.services import api_tokens, listings, search
from app.services.pagination import MAX_PAGE

PROBLEM = "application/problem+json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _object(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [name for name in properties if name not in optional]}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
TIME = {"type": "string", "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}

PAGE_FIELDS = {"page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
               "total": COUNT, "pages": {"type": "integer", "minimum": 1},
               "next": _nullable(URI), "prev": _nullable(URI)}

THREAD_FIELDS = {
    "id": INTEGER, "title": STRING, "board": {"type": "string", "description": "The board's slug."},
    "author": _ref("User"), "status": {"type": "string", "enum": ["open", "solved"]}, "is_locked": BOOLEAN,
    "has_official_answer": BOOLEAN, "tags": {"type": "array", "items": STRING}, "answer_count": COUNT,
    "kudos_count": INTEGER, "me_too_count": COUNT, "view_count": COUNT, "created_at": TIME,
    "last_activity_at": TIME, "url": URI, "html_url": URI,
    "product": {**_nullable(STRING), "description": "The product asked about, in a board with a product field."},
    "os_version": {**_nullable(STRING), "description": "The operating system or version the asker gave."}}

SCHEMAS = {
    "Problem": {
        "type": "object", "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {"type": STRING, "title": STRING, "status": {"type": "integer", "minimum": 400, "maximum": 599},
                       "detail": STRING, "instance": STRING,
                       "errors": {"type": "object", "description": "Messages per field of the request.",
                                  "additionalProperties": {"type": "array", "items": STRING}},
                       "retry_after": {"type": "integer", "minimum": 1}},
    },
    "Rank": _object({"name": STRING, "level": COUNT}),
    "User": _object({"id": INTEGER, "display_name": STRING, "reputation": INTEGER, "rank": _ref("Rank"),
                     "is_staff": BOOLEAN, "html_url": URI}),
    "Board": _object({"slug": STRING, "name": STRING, "description": STRING, "is_archived": BOOLEAN,
                      "product_label": {**_nullable(STRING), "description": "What the board's questions name "
                                        "as their product (e.g. Printer model); null: no product field."},
                      "url": URI, "html_url": URI, "thread_count": COUNT, "solved_count": COUNT,
                      "last_activity_at": _nullable(TIME)},
                     optional=("thread_count", "solved_count", "last_activity_at")),
    "BoardList": _object({"items": {"type": "array", "items": _ref("Board")}}),
    "ThreadSummary": _object(THREAD_FIELDS),
    "ThreadPage": _object({"items": {"type": "array", "items": _ref("ThreadSummary")}, **PAGE_FIELDS}),
    "BoardThreads": _object({"board": _ref("Board"), "threads": _ref("ThreadPage")}),
    "Comment": _object({
        "id": INTEGER, "kind": {"const": "comment"}, "thread_id": INTEGER, "parent_id": INTEGER,
        "author": _ref("User"), "body": STRING, "body_html": STRING, "created_at": TIME,
        "edited_at": _nullable(TIME), "kudos_count": INTEGER, "posted_as_staff": BOOLEAN,
        "is_hidden": BOOLEAN, "html_url": URI}),
    "Post": _object({
        "id": INTEGER, "kind": {"type": "string", "enum": ["question", "answer", "comment"]},
        "thread_id": INTEGER, "parent_id": _nullable(INTEGER), "author": _ref("User"),
        "body": {"type": "string", "description": "The Markdown source."},
        "body_html": {"type": "string", "description": "Sanitised HTML rendered from the source."},
        "created_at": TIME, "edited_at": _nullable(TIME), "kudos_count": INTEGER, "posted_as_staff": BOOLEAN,
        "is_hidden": {"type": "boolean", "description": "Hidden by moderation: only its author and staff see it."},
        "html_url": URI, "is_accepted": BOOLEAN, "is_official": BOOLEAN,
        "comments": {"type": "array", "items": _ref("Comment")}},
        optional=("is_accepted", "is_official", "comments")),
    "AnswerPage": _object({"items": {"type": "array", "items": _ref("Post")}, **PAGE_FIELDS}),
    "ThreadDetail": _object({
        **THREAD_FIELDS, "question": _ref("Post"), "accepted_answer": _nullable(_ref("Post")),
        "official_answer": _nullable(_ref("Post")), "official_by": _nullable(_ref("User")),
        "answers": {**_ref("AnswerPage"), "description": "The other answers, most kudos first, a page at a time."}}),
    "SearchHit": _object({**THREAD_FIELDS, "snippet_html": {
        "type": "string", "description": "Safe HTML: the matching words in <mark>."}}),
    "SearchResults": _object({"query": STRING, "suggestion": _nullable(STRING), "total_is_lower_bound": BOOLEAN,
                              "items": {"type": "array", "items": _ref("SearchHit")}, **PAGE_FIELDS}),
    "Kudos": _object({"post_id": INTEGER, "kudos_count": INTEGER, "given": BOOLEAN}),
    "AskRequest": {"type": "object", "required": ["board", "title", "body"],
                   "properties": {"board": {"type": "string", "description": "The board's slug."},
                                  "title": STRING, "body": {"type": "string", "description": "Markdown."},
                                  "tags": {"type": "array", "items": STRING},
                                  "product": {"type": "string", "description": "Optional; counts only in a board "
                                              "with a product field (its `product_label`)."},
                                  "os_version": {"type": "string", "description": "Optional, e.g. Windows 11."}}},
    "ReplyRequest": {"type": "object", "required": ["body"],
                     "properties": {"body": {"type": "string", "description": "Markdown."}}},
}


def _problem(description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {PROBLEM: {"schema": _ref("Problem")}}}
    if headers:
        answer["headers"] = headers
    return answer


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}}
LOCATION = {"Location": {"description": "The new resource.", "schema": URI}}
ERRORS = {
    "400": _problem("A parameter or the JSON body is not what this operation takes; `errors` names the field."),
    "401": _problem("The token is missing (writes), unknown or revoked."),
    "429": _problem("Too many requests; wait the seconds in Retry-After.", RETRY_AFTER),
    "default": _problem("Any other error (404, 405, 500 …), as problem details."),
}
WRITE_ERRORS = {
    **ERRORS,
    "403": _problem("The member may not do this (suspended, a locked thread, their own post …)."),
    "404": _problem("No such thread or post, or not one the member may see."),
    "422": _problem("The input breaks a rule (length, links, board …); `errors` has messages per field."),
}


def _json(schema_name: str, description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}
    if headers:
        answer["headers"] = headers
    return answer


def _query(name: str, schema: dict, description: str, *, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _path_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}


PAGE = _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number, from 1.")
READ_SECURITY = [{}, {"bearer": []}]  # anonymous, or a member (staff see hidden posts)
WRITE_SECURITY = [{"bearer": []}]


def _body(schema_name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema_name)}}}


PATHS = {
    "/boards": {"get": {
        "operationId": "listBoards", "summary": "Every board with its thread counts.", "security": READ_SECURITY,
        "responses": {"200": _json("BoardList", "The boards in their order."), **ERRORS}}},
    "/boards/{slug}": {"get": {
        "operationId": "getBoard", "summary": "A board and one page of its threads.", "security": READ_SECURITY,
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": STRING},
                       _query("filter", {"type": "string", "enum": list(listings.THREAD_FILTERS)}, "Which threads."),
                       _query("sort", {"type": "string", "enum": list(listings.THREAD_SORTS)}, "Their order."), PAGE],
        "responses": {"200": _json("BoardThreads", "The board and a page of threads."),
                      "404": _problem("No such board."), **ERRORS}}},
    "/threads": {"post": {
        "operationId": "ask", "summary": "Ask a question (opens a thread).", "security": WRITE_SECURITY,
        "requestBody": _body("AskRequest"),
        "responses": {"201": _json("ThreadDetail", "The new thread.", LOCATION), **WRITE_ERRORS}}},
    "/threads/{thread_id}": {"get": {
        "operationId": "getThread", "security": READ_SECURITY,
        "summary": "A thread: the question, the official and accepted answers, a page of the other answers, "
                   "and comments. Hidden posts appear only for their author and for staff.",
        "parameters": [_path_id("thread_id"), PAGE],
        "responses": {"200": _json("ThreadDetail", "The thread."),
                      "308": {"description": "The thread was merged; Location is the thread it went into.",
                              "headers": LOCATION},
                      "404": _problem("No such thread, or not one the caller may see."), **ERRORS}}},
    "/threads/{thread_id}/answers": {"post": {
        "operationId": "answer", "summary": "Answer a thread.", "security": WRITE_SECURITY,
        "parameters": [_path_id("thread_id")], "requestBody": _body("ReplyRequest"),
        "responses": {"201": _json("Post", "The new answer.", LOCATION), **WRITE_ERRORS}}},
    "/posts/{post_id}": {"get": {
        "operationId": "getPost", "summary": "A question, answer or comment, with its comments.",
        "security": READ_SECURITY, "parameters": [_path_id("post_id")],
        "responses": {"200": _json("Post", "The post."),
                      "404": _problem("No such post, or not one the caller may see."), **ERRORS}}},
    "/posts/{post_id}/comments": {"post": {
        "operationId": "comment", "summary": "Comment on a question or an answer.", "security": WRITE_SECURITY,
        "parameters": [_path_id("post_id")], "requestBody": _body("ReplyRequest"),
        "responses": {"201": _json("Post", "The new comment.", LOCATION), **WRITE_ERRORS}}},
    "/posts/{post_id}/kudos": {
        "put": {"operationId": "giveKudos", "summary": "Give kudos to a question or an answer (repeatable).",
                "security": WRITE_SECURITY, "parameters": [_path_id("post_id")],
                "responses": {"200": _json("Kudos", "The post's kudos now."), **WRITE_ERRORS}},
        "delete": {"operationId": "takeBackKudos", "summary": "Take kudos back (harmless when none was given).",
                   "security": WRITE_SECURITY, "parameters": [_path_id("post_id")],
                   "responses": {"200": _json("Kudos", "The post's kudos now."), **WRITE_ERRORS}}},
    "/search": {"get": {
        "operationId": "search", "summary": "Search threads, with the search page's filters.",
        "security": READ_SECURITY,
        "parameters": [
            _query("q", {"type": "string", "minLength": 1, "maxLength": QUERY_MAX, "pattern": r"\S"},
                   "What to search for.", required=True),
            _query("board", STRING, "Only this board (its slug)."),
            _query("tag", STRING, "Only threads with this tag."),
            _query("solved", {"type": "string", "enum": ["true", "false"]}, "Only solved threads."),
            _query("official", {"type": "string", "enum": ["true", "false"]}, "Only threads with an official answer."),
            _query("within", {"type": "string", "enum": list(search.PERIODS)}, "Asked within this period."),
            _query("sort", {"type": "string", "enum": list(SORTS)}, "Best match or newest first."),
            _query("product", STRING, "Only threads about this product (exact, any case)."),
            _query("os", STRING, "Only threads with this OS / version (exact, any case)."), PAGE],
        "responses": {"200": _json("SearchResults", "One page of results."), **ERRORS}}},
    "/openapi.json": {"get": {
        "operationId": "openapi", "summary": "This document.", "security": READ_SECURITY,
        "responses": {"200": {"description": "The OpenAPI document.",
                              "content": {"application/json": {"schema": {"type": "object"}}}}, **ERRORS}}},
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Peerdesk API", "version": "1.0.0",
                 "description": "Read boards, threads and search; ask, answer, comment and give kudos with a "
                                "personal API token (Account settings → API tokens). Every error is an RFC 9457 "
                                "problem detail."},
        "servers": [{"url": "/api/v1"}],
        "security": READ_SECURITY,
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": f"A personal API token (it starts with '{api_tokens.TOKEN_PREFIX}')."}},
        },
    }
