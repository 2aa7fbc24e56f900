"""HTTP tests of product context: the ask form's product field (only in a board with a label,
labelled by it, with suggestions) and OS field, bad input kept, the values shown escaped on the
thread page and edited with the question, the search filters on both backends, the admin's label,
the JSON API and the dashboard's table and CSV."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from app.models import Board, Post, Thread
from app.services import posting
from tests.databases import wants_postgresql
from tests.web.html_tools import parse, path_of, unsafe_markup
from tests.web.test_feeds import _feed

BODY = "Since the router change the printer shows offline in Windows."
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def orders(session):
    other = Board(slug="orders", name="Orders", description="", position=1)
    session.add(other)
    session.commit()
    return other


def ask_form(board, **fields) -> dict:
    # checked_similar: the test is about posting, not about the "similar threads first" step.
    return {"board": board.id, "title": "Printer offline after router change", "body": BODY,
            "checked_similar": "1", **fields}


def the_thread(session) -> Thread:
    session.rollback()
    return session.scalars(select(Thread)).one()


# --- asking ------------------------------------------------------------------------------------


def test_the_ask_form_of_a_labelled_board_offers_its_products(client, session, member, printers):
    posting.ask(session, member, board_id=printers.id, title="Earlier printer question here", body=BODY,
                product="DeskJet 2720", os_version="Linux Mint")
    client.sign_in(member)

    html = client.get("/ask?board=printers").get_data(as_text=True)

    assert re.search(r'<div class="product-field" data-product-field[^>]*>', html).group().endswith("'>")  # shown
    assert '<label class="field-label" for="product">Printer model</label>' in html
    assert 'list="products-%d"' % printers.id in html and '<option value="DeskJet 2720">' in html
    os_list = re.search(r'<datalist id="os-%d">(.*?)</datalist>' % printers.id, html).group(1)
    assert re.findall(r'value="([^"]+)"', os_list) == ["Windows 11", "Windows 10", "macOS", "ChromeOS", "Linux",
                                                        "Android", "iOS", "Linux Mint"]


def test_asking_with_product_and_os_shows_them_near_the_title(client, session, member, printers):
    client.sign_in(member)

    response = client.post("/ask", data=ask_form(printers, product="  OfficeJet  Pro 9015e ", os_version="Windows 11"))

    assert response.status_code == 302
    thread = the_thread(session)
    assert (thread.product, thread.os_version) == ("OfficeJet Pro 9015e", "Windows 11")
    html = client.get(response.location).get_data(as_text=True)
    context = re.search(r'<p class="product-context">(.*?)</p>', html, re.S).group(1)
    assert parse(context).text == ["Printer model: ", "OfficeJet Pro 9015e", " · OS: ", "Windows 11"]
    assert "/search?board=printers&amp;product=OfficeJet+Pro+9015e" in context
    assert "/search?os=Windows+11" in context


def test_a_board_without_label_has_no_product_field_and_ignores_a_forged_one(client, session, member, orders):
    client.sign_in(member)

    html = client.get("/ask?board=orders").get_data(as_text=True)
    assert re.search(r'<div class="product-field" data-product-field[^>]*hidden>', html)
    response = client.post("/ask", data=ask_form(orders, product="Forged model", os_version="macOS"))

    assert response.status_code == 302
    thread = the_thread(session)
    assert (thread.product, thread.os_version) == (None, "macOS")
    assert "Forged model" not in client.get(response.location).get_data(as_text=True)


def test_a_too_long_value_gives_a_clear_message_and_keeps_what_was_typed(client, session, member, printers):
    client.sign_in(member)
    long_product, long_os = "P" * 81, "Windows " + "1" * 80

    response = client.post("/ask", data=ask_form(printers, product=long_product, os_version=long_os))

    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors == {"product": ["Please keep the product to 80 characters or fewer."],
                           "os_version": ["Please keep the OS / version to 80 characters or fewer."]}
    assert page.value("product") == long_product and page.value("os_version") == long_os
    assert page.value("title") == "Printer offline after router change"
    assert session.scalars(select(Thread)).all() == []


def test_the_thread_page_escapes_product_and_os(client, session, member, printers):
    thread = posting.ask(session, member, board_id=printers.id, title="Printer offline after router change",
                         body=BODY, product=XSS[:80], os_version=XSS[:80])

    html = client.get(f"/t/{thread.id}-{thread.slug}").get_data(as_text=True)

    assert unsafe_markup(html) == []
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_editing_the_question_edits_product_and_os(client, session, member, printers):
    thread = posting.ask(session, member, board_id=printers.id, title="Printer offline after router change",
                         body=BODY, product="DeskJet 2720", os_version="Windows 10")
    question = session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    client.sign_in(member)
    page = parse(client.get(f"/p/{question}/edit").get_data(as_text=True))
    assert (page.value("product"), page.value("os_version")) == ("DeskJet 2720", "Windows 10")

    form = {"title": thread.title, "tags": "", "body": BODY, "product": "DeskJet 2755e", "os_version": "Windows 11",
            "base_revision": "1"}
    assert client.post(f"/p/{question}/edit", data=form).status_code == 302
    session.refresh(thread)
    assert (thread.product, thread.os_version) == ("DeskJet 2755e", "Windows 11")

    response = client.post(f"/p/{question}/edit", data={**form, "os_version": "x" * 81, "base_revision": "2"})
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).value("os_version") == "x" * 81


# --- search ------------------------------------------------------------------------------------


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request, app, drain):
    """The site's search on each backend (PostgreSQL's only when the suite runs on it). It takes
    `drain` so that the Whoosh backend is back before drain's teardown closes it."""
    if request.param == "whoosh":
        yield request.param
        return
    if not wants_postgresql():
        pytest.skip("the PostgreSQL search backend is tested when the suite runs on PostgreSQL")
    from app.search.postgres_backend import TABLES

    with app.extensions["db_engine"].begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(TABLES)}"))
    app.config["SEARCH_BACKEND"] = "postgres"
    yield request.param
    app.config["SEARCH_BACKEND"] = "whoosh"
    app.extensions.pop("search_backend", None)


