"""Account changes proved by mail: resetting a forgotten password, and confirming a new e-mail address.

A link carries a token signed with the site's secret key (itsdangerous), timed, and bound to a stamp
of the member's password hash and e-mail address. Once either changes, every earlier token is dead:
that makes a link single-use without a table of issued tokens.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Callable

from flask_babel import force_locale, get_locale, gettext as _, lazy_gettext as _l, ngettext
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import User
from app.services import accounts, passwords
from app.services.errors import FieldErrors, InvalidInput, ServiceError
from app.services.mail import Message, Sender

log = logging.getLogger(__name__)

RESET_SALT = "peerdesk.password-reset"
EMAIL_SALT = "peerdesk.email-change"
MAX_TOKEN_LENGTH = 1000  # ours are ~150 characters; anything far longer is not worth verifying
SITE_NAME = "Peerdesk"


class LinkProblem(ServiceError):
    """A link's token is forged or cut off ("invalid"), too old ("expired"), or already spent ("used")."""

    MESSAGES = {
        "invalid": _l("This link is not valid: it may have been cut off or mistyped. Copy the whole link "
                      "from the mail, or ask for a new one."),
        "expired": _l("This link has expired. Please ask for a new one."),
        "used": _l("This link has been used already, or the account's password or e-mail address has changed "
                   "since it was sent. Ask for a new one if you still need it."),
    }

    def __init__(self, kind: str) -> None:
        super().__init__(str(self.MESSAGES[kind]))
        self.kind = kind


@dataclass(frozen=True)
class AccountMail:
    """What these use cases need from the site: the secret, a mail sender and the links' addresses."""

    secret_key: str
    send: Sender
    reset_link: Callable[[str], str]  # token -> absolute URL of the reset page
    confirm_link: Callable[[str], str]  # token -> absolute URL of the e-mail confirmation page
    reset_max_age: int = 3600
    email_max_age: int = 86400


def account_stamp(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}\0{user.email}".encode()).hexdigest()[:16]


# --- forgotten password -------------------------------------------------------------------------


def request_password_reset(session: Session, email: str, mail: AccountMail) -> None:
    """Mail a reset link when an account has this address. Nothing tells the caller whether one has:
    a malformed address is refused (that says nothing about accounts), every other answer is the same."""
    address = accounts.normalise_email(email or "")
    user = session.scalar(select(User).where(User.email == address))
    if user is None:
        log.info("Password reset asked for an address without an account.")
        return
    token = _serializer(mail, RESET_SALT).dumps({"u": user.id, "s": account_stamp(user)})
    with force_locale(user.locale or get_locale()):  # the member's language, not the asker's browser's
        mail.send(Message(
            to=user.email, subject=_("Reset your %(site)s password", site=SITE_NAME),
            text=_("Hello %(name)s,\n\n"
                   "someone (we hope you) asked to reset the password of your %(site)s account. "
                   "To choose a new password, open this link within %(duration)s:\n\n"
                   "%(link)s\n\n"
                   "The link works once. If you did not ask for it, ignore this mail: your password stays as it is.\n",
                   name=user.display_name, site=SITE_NAME, duration=_duration(mail.reset_max_age),
                   link=mail.reset_link(token)),
        ))


def check_reset_link(session: Session, token: str, mail: AccountMail) -> User:
    """The member a reset link is for, or LinkProblem."""
    data = _read(mail, RESET_SALT, mail.reset_max_age, token)
    return _member(session, data)


def reset_password(session: Session, token: str, password: str, mail: AccountMail) -> User:
    """Set a new password (sign-up's rules) through a reset link; the link is spent by it."""
    user = check_reset_link(session, token, mail)
    problems = passwords.password_problems(password or "", user_inputs=[user.email, user.display_name])
    if problems:
        raise InvalidInput({"password": problems})
    new_hash = passwords.hash_password(password)  # slow on purpose: outside the write transaction
    with transaction(session):
        # Checked again under the row lock: the same link sent twice at once sets one password.
        user = _member(session, _read(mail, RESET_SALT, mail.reset_max_age, token), lock=True)
        user.password_hash = new_hash
    return user


# --- changing the e-mail address ----------------------------------------------------------------


