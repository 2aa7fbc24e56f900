"""API-test fixtures: personal tokens for the personas, and JSON requests that carry them."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import Post
from app.services import api_tokens
from tests.web.conftest import drain, make_app, new_client  # noqa: F401 - shared fixtures


@pytest.fixture
def token_for(session):
    """A working token (its plain text) for a member."""

    def make(user, name: str = "Test script") -> str:
        return api_tokens.create(session, user, name=name).secret

    return make


@pytest.fixture
def api(client):
    """JSON requests to /api/v1, with `token=` sent as the bearer token."""

    class Api:
        def __call__(self, method: str, path: str, *, token: str | None = None, json=None, **kwargs):
            headers = dict(kwargs.pop("headers", {}) or {})
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
            return client.open(f"/api/v1{path}", method=method, json=json, headers=headers, **kwargs)

        def get(self, path: str, **kwargs):
            return self("GET", path, **kwargs)

        def post(self, path: str, **kwargs):
            return self("POST", path, **kwargs)

    return Api()


@pytest.fixture
def forum(session, board, member, helper, moderator, make_user, thread, token_for):
    """A thread with every part: an accepted answer with comments and kudos, an official answer, a
    hidden answer (by `troll`), and tokens for the asker, the helper, the troll and the moderator."""
    from app.services import kudos, official, posting, review, solutions

    troll = make_user(name="Troll Tom")
    accepted = posting.answer(session, helper, thread_id=thread.id, body="Reinstall the driver from the vendor.")
    posting.comment(session, member, post_id=accepted.id, body="That worked, thank you!")
    posting.comment(session, helper, post_id=thread.id, body="Which model is it?")
    solutions.accept(session, member, answer_id=accepted.id)
    kudos.give(session, member, post_id=accepted.id)
    staff_answer = posting.answer(session, moderator, thread_id=thread.id, body="Firmware 2.1 fixes this for good.")
    official.mark(session, moderator, answer_id=staff_answer.id)
    hidden = posting.answer(session, troll, thread_id=thread.id, body="Buy my miracle printer cleaner now!!")
    review.hide(session, moderator, post_id=hidden.id, reason="spam")
    question = session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()
    return SimpleNamespace(
        board=board, thread=thread, question=question, accepted=accepted, official=staff_answer, hidden=hidden,
        member=member, helper=helper, moderator=moderator, troll=troll,
        member_token=token_for(member), helper_token=token_for(helper), troll_token=token_for(troll),
        moderator_token=token_for(moderator))
