"""Interface languages over HTTP: negotiation, the member's setting, the switcher, html lang,
localised dates and numbers, the page cache per language, and the catalogs themselves."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.i18n import LANGUAGES
from app.models import Post, User
from tests.i18n_tools import NAVIGATION, catalogs, compile_catalogs

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module", autouse=True)
def _compiled():
    compile_catalogs()


def _nav_ok(html: str, code: str) -> None:
    for word in NAVIGATION[code]:
        assert word in html, (code, word)
    assert f'<html lang="{code}">' in html


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_home_thread_and_sign_in_pages_in_each_language(client, thread, code):
    headers = {"Accept-Language": code}
    for path in ("/", f"/t/{thread.id}-{thread.slug}", "/login"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        _nav_ok(response.get_data(as_text=True), code)
        assert "Accept-Language" in response.headers["Vary"] and "Cookie" in response.headers["Vary"]


def test_accept_language_picks_the_best_supported_match(client):
    cases = {"fr-CH, fr;q=0.9, en;q=0.8": "fr", "es, nl;q=0.5": "nl", "nb-NO,nb;q=0.9": "nb",
             "ja, zh": "en", "pl;q=0.2, de;q=0.7": "de", "": "en"}
    for header, expected in cases.items():
        html = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
        assert f'<html lang="{expected}">' in html, header


def test_the_members_setting_wins_over_the_browser(client, session, member):
    member.locale = "pl"
    session.commit()
    client.sign_in(member)
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    _nav_ok(html.replace("Wyloguj", "Zaloguj się"), "pl")  # signed in: the header offers signing out
    assert "Wyloguj się" in html


def test_a_visitor_switches_through_the_form_with_its_token(client):
    page = client.get("/language?locale=de&next=/login", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="de" checked' in html and 'name="csrf_token"' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    refused = client.post("/language", data={"locale": "nl"}, with_csrf=False)
    assert refused.status_code == 400
    done = client.post("/language", data={"locale": "de", "next": "/login", "csrf_token": token})
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    _nav_ok(client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True), "de")


def test_a_member_switches_from_the_footer_and_it_is_kept_on_the_account(client, session, member):
    client.sign_in(member)
    footer = client.get("/").get_data(as_text=True)
    assert 'action="/language"' in footer and 'method="post"' in footer
    response = client.post("/language", data={"locale": "nb", "next": "https://evil.example/"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert session.get(User, member.id).locale == "nb"
    assert '<html lang="nb">' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    # An unknown language changes nothing.
    client.post("/language", data={"locale": "xx"})
    assert session.get(User, member.id).locale == "nb"


def test_dates_and_numbers_follow_the_language(client, session, thread):
    moment = datetime(2025, 3, 4, 15, 30, tzinfo=timezone.utc)
    thread.view_count = 12340
    thread.created_at = thread.last_activity_at = moment
    for post in session.scalars(select(Post).where(Post.thread_id == thread.id)):
        post.created_at = moment
    session.commit()
    path = f"/t/{thread.id}-{thread.slug}"
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    german = client.get(path, headers={"Accept-Language": "de"}).get_data(as_text=True)
    french = client.get(path, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    # Every page view counts, so the number grows by one per request.
    assert re.search(r"12,34\d views", english) and re.search(r"12\.34\d Aufrufe", german)
    assert re.search(r"12\u202f34\d vues", french)
    assert "Mar 4, 2025" in english and "04.03.2025" in german and "4 mars 2025" in french
    assert re.search(r"\d+ (months|years?) ago", english) and re.search(r"vor \d+ (Monaten|Jahren?)", german)


def test_polish_uses_three_plural_forms(app):
    from app.web.template_helpers import plural

    with app.test_request_context(headers={"Accept-Language": "pl"}):
        assert [plural(n, "answer") for n in (1, 3, 5, 22, 25)] == [
            "1 odpowiedź", "3 odpowiedzi", "5 odpowiedzi", "22 odpowiedzi", "25 odpowiedzi"]
        assert [plural(n, "thread") for n in (1, 2, 5)] == ["1 wątek", "2 wątki", "5 wątków"]


def test_templates_follow_a_forced_locale_and_return_to_the_requests(app):
    # Templates look the translations up once per locale and request (i18n.request_translations);
    # mail rendered in a reader's language inside a request must still get that language.
    from flask import render_template_string
    from flask_babel import force_locale

    boards = "{{ _('Boards') }}"
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert render_template_string(boards) == "Bereiche"
        with force_locale("fr"):
            assert render_template_string(boards) == "Espaces"
        assert render_template_string(boards) == "Bereiche"
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert render_template_string(boards) == "Espaces"


def test_cached_visitor_pages_are_kept_per_language(make_app, thread):
    cached = make_app(PAGE_CACHE_SECONDS=60.0)
    client = cached.test_client()
    path = f"/t/{thread.id}-{thread.slug}"
    first = client.get(path, headers={"Accept-Language": "de"})
    second = client.get(path, headers={"Accept-Language": "en"})
    again = client.get(path, headers={"Accept-Language": "de"})
    assert first.headers["X-Page-Cache"] == "miss" and second.headers["X-Page-Cache"] == "miss"
    assert again.headers["X-Page-Cache"] == "hit"
    _nav_ok(again.get_data(as_text=True), "de")
    _nav_ok(second.get_data(as_text=True), "en")


def test_a_post_takes_the_interface_language(client, session, member, board):
    client.sign_in(member)
    client.post("/language", data={"locale": "de"})
    response = client.post("/ask", data={"board": board.id, "title": "Drucker druckt keine Seiten mehr",
                                         "body": "Seit dem Update druckt mein Drucker nur noch leere Seiten.",
                                         "tags": "", "checked_similar": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    question = session.query(Post).filter_by(kind="question").one()
    assert question.language == "de"


def test_every_catalog_is_complete_and_keeps_the_placeholders():
    found = catalogs()
    assert set(found) == set(LANGUAGES) - {"en"}
    for code, path in found.items():
        with path.open("rb") as source:
            catalog = read_po(source, locale=code)
        plurals = catalog.num_plurals
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert not message.fuzzy, (code, message.id)
            assert all(strings), f"{code}: no translation for {message.id!r}"
            if isinstance(message.id, tuple):
                assert len(strings) == plurals, (code, message.id)
            wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
            for string in strings:
                used = set(PLACEHOLDER.findall(string))
                # A singular may say "one" instead of %(num)s; nothing else may go missing or appear.
                assert used <= wanted, f"{code}: {message.id!r} -> {string!r}"
                assert wanted - used <= {"num", "n"}, f"{code}: {message.id!r} -> {string!r}"


def test_service_errors_are_shown_in_the_readers_language(client, session, helper, thread):
    """Services raise English; the web layer looks their messages up in the catalog when it shows them."""
    missing = client.get("/u/999999", headers={"Accept-Language": "de"})
    assert missing.status_code == 404
    assert "Dieses Mitglied gibt es nicht." in missing.get_data(as_text=True)

    client.sign_in(helper)  # not the thread's author
    client.post("/language", data={"locale": "de"})
    question = session.scalars(select(Post).where(Post.thread_id == thread.id, Post.kind == "question")).one()
    refused = client.get(f"/p/{question.id}/edit")
    assert refused.status_code == 403
    html = refused.get_data(as_text=True)
    assert "Du kannst nur deine eigenen Beiträge bearbeiten" in html
    assert "You can edit only your own posts" not in html
