"""Account mails are written in the recipient member's language, whoever asked for them."""
from __future__ import annotations

import pytest

from app.services import account_recovery
from app.services.account_recovery import AccountMail
from tests.i18n_tools import compile_catalogs


@pytest.fixture(scope="module", autouse=True)
def _compiled():
    compile_catalogs()


def _mail(outbox: list) -> AccountMail:
    return AccountMail(secret_key="test-only-secret", send=outbox.append,
                       reset_link=lambda token: f"https://peerdesk.test/account/reset-password?token={token}",
                       confirm_link=lambda token: f"https://peerdesk.test/account/confirm-email?token={token}",
                       reset_max_age=3600, email_max_age=86400)


def test_a_reset_mail_uses_the_members_language_not_the_browsers(app, session, member):
    member.locale = "pl"
    session.commit()
    outbox: list = []
    with app.test_request_context(headers={"Accept-Language": "de"}):
        account_recovery.request_password_reset(session, member.email, _mail(outbox))
    (message,) = outbox
    assert message.subject == "Zresetuj hasło w serwisie Peerdesk"
    assert "(czas na to: 1 godzina)" in message.text  # the count stands alone: Polish cases
    assert "https://peerdesk.test/account/reset-password?token=" in message.text


def test_without_a_choice_the_mail_follows_the_request(app, session, member):
    outbox: list = []
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        account_recovery.request_password_reset(session, member.email, _mail(outbox))
    assert outbox[0].subject == "Réinitialisez votre mot de passe Peerdesk"
    assert "1 heure" in outbox[0].text
