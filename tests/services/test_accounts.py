"""Registering and signing in: the account rules without HTTP."""
from __future__ import annotations

import pytest

from app.models import User
from app.services import accounts
from app.services.errors import InvalidInput

STRONG = "Correct-Horse-Battery-9"


def test_register_creates_a_member_with_a_hashed_password(session):
    user = accounts.register(session, email=" Anna@Example.COM ", display_name="Anna K.", password=STRONG)
    assert user.id and user.role == "member"
    assert user.email == "anna@example.com"
    assert STRONG not in user.password_hash and user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize("field, kwargs, message", [
    ("email", {"email": "not-an-address"}, "@"),
    ("password", {"password": "short1!"}, "at least 10"),
    ("password", {"password": "password1234"}, ""),
    ("password", {"password": "qwertyuiop"}, ""),
    ("display_name", {"display_name": "ab"}, "3 to 40"),
    ("display_name", {"display_name": "x" * 41}, "3 to 40"),
    ("display_name", {"display_name": "<script>"}, "letters, digits"),
    ("display_name", {"display_name": "Peerdesk Staff"}, "reserved"),
    ("display_name", {"display_name": "The Moderator"}, "reserved"),
])
def test_register_rules(session, field, kwargs, message):
    values = {"email": "new@example.com", "display_name": "New Member", "password": STRONG} | kwargs
    with pytest.raises(InvalidInput) as caught:
        accounts.register(session, **values)
    assert field in caught.value.errors
    assert message in " ".join(caught.value.errors[field])
    assert session.query(User).count() == 0


def test_password_that_contains_the_name_is_weak(session):
    with pytest.raises(InvalidInput) as caught:
        accounts.register(session, email="anna@example.com", display_name="annakarenina",
                          password="annakarenina1")
    assert "password" in caught.value.errors


def test_email_and_display_name_are_unique_regardless_of_case(session):
    accounts.register(session, email="anna@example.com", display_name="Anna", password=STRONG)
    with pytest.raises(InvalidInput) as caught:
        accounts.register(session, email="ANNA@example.com", display_name="aNNA", password=STRONG)
    assert set(caught.value.errors) == {"email", "display_name"}


def test_invisible_characters_are_removed_from_names(session):
    user = accounts.register(session, email="z@example.com", display_name="Zo\u200be\u202e Q", password=STRONG)
    assert user.display_name == "Zoe Q"


def test_staff_may_get_reserved_names(session):
    user = accounts.register(session, email="sam@example.com", display_name="Sam (Peerdesk Staff)",
                             password=STRONG, role="moderator", allow_reserved_name=True)
    assert user.is_staff


def test_authenticate_by_email_any_case(session):
    accounts.register(session, email="anna@example.com", display_name="Anna", password=STRONG)
    assert accounts.authenticate(session, email="ANNA@example.com ", password=STRONG).display_name == "Anna"


@pytest.mark.parametrize("email, password", [
    ("anna@example.com", "wrong-password-1"),
    ("nobody@example.com", STRONG),
    ("", ""),
])
def test_authenticate_refuses_with_one_vague_message(session, email, password):
    accounts.register(session, email="anna@example.com", display_name="Anna", password=STRONG)
    with pytest.raises(InvalidInput) as caught:
        accounts.authenticate(session, email=email, password=password)
    assert caught.value.errors == {"password": ["E-mail address or password is not right."]}


def test_set_role_checks_the_role(session, member):
    assert accounts.set_role(session, member, "moderator").is_staff
    with pytest.raises(InvalidInput):
        accounts.set_role(session, member, "superuser")
