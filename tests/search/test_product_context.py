"""The product and OS filters on each backend (with words, and alone: a listing newest first),
and a Whoosh index made before these fields existed: upgraded in place, then mended by reconcile."""
from __future__ import annotations

import os

from sqlalchemy import select

from app.models import Board, Post
from app.search import indexer
from app.services import posting, search as search_service, search_queue

BODY = "The printer shows offline after every update of the system."


def _ask(session, member, board, title, product=None, os_version=None):
    return posting.ask(session, member, board_id=board.id, title=title, body=BODY, product=product,
                       os_version=os_version)


def _found(backend, text="", **filters) -> list[str]:
    query = search_service.build_query(text, **filters)
    return [hit.thread_id for hit in backend.search(query).hits]


def test_filters_with_and_without_words(session, member, printers, backend, index):
    first = _ask(session, member, printers, "Offline printer on the office network", "OfficeJet Pro 9015e", "Windows 11")
    second = _ask(session, member, printers, "Offline printer after moving house", "OfficeJet Pro 9015e", "macOS")
    third = _ask(session, member, printers, "Offline printer with new cartridges", "DeskJet 2720", "Windows 11")
    other = Board(slug="laptops", name="Laptops", description="", position=1)
    session.add(other)
    session.commit()
    fourth = _ask(session, member, other, "Offline laptop after the system update", None, "WINDOWS 11")
    index()

    assert sorted(_found(backend, "offline", product=" officejet  PRO 9015E")) == [first.id, second.id]
    assert sorted(_found(backend, "offline", os_version="windows 11")) == [first.id, third.id, fourth.id]
    assert _found(backend, "offline", product="OfficeJet Pro 9015e", os_version="macOS") == [second.id]
    assert _found(backend, "offline", product="OfficeJet") == []
    # No words: every thread with the context, newest first; the board filter still applies.
    assert _found(backend, os_version="Windows 11") == [fourth.id, third.id, first.id]
    assert _found(backend, os_version="Windows 11", board=printers) == [third.id, first.id]
    listing = backend.search(search_service.build_query("", os_version="windows 11", per_page=2, page=2))
    assert [hit.thread_id for hit in listing.hits] == [first.id] and listing.total == 3
    assert "offline" in listing.hits[0].snippet and "<mark>" not in listing.hits[0].snippet
    past = backend.search(search_service.build_query("", os_version="windows 11", per_page=2, page=9))
    assert (past.page, [hit.thread_id for hit in past.hits]) == (2, [first.id])  # the last page, as for words
    # Neither words nor a context filter: nothing, as before.
    assert _found(backend, "") == []


def test_a_hidden_thread_is_not_listed_by_its_product(session, member, moderator, printers, backend, index):
    from app.services import review

    thread = _ask(session, member, printers, "Offline printer on the office network", "OfficeJet Pro 9015e")
    index()
    question = session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    review.hide(session, moderator, post_id=question, reason="spam")
    index()

    assert _found(backend, product="OfficeJet Pro 9015e") == []


def test_an_index_from_before_product_context_is_upgraded(session, member, printers, tmp_path):
    """An index made by the previous version (no product or OS field) keeps working: the fields are
    added when it is opened, new documents carry them, and reconcile rewrites the old ones."""
    from whoosh import index as whoosh_index
    from whoosh.fields import Schema

    from app.search import whoosh_backend
    from app.search.documents import load

    old = _ask(session, member, printers, "Offline printer on the office network", "OfficeJet Pro 9015e")
    directory = tmp_path / "index"
    (directory / "ix-old").mkdir(parents=True)
    fields = {name: field for name, field in whoosh_backend.make_schema().items() if name not in ("product", "os")}
    ix = whoosh_index.create_in(str(directory / "ix-old"), Schema(**fields))
    writer = ix.writer()
    # The previous version's digest did not cover the product and OS, so it differs from today's.
    old_fields = {k: v for k, v in whoosh_backend._fields(load(session, [old.id])[old.id]).items()
                  if k not in ("product", "os")}
    writer.add_document(**{**old_fields, "digest": "digest-without-product-and-os"})
    writer.commit()
    os.symlink("ix-old", directory / "current")
    search_queue.done(session, search_queue.pending(session, 100))  # the old version indexed it already
    backend = whoosh_backend.WhooshBackend(directory)
    try:
        assert _found(backend, "offline") == [old.id]
        assert _found(backend, product="OfficeJet Pro 9015e") == []  # not rewritten yet
        assert {"product", "os"} <= set(whoosh_index.open_dir(str(directory / "current")).schema.names())
        new = _ask(session, member, printers, "Offline printer after moving house", "OfficeJet Pro 9015e")
        indexer.drain(session, backend)
        assert _found(backend, product="OfficeJet Pro 9015e") == [new.id]

        assert [(d.thread_id, d.problem) for d in indexer.verify(session, backend)] == [(old.id, "stale")]
        indexer.reconcile(session, backend)
        indexer.drain(session, backend)
        assert _found(backend, product="OfficeJet Pro 9015e") == [new.id, old.id]
        assert indexer.verify(session, backend) == []
    finally:
        backend.close()
