"""Load benchmark: the thread page (50 answers), a board page and a search under 16 concurrent
connections on gunicorn (2 workers), against a one-route "hello" Flask app on the same settings.

    .venv/bin/python -m bench.load --sizes 1000,10000,100000   # posts in the database

For each size it builds the search benchmark's corpus (bench/search.py) in a new SQLite database,
adds one thread with 50 answers, builds the Whoosh index, serves the app with gunicorn and drives
each page with `wrk` (Debian's `wrk`: `make bench-load` installs it), reporting requests/s,
p50/p99 latency, the ratio to the hello app and the workers' peak memory. Rate limits are off:
all the load comes from one address. Loopback only; every run is bounded by --duration.
"""
from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.live_server import LiveServer
from bench.search import BOARDS, build_corpus, load_average, prepare_database

ANSWERS = 50
MEMBER_EMAIL, MEMBER_PASSWORD = "reader@bench.invalid", "Bench-Reader-Password-2026"
WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Measure:
    page: str
    posts: int
    rps: float
    p50: float
    p99: float
    errors: int
    rss_mb: float
    ceiling_rps: float = 0.0  # the hello app, measured just before this size's pages


def wrk(url: str, *, connections: int, duration: int, threads: int = 2,
        cookie: str | None = None) -> tuple[float, float, float, int]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", *headers, url],
                         capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {q: float(v) * UNITS[unit] for q, v, unit in WRK_LATENCY.findall(out)}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    failed = re.search(r"Socket errors: connect (\d+), read \d+, write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    if failed:  # read errors left out: gunicorn's sync workers close every connection after answering
        errors += sum(int(n) for n in failed.groups())
    return rps, latency["50"], latency["99"], errors


def add_long_thread(database_url: str) -> int:
    """A question with 50 answers from different members, some with kudos and a solution."""
    from app import create_app
    from app.config import for_tests
    from app.models import Board, User
    from app.services import kudos, posting, solutions
    from app.services.passwords import hash_password
    from app.services.rules import DEFAULT_RULES

    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(for_tests(database_url, Path(scratch)))
        session: Session = app.extensions["db_sessionmaker"]()
        users = list(session.scalars(select(User).order_by(User.id).limit(ANSWERS + 1)))
        session.add(User(email=MEMBER_EMAIL, display_name="Bench Reader", role="member",
                         password_hash=hash_password(MEMBER_PASSWORD)))
        session.commit()
        board = session.scalars(select(Board).order_by(Board.id)).first()
        thread = posting.ask(session, users[0], board_id=board.id,
                             title="Printer prints blank pages after the firmware update",
                             body="Since yesterday's firmware update every page comes out blank. " * 4)
        answers = [posting.answer(session, users[n], thread_id=thread.id,
                                  body=f"Answer {n}: open the printer settings, run the print-head cleaning "
                                       "twice, then print a test page. " * 3)
                   for n in range(1, ANSWERS + 1)]
        for n, answer in enumerate(answers[:20]):
            kudos.give(session, users[(n + 2) % len(users)], post_id=answer.id, rules=DEFAULT_RULES)
        solutions.accept(session, users[0], answer_id=answers[3].id)
        thread_id = thread.id
        session.close()
        app.extensions["db_engine"].dispose()
    return thread_id


def sign_in(base_url: str) -> str:
    """The session cookie of a signed-in member, as a Cookie header value."""
    http = requests.Session()
    page = http.get(f"{base_url}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
    answer = http.post(f"{base_url}/login", data={"email": MEMBER_EMAIL, "password": MEMBER_PASSWORD,
                                                  "csrf_token": token}, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise SystemExit(f"the benchmark member could not sign in: HTTP {answer.status_code}")
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def build_index(database_url: str, index_dir: Path) -> float:
    from app.db import make_engine
    from app.search import indexer
    from app.search.whoosh_backend import WhooshBackend

    started = time.perf_counter()
    engine = make_engine(database_url)
    backend = WhooshBackend(index_dir)
    with Session(engine) as session:
        indexer.rebuild(session, backend)
    backend.close()
    engine.dispose()
    return time.perf_counter() - started


def serve_env(database_url: str, index_dir: Path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "SEARCH_INDEX_DIR": str(index_dir), "SECRET_KEY": "bench-only-secret",
            "RATELIMIT_ENABLED": "0"}


def measure_size(posts: int, args: argparse.Namespace, scratch: Path) -> list[Measure]:
    """The three pages at this size, each with the ceiling measured right before the pages
    (a shared machine's speed drifts over the minutes a run takes)."""
    corpus = build_corpus(posts - ANSWERS - 1)
    database_url = f"sqlite:///{scratch / f'load-{posts}.sqlite3'}"
    print(f"{posts:,} posts: preparing the database", flush=True)
    prepare_database(database_url, corpus)
    thread_id = add_long_thread(database_url)
    index_dir = scratch / f"index-{posts}"
    print(f"  index built in {build_index(database_url, index_dir):.0f} s", flush=True)
    ceiling = measure_ceiling(args, scratch)
    print(f"  hello: {ceiling.rps:.0f} req/s, p50 {ceiling.p50:.1f} ms, p99 {ceiling.p99:.1f} ms", flush=True)
    server = LiveServer(serve_env(database_url, index_dir), workers=args.workers,
                        log_path=scratch / f"gunicorn-{posts}.log")
    server.start(ready_path="/")
    try:
        thread_url = requests.get(f"{server.url}/t/{thread_id}", timeout=30).url  # the canonical slug URL
        board_url = f"{server.url}/b/{BOARDS[1]}"
        member = sign_in(server.url)
        pages = {"thread (50 answers)": (thread_url, None), "board": (board_url, None),
                 "search": (f"{server.url}/search?q=printer+offline&solved=1", None),
                 "thread, signed in (never kept)": (thread_url, member)}
        results = [ceiling]
        for name, (url, cookie) in pages.items():
            wrk(url, connections=args.connections, duration=2, cookie=cookie)  # warm up
            rps, p50, p99, errors = wrk(url, connections=args.connections, duration=args.duration, cookie=cookie)
            results.append(Measure(name, posts, rps, p50, p99, errors, server.peak_worker_rss_mb(), ceiling.rps))
            print(f"  {name}: {rps:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, errors {errors}", flush=True)
        if "Traceback" in server.log_path.read_text():
            print(f"  the server logged errors: see {server.log_path}\n{server.log_tail()}")
        return results
    finally:
        server.stop()


def measure_ceiling(args: argparse.Namespace, scratch: Path) -> Measure:
    server = LiveServer({}, workers=args.workers, app="bench.hello_app:app", log_path=scratch / "hello.log")
    server.start(ready_path="/")
    try:
        wrk(server.url + "/", connections=args.connections, duration=2)
        rps, p50, p99, errors = wrk(server.url + "/", connections=args.connections, duration=args.duration)
        return Measure("hello (ceiling)", 0, rps, p50, p99, errors, server.peak_worker_rss_mb(), rps)
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="posts in the database, comma-separated")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (or `make bench-load`)")
    print(f"{platform.node()}: Python {platform.python_version()}, load average {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="peerdesk-load-") as scratch_name:
        scratch = Path(scratch_name)
        measures = [m for size in (int(s) for s in args.sizes.split(",")) for m in measure_size(size, args, scratch)]
    print(f"\nload average at the end {load_average()}\n")
    print("| page | posts | req/s | share of ceiling | p50 ms | p99 ms | errors | peak worker RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for m in measures:
        print(f"| {m.page} | {f'{m.posts:,}' if m.posts else '—'} | {m.rps:,.0f} | {m.rps / m.ceiling_rps:.0%} | {m.p50:.1f} | {m.p99:.1f} | "
              f"{m.errors} | {m.rss_mb:.0f} |")


if __name__ == "__main__":
    main()
