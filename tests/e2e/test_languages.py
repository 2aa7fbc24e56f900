"""Each interface language in a real browser: the header speaks it, and the footer switcher changes it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import LANGUAGES
from tests.conftest import PASSWORD
from tests.i18n_tools import NAVIGATION, compile_catalogs


@pytest.fixture(scope="module", autouse=True)
def _compiled():
    compile_catalogs()


def test_every_language_renders_its_navigation(new_page, live_server):
    for code in LANGUAGES:
        page = new_page(locale=code)  # Chromium sends Accept-Language for its locale
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", code)
        boards, top_helpers, ask, sign_in = NAVIGATION[code]
        nav = page.get_by_role("navigation").first
        expect(nav.get_by_role("link", name=boards, exact=True)).to_be_visible()
        expect(nav.get_by_role("link", name=top_helpers, exact=True)).to_be_visible()
        expect(page.get_by_role("link", name=ask, exact=True)).to_be_visible()
        expect(page.get_by_role("link", name=sign_in, exact=True)).to_be_visible()


def test_a_visitor_switches_language_from_the_footer(new_page, live_server):
    page = new_page(locale="en-GB")
    page.goto("/leaderboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("contentinfo").get_by_role("link", name="Polski").click()
    # A visitor's pages carry no CSRF token, so the choice is confirmed on /language's own form,
    # shown in the language picked.
    expect(page.get_by_role("radio", name="Polski")).to_be_checked()
    page.get_by_role("button", name="Użyj tego języka").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("link", name="Najlepsi pomocnicy", exact=True)).to_be_visible()
    assert page.url.endswith("/leaderboard")
    page.goto("/")
    expect(page.get_by_role("link", name="Zadaj pytanie", exact=True)).to_be_visible()


def test_a_member_switches_language_in_one_step(new_page, live_server):
    live_server.add_member("Nora Nordmann", email="nora@example.com")
    page = new_page(locale="de-DE")
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill("nora@example.com")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    page.get_by_role("contentinfo").get_by_role("button", name="Norsk bokmål").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()

