"""Abuse limits (Flask-Limiter, app/web/abuse.py): sign-in per account and per address, sign-up,
posting and flagging per member (stricter for new members), the kudos burst and daily allowance,
the 429 answer (when to try again, the typed text kept, JSON for fetch), and counters shared by
several workers through Redis."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app import config
from app.extensions import limiter
from app.models import Flag, Post
from app.services import posting
from app.web.errors import wait_in_words
from tests.conftest import PASSWORD
from tests.web.html_tools import parse

REDIS_URL = "redis://127.0.0.1:6379"
ANSWER = "Reinstall the driver from the support site, then restart the print spooler service."


@pytest.fixture
def limited(make_app):
    """An app on the test database with rate limits on; keyword arguments change its settings."""
    return lambda **settings: make_app(RATELIMIT_ENABLED=True, **settings)


def _client(site, session, address: str = "192.0.2.1"):
    client = site.test_client()
    client.test_session = session
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _established(session, user):
    """Older than the new-member days and with enough reputation: the ordinary limits apply."""
    user.reputation = 100
    user.created_at = datetime.now(timezone.utc) - timedelta(days=90)
    session.commit()
    return user


def _retry_after(response) -> int:
    return int(response.headers["Retry-After"])


# --- sign-in and sign-up ------------------------------------------------------------------------


def test_failed_sign_ins_are_limited_per_account_from_any_address(limited, session, member, helper):
    site = limited(RATELIMIT_SIGN_IN_ACCOUNT="3 per minute", RATELIMIT_SIGN_IN_ADDRESS="100 per minute")
    for n, typed in enumerate([member.email, member.email.upper(), f"  {member.email} "]):
        response = _client(site, session, f"192.0.2.{n + 10}").post(
            "/login", data={"email": typed, "password": "wrong-password-1"})
        assert response.status_code == 400
    # The account is refused for the rest of the minute, even with the right password from elsewhere …
    refused = _client(site, session, "198.51.100.1").post("/login", data={"email": member.email, "password": PASSWORD})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert 0 < _retry_after(refused) <= 60
    assert re.search(r"Please try again in \d+ seconds? \(at \d\d:\d\d UTC\)", html)
    assert member.email in html and PASSWORD not in html
    assert "Back to the form" in html and "Send it again" not in html  # a password is typed anew
    # … while other accounts sign in as usual from the same addresses.
    assert _client(site, session, "192.0.2.10").post(
        "/login", data={"email": helper.email, "password": PASSWORD}).status_code == 302


def test_successful_sign_ins_do_not_count(limited, session, member):
    site = limited(RATELIMIT_SIGN_IN_ACCOUNT="2 per minute", RATELIMIT_SIGN_IN_ADDRESS="2 per minute")
    client = _client(site, session)
    for _ in range(4):
        client.sign_in(member)
        client.post("/logout")
        client.csrf_token = None


def test_failed_sign_ins_are_limited_per_address(limited, session):
    site = limited(RATELIMIT_SIGN_IN_ACCOUNT="100 per minute", RATELIMIT_SIGN_IN_ADDRESS="3 per minute")
    stuffing = _client(site, session, "203.0.113.66")
    for n in range(3):
        assert stuffing.post("/login", data={"email": f"victim{n}@example.com", "password": "x"}).status_code == 400
    assert stuffing.post("/login", data={"email": "victim9@example.com", "password": "x"}).status_code == 429
    assert _client(site, session, "203.0.113.67").post(
        "/login", data={"email": "victim9@example.com", "password": "x"}).status_code == 400


def test_sign_ups_are_limited_per_address(limited, session):
    site = limited(RATELIMIT_SIGN_UP="2 per hour")
    bot = _client(site, session, "203.0.113.5")
    data = {"email": "not-an-address", "display_name": "Bot", "password": "short"}
    assert [bot.post("/register", data=data).status_code for _ in range(3)] == [400, 400, 429]
    assert 60 < _retry_after(bot.post("/register", data=data)) <= 3600
    assert _client(site, session, "203.0.113.6").post("/register", data=data).status_code == 400


def test_behind_a_configured_proxy_each_forwarded_address_has_its_own_budget(limited, session):
    data = {"email": "not-an-address"}

    def statuses(site, forwarded_for):
        client = _client(site, session, "10.0.0.1")  # the proxy
        return [client.post("/register", data=data, headers={"X-Forwarded-For": ip}).status_code
                for ip in forwarded_for]

    behind_proxy = limited(RATELIMIT_SIGN_UP="1 per hour", PROXY_FIX_X_FOR=1)
    assert statuses(behind_proxy, ["198.51.100.1", "198.51.100.2", "198.51.100.1"]) == [400, 400, 429]
    # Without a configured proxy the header is ignored: faking it does not dodge the limit.
    direct = limited(RATELIMIT_SIGN_UP="1 per hour")
    assert statuses(direct, ["198.51.100.3", "198.51.100.4"]) == [400, 429]


# --- posting and flagging ------------------------------------------------------------------------


def _answers(session) -> int:
    session.rollback()
    return session.scalar(select(func.count(Post.id)).where(Post.kind == "answer"))


def test_posting_shares_one_budget_and_new_members_get_the_stricter_one(limited, session, member, helper, thread):
    site = limited(RATELIMIT_POSTING_NEW="2 per minute", RATELIMIT_POSTING="4 per minute")
    newcomer = _client(site, session)
    newcomer.sign_in(helper)
    question = session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))
    assert newcomer.post(f"/t/{thread.id}/answer", data={"body": ANSWER}).status_code == 302
    assert newcomer.post(f"/p/{question}/comment", data={"body": "Which printer model is it?"}).status_code == 302
    assert newcomer.post(f"/t/{thread.id}/answer", data={"body": ANSWER + " Again."}).status_code == 429

    regular = _client(site, session, "192.0.2.2")
    regular.sign_in(_established(session, member))
    assert [regular.post(f"/t/{thread.id}/answer", data={"body": f"{ANSWER} ({n})"}).status_code
            for n in range(5)] == [302, 302, 302, 302, 429]


def test_previews_and_refused_forms_use_none_of_the_posting_budget(limited, session, helper, thread, board):
    site = limited(RATELIMIT_POSTING_NEW="1 per minute")
    client = _client(site, session)
    client.sign_in(helper)
    for _ in range(3):
        assert client.post("/ask", data={"board": board.id, "title": "Draft", "body": "draft", "preview": "1"}
                           ).status_code == 200
        assert client.post(f"/t/{thread.id}/answer", data={"body": "short"}).status_code == 400
    assert client.post(f"/t/{thread.id}/answer", data={"body": ANSWER}).status_code == 302
    assert client.post(f"/t/{thread.id}/answer", data={"body": ANSWER}).status_code == 429


def test_a_refused_post_comes_back_in_a_form_to_send_again(limited, session, helper, thread):
    site = limited(RATELIMIT_POSTING_NEW="1 per minute")
    client = _client(site, session)
    client.sign_in(helper)
    answer = posting.answer(session, helper, thread_id=thread.id, body=ANSWER)
    assert client.post(f"/t/{thread.id}/answer", data={"body": ANSWER + " First."}).status_code == 302

    typed = "Edited: reinstall the driver, restart the spooler, then print a test page."
    response = client.post(f"/p/{answer.id}/edit", data={"body": typed, "reason": "more detail", "base_revision": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Slow down a little" in html and "Please try again in" in html
    form = re.search(r'<form method="post" action="([^"]+)" class="typed-back"', html)
    assert form and form.group(1) == f"/p/{answer.id}/edit"
    page = parse(html)
    assert page.value("body") == typed and page.value("reason") == "more detail"
    assert page.value("base_revision") == "1" and page.value("csrf_token")

    # Once the limit has passed, sending that form again saves the edit.
    limiter.reset()
    fields = {name: page.value(name) for name in ("csrf_token", "body", "reason", "base_revision")}
    assert client.post(f"/p/{answer.id}/edit", data=fields).status_code == 302
    session.rollback()
    assert session.get(Post, answer.id).body_source == typed


def test_flagging_is_limited_per_member_and_stricter_for_new_members(limited, session, member, helper, make_user,
                                                                      thread):
    site = limited(RATELIMIT_FLAGGING_NEW="1 per minute", RATELIMIT_FLAGGING="3 per minute")
    answers = [posting.answer(session, member, thread_id=thread.id, body=f"{ANSWER} ({n})") for n in range(4)]
    flag = {"reason": "spam", "note": "Posted the same thing four times."}
    newcomer = _client(site, session)
    newcomer.sign_in(helper)
    assert newcomer.post(f"/p/{answers[0].id}/flag", data=flag).status_code == 302
    refused = newcomer.post(f"/p/{answers[1].id}/flag", data=flag)
    assert refused.status_code == 429
    assert parse(refused.get_data(as_text=True)).value("note") == flag["note"]

    regular = _client(site, session, "192.0.2.3")
    regular.sign_in(_established(session, make_user(name="Regular Rita")))
    assert [regular.post(f"/p/{a.id}/flag", data=flag).status_code for a in answers] == [302, 302, 302, 429]
    session.rollback()
    assert session.scalar(select(func.count(Flag.id))) == 4


# --- kudos, JSON --------------------------------------------------------------------------------


def test_a_kudos_burst_is_refused_with_json_for_the_sites_script(limited, session, member, helper, thread):
    site = limited(RATELIMIT_TOGGLES="2 per minute")
    answer = posting.answer(session, member, thread_id=thread.id, body=ANSWER)
    client = _client(site, session)
    client.sign_in(helper)
    json_headers = {"Accept": "application/json"}
    actions = ["give", "take", "give"]
    responses = [client.post(f"/p/{answer.id}/kudos", data={"action": a}, headers=json_headers) for a in actions]
    assert [r.status_code for r in responses] == [200, 200, 429]
    refused = responses[-1]
    assert refused.is_json and "try again in" in refused.json["error"]
    assert refused.json["retry_after"] == _retry_after(refused) and 0 < _retry_after(refused) <= 60


def test_the_daily_kudos_allowance_from_the_configuration_is_enforced(limited, session, member, helper, thread):
    site = limited(KUDOS_PER_DAY=1)
    answers = [posting.answer(session, member, thread_id=thread.id, body=f"{ANSWER} ({n})") for n in range(2)]
    client = _client(site, session)
    client.sign_in(helper)
    headers = {"Accept": "application/json"}
    assert client.post(f"/p/{answers[0].id}/kudos", data={"action": "give"}, headers=headers).status_code == 200
    refused = client.post(f"/p/{answers[1].id}/kudos", data={"action": "give"}, headers=headers)
    assert refused.status_code == 403 and "daily allowance" in refused.json["error"]


def test_similar_threads_answer_a_json_429_whatever_the_accept_header(limited, session):
    site = limited(RATELIMIT_SIMILAR="1 per minute")
    client = _client(site, session)
    assert client.get("/search/similar?title=printer offline").status_code == 200
    refused = client.get("/search/similar?title=printer offline", headers={"Accept": "text/html"})
    assert refused.status_code == 429 and refused.is_json and refused.json["retry_after"] > 0


# --- settings and words --------------------------------------------------------------------------


def test_limits_come_from_the_environment_and_a_malformed_one_stops_the_start(tmp_path, monkeypatch):
    monkeypatch.setenv("RATELIMIT_POSTING_NEW", "1 per minute;5 per hour")
    assert config.from_environment(tmp_path)["RATELIMIT_POSTING_NEW"] == "1 per minute;5 per hour"
    monkeypatch.setenv("RATELIMIT_SIGN_UP", "lots")
    with pytest.raises(ValueError, match="RATELIMIT_SIGN_UP"):
        config.from_environment(tmp_path)


@pytest.mark.parametrize("seconds, words", [(1, "1 second"), (45, "45 seconds"), (119, "119 seconds"),
                                            (120, "2 minutes"), (3599, "60 minutes"), (7200, "2 hours"),
                                            (86401, "25 hours"), (172800, "2 days")])
def test_the_wait_is_said_in_words_rounded_up(seconds, words):
    assert wait_in_words(seconds) == words


# --- several workers, one Redis -------------------------------------------------------------------

# One "worker": its own process, so its own Limiter and storage, exactly as a gunicorn worker has.
_WORKER = """
import json, sys
from pathlib import Path
from app import create_app
from app.config import for_tests
database_url, instance, storage, prefix, count = sys.argv[1:]
site = create_app({**for_tests(database_url, Path(instance)), "RATELIMIT_ENABLED": True,
                   "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": prefix,
                   "RATELIMIT_SIGN_UP": "3 per hour", "WTF_CSRF_ENABLED": False})
