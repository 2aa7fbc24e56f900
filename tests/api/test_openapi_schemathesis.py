"""The API against its OpenAPI document: schemathesis generates requests for every operation (reads,
and writes with a member's token) on an app with data, and checks each answer against the document.

The Python API is used (an operation's strategy run by Hypothesis in a plain test) rather than the
pytest plugin's lazy fixture schema, which the pinned pytest does not support. Examples are
derandomized (the same every run) and few, so the whole check takes seconds.
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)
from schemathesis.generation.modes import GenerationMode

from app.api.openapi import PATHS

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = [(method.upper(), path) for path, methods in PATHS.items() for method in methods]
EXAMPLES = 20


def _aim(case, data, forum) -> None:
    """Half the time, point the generated request at the forum's real rows and give writes text that
    passes the rules, so that successful answers (200, 201) are checked too, not only errors."""
    ids = [forum.question.id, forum.accepted.id, forum.official.id, forum.hidden.id, forum.thread.id]
    for name in ("thread_id", "post_id"):
        if name in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters[name] = data.draw(st.sampled_from(ids))
    if "slug" in (case.path_parameters or {}) and data.draw(st.booleans()):
        case.path_parameters["slug"] = forum.board.slug
    if isinstance(case.body, dict) and data.draw(st.booleans()):
        case.body.update(body=data.draw(st.sampled_from(REPLIES)))
        if "title" in case.body or "board" in case.body:
            case.body.update(board=forum.board.slug, title=data.draw(st.sampled_from(TITLES)))


REPLIES = ["Have you tried a different USB cable? Mine was faulty.", "Same here, **following** this one.",
           "See [the manual](https://example.com/manual) page 12."]
TITLES = ["Scanner skips every second page", "Wi-Fi printer disappears after sleep"]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_matches_the_document(app, forum, method, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))
    # As the asker (writes go through) or as a moderator (who is shown the hidden answer too).
    tokens = st.sampled_from([forum.member_token, forum.moderator_token])

    @given(case=cases, token=tokens, data=st.data())
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case, token, data):
        _aim(case, data, forum)
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    check()


def test_every_route_of_the_api_is_in_the_document(app):
    """The document lists every operation the blueprint serves (and nothing it does not)."""
    served = {(method, rule.rule.removeprefix("/api/v1").replace("<row_id:", "{").replace("<", "{").replace(">", "}"))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              and rule.endpoint != "api.no_such_address"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == set(OPERATIONS)
