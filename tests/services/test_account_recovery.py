"""Resetting a forgotten password and changing password and e-mail address: the services, without HTTP."""
from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from app.models import User
from app.services import account_recovery, accounts, passwords
from app.services.account_recovery import AccountMail, LinkProblem
from app.services.errors import InvalidInput
from tests.conftest import PASSWORD

NEW_PASSWORD = "Lantern-Orbit-Pebble-42"
_TOKEN_RE = re.compile(r"token=(\S+)")


class Outbox(list):
    """Collects the messages a service sends."""

    def tokens(self) -> list[str]:
        return [_TOKEN_RE.search(m.text).group(1) for m in self if _TOKEN_RE.search(m.text)]


@pytest.fixture
def outbox():
    return Outbox()


@pytest.fixture
def account_mail(outbox):
    return AccountMail(secret_key="test-only-secret", send=outbox.append,
                       reset_link=lambda token: f"https://peerdesk.test/account/reset-password?token={token}",
                       confirm_link=lambda token: f"https://peerdesk.test/account/confirm-email?token={token}",
                       reset_max_age=3600, email_max_age=86400)


def _later(monkeypatch, seconds: int) -> None:
    """Let the token check run `seconds` from now."""
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + seconds)


def _reload(session, user) -> User:
    session.rollback()
    return session.get(User, user.id, populate_existing=True)


def _reset_token(session, member, outbox, account_mail) -> str:
    account_recovery.request_password_reset(session, member.email, account_mail)
    return outbox.tokens()[-1]


# --- asking for a reset link --------------------------------------------------------------------


def test_a_reset_link_is_mailed_to_the_account(session, member, outbox, account_mail):
    account_recovery.request_password_reset(session, f"  {member.email.upper()} ", account_mail)

    (message,) = outbox
    assert message.to == member.email and "password" in message.subject.lower()
    assert "https://peerdesk.test/account/reset-password?token=" in message.text and "1 hour" in message.text
    assert account_recovery.check_reset_link(session, outbox.tokens()[0], account_mail).id == member.id


def test_an_unknown_address_gets_no_mail_and_the_same_answer(session, member, outbox, account_mail):
    assert account_recovery.request_password_reset(session, "nobody@example.com", account_mail) is None

    assert outbox == []


@pytest.mark.parametrize("typed", ["", "not-an-address", "anna@", "a\x00b@example.com"])
def test_a_malformed_address_is_refused(session, member, outbox, account_mail, typed):
    with pytest.raises(InvalidInput) as refused:
        account_recovery.request_password_reset(session, typed, account_mail)

    assert "email" in refused.value.errors and outbox == []


# --- using it ------------------------------------------------------------------------------------


def test_the_link_sets_a_new_password_once(session, member, outbox, account_mail):
    token = _reset_token(session, member, outbox, account_mail)
    old_session_id = member.get_id()

    account_recovery.reset_password(session, token, NEW_PASSWORD, account_mail)

    member = _reload(session, member)
    assert passwords.check_password(member.password_hash, NEW_PASSWORD)
    assert member.get_id() != old_session_id  # signed-in sessions end (web/session_user.load_user)
    with pytest.raises(LinkProblem) as again:
        account_recovery.reset_password(session, token, "Another-Fine-Passphrase-77", account_mail)
    assert again.value.kind == "used"
    assert passwords.check_password(_reload(session, member).password_hash, NEW_PASSWORD)


def test_using_one_of_two_links_spends_both(session, member, outbox, account_mail):
    first = _reset_token(session, member, outbox, account_mail)
    second = _reset_token(session, member, outbox, account_mail)

    account_recovery.reset_password(session, second, NEW_PASSWORD, account_mail)

    with pytest.raises(LinkProblem, match="used already"):
        account_recovery.check_reset_link(session, first, account_mail)


@pytest.mark.parametrize("weak", ["", "short", "password123", "asker anna 1"])
def test_a_weak_password_is_refused_with_sign_ups_rules_and_the_link_stays_good(
        session, member, outbox, account_mail, weak):
    token = _reset_token(session, member, outbox, account_mail)

    with pytest.raises(InvalidInput) as refused:
        account_recovery.reset_password(session, token, weak, account_mail)

    assert refused.value.errors["password"] == passwords.password_problems(
        weak, user_inputs=[member.email, member.display_name])
    assert passwords.check_password(_reload(session, member).password_hash, PASSWORD)
    assert account_recovery.check_reset_link(session, token, account_mail).id == member.id


