"""Personal API tokens: the service (create, list, revoke, authenticate) and the account page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.models.api_token import ApiToken
from app.services import api_tokens
from app.services.errors import InvalidInput, NotFound


def test_a_token_is_stored_only_as_its_hash(session, member):
    new = api_tokens.create(session, member, name="  Backup   script ")
    row = session.get(ApiToken, new.token.id)
    assert new.secret.startswith("pd_") and len(new.secret) > 40
    assert row.name == "Backup script"
    assert row.token_hash == api_tokens.hash_token(new.secret) != new.secret
    assert new.secret.startswith(row.prefix) and len(row.prefix) == api_tokens.SHOWN_CHARS
    assert api_tokens.authenticate(session, new.secret).id == member.id


@pytest.mark.parametrize("name", ["", "   ", "\u200b", "x" * 61])
def test_a_token_needs_a_sensible_name(session, member, name):
    with pytest.raises(InvalidInput) as error:
        api_tokens.create(session, member, name=name)
    assert "name" in error.value.errors
    assert session.query(ApiToken).count() == 0


def test_the_number_of_working_tokens_is_limited(session, member):
    for n in range(api_tokens.MAX_ACTIVE_TOKENS):
        api_tokens.create(session, member, name=f"token {n}")
    with pytest.raises(InvalidInput):
        api_tokens.create(session, member, name="one too many")
    api_tokens.revoke(session, member, token_id=api_tokens.active_tokens(session, member)[0].id)
    api_tokens.create(session, member, name="room again")


def test_revoked_unknown_and_forged_tokens_authenticate_nobody(session, member, helper):
    new = api_tokens.create(session, member, name="script")
    assert api_tokens.authenticate(session, new.secret + "x") is None
    assert api_tokens.authenticate(session, "pd_" + "A" * 43) is None
    assert api_tokens.authenticate(session, new.token.token_hash) is None  # the stored hash is no token
    with pytest.raises(NotFound):  # another member's token is not theirs to revoke
        api_tokens.revoke(session, helper, token_id=new.token.id)
    assert api_tokens.authenticate(session, new.secret) is not None
    api_tokens.revoke(session, member, token_id=new.token.id)
    api_tokens.revoke(session, member, token_id=new.token.id)  # twice is harmless
    assert api_tokens.authenticate(session, new.secret) is None
    assert api_tokens.active_tokens(session, member) == []


def test_last_use_is_noted_at_most_once_a_minute(session, member):
    new = api_tokens.create(session, member, name="script")
    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    api_tokens.authenticate(session, new.secret, now=start)
    api_tokens.authenticate(session, new.secret, now=start + timedelta(seconds=30))
    session.expire_all()
    assert session.get(ApiToken, new.token.id).last_used_at == start
    api_tokens.authenticate(session, new.secret, now=start + timedelta(minutes=2))
    session.expire_all()
    assert session.get(ApiToken, new.token.id).last_used_at == start + timedelta(minutes=2)


# --- the account page -------------------------------------------------------------------------

SECRET_RE = re.compile(r'id="new-token"[^>]*value="(pd_[^"]+)"')


def test_the_page_is_for_members_only(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_create_shows_the_token_once_then_lists_it(client, member, session):
    client.sign_in(member)
    assert "/account/tokens" in client.get("/account").get_data(as_text=True)
    response = client.post("/account/tokens", data={"name": "Home Assistant"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = SECRET_RE.search(response.get_data(as_text=True)).group(1)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Home Assistant" in listing and secret[:10] in listing and secret not in listing
    assert "Never" in listing  # not used yet
    api = client.get("/api/v1/boards", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "Never" not in page


def test_a_bad_name_keeps_the_form_with_a_message(client, member):
    client.sign_in(member)
    response = client.post("/account/tokens", data={"name": "y" * 80})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "60 characters" in page and "y" * 80 in page and 'id="new-token"' not in page


def test_creating_and_revoking_need_the_csrf_token(client, member, session):
    client.sign_in(member)
    assert client.post("/account/tokens", data={"name": "x"}, with_csrf=False).status_code == 400
    new = api_tokens.create(session, member, name="script")
    assert client.post(f"/account/tokens/{new.token.id}/revoke", with_csrf=False).status_code == 400
    assert api_tokens.authenticate(session, new.secret) is not None


def test_revoke_from_the_page(client, member, helper, session):
    new = api_tokens.create(session, member, name="Old laptop")
    others = api_tokens.create(session, helper, name="Not yours")
    client.sign_in(member)
    assert client.post(f"/account/tokens/{others.token.id}/revoke").status_code == 404
    response = client.post(f"/account/tokens/{new.token.id}/revoke")
    assert response.status_code == 302
    assert "Old laptop" in client.get("/account/tokens").get_data(as_text=True)  # the flash message names it
    assert "Old laptop" not in client.get("/account/tokens").get_data(as_text=True)
    assert api_tokens.authenticate(session, new.secret) is None
    assert api_tokens.authenticate(session, others.secret) is not None
