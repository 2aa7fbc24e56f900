"""Dashboard benchmark: how long a staff member waits for /dashboard on a big forum.

    .venv/bin/python -m bench.dashboard --posts 100000 [--postgres]

Builds the search benchmark's corpus (bench/search.py: two years of threads up to 2026-11-24) in a
new SQLite database (with --postgres also in a new PostgreSQL database on 127.0.0.1, dropped
afterwards), adds what the dashboard reads and the corpus lacks (see `add_support_history`), then
asks GET /dashboard through the Flask test client, signed in as staff, for all boards and for one
board over 7, 30 and 90 days, each `--repeat` times after one warm-up, and reports the median and
slowest response, the SQL statements per page and the process's peak memory. The clock is set to the
corpus's last day, so every period is full. Nothing leaves loopback.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import bindparam, create_engine, event, insert, select, text, update

from app.models import AskSession, AskSuggestion, Kudos, Post, SolutionFeedback, Thread, ThreadViewDay, me_too
from bench.search import END, PG_SERVER, SEED, USERS, analyze, build_corpus, peak_rss_mb, prepare_database

PRODUCTS = [f"{family} {number}" for family in ("OfficeJet Pro", "DeskJet", "LaserJet", "ENVY", "Pavilion",
                                                "ProBook", "EliteBook", "OMEN", "Victus", "Spectre")
            for number in (2720, 4155, 6055, 8730, 9015)]
SYSTEMS = ("Windows 11", "Windows 10", "macOS 14", "ChromeOS", "Ubuntu 24.04", "Android 14", "iOS 17")
PERIODS = (7, 30, 90)
BOARD = 1  # the board of the one-board pages


def add_support_history(database_url: str, seed: int = SEED) -> dict[str, int]:
    """What a busy support community has besides its posts: solution times, reviews (5% of the last
    three days' posts still waiting), kudos as rows, products and OS versions, "I have this question
    too", two weeks of views per thread and day, 90 days of ask sessions with suggestions, and
    "Did this solve your problem?" answers. Returns the rows added per table."""
    rng = random.Random(seed)
    engine = create_engine(database_url)
    added: dict[str, int] = {}
    with engine.begin() as connection:
        threads = connection.execute(select(Thread.id, Thread.board_id, Thread.created_at,
                                            Thread.accepted_answer_id)).all()
        posts = connection.execute(select(Post.id, Post.thread_id, Post.created_at, Post.kudos_count,
                                          Post.author_id)).all()
        created = {post.id: post.created_at for post in posts}
        solved = [t for t in threads if t.accepted_answer_id]
        connection.execute(update(Thread).where(Thread.id == bindparam("tid")).values(
            accepted_at=bindparam("accepted")), [
            {"tid": t.id, "accepted": created[t.accepted_answer_id] + timedelta(hours=rng.uniform(0.2, 96))}
            for t in solved])
        connection.execute(update(Thread).where(Thread.id == bindparam("tid")).values(
            product=bindparam("new_product"), os_version=bindparam("new_os")), [
            {"tid": t.id, "new_product": rng.choice(PRODUCTS) if rng.random() < 0.6 else None,
             "new_os": rng.choice(SYSTEMS) if rng.random() < 0.7 else None} for t in threads])
        recent = END - timedelta(days=3)
        waiting = [p for p in posts if p.created_at >= recent and rng.random() < 0.05]
        waiting_ids = {p.id for p in waiting}
        connection.execute(update(Post).where(Post.id == bindparam("pid")).values(
            reviewed_at=bindparam("reviewed"), views_at_review=bindparam("views")), [
            {"pid": p.id, "reviewed": p.created_at + timedelta(hours=rng.expovariate(1 / 14)),
             "views": int(rng.expovariate(1 / 60))} for p in posts if p.id not in waiting_ids])
        connection.execute(update(Post).where(Post.id.in_(waiting_ids)).values(review_state="unreviewed"))
        kudos = [{"post_id": p.id, "giver_id": giver, "created_at": p.created_at + timedelta(hours=rng.uniform(1, 300))}
                 for p in posts for giver in rng.sample(range(1, USERS + 1), min(p.kudos_count, 50))
                 if giver != p.author_id]
        connection.execute(insert(Kudos), kudos)
        added["kudos"] = len(kudos)
        today = END.date()
        views = [{"thread_id": t.id, "day": today - timedelta(days=day), "views": int(rng.paretovariate(1.2) * 3)}
                 for t in threads for day in range(14) if rng.random() < 0.25]
        connection.execute(insert(ThreadViewDay), views)
        added["thread_view_days"] = len(views)
        toos = {(t.id, user): END - timedelta(hours=rng.uniform(0, 14 * 24))
                for t in rng.sample(threads, len(threads) // 20) for user in rng.sample(range(1, USERS + 1), rng.randint(1, 6))}
        connection.execute(insert(me_too), [{"thread_id": tid, "user_id": user, "created_at": at}
                                            for (tid, user), at in toos.items()])
        added["me_too"] = len(toos)
        added.update(_ask_sessions(connection, rng, solved))
    engine.dispose()
    return added


def _ask_sessions(connection, rng: random.Random, solved: list) -> dict[str, int]:  # noqa: ANN001
    """About 220 ask sessions a day for 90 days (the questions of a 100k-post forum, and as many
    given up), each shown three solved threads; 40% open one; answers on solved threads."""
    sessions, suggestions, feedback = [], [], []
    voter = 0
    for number in range(90 * 220):
        started = END - timedelta(minutes=rng.uniform(40, 90 * 24 * 60))
        board = rng.randint(1, 5)
        shown = rng.sample(solved, 3)
        posted = rng.random() < 0.5
        sessions.append({"id": number + 1, "token": uuid.uuid4().hex, "board_id": board, "terms": "printer offline",
                         "started_at": started, "last_seen_at": started + timedelta(minutes=3),
                         "outcome": "posted" if posted else "open"})
        for position, thread in enumerate(shown):
            opened = position == 0 and rng.random() < 0.4
            suggestions.append({"session_id": number + 1, "thread_id": thread.id, "shown_at": started,
                                "opened_at": started + timedelta(minutes=1) if opened else None})
            if opened and rng.random() < 0.6:
                voter += 1
                feedback.append({"thread_id": thread.id, "helpful": rng.random() < 0.8, "voter_key": f"{voter:064d}",
                                 "ask_session_id": number + 1, "created_at": started + timedelta(minutes=2)})
    for thread in rng.sample(solved, len(solved) // 3):
        for _ in range(rng.randint(1, 8)):
            voter += 1
            feedback.append({"thread_id": thread.id, "helpful": rng.random() < 0.75, "voter_key": f"{voter:064d}",
                             "ask_session_id": None, "created_at": END - timedelta(minutes=rng.uniform(1, 90 * 24 * 60))})
    connection.execute(insert(AskSession), sessions)
    connection.execute(insert(AskSuggestion), suggestions)
    connection.execute(insert(SolutionFeedback), feedback)
    return {"ask_sessions": len(sessions), "ask_suggestions": len(suggestions), "solution_feedback": len(feedback)}


def measure(database_url: str, repeat: int) -> list[tuple[str, float, float, int]]:
    """(page, median ms, slowest ms, SQL statements) for each board choice and period."""
    from unittest import mock

    from app import create_app
    from app.config import for_tests
    from app.models import User

    app = create_app({**for_tests(database_url, Path(tempfile.gettempdir())), "TESTING": False})
    statements = []
    event.listen(app.extensions["db_engine"], "before_cursor_execute", lambda *args: statements.append(1))
    with app.app_context():
        staff = app.extensions["db_sessionmaker"]().scalar(select(User).where(User.role == "moderator").limit(1))
        login = staff.get_id()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"] = login, True
    rows = []
    # The dashboard's "now" is the corpus's last day, so each period is full of activity.
    with mock.patch("app.web.dashboard.utcnow", lambda: END - timedelta(seconds=1)):
        for board in ("", str(BOARD)):
            for days in PERIODS:
                url = f"/dashboard?board={board}&days={days}"
                assert client.get(url).status_code == 200, url
                times = []
                for _ in range(repeat):
                    statements.clear()
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200 and b"Deflection" in response.data, url
                rows.append((f"{'all boards' if not board else 'one board'}, {days} days",
                             statistics.median(times), max(times), len(statements)))
    app.extensions["db_engine"].dispose()
    return rows


def run(label: str, database_url: str, corpus, repeat: int) -> None:  # noqa: ANN001
    prepare_database(database_url, corpus)
    started = time.perf_counter()
    added = add_support_history(database_url)
    if database_url.startswith("postgresql"):
        analyze(database_url)
    print(f"  (support history added in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{n:,} {table}" for table, n in added.items()) + ")", flush=True)
    print(f"\n{label}, {corpus.posts:,} posts in {len(corpus.threads):,} threads\n")
    print("| page | median | slowest | SQL statements |\n|---|---:|---:|---:|")
    for page, median, slowest, count in measure(database_url, repeat):
        print(f"| {page} | {median:.0f} ms | {slowest:.0f} ms | {count} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help=f"also on a new database at {PG_SERVER}")
    args = parser.parse_args()
    corpus = build_corpus(args.posts)
    with tempfile.TemporaryDirectory(prefix="peerdesk-bench-dashboard-") as scratch:
        run("SQLite", f"sqlite:///{scratch}/bench.sqlite3", corpus, args.repeat)
    if args.postgres:
        name = f"peerdesk_bench_{uuid.uuid4().hex[:8]}"
        server = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("PostgreSQL", f"{PG_SERVER}/{name}", corpus, args.repeat)
        finally:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            server.dispose()
    print(f"\npeak RSS {peak_rss_mb():.0f} MB (corpus included)")


if __name__ == "__main__":
    main()
