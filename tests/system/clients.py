"""Client processes for the system tests: a member who signs in over HTTP and posts answers and
gives kudos as fast as the server lets them, recording what each request answered.

Module-level functions only (they run in spawned processes) and nothing but `requests` imported,
so a client starts quickly and shares nothing with the server or the test.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import requests

CSRF = re.compile(r'name="csrf[-_]token"[^>]*?(?:content|value)="([^"]+)"')


@dataclass(frozen=True)
class Job:
    base_url: str
    email: str
    password: str
    client_no: int
    posts: int
    thread_ids: list[int]
    kudos_post_ids: list[int]
    retry_for: float = 0.0  # seconds to keep retrying while the server is down (the crash test)


@dataclass
class Outcome:
    client_no: int
    statuses: dict[int, int] = field(default_factory=dict)
    posted: list[str] = field(default_factory=list)     # markers of answers the server confirmed
    uncertain: list[str] = field(default_factory=list)  # the connection broke: saved or not, unknown
    kudos_given: list[int] = field(default_factory=list)
    kudos_uncertain: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def marker(client_no: int, n: int) -> str:
    """A word found nowhere else, so the test can count the post in the database and in search."""
    return f"mk{client_no}q{n}z"


def run(job: Job) -> Outcome:
    outcome = Outcome(job.client_no)
    http = requests.Session()
    _sign_in(http, job, outcome)
    token = CSRF.search(http.get(job.base_url + "/", timeout=60).text).group(1)
    for n in range(job.posts):
        word = marker(job.client_no, n)
        thread_id = job.thread_ids[n % len(job.thread_ids)]
        body = f"Answer {n} from client {job.client_no}: reset the network settings, then {word} works again."
        status = _post(http, job, f"/t/{thread_id}/answer", {"body": body, "csrf_token": token}, outcome)
        _sort(status, word, outcome.posted, outcome.uncertain, outcome.failures, "answer")
        if n < len(job.kudos_post_ids):
            post_id = job.kudos_post_ids[n]
            status = _post(http, job, f"/p/{post_id}/kudos", {"action": "give", "csrf_token": token}, outcome)
            _sort(status, post_id, outcome.kudos_given, outcome.kudos_uncertain, outcome.failures, "kudos")
    return outcome


def _sort(status: int | None, item, done: list, uncertain: list, failures: list[str], what: str) -> None:  # noqa: ANN001
    """A redirect means applied; no answer at all, unknown; anything else, a failure."""
    if status == 302:
        done.append(item)
    elif status is None:
        uncertain.append(item)
    else:
        failures.append(f"{what} {item}: HTTP {status}")


def _sign_in(http: requests.Session, job: Job, outcome: Outcome) -> None:
    page = http.get(job.base_url + "/login", timeout=60).text
    token = CSRF.search(page).group(1)
    status = _post(http, job, "/login", {"email": job.email, "password": job.password, "csrf_token": token}, outcome)
    if status != 302:
        raise RuntimeError(f"client {job.client_no} could not sign in: HTTP {status}")


def _post(http: requests.Session, job: Job, path: str, data: dict, outcome: Outcome) -> int | None:
    """POST once; on a broken connection, None (the request may or may not have been applied).
    While the server is down (connection refused), wait and send the next request later."""
    deadline = time.monotonic() + job.retry_for
    try:
        response = http.post(job.base_url + path, data=data, allow_redirects=False, timeout=120)
    except requests.ConnectionError:
        # Sending again could apply it twice; wait until the server answers before going on.
        while time.monotonic() < deadline:
            try:
                http.get(job.base_url + "/login", timeout=30)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        return None
    outcome.statuses[response.status_code] = outcome.statuses.get(response.status_code, 0) + 1
    return response.status_code
