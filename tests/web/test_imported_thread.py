"""An imported Stack Exchange thread on the site: the CC BY-SA attribution under every post, no
script from the dump on the page, and the thread found by search."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.importers.stackexchange import import_dump
from app.models import Post, Thread
from tests.services.test_stackexchange_import import DUMP, SITE
from tests.web.html_tools import unsafe_markup

KEY = "stackexchange:raspberrypi.meta.stackexchange.com:post:"


def _imported(session, source_id: str) -> Post:
    return session.scalars(select(Post).where(Post.import_key == KEY + source_id)).one()


def test_every_post_shows_its_source_author_and_licence(session, client):
    import_dump(session, str(DUMP), site_url=SITE)
    question = _imported(session, "1")
    thread = session.get(Thread, question.thread_id)

    html = client.get(f"/t/{thread.id}", follow_redirects=True).get_data(as_text=True)

    assert thread.title in html
    notes = re.findall(r'class="post-source muted">(.*?)</(?:p|span)>', html, re.S)
    shown = session.scalars(select(Post).where(Post.thread_id == thread.id)).all()
    assert len(notes) == len(shown) >= 3
    assert f'<a href="{SITE}/q/1" rel="nofollow noopener">raspberrypi.meta.stackexchange.com</a>' in notes[0]
    author = f'<a href="{question.source_author_url}" rel="nofollow noopener">{question.source_author}</a>'
    assert author in notes[0]
    assert '<a href="https://creativecommons.org/licenses/by-sa/3.0/" rel="license noopener">CC BY-SA 3.0</a>' in notes[0]
    assert "asked" in html and "2012" in html  # the original date, not the import's


def test_no_script_from_the_dump_reaches_the_page(session, client):
    import_dump(session, str(DUMP), site_url=SITE)
    made = _imported(session, "900001")  # the hand-made answer with a script and an onerror

    html = client.get(f"/t/{made.thread_id}", follow_redirects=True).get_data(as_text=True)

    assert "Grüße aus Köln 🍓 日本語" in html
    assert 'alert("xss")' not in html and "alert(2)" not in html and "javascript:alert" not in html
    assert unsafe_markup(html) == []
    # A deleted author: the placeholder member, and the name they had, unlinked, in the note.
    assert "Community member (deleted)" in html and "by user999999, licensed under" in html


def test_the_imported_thread_is_found_by_search(session, client, drain):
    import_dump(session, str(DUMP), site_url=SITE)
    drain()
    question = _imported(session, "1")
    thread = session.get(Thread, question.thread_id)

    html = client.get("/search", query_string={"q": "FAQ contain"}).get_data(as_text=True)

    assert f"/t/{thread.id}" in html and "What should the FAQ contain?" in html
