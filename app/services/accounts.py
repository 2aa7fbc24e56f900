"""Registering members, signing in, and loading accounts."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import transaction
from app.models import ROLES, User
from app.services import passwords
from app.services.errors import FieldErrors, InvalidInput, NotFound
from app.services.text import clean_line

DISPLAY_NAME_MIN, DISPLAY_NAME_MAX = 3, 40
# Letters of any script, digits, spaces and . _ - ' ( ): what real names and handles are made of.
_DISPLAY_NAME_RE = re.compile(r"^[\w][\w .'()\-]*$")
# Members must not look like staff: staff are recognised by their badge, not by their name.
_RESERVED_WORDS = ("admin", "moderator", "staff", "peerdesk", "official", "support team")
LAST_SEEN_RESOLUTION = timedelta(minutes=5)



# An import's stand-in for authors whose accounts were deleted (app/importers/stackexchange.py,
# key "<source>:user:deleted") holds their posts and points but is nobody.
STAND_IN_KEY_END = ":user:deleted"


def is_stand_in():  # noqa: ANN201 - a SQL expression
    """SQL: the member is an import's stand-in for deleted accounts; lists of people leave it out
    (leaderboards, the dashboard's top helpers) while its posts stay where they were."""
    return func.coalesce(User.import_key, "").like(f"%{STAND_IN_KEY_END}")

def normalise_email(raw: str) -> str:
    """Validate an address's form (no network look-up) and return it lower-cased."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput.field("email", str(exc)) from exc
    return result.normalized.lower()


def display_name_problems(name: str, *, allow_reserved: bool = False) -> list[str]:
    if not (DISPLAY_NAME_MIN <= len(name) <= DISPLAY_NAME_MAX):
        return [f"Use {DISPLAY_NAME_MIN} to {DISPLAY_NAME_MAX} characters."]
    if not _DISPLAY_NAME_RE.match(name) or "_" * 3 in name:
        return ["Use letters, digits, spaces and . _ - ' ( ) only, starting with a letter or digit."]
    if not allow_reserved and any(word in name.lower() for word in _RESERVED_WORDS):
        return ["This name is reserved for staff; please choose another."]
    return []


def register(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str,
    role: str = "member",
    allow_reserved_name: bool = False,
) -> User:
    """Create an account; every broken rule is reported at once, per field."""
    problems = FieldErrors()
    display_name = clean_line(display_name)
    try:
        email = normalise_email(email or "")
    except InvalidInput as exc:
        problems.add("email", exc.errors["email"][0])
    for message in display_name_problems(display_name, allow_reserved=allow_reserved_name):
        problems.add("display_name", message)
    for message in passwords.password_problems(password or "", user_inputs=[email, display_name]):
        problems.add("password", message)
    if role not in ROLES:
        problems.add("role", "Unknown role.")
    problems.raise_if_any()

    if session.scalar(select(User.id).where(User.email == email)):
        problems.add("email", "An account with this e-mail address exists already. Sign in instead?")
    if session.scalar(select(User.id).where(func.lower(User.display_name) == display_name.lower())):
        problems.add("display_name", "This display name is taken; please choose another.")
    problems.raise_if_any()

    user = User(email=email, display_name=display_name, role=role,
                password_hash=passwords.hash_password(password))
    try:
        with transaction(session):
            session.add(user)
    except IntegrityError as exc:
        # Two sign-ups with the same address or name at the same moment: the database decides.
        raise InvalidInput.field("email", "This e-mail address or display name was just taken.") from exc
    return user


def authenticate(session: Session, *, email: str, password: str) -> User:
    """Return the account for these credentials, or raise InvalidInput with one vague message."""
    # clean_line drops control characters: no address has one, and PostgreSQL refuses a NUL.
    address = clean_line(email).lower()
    user = session.scalar(select(User).where(User.email == address)) if address else None
    if not passwords.check_password(user.password_hash if user else None, password or ""):
        raise InvalidInput.field("password", "E-mail address or password is not right.")
    return user


def change_password(session: Session, user: User, *, current_password: str, new_password: str) -> User:
    """Replace the password after checking the current one; the new one obeys sign-up's rules.

    Every session signed in before then ends (the session id carries a stamp of the password hash,
    see User.get_id); the caller signs the current browser in again."""
    problems = FieldErrors()
    if not passwords.check_password(user.password_hash, current_password or ""):
        problems.add("current_password", "That is not your current password.")
    for message in passwords.password_problems(new_password or "", user_inputs=[user.email, user.display_name]):
        problems.add("new_password", message)
    problems.raise_if_any()
    new_hash = passwords.hash_password(new_password)  # slow on purpose: outside the write transaction
    with transaction(session):
        user.password_hash = new_hash
        session.add(user)
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such member.")
    return user


def find_by_name(session: Session, display_name: str) -> User | None:
    """The member with this display name, regardless of case (names are unique that way)."""
    name = display_name.strip()
    if not name:
        return None
    return session.scalar(select(User).where(func.lower(User.display_name) == name.lower()))


def touch_last_seen(session: Session, user: User, now: datetime | None = None) -> None:
    """Record that the member was here, at most once per few minutes (not a write per request)."""
    now = now or datetime.now(timezone.utc)
    if user.last_seen_at and now - user.last_seen_at < LAST_SEEN_RESOLUTION:
        return
    with transaction(session):
        user.last_seen_at = now
        session.add(user)


def set_role(session: Session, user: User, role: str) -> User:
    if role not in ROLES:
        raise InvalidInput.field("role", f"Role must be one of {', '.join(ROLES)}.")
    with transaction(session):
        user.role = role
        session.add(user)
    return user