def test_the_link_expires_after_the_configured_time(session, member, outbox, account_mail, monkeypatch):
    token = _reset_token(session, member, outbox, account_mail)
    _later(monkeypatch, 3599)
    assert account_recovery.check_reset_link(session, token, account_mail).id == member.id

    _later(monkeypatch, 3601)

    with pytest.raises(LinkProblem) as expired:
        account_recovery.reset_password(session, token, NEW_PASSWORD, account_mail)
    assert expired.value.kind == "expired"
    assert passwords.check_password(_reload(session, member).password_hash, PASSWORD)


def _forgeries(token: str) -> list[str]:
    other_secret = URLSafeTimedSerializer("another-secret", salt=account_recovery.RESET_SALT)
    wrong_purpose = URLSafeTimedSerializer("test-only-secret", salt=account_recovery.EMAIL_SALT)
    body, _, signature = token.rpartition(".")
    return [
        "", "x", token[:-3], token + "x", f"{body}.{signature[::-1]}", "a" * 5000, "\x00", "é.é.é",
        other_secret.dumps({"u": 1, "s": "0" * 16}),
        wrong_purpose.dumps({"u": 1, "s": "0" * 16, "e": "mallory@example.com"}),
        URLSafeTimedSerializer("test-only-secret", salt=account_recovery.RESET_SALT).dumps(["not", "a", "dict"]),
    ]


def test_forged_cut_or_misused_tokens_are_invalid(session, member, outbox, account_mail):
    token = _reset_token(session, member, outbox, account_mail)

    for forged in _forgeries(token):
        with pytest.raises(LinkProblem) as refused:
            account_recovery.reset_password(session, forged, NEW_PASSWORD, account_mail)
        assert refused.value.kind == "invalid", forged
    assert passwords.check_password(_reload(session, member).password_hash, PASSWORD)


def test_a_forged_token_is_invalid_even_when_old(session, member, outbox, account_mail, monkeypatch):
    token = _reset_token(session, member, outbox, account_mail)
    _later(monkeypatch, 10 * 86400)

    with pytest.raises(LinkProblem) as refused:
        account_recovery.check_reset_link(session, token[:-2] + "AA", account_mail)

    assert refused.value.kind == "invalid"


def test_a_reset_link_dies_when_the_address_changes(session, member, outbox, account_mail):
    token = _reset_token(session, member, outbox, account_mail)
    account_recovery.request_email_change(session, member, password=PASSWORD, new_email="anna.new@example.com",
                                          mail=account_mail)
    account_recovery.confirm_email_change(session, outbox.tokens()[-1], account_mail)

    with pytest.raises(LinkProblem, match="used already"):
        account_recovery.check_reset_link(session, token, account_mail)


def test_a_link_for_a_deleted_account_is_spent(session, member, outbox, account_mail):
    token = _reset_token(session, member, outbox, account_mail)
    session.delete(session.get(User, member.id))
    session.commit()

    with pytest.raises(LinkProblem, match="used already"):
        account_recovery.check_reset_link(session, token, account_mail)


# --- changing the password -----------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one_and_sign_ups_rules(session, member):
    with pytest.raises(InvalidInput) as refused:
        accounts.change_password(session, member, current_password="wrong password", new_password="short")

    assert set(refused.value.errors) == {"current_password", "new_password"}
    assert passwords.check_password(_reload(session, member).password_hash, PASSWORD)


def test_changing_the_password(session, member):
    old_session_id = member.get_id()

    accounts.change_password(session, member, current_password=PASSWORD, new_password=NEW_PASSWORD)

    member = _reload(session, member)
    assert passwords.check_password(member.password_hash, NEW_PASSWORD)
    assert member.get_id() != old_session_id and member.get_id().startswith(f"{member.id}:")


def test_changing_the_password_spends_reset_links(session, member, outbox, account_mail):
    token = _reset_token(session, member, outbox, account_mail)

    accounts.change_password(session, member, current_password=PASSWORD, new_password=NEW_PASSWORD)

    with pytest.raises(LinkProblem, match="used already"):
        account_recovery.check_reset_link(session, token, account_mail)