def _titles(client, **params) -> list[str]:
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    return re.findall(r'<h2 class="search-title"><a href="[^"]+">([^<]+)</a>', response.get_data(as_text=True))


def test_search_filters_by_product_and_os(search_backend, client, session, member, printers, orders, drain):
    for title, board, product, os_version in [
        ("Printer offline on the office network", printers, "OfficeJet Pro 9015e", "Windows 11"),
        ("Printer offline after the macOS update", printers, "officejet pro 9015E", "macOS"),
        ("Printer offline since new cartridges", printers, "DeskJet 2720", "Windows 11"),
        ("Printer offline and refund for order", orders, None, "Windows 10"),
    ]:
        posting.ask(session, member, board_id=board.id, title=title, body=BODY, product=product, os_version=os_version)
    drain()

    # Exact and case-insensitive: not a part of a value, not another spelling.
    assert sorted(_titles(client, q="offline", product="OFFICEJET PRO 9015E")) == [
        "Printer offline after the macOS update", "Printer offline on the office network"]
    assert _titles(client, q="offline", product="OfficeJet") == []
    assert sorted(_titles(client, q="offline", os="windows 11")) == [
        "Printer offline on the office network", "Printer offline since new cartridges"]
    assert _titles(client, q="offline", product="officejet pro 9015e", os="Windows 11") == [
        "Printer offline on the office network"]
    # Without words (the links on a thread page): every thread with that context, newest first.
    assert _titles(client, product="OfficeJet Pro 9015e", board="printers") == [
        "Printer offline after the macOS update", "Printer offline on the office network"]
    assert _titles(client, os="Windows 10") == ["Printer offline and refund for order"]
    assert "Nothing found." in client.get("/search?os=Windows+95").get_data(as_text=True)
    # Its feed lists the same threads, so a model's owners can follow it.
    feed = _feed(client, "/search.atom?product=OfficeJet+Pro+9015e&board=printers")
    assert [entry.title for entry in feed.entries] == [
        "Printer offline after the macOS update", "Printer offline on the office network"]


def test_an_edited_product_is_found_by_its_new_value(search_backend, client, session, member, printers, drain):
    thread = posting.ask(session, member, board_id=printers.id, title="Printer offline after router change",
                         body=BODY, product="DeskJet 2720")
    drain()
    question = session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    posting.edit(session, member, post_id=question, body=BODY, product="DeskJet 2755e")
    drain()

    assert _titles(client, product="DeskJet 2720") == []
    assert _titles(client, product="deskjet 2755E") == ["Printer offline after router change"]


