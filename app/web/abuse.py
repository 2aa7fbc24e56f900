"""Abuse limits on the views: Flask-Limiter keys, limits read from the configuration (stricter for
new members), the decorators the blueprints use, and the spam rules from the configuration.

Limits are callables so that each app reads its own configuration (README lists the variables).
Posting, flagging and sign-in count only what succeeded or failed as they should: a preview or a
form sent back for a too-short text is no post, and a successful sign-in is no attack.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import limiter
from app.services import spam
from app.services.spam import SpamRules


def spam_rules() -> SpamRules:
    return SpamRules.from_config(current_app.config)


def _setting(name: str):
    return lambda: current_app.config[name]


def member_key() -> str:
    """The signed-in member (a member's budget follows them across addresses), else the address."""
    if current_user.is_authenticated:
        return f"member:{current_user.id}"
    return get_remote_address()


def typed_account_key() -> str:
    """The account a sign-in names: the e-mail as typed, trimmed and lower-cased, hashed so that no
    address is stored in the limiter's storage. With no e-mail typed, the client's address."""
    email = (request.form.get("email") or "").strip().lower()
    if not email:
        return f"no-account:{get_remote_address()}"
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()[:32]


def _signed_in_member():
    return current_user if current_user.is_authenticated else None


def _by_newness(established: str, new: str, member=_signed_in_member):
    """A limit that is stricter while the member is new (services/spam.py says who is);
    `member()` gives the acting member, or None."""
    def limit() -> str:
        who = member()
        is_new = who is not None and spam.is_new_member(who, spam_rules(), datetime.now(timezone.utc))
        return current_app.config[new if is_new else established]
    return limit


def _redirected(response: Response) -> bool:
    """The form was accepted (the site answers a successful POST with a redirect)."""
    return response.status_code in (301, 302, 303)


def _refused(response: Response) -> bool:
    """The sign-in form was refused (wrong e-mail or password)."""
    return response.status_code == 400


def _previewing() -> bool:
    return "preview" in request.form


sign_in_per_address = limiter.limit(_setting("RATELIMIT_SIGN_IN_ADDRESS"), key_func=get_remote_address,
                                    methods=["POST"], deduct_when=_refused)
sign_in_per_account = limiter.limit(_setting("RATELIMIT_SIGN_IN_ACCOUNT"), key_func=typed_account_key,
                                    methods=["POST"], deduct_when=_refused)
# Every sign-up attempt counts, accepted or not: bots probe with bad input too.
sign_up = limiter.limit(_setting("RATELIMIT_SIGN_UP"), key_func=get_remote_address, methods=["POST"])
# One budget for asking, answering, commenting and editing: a flood switches between them.
posting = limiter.shared_limit(_by_newness("RATELIMIT_POSTING", "RATELIMIT_POSTING_NEW"), scope="posting",
                               key_func=member_key, methods=["POST"], exempt_when=_previewing,
                               deduct_when=_redirected)
flagging = limiter.limit(_by_newness("RATELIMIT_FLAGGING", "RATELIMIT_FLAGGING_NEW"), key_func=member_key,
                         methods=["POST"], deduct_when=_redirected)
# Kudos and "me too": a burst limit; the daily kudos allowance is the service's (KUDOS_PER_DAY).
toggles = limiter.shared_limit(_setting("RATELIMIT_TOGGLES"), scope="toggles", key_func=member_key)
similar = limiter.limit(_setting("RATELIMIT_SIMILAR"), key_func=member_key)
# "Did this solve your problem?" needs no account, so it is limited per address, members included.
feedback = limiter.limit(_setting("RATELIMIT_FEEDBACK"), key_func=get_remote_address, methods=["POST"])
# Live thread updates (app/web/live.py).
live = limiter.shared_limit(_setting("RATELIMIT_LIVE"), scope="live", key_func=member_key)


# The JSON API (app/api): keyed by the token's member, else by address. The API's writes share
# the site's posting and toggle budgets (same scope, same "member:<id>" key), so a flood cannot
# double its allowance by switching between the site and the API.


def api_member():
    from app.api.auth import api_user_or_none  # the API imports this module; imported late

    return api_user_or_none()


def api_key() -> str:
    member = api_member()
    return f"member:{member.id}" if member is not None else get_remote_address()


def _created(response: Response) -> bool:
    return response.status_code == 201


api_reads = limiter.shared_limit(_setting("RATELIMIT_API_READ"), scope="api-read", key_func=api_key)
api_posting = limiter.shared_limit(_by_newness("RATELIMIT_POSTING", "RATELIMIT_POSTING_NEW", api_member),
                                   scope="posting", key_func=api_key, deduct_when=_created)
api_toggles = limiter.shared_limit(_setting("RATELIMIT_TOGGLES"), scope="toggles", key_func=api_key)
