"""Product context in a real browser: the product field follows the board chosen, a question is
asked with a product and an OS, and found again through the product filter."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from app.models import Board
from app.search import indexer, registry
from tests.e2e.conftest import LiveServer, sign_in


def test_ask_with_a_product_and_find_it_by_the_product_filter(page: Page, live_server: LiveServer):
    def label_printers(session):
        session.get(Board, live_server.board("printers").id).product_label = "Printer model"
        session.commit()

    live_server._in_app(label_printers)
    asker = live_server.add_member("Asker Anna")
    page.goto("/")
    sign_in(page, asker.email)
    page.goto("/ask")

    product = page.get_by_label("Printer model")
    board = page.get_by_label("Board")
    expect(page.locator("[data-product-field]")).to_be_hidden()
    board.select_option(label="Printers")
    expect(product).to_be_visible()
    board.select_option(label="Laptops")
    expect(page.locator("[data-product-field]")).to_be_hidden()
    board.select_option(label="Printers")
    page.get_by_label("Title").fill("Printer shows offline after the router change")
    page.get_by_label("Your question").fill("Since the new router the printer shows offline in Windows.")
    product.fill("OfficeJet Pro 9015e")
    page.get_by_label("OS / version").fill("Windows 11")
    page.get_by_role("button", name="Post your question").click()

    context = page.locator(".product-context")
    expect(context).to_have_text("Printer model: OfficeJet Pro 9015e · OS: Windows 11")
    live_server._in_app(lambda session: indexer.drain(session, registry.backend(live_server.app)))

    page.goto("/search")
    page.get_by_label("Search for").fill("offline")
    page.get_by_role("main").get_by_label("Product").fill("officejet pro 9015E")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    results = page.locator(".search-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Printer shows offline after the router change")
    page.get_by_role("main").get_by_label("Product").fill("OfficeJet Pro 8025e")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(results).to_have_count(0)

    # The thread page's link lists every thread about that product.
    results_link = page.get_by_role("link", name="Printer shows offline after the router change")
    page.go_back()
    results_link.click()
    context.get_by_role("link", name="OfficeJet Pro 9015e").click()
    expect(results).to_have_count(1)
    expect(page.get_by_role("main").get_by_label("Product")).to_have_value("OfficeJet Pro 9015e")