# --- changing the e-mail address -----------------------------------------------------------------


def test_a_new_address_is_confirmed_by_mail_and_the_old_one_is_told(session, member, outbox, account_mail):
    old = member.email

    address = account_recovery.request_email_change(session, member, password=PASSWORD,
                                                    new_email=" Anna.New@Example.com ", mail=account_mail)

    assert address == "anna.new@example.com"
    confirm, notice = outbox
    assert confirm.to == "anna.new@example.com" and "confirm-email?token=" in confirm.text
    assert notice.to == old and "an…@example.com" in notice.text and "token" not in notice.text
    assert _reload(session, member).email == old  # nothing changes before the link is opened

    user, shown = account_recovery.check_email_link(session, outbox.tokens()[0], account_mail)
    assert (user.id, shown) == (member.id, "anna.new@example.com")
    account_recovery.confirm_email_change(session, outbox.tokens()[0], account_mail)

    member = _reload(session, member)
    assert member.email == "anna.new@example.com"
    assert accounts.authenticate(session, email="anna.new@example.com", password=PASSWORD).id == member.id
    with pytest.raises(LinkProblem, match="used already"):
        account_recovery.confirm_email_change(session, outbox.tokens()[0], account_mail)


@pytest.mark.parametrize("password, new_email, fields", [
    ("wrong password", "anna.new@example.com", {"password"}),
    (PASSWORD, "not an address", {"email"}),
    (PASSWORD, "", {"email"}),
    ("", "not an address", {"password", "email"}),
])
def test_a_new_address_needs_the_password_and_a_valid_address(session, member, outbox, account_mail,
                                                               password, new_email, fields):
    with pytest.raises(InvalidInput) as refused:
        account_recovery.request_email_change(session, member, password=password, new_email=new_email,
                                              mail=account_mail)

    assert set(refused.value.errors) == fields and outbox == []


def test_a_new_address_must_be_new_and_unused(session, member, helper, outbox, account_mail):
    for taken, message in ((member.email, "already"), (helper.email.upper(), "Another account")):
        with pytest.raises(InvalidInput, match=message):
            account_recovery.request_email_change(session, member, password=PASSWORD, new_email=taken,
                                                  mail=account_mail)
    assert outbox == []


def test_an_address_taken_before_the_link_is_opened_is_refused(session, member, make_user, outbox, account_mail):
    account_recovery.request_email_change(session, member, password=PASSWORD, new_email="wanted@example.com",
                                          mail=account_mail)
    quick = make_user()
    quick.email = "wanted@example.com"
    session.commit()

    with pytest.raises(InvalidInput, match="taken"):
        account_recovery.confirm_email_change(session, outbox.tokens()[0], account_mail)

    assert _reload(session, member).email != "wanted@example.com"


def test_changing_the_password_cancels_a_pending_address_change(session, member, outbox, account_mail):
    account_recovery.request_email_change(session, member, password=PASSWORD, new_email="anna.new@example.com",
                                          mail=account_mail)

    accounts.change_password(session, member, current_password=PASSWORD, new_password=NEW_PASSWORD)

    with pytest.raises(LinkProblem, match="used already"):
        account_recovery.confirm_email_change(session, outbox.tokens()[0], account_mail)
    assert session.scalar(select(User.email).where(User.id == member.id)) != "anna.new@example.com"


def test_an_address_link_expires(session, member, outbox, account_mail, monkeypatch):
    account_recovery.request_email_change(session, member, password=PASSWORD, new_email="anna.new@example.com",
                                          mail=account_mail)
    _later(monkeypatch, 86401)

    with pytest.raises(LinkProblem) as expired:
        account_recovery.confirm_email_change(session, outbox.tokens()[0], account_mail)

    assert expired.value.kind == "expired"


def test_a_reset_token_is_no_address_link(session, member, outbox, account_mail):
    token = _reset_token(session, member, outbox, account_mail)

    with pytest.raises(LinkProblem) as refused:
        account_recovery.check_email_link(session, token, account_mail)

    assert refused.value.kind == "invalid"
