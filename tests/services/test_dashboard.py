"""The support dashboard's figures (app/services/dashboard.py) on a fixed fixture, checked against
values worked out by hand in the comments: medians of odd and even counts, rates, review coverage,
the trending order, the period and board filters, and an empty site. Also the per-day view history
the view counter writes (app/services/view_counts.py)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from app import db
from app.models import Board, Kudos, Post, Thread, ThreadViewDay, User, me_too
from app.services import dashboard
from app.services.errors import InvalidInput
from app.services.view_counts import ViewBuffer, record_view_days

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=timezone.utc)
H = 3600  # seconds in an hour


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


@dataclass
class Site:
    printers: Board
    laptops: Board
    asker: User
    hans: User
    greta: User
    mod: User
    threads: dict[str, Thread]


def _thread(session, board, author, title, asked, **fields) -> Thread:
    thread = Thread(board_id=board.id, author_id=author.id, title=title, slug=title.lower().replace(" ", "-"),
                    created_at=asked, last_activity_at=asked, **fields)
    session.add(thread)
    session.flush()
    question = Post(thread_id=thread.id, author_id=author.id, kind="question", body_source=title, body_html=title,
                    created_at=asked, review_state=fields.get("is_hidden") and "hidden" or "approved")
    session.add(question)
    session.flush()
    return thread


def _answer(session, thread, author, when, *, staff=False, state="approved", **fields) -> Post:
    post = Post(thread_id=thread.id, author_id=author.id, kind="answer", body_source="Try this.",
                body_html="<p>Try this.</p>", created_at=when, posted_as_staff=staff, review_state=state, **fields)
    session.add(post)
    session.flush()
    return post


def _accept(thread, post, when) -> None:
    thread.status, thread.accepted_answer_id, thread.accepted_at = "solved", post.id, when


def _question(session, thread) -> Post:
    return session.scalar(select(Post).where(Post.thread_id == thread.id, Post.kind == "question"))


@pytest.fixture
def site(session, make_user) -> Site:
    printers = Board(slug="printers", name="Printers", position=0)
    laptops = Board(slug="laptops", name="Laptops", position=1)
    session.add_all([printers, laptops])
    session.flush()
    asker, hans, greta = make_user(name="Asker Anna"), make_user(name="Hans"), make_user(name="Greta")
    mod = make_user("moderator", name="Mod Maja")
    t = {}
    # T1 printers: asked 10 Mar 10:00, Hans answers after 1 h, accepted after 4 h.
    t["T1"] = _thread(session, printers, asker, "Paper jam", at(3, 10, 10))
    a1 = _answer(session, t["T1"], hans, at(3, 10, 11), reviewed_at=at(3, 10, 13), views_at_review=40)
    _accept(t["T1"], a1, at(3, 10, 14))
    # T2 printers: the moderator answers after 3 h (staff, reviewed at once), accepted after 24 h.
    t["T2"] = _thread(session, printers, asker, "Offline printer", at(3, 11, 8))
    a2 = _answer(session, t["T2"], mod, at(3, 11, 11), staff=True, reviewed_at=at(3, 11, 11), views_at_review=0)
    _accept(t["T2"], a2, at(3, 12, 8))
    # T3 laptops: a hidden answer after 30 min does not count; Greta's answer after 6 h, unreviewed.
    t["T3"] = _thread(session, laptops, asker, "Battery drains", at(3, 12, 9))
    hidden = _answer(session, t["T3"], greta, at(3, 12, 9, 30), state="hidden")
    a3 = _answer(session, t["T3"], greta, at(3, 12, 15), state="unreviewed")
    q3 = _question(session, t["T3"])
    q3.reviewed_at, q3.views_at_review = at(3, 13, 9), 150  # reviewed after 24 h, too late
    # T4 printers: no answer; its question waits for review.
    t["T4"] = _thread(session, printers, asker, "Streaks on paper", at(3, 13, 12))
    _question(session, t["T4"]).review_state = "unreviewed"
    # T5 printers, only in 30 days: Hans answers after 2 h, accepted after 24 h, reviewed at 100 views.
    t["T5"] = _thread(session, printers, asker, "Scanner driver", at(2, 20, 10))
    a5 = _answer(session, t["T5"], hans, at(2, 20, 12), reviewed_at=at(2, 20, 14), views_at_review=100)
    _accept(t["T5"], a5, at(2, 21, 10))
    # T6 laptops, 1 January: unanswered and the oldest unreviewed post.
    t["T6"] = _thread(session, laptops, asker, "Dock not detected", at(1, 1, 9))
    _question(session, t["T6"]).review_state = "unreviewed"
    # T7 printers: hidden thread, counts nowhere.
    t["T7"] = _thread(session, printers, asker, "Buy cheap ink", at(3, 12, 10), is_hidden=True)
    # T8 printers: merged into T1; an unreviewed question sent back for an edit (not in the backlog).
    t["T8"] = _thread(session, printers, asker, "Jammed paper", at(3, 14, 9), merged_into_id=t["T1"].id)
    q8 = _question(session, t["T8"])
    q8.review_state, q8.edit_requested_at = "unreviewed", at(3, 14, 10)
    # T9 printers: Greta answers after 30 min, accepted after 1.5 h, reviewed after 1 h at 99 views.
    t["T9"] = _thread(session, printers, asker, "Wifi setup", at(3, 14, 10))
    a9 = _answer(session, t["T9"], greta, at(3, 14, 10, 30), reviewed_at=at(3, 14, 11, 30), views_at_review=99)
    _accept(t["T9"], a9, at(3, 14, 11, 30))

    session.add_all([
        Kudos(post_id=a1.id, giver_id=asker.id, created_at=at(3, 11)),
        Kudos(post_id=a1.id, giver_id=greta.id, created_at=at(3, 11)),
        Kudos(post_id=a3.id, giver_id=asker.id, created_at=at(3, 13)),
        Kudos(post_id=hidden.id, giver_id=hans.id, created_at=at(3, 12)),  # hidden post: not counted
        Kudos(post_id=a2.id, giver_id=asker.id, created_at=at(3, 12)),     # staff: not counted
        Kudos(post_id=a5.id, giver_id=greta.id, created_at=at(2, 21)),     # 30 days only
    ])
    # Views: this week is 9–15 March, the week before 2–8 March.
    views = [("T1", date(2026, 3, 9), 30), ("T1", date(2026, 3, 15), 20), ("T1", date(2026, 3, 8), 10),
             ("T1", date(2026, 3, 1), 1000), ("T4", date(2026, 3, 14), 5), ("T3", date(2026, 3, 12), 100),
             ("T3", date(2026, 3, 5), 20), ("T2", date(2026, 3, 10), 10), ("T2", date(2026, 3, 4), 30),
             ("T7", date(2026, 3, 14), 500)]
    session.add_all(ThreadViewDay(thread_id=t[name].id, day=day, views=n) for name, day, n in views)
    me_toos = [("T1", asker, at(3, 14)), ("T4", hans, at(3, 13)), ("T4", greta, at(3, 14)),
               ("T4", mod, at(3, 9, 0, 0)), ("T4", asker, at(3, 8, 23, 59))]
    session.execute(insert(me_too), [{"thread_id": t[name].id, "user_id": user.id, "created_at": when}
                                     for name, user, when in me_toos])
    session.commit()
    return Site(printers, laptops, asker, hans, greta, mod, t)


def test_period_is_whole_utc_days_ending_today():
    span = dashboard.period(7, NOW)
    assert span.start == at(3, 9) and span.end == NOW and span.bucket_days == 1
    assert dashboard.period(90, NOW).first_day == date(2025, 12, 16)
    assert dashboard.period(90, NOW).bucket_days == 7
    with pytest.raises(InvalidInput):
        dashboard.period(14, NOW)


def test_median_of_odd_and_even_counts():
    assert dashboard.median([3, 1, 2]) == 2
    assert dashboard.median([4, 1, 3, 2]) == 2.5
    assert dashboard.median([]) is None


def test_seven_days_all_boards(session, site):
    d = dashboard.dashboard(session, None, 7, NOW)
    # Asked 9–15 Mar, not hidden: T1 T2 T3 T4 T8 T9 = 6; solved T1 T2 T9 = 3.
    assert (d.asked, d.solve_rate.part, d.solve_rate.whole, d.solve_rate.value) == (6, 3, 6, 0.5)
    # First answers: T9 0.5 h, T1 1 h, T2 3 h, T3 6 h (the hidden 30-minute one ignored): even → (1 + 3) / 2.
    assert d.first_answer_seconds == 2 * H
    assert (d.first_answers.community, d.first_answers.staff) == (3, 1)
    assert d.first_answers.community_share.value == 0.75
    # Solutions: T9 1.5 h, T1 4 h, T2 24 h: odd → 4 h; two of three from the community.
    assert d.solution_seconds == 4 * H
    assert (d.solutions.community, d.solutions.staff) == (2, 1)
    # Backlog: T6's question, T3's answer, T4's question (T8 waits for its author's edit).
    assert d.backlog == 3 and d.oldest_unreviewed_at == at(1, 1, 9)
    assert d.oldest_unreviewed_age == NOW - at(1, 1, 9)
    # Reviewed in the period, members' posts: A1 (40 views, 2 h), Q3 (150 views, 24 h), A9 (99 views, 1 h).
    assert (d.coverage.part, d.coverage.whole) == (2, 3)
    assert d.review_delay_seconds == 2 * H
    # Unanswered, oldest first: T6 then T4 (T3 has a visible answer, T7 is hidden, T8 merged).
    assert [t.title for t in d.unanswered] == ["Dock not detected", "Streaks on paper"]
    assert d.unanswered_total == 2
    assert [(row.board.name, row.asked) for row in d.busiest] == [("Printers", 5), ("Laptops", 1)]
    # Hans: T1 accepted + 2 kudos = 3; Greta: T9 accepted + 1 kudos = 2; the moderator is staff.
    assert [(h.user.display_name, h.accepted, h.kudos) for h in d.helpers] == [("Hans", 1, 2), ("Greta", 1, 1)]
    # Trending: T3 +80 views = 80; T1 +40 views + 1 me-too × 20 = 60; T4 +5 views + (3 − 1) × 20 = 45;
    # T2 fell, T7 is hidden.
    assert [(t.thread.title, t.rise) for t in d.trending] == [
        ("Battery drains", 80), ("Paper jam", 60), ("Streaks on paper", 45)]
    t4 = d.trending[2]
    assert (t4.me_too_this_week, t4.me_too_last_week, t4.views_this_week, t4.views_last_week) == (3, 1, 5, 0)


def test_daily_buckets_for_a_week(session, site):
    buckets = dashboard.dashboard(session, None, 7, NOW).buckets
    assert [b.first_day.day for b in buckets] == [9, 10, 11, 12, 13, 14, 15]
    assert [b.asked for b in buckets] == [0, 1, 1, 1, 1, 2, 0]
    assert [b.solved for b in buckets] == [0, 1, 0, 1, 0, 1, 0]
    assert [b.first_answer_seconds for b in buckets] == [None, 1 * H, 3 * H, 6 * H, None, 0.5 * H, None]


def test_weekly_buckets_for_ninety_days(session, site):
    d = dashboard.dashboard(session, None, 90, NOW)
    buckets = d.buckets
    # 16 Dec – 15 Mar: twelve weeks and a last bucket of six days.
    assert len(buckets) == 13
    assert (buckets[0].first_day, buckets[0].last_day) == (date(2025, 12, 16), date(2025, 12, 22))
    assert (buckets[-1].first_day, buckets[-1].last_day) == (date(2026, 3, 10), date(2026, 3, 15))
    # T6 (1 Jan) is in the third week; T5 (20 Feb) in the tenth (10–16 Feb is the ninth).
    assert buckets[2].asked == 1 and buckets[9].asked == 1
    assert sum(b.asked for b in buckets) == d.asked == 8
    assert [(row.board.name, row.asked) for row in d.busiest] == [("Printers", 6), ("Laptops", 2)]


def test_thirty_days_adds_the_older_thread(session, site):
    d = dashboard.dashboard(session, None, 30, NOW)
    # T5 joins: 7 asked, 4 solved.
    assert (d.solve_rate.part, d.solve_rate.whole) == (4, 7)
    # First answers 0.5, 1, 2, 3, 6 h: odd → 2 h. Solutions 1.5, 4, 24, 24 h: even → 14 h.
    assert d.first_answer_seconds == 2 * H
    assert d.solution_seconds == 14 * H
    # Coverage: A5 had exactly 100 views, too late: 2 of 4; delays 1, 2, 2, 24 h → 2 h.
    assert (d.coverage.part, d.coverage.whole) == (2, 4)
    assert d.review_delay_seconds == 2 * H
    assert [(h.user.display_name, h.accepted, h.kudos) for h in d.helpers] == [("Hans", 2, 3), ("Greta", 1, 1)]


def test_board_filter(session, site):
    d = dashboard.dashboard(session, site.printers.id, 7, NOW)
    # Printers: T1 T2 T4 T8 T9 asked, T1 T2 T9 solved.
    assert (d.solve_rate.part, d.solve_rate.whole) == (3, 5)
    # First answers 0.5, 1, 3 h: odd → 1 h. Solutions 1.5, 4, 24 h → 4 h.
    assert d.first_answer_seconds == 1 * H and d.solution_seconds == 4 * H
    assert [t.title for t in d.unanswered] == ["Streaks on paper"]
    assert d.backlog == 1 and d.oldest_unreviewed_age == timedelta(days=2)
    # A1 and A9 both before 100 views; delays 1 h and 2 h: even → 1.5 h.
    assert d.coverage.value == 1.0 and d.review_delay_seconds == 1.5 * H
    assert [h.user.display_name for h in d.helpers] == ["Hans", "Greta"]
    assert [(h.accepted, h.kudos) for h in d.helpers] == [(1, 2), (1, 0)]
    assert [t.thread.title for t in d.trending] == ["Paper jam", "Streaks on paper"]
    # The busiest boards compare all boards whatever the filter.
    assert len(d.busiest) == 2

    laptops = dashboard.dashboard(session, site.laptops.id, 7, NOW)
    assert laptops.solve_rate.value == 0 and laptops.solutions.community_share.value is None
    assert laptops.solution_seconds is None and laptops.first_answer_seconds == 6 * H


def test_empty_site_gives_no_figures_rather_than_zero(session):
    d = dashboard.dashboard(session, None, 30, NOW)
    assert d.asked == 0 and d.unanswered == [] and d.unanswered_total == 0
    assert d.solve_rate.value is None and d.coverage.value is None
    assert d.first_answers.community_share.value is None and d.solutions.staff_share.value is None
    assert d.first_answer_seconds is None and d.solution_seconds is None and d.review_delay_seconds is None
    assert d.backlog == 0 and d.oldest_unreviewed_age is None
    assert d.busiest == [] and d.helpers == [] and d.trending == []
    assert len(d.buckets) == 30 and all(b.asked == 0 and b.first_answer_seconds is None for b in d.buckets)


def _day_views(session) -> dict[tuple[int, date], int]:
    session.commit()
    return {(row.thread_id, row.day): row.views
            for row in session.scalars(select(ThreadViewDay).execution_options(populate_existing=True))}


def test_view_days_add_up_per_thread_and_day(session, make_thread):
    one, two = make_thread(), make_thread(title="Scanner is slow")
    record_view_days(session, {one.id: 3, two.id: 1}, date(2026, 3, 14))
    record_view_days(session, {one.id: 2}, date(2026, 3, 14))
    record_view_days(session, {one.id: 4, two.id: 0}, date(2026, 3, 15))
    assert _day_views(session) == {(one.id, date(2026, 3, 14)): 5, (two.id, date(2026, 3, 14)): 1,
                                   (one.id, date(2026, 3, 15)): 4}


def test_view_buffer_files_views_under_the_day_of_the_flush(session, make_thread):
    thread = make_thread()
    days = iter([date(2026, 3, 14), date(2026, 3, 14), date(2026, 3, 15)])
    buffer = ViewBuffer(0, today=lambda: next(days))
    for _ in range(3):
        buffer.add(session, thread.id)
    assert _day_views(session) == {(thread.id, date(2026, 3, 14)): 2, (thread.id, date(2026, 3, 15)): 1}
    assert session.get(Thread, thread.id, populate_existing=True).view_count == 3


def test_simultaneous_flushes_all_count(app, session, make_thread):
    """Four writers adding to the same two (thread, day) rows, the first of them created by
    whichever insert wins: every view is counted once (ON CONFLICT adds in SQL)."""
    one, two = make_thread(), make_thread(title="Scanner is slow")
    day = date(2026, 3, 14)

    def work(_: int) -> None:
        with app.app_context():
            own = db.session()
            for _ in range(10):
                record_view_days(own, {two.id: 2, one.id: 1}, day)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(4)))
    assert _day_views(session) == {(one.id, day): 40, (two.id, day): 80}