client = site.test_client()
print(json.dumps([client.post("/register", data={"email": "bot"}).status_code for _ in range(int(count))]))
"""


def _worker(database_url, tmp_path, storage: str, prefix: str, count: int) -> list[int]:
    done = subprocess.run([sys.executable, "-c", _WORKER, database_url, str(tmp_path), storage, prefix, str(count)],
                          cwd=config.PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(config.PROJECT_ROOT)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"the shared-counter test needs Redis on {REDIS_URL}, which does not answer")
    yield client
    client.close()


def test_two_workers_share_their_counters_through_redis(redis_client, app, database_url, tmp_path):
    prefix = f"peerdesk-test-{uuid.uuid4().hex}"
    try:
        assert _worker(database_url, tmp_path, REDIS_URL, prefix, 2) == [400, 400]
        assert redis_client.keys(f"LIMITS:LIMITER/{prefix}/*"), "the counter is not in Redis"
        assert _worker(database_url, tmp_path, REDIS_URL, prefix, 2) == [400, 429]
    finally:
        keys = list(redis_client.scan_iter(f"LIMITS:LIMITER/{prefix}/*"))
        if keys:
            redis_client.delete(*keys)
    assert not redis_client.keys(f"LIMITS:LIMITER/{prefix}/*")
    # In memory each worker counts on its own: what Redis is for.
    assert _worker(database_url, tmp_path, "memory://", prefix, 2) == [400, 400]
    assert _worker(database_url, tmp_path, "memory://", prefix, 2) == [400, 400]
