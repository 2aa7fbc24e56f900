"""Password strength rules and hashing."""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200  # hashing megabytes of "password" is a denial of service, not security
ZXCVBN_MAX_LENGTH = 72  # zxcvbn's own limit
MIN_SCORE = 2  # zxcvbn: 2 = "somewhat guessable", safe against throttled online guessing

# A valid hash of a random password, checked when the e-mail is unknown, so that sign-in takes
# as long for unknown addresses as for known ones and does not reveal who has an account.
_DUMMY_HASH = generate_password_hash("not-a-real-password-7f3a9c")


def password_problems(password: str, *, user_inputs: list[str]) -> list[str]:
    """Why a new password is not acceptable; an empty list when it is."""
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    # zxcvbn gets the first 72 characters: its matching is slow on very long input, and it raises
    # ValueError for anything longer than its max_length (72), which made long passphrases a 500.
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[i for i in user_inputs if i])
    if result["score"] >= MIN_SCORE:
        return []
    warning = result["feedback"].get("warning") or "This password is too easy to guess."
    suggestions = result["feedback"].get("suggestions") or []
    return [" ".join([warning.rstrip(".") + "."] + suggestions[:1])]


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # scrypt, werkzeug's default


def check_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)