def request_email_change(session: Session, user: User, *, password: str, new_email: str,
                         mail: AccountMail) -> str:
    """Mail a confirmation link to the new address and a notice to the current one; the address
    changes only when the link is opened. Returns the new address."""
    problems = FieldErrors()
    if not passwords.check_password(user.password_hash, password or ""):
        problems.add("password", _("That is not your current password."))
    address = ""
    try:
        address = accounts.normalise_email(new_email or "")
    except InvalidInput as exc:
        problems.add("email", exc.errors["email"][0])
    if address == user.email:
        problems.add("email", _("This is your address already."))
    elif address and session.scalar(select(User.id).where(User.email == address)):
        problems.add("email", _("Another account uses this address."))
    problems.raise_if_any()

    token = _serializer(mail, EMAIL_SALT).dumps({"u": user.id, "s": account_stamp(user), "e": address})
    with force_locale(user.locale or get_locale()):
        mail.send(Message(
            to=address, subject=_("Confirm your new %(site)s e-mail address", site=SITE_NAME),
            text=_("Hello %(name)s,\n\n"
                   "to use this address for your %(site)s account, open this link within "
                   "%(duration)s:\n\n%(link)s\n\n"
                   "If you did not ask for this, ignore this mail: nothing changes.\n",
                   name=user.display_name, site=SITE_NAME, duration=_duration(mail.email_max_age),
                   link=mail.confirm_link(token)),
        ))
        mail.send(Message(
            to=user.email, subject=_("Your %(site)s e-mail address is about to change", site=SITE_NAME),
            text=_("Hello %(name)s,\n\n"
                   "someone signed in to your %(site)s account asked to change its e-mail address to "
                   "%(address)s. It changes when the link we sent there is opened.\n\n"
                   "If this was not you, sign in and change your password now: that also cancels the change.\n",
                   name=user.display_name, site=SITE_NAME, address=_masked(address)),
        ))
    return address


def check_email_link(session: Session, token: str, mail: AccountMail) -> tuple[User, str]:
    """The member and the new address a confirmation link is for, or LinkProblem."""
    data = _read(mail, EMAIL_SALT, mail.email_max_age, token)
    if not isinstance(data.get("e"), str):
        raise LinkProblem("invalid")
    return _member(session, data), data["e"]


def confirm_email_change(session: Session, token: str, mail: AccountMail) -> User:
    """Make the address in a confirmation link the member's; the link is spent by it."""
    _, address = check_email_link(session, token, mail)
    try:
        with transaction(session):
            user = _member(session, _read(mail, EMAIL_SALT, mail.email_max_age, token), lock=True)
            if session.scalar(select(User.id).where(User.email == address, User.id != user.id)):
                raise InvalidInput.field("email", "Another account has taken this address meanwhile.")
            user.email = address
    except IntegrityError as exc:  # another account took it between the check and the commit
        raise InvalidInput.field("email", "Another account has taken this address meanwhile.") from exc
    return user


# --- tokens -------------------------------------------------------------------------------------


def _serializer(mail: AccountMail, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(mail.secret_key, salt=salt)


def _read(mail: AccountMail, salt: str, max_age: int, token: str) -> dict:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkProblem("invalid")
    try:
        data = _serializer(mail, salt).loads(token, max_age=max_age)
    except SignatureExpired as exc:  # checked after the signature: a forged old token is "invalid"
        raise LinkProblem("expired") from exc
    except BadData as exc:
        raise LinkProblem("invalid") from exc
    if not (isinstance(data, dict) and isinstance(data.get("u"), int) and isinstance(data.get("s"), str)):
        raise LinkProblem("invalid")
    return data


def _member(session: Session, data: dict, *, lock: bool = False) -> User:
    options = {"with_for_update": ROW_LOCK, "populate_existing": True} if lock else {}
    user = session.get(User, data["u"], **options)
    if user is None or not hmac.compare_digest(account_stamp(user).encode(), data["s"].encode()):
        raise LinkProblem("used")
    return user


def _duration(seconds: int) -> str:
    units = ((86400, lambda n: ngettext("%(num)s day", "%(num)s days", n)),
             (3600, lambda n: ngettext("%(num)s hour", "%(num)s hours", n)),
             (60, lambda n: ngettext("%(num)s minute", "%(num)s minutes", n)))
    for size, words in units:
        if seconds >= size and seconds % size == 0:
            return words(seconds // size)
    return ngettext("%(num)s second", "%(num)s seconds", seconds)


def _masked(address: str) -> str:
    """Enough of an address to recognise it, not enough to harvest it from a forwarded mail."""
    local, _, domain = address.partition("@")
    return f"{local[:2]}…@{domain}"
