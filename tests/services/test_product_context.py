"""Product context (app/services/product_context.py and its use in posting, board_admin and the
dashboard): cleaning and checking values, the values offered per board, asking and editing with
them, the board's label, and trending issues summed per product against hand-computed values."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from app.models import Board, Thread, ThreadViewDay, me_too
from app.services import board_admin, dashboard, posting, product_context
from app.services.errors import FieldErrors, InvalidInput

BODY = "It worked yesterday; now it shows offline all the time."


@pytest.fixture
def plain_board(session):
    other = Board(slug="orders", name="Orders", description="", position=1)
    session.add(other)
    session.commit()
    return other


def ask(session, author, board, title="Printer shows offline after update", **context) -> Thread:
    return posting.ask(session, author, board_id=board.id, title=title, body=BODY, **context)


# --- cleaning and checking ---------------------------------------------------------------------


@pytest.mark.parametrize("typed, cleaned", [
    ("  OfficeJet   Pro\t9015e ", "OfficeJet Pro 9015e"),
    ("Windows\u200b 11", "Windows 11"),   # a zero-width space is removed
    ("   ", None), ("", None), (None, None),
])
def test_values_are_trimmed_and_whitespace_collapsed(typed, cleaned):
    assert product_context.clean_value(typed) == cleaned


def test_match_key_is_case_folded():
    assert product_context.match_key("  LaserJet  M404dn ") == "laserjet m404dn"
    assert product_context.match_key("STRASSE") == product_context.match_key("straße")
    assert product_context.match_key(" ") is None


def test_validate_accepts_80_characters_and_names_each_field_over_it(printers):
    problems = FieldErrors()
    context = product_context.validate(printers, "p" * 80, "o" * 80, problems)
    assert context == product_context.Context("p" * 80, "o" * 80) and not problems.errors
    product_context.validate(printers, "p" * 81, "o" * 81, problems)
    assert problems.errors == {"product": ["Please keep the product to 80 characters or fewer."],
                               "os_version": ["Please keep the OS / version to 80 characters or fewer."]}


def test_a_board_without_label_drops_the_product(plain_board):
    problems = FieldErrors()
    context = product_context.validate(plain_board, "p" * 200, " Windows 11 ", problems)
    assert context == product_context.Context(None, "Windows 11") and not problems.errors


# --- asking and editing ------------------------------------------------------------------------


def test_ask_stores_cleaned_context(session, member, printers):
    thread = ask(session, member, printers, product="  OfficeJet  Pro 9015e", os_version="Windows 11 ")
    session.refresh(thread)
    assert (thread.product, thread.os_version) == ("OfficeJet Pro 9015e", "Windows 11")


def test_ask_ignores_a_product_in_a_board_without_label(session, member, plain_board):
    thread = ask(session, member, plain_board, product="Forged", os_version="macOS")
    session.refresh(thread)
    assert (thread.product, thread.os_version) == (None, "macOS")


def test_ask_with_a_too_long_product_names_every_problem_and_writes_nothing(session, member, printers):
    with pytest.raises(InvalidInput) as caught:
        posting.ask(session, member, board_id=printers.id, title="short", body=BODY, product="x" * 81)
    assert set(caught.value.errors) == {"title", "product"}
    assert session.query(Thread).count() == 0


def test_editing_the_question_edits_the_context(session, member, printers):
    thread = ask(session, member, printers, product="DeskJet 2720", os_version="Windows 10")
    question = thread_question(session, thread)
    posting.edit(session, member, post_id=question, body=BODY, product="DeskJet 2755e", os_version="")
    session.refresh(thread)
    assert (thread.product, thread.os_version) == ("DeskJet 2755e", None)
    # Not given: unchanged; and a change of the context alone is an edit (a new revision).
    posting.edit(session, member, post_id=question, body=BODY)
    session.refresh(thread)
    assert thread.product == "DeskJet 2755e"
    assert len(posting.revisions(session, question, viewer=member)[1]) == 2


def test_edit_refuses_a_too_long_os(session, member, printers):
    thread = ask(session, member, printers, os_version="Windows 10")
    with pytest.raises(InvalidInput) as caught:
        posting.edit(session, member, post_id=thread_question(session, thread), body=BODY, os_version="o" * 81)
    assert list(caught.value.errors) == ["os_version"]
    session.refresh(thread)
    assert thread.os_version == "Windows 10"


def test_a_board_that_drops_its_label_keeps_the_products_given(session, member, printers):
    thread = ask(session, member, printers, product="DeskJet 2720")
    printers.product_label = None
    session.commit()
    posting.edit(session, member, post_id=thread_question(session, thread), body=BODY + " More.", product="Other")
    session.refresh(thread)
    assert thread.product == "DeskJet 2720"


def thread_question(session, thread) -> int:
    from app.models import Post

    return session.query(Post.id).filter(Post.thread_id == thread.id, Post.kind == "question").scalar()


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_per_board_most_used_first(session, member, printers, plain_board):
    for n, (product, os_version) in enumerate([("DeskJet 2720", "Windows 11"), ("OfficeJet 9015e", "Linux Mint"),
                                               ("officejet 9015E", "linux mint"), ("OfficeJet 9015e", None)]):
        ask(session, member, printers, title=f"Printer question number {n}", product=product, os_version=os_version)
    ask(session, member, plain_board, title="Order question number 1", os_version="Windows 11")
    hidden = ask(session, member, printers, title="Hidden printer question", product="Secret model")
    hidden.is_hidden = True
    session.commit()
    offered = product_context.suggestions(session, [printers, plain_board])
    assert offered[printers.id].label == "Printer model"
    # Case variants count as one, shown as the most used spelling; hidden threads offer nothing.
    assert offered[printers.id].products == ["OfficeJet 9015e", "DeskJet 2720"]
    assert offered[printers.id].os_versions == [*product_context.COMMON_OS, "Linux Mint"]
    assert offered[plain_board.id] == product_context.Suggestions(None, [], list(product_context.COMMON_OS))


# --- the board's label -------------------------------------------------------------------------


def test_admin_sets_changes_and_removes_the_label(session, admin, plain_board):
    board_admin.update(session, admin, board_id=plain_board.id, name="Orders", description="",
                       product_label="  Order   type ")
    assert session.get(Board, plain_board.id).product_label == "Order type"
    board_admin.update(session, admin, board_id=plain_board.id, name="Orders", description="")  # None: as it is
    assert session.get(Board, plain_board.id).product_label == "Order type"
    board_admin.update(session, admin, board_id=plain_board.id, name="Orders", description="", product_label="")
    assert session.get(Board, plain_board.id).product_label is None
    created = board_admin.create(session, admin, name="Scanners", product_label="Scanner model")
    assert created.product_label == "Scanner model"


def test_a_too_long_label_is_refused(session, admin, plain_board):
    with pytest.raises(InvalidInput) as caught:
        board_admin.update(session, admin, board_id=plain_board.id, name="Orders", description="",
                           product_label="l" * 41)
    assert caught.value.errors == {"product_label": ["Please keep the product label to 40 characters or fewer."]}


# --- the dashboard's grouping ------------------------------------------------------------------

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=timezone.utc)


def test_trending_by_product_against_hand_computed_sums(session, member, helper, printers):
    """Views this week / the week before, and me-toos this week (each weighs ME_TOO_WEIGHT = 20):
    A "DeskJet 2720":  30 / 10, 1 me-too  → 20 + 20 = 40
    B "deskjet 2720":   5 /  0            → 5
    C "OfficeJet":     50 / 60, 1 me-too  → -10 + 20 = 10
    D "OfficeJet":     10 / 20            → -10: not rising, so not counted
    E no product:     100 /  0            → rising, but in no product's row
    So: DeskJet 2720 (2 threads) 45, OfficeJet (1 thread) 10."""
    threads = {}
    for name, product in [("A", "DeskJet 2720"), ("B", "deskjet 2720"), ("C", "OfficeJet"), ("D", "OfficeJet"),
                          ("E", None)]:
        threads[name] = ask(session, member, printers, title=f"Trending question {name}", product=product)
    this_week, before = NOW.date(), NOW.date() - timedelta(days=8)
    views = {"A": (30, 10), "B": (5, 0), "C": (50, 60), "D": (10, 20), "E": (100, 0)}
    for name, (now_views, old_views) in views.items():
        for day, n in ((this_week, now_views), (before, old_views)):
            if n:
                session.add(ThreadViewDay(thread_id=threads[name].id, day=day, views=n))
    for name in ("A", "C"):
        session.execute(insert(me_too).values(thread_id=threads[name].id, user_id=helper.id,
                                              created_at=NOW - timedelta(hours=1)))
    session.commit()
    d = dashboard.dashboard(session, None, 30, NOW)
    assert [(t.product, t.threads, t.score) for t in d.trending_by_product] == [
        ("DeskJet 2720", 2, 45), ("OfficeJet", 1, 10)]
    # The same sums from the grouping alone, on the dashboard's rows.
    assert product_context.by_product(dashboard.rising(session, None, NOW)) == d.trending_by_product


def test_trending_by_product_of_a_quiet_site_is_empty(session):
    assert dashboard.dashboard(session, None, 7, NOW).trending_by_product == []


def test_the_demo_content_shows_product_context(app, session):
    from sqlalchemy import func, select

    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0

    labels = dict(session.execute(select(Board.slug, Board.product_label)).all())
    assert labels["printers"] == "Printer model" and labels["orders-accounts"] is None
    with_product = session.scalar(select(func.count()).select_from(Thread).where(Thread.product.is_not(None)))
    with_os = session.scalar(select(func.count()).select_from(Thread).where(Thread.os_version.is_not(None)))
    assert with_product >= 15 and with_os >= 10