@pytest.mark.parametrize("value", ["\x00", "%", "' OR 1=1 --", "x" * 10_000, XSS])
def test_hostile_filter_values_never_break_the_search(search_backend, client, value):
    assert client.get("/search", query_string={"q": "printer", "product": value, "os": value}).status_code == 200
    assert client.get("/search", query_string={"product": value}).status_code == 200


# --- administration ----------------------------------------------------------------------------


def test_admin_sets_and_removes_the_product_label(client, session, admin, orders):
    client.sign_in(admin)
    fields = {f"board-{orders.id}-name": "Orders", f"board-{orders.id}-description": "",
              f"board-{orders.id}-slug": "orders"}

    response = client.post(f"/admin/boards/{orders.id}", data={**fields, f"board-{orders.id}-product_label": "Order type"})
    assert response.status_code == 302
    session.refresh(orders)
    assert orders.product_label == "Order type"
    page = parse(client.get("/admin/boards").get_data(as_text=True))
    assert page.value(f"board-{orders.id}-product_label") == "Order type"

    too_long = "L" * 41
    response = client.post(f"/admin/boards/{orders.id}", data={**fields, f"board-{orders.id}-product_label": too_long})
    assert response.status_code == 400
    page = parse(response.get_data(as_text=True))
    assert page.errors == {f"board-{orders.id}-product_label": [
        "Please keep the product label to 40 characters or fewer."]}
    assert page.value(f"board-{orders.id}-product_label") == too_long

    client.post(f"/admin/boards/{orders.id}", data={**fields, f"board-{orders.id}-product_label": " "})
    session.refresh(orders)
    assert orders.product_label is None


def test_a_new_board_can_have_a_label(client, session, admin):
    client.sign_in(admin)
    client.post("/admin/boards", data={"new-name": "Scanners", "new-description": "", "new-slug": "",
                                       "new-product_label": "Scanner model"})
    assert session.scalar(select(Board.product_label).where(Board.slug == "scanners")) == "Scanner model"


def test_members_cannot_set_a_label(client, session, member, orders):
    client.sign_in(member)
    response = client.post(f"/admin/boards/{orders.id}", data={f"board-{orders.id}-name": "Orders",
                                                                f"board-{orders.id}-product_label": "Hacked"})
    assert response.status_code == 403
    session.refresh(orders)
    assert orders.product_label is None


# --- the JSON API ------------------------------------------------------------------------------


def test_api_asks_with_and_returns_product_and_os(client, session, member, printers, orders):
    from app.services import api_tokens

    secret = api_tokens.create(session, member, name="Test script").secret

    def ask(board, **context):
        body = {"board": board.slug, "title": "Printer offline after router change", "body": BODY, **context}
        return client.open("/api/v1/threads", method="POST", json=body, headers={"Authorization": f"Bearer {secret}"})

    created = ask(printers, product=" LaserJet  M404dn", os_version="Windows 11")
    assert created.status_code == 201
    assert (created.json["product"], created.json["os_version"]) == ("LaserJet M404dn", "Windows 11")
    assert ask(orders, product="Forged").json["product"] is None
    refused = ask(printers, product="x" * 81)
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["product"]
    assert ask(printers, product=7).status_code == 400

    board = client.get("/api/v1/boards/printers").json
    assert board["board"]["product_label"] == "Printer model"
    listed = board["threads"]["items"][0]
    assert (listed["product"], listed["os_version"]) == ("LaserJet M404dn", "Windows 11")


# --- the dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_and_exports_trending_by_product(client, session, member, moderator, printers):
    from datetime import date

    from app.models import ThreadViewDay

    thread = posting.ask(session, member, board_id=printers.id, title="Printer offline after router change",
                         body=BODY, product="=HYPERLINK(1)")
    session.add(ThreadViewDay(thread_id=thread.id, day=date.today(), views=7))
    session.commit()
    client.sign_in(moderator)

    html = client.get("/dashboard").get_data(as_text=True)
    table = re.search(r'id="dash-products".*?</section>', html, re.S).group()
    assert "<td>=HYPERLINK(1)</td>" in table and '<td class="num">7</td>' in table
    exported = client.get("/dashboard/products.csv")
    assert exported.status_code == 200
    assert exported.get_data(as_text=True).splitlines() == ["Product,Trending threads,Trending score",
                                                           "'=HYPERLINK(1),1,7"]
