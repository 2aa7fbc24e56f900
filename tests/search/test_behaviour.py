"""What every search backend must do, run on each (see conftest.py): changes reach the index as the
database has them, the query language, filters, ranking, safe snippets, "Did you mean", stemming
per language, the write lock, verify/reconcile, rebuild, and several processes draining at once."""
from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app import config
from app.models import Board, Post, SearchQueueEntry
from app.search import documents, indexer, registry
from app.search.backend import SearchQuery
from app.services import official, posting, review, search as search_service, search_queue, solutions
from tests.databases import wants_postgresql


def _queued(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(SearchQueueEntry))


def _question(session, thread) -> int:
    return session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.kind == "question"))


# --- changes reach the index ------------------------------------------------------------------


def test_found_after_create_and_after_edit_with_the_old_words_gone(session, member, thread, index, search):
    assert index() == 1
    assert _queued(session) == 0
    assert search("offline printer") == [thread.id]

    posting.edit(session, member, post_id=_question(session, thread), body="Since the update the scanner is dead.")
    index()

    assert search("scanner") == [thread.id]
    assert search("yesterday") == []


def test_gone_after_hide_and_back_after_restore(session, thread, helper, moderator, index, search):
    answer = posting.answer(session, helper, thread_id=thread.id, body="Flash the firmware with the zebra tool.")
    index()
    assert search("zebra") == [thread.id]

    review.hide(session, moderator, post_id=answer.id, reason="incorrect")
    index()
    assert search("zebra") == []
    assert search("offline") == [thread.id]  # the question is still there

    review.restore(session, moderator, post_id=answer.id)
    index()
    assert search("zebra") == [thread.id]


def test_a_hidden_question_takes_its_thread_out(session, thread, moderator, index, search):
    index()
    review.hide(session, moderator, post_id=_question(session, thread), reason="off_topic")
    index()
    assert search("offline") == []


def test_a_thread_queued_again_while_it_was_indexed_stays_queued(session, backend, thread, helper, monkeypatch,
                                                                 index, search):
    real_load = documents.load

    def load_then_change(s, ids):
        found = real_load(s, ids)
        # Someone answers after the indexer read the thread but before it finished.
        posting.answer(session, helper, thread_id=thread.id, body="Another idea: a static IP address.")
        return found

    monkeypatch.setattr(documents, "load", load_then_change)
    indexer.drain(session, backend, max_batches=1)
    monkeypatch.setattr(documents, "load", real_load)

    assert _queued(session) == 1  # not lost: its token changed, so the row was kept
    index()
    assert search("static") == [thread.id]


# --- the query language -----------------------------------------------------------------------


def test_words_are_anded_and_phrases_prefixes_or_and_not_work(make_thread, index, search):
    printer = make_thread(title="Printer offline after the update", body="The printer went offline overnight.")
    scanner = make_thread(title="Scanner offline in the morning", body="Every morning the scanner is offline.")
    index()

    assert search("printer offline") == [printer.id]
    assert sorted(search("offline")) == sorted([printer.id, scanner.id])
    assert search('"went offline"') == [printer.id]
    assert search('"offline went"') == []
    assert search("print*") == [printer.id]
    assert sorted(search("printer OR scanner")) == sorted([printer.id, scanner.id])
    assert search("offline NOT printer") == [scanner.id]
    assert search("printers") == [printer.id]  # stemmed


@pytest.mark.parametrize("query", ["", "   ", '"', '""', "*", "AND", "OR NOT", "(((", ")))", "NOT", "\x00",
                                   "x" * 5000, "'; DROP TABLE threads; --", "title:", "%00", "\u202eevil", "\ud800",
                                   "<script>alert(1)</script>", "kangaroo*", "!!&|<->:*"])
def test_empty_and_nonsense_queries_find_nothing_and_never_fail(thread, index, backend, query):
    index()

    results = backend.search(SearchQuery(text=query))

    assert results.hits == [] and results.total == 0


def test_pages_and_a_page_past_the_end(make_thread, index, backend):
    made = [make_thread(title=f"Toner smears number {n}", body=f"The toner smears on page {n}.") for n in range(7)]
    index()

    second = backend.search(SearchQuery(text="toner", page=2, per_page=3))
    past = backend.search(SearchQuery(text="toner", page=99, per_page=3))

    assert second.total == 7 and second.pages == 3 and len(second.hits) == 3
    assert past.page == 3 and [hit.thread_id for hit in past.hits] != []
    everything = backend.search(SearchQuery(text="toner", per_page=10)).hits
    assert sorted(hit.thread_id for hit in everything) == sorted(t.id for t in made)


# --- filters and order ------------------------------------------------------------------------


def test_filters_for_board_tag_solved_official_and_date(session, make_thread, board, member, helper, moderator, index,
                                                        search, backend):
    laptops = Board(slug="laptops", name="Laptops", description="", position=1)
    session.add(laptops)
    session.commit()
    solved = make_thread(title="Battery drains in sleep", body="The battery drains while asleep.", tags="power")
    marked = make_thread(title="Battery drains when off", body="The battery drains when switched off.")
    elsewhere = posting.ask(session, member, board_id=laptops.id, title="Battery drains on the laptop",
                            body="My laptop battery drains overnight.", tags="power")
    solutions.accept(session, moderator, answer_id=posting.answer(session, helper, thread_id=solved.id,
                                                                  body="Turn off wake on LAN.").id)
    official.mark(session, moderator, answer_id=posting.answer(session, helper, thread_id=marked.id,
                                                               body="Update the battery firmware.").id)
    index()

    assert sorted(search("battery", board_id=board.id)) == sorted([solved.id, marked.id])
    assert sorted(search("battery", tag="power")) == sorted([solved.id, elsewhere.id])
    assert search("battery", tag="POWER", board_id=laptops.id) == [elsewhere.id]
    assert search("battery", solved=True) == [solved.id]
    assert search("battery", official=True) == [marked.id]
    assert search("battery", since=datetime.now(timezone.utc) - timedelta(days=1), per_page=5) != []
    assert search("battery", since=datetime.now(timezone.utc) + timedelta(days=1)) == []
    assert search("battery", sort="newest") == [elsewhere.id, marked.id, solved.id]
    assert backend.search(SearchQuery(text="battery", solved=True, board_id=laptops.id)).total == 0


@pytest.mark.parametrize("solved_first", [True, False], ids=["solved-older", "solved-newer"])
def test_a_solved_thread_ranks_above_an_unsolved_one_with_the_same_words(session, make_thread, helper, moderator,
                                                                         index, search, solved_first):
    words = {"title": "Fax machine beeps twice", "body": "The fax machine beeps twice and stops."}
    first, second = make_thread(**words), make_thread(**words)
    answers = {t.id: posting.answer(session, helper, thread_id=t.id, body="Check the phone line filter.")
               for t in (first, second)}
    solved, unsolved = (first, second) if solved_first else (second, first)
    solutions.accept(session, moderator, answer_id=answers[solved.id].id)
    index()

    assert search("fax beeps") == [solved.id, unsolved.id]


def test_similar_threads_while_asking_list_solved_first(session, make_thread, helper, moderator, index, backend):
    solved = make_thread(title="Wireless printer drops off the network", body="It drops off the wifi network daily.")
    other = make_thread(title="Wireless printer cannot find the network", body="Setup cannot find the wifi network.")
    make_thread(title="Keyboard keys stick", body="Some keys stick after a coffee.")
    solutions.accept(session, moderator, answer_id=posting.answer(session, helper, thread_id=solved.id,
                                                                  body="Give the printer a fixed IP address.").id)
    index()

    found = search_service.similar(session, backend, "my wireless printer network")

    assert [t.id for t in found] == [solved.id, other.id]


# --- what is shown ----------------------------------------------------------------------------


def test_snippets_highlight_the_words_and_show_markup_as_text(session, thread, helper, index, backend):
    posting.answer(session, helper, thread_id=thread.id, body="Type `<script>alert(1)</script>` into the zebra box.")
    index()

    snippet = backend.search(SearchQuery(text="zebra")).hits[0].snippet

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet and "<mark>zebra</mark>" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_a_long_thread_gives_a_short_snippet_around_the_match(session, make_thread, index, backend):
    filler = " ".join(f"word{n}" for n in range(300))
    make_thread(title="Long story", body=f"{filler} the walrus appears here {filler}")
    index()

    snippet = backend.search(SearchQuery(text="walrus")).hits[0].snippet

    assert "<mark>walrus</mark>" in snippet and snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 600


def test_did_you_mean_offers_the_closest_known_words_only_when_nothing_is_found(make_thread, index, backend):
    make_thread(title="Printer shows offline after update", body="Since the update the printer is offline.")
    index()

    assert backend.search(SearchQuery(text="printr")).suggestion == "printer"
    assert backend.search(SearchQuery(text="printr ofline")).suggestion == "printer offline"
    found = backend.search(SearchQuery(text="printer"))
    assert found.total == 1 and found.suggestion is None
    assert backend.search(SearchQuery(text="qqqqqqq")).suggestion is None


# --- languages --------------------------------------------------------------------------------

# (language, a word in the post, another form of it that must find the post)
INFLECTED = [("de", "Verbindungen", "Verbindung"), ("nl", "verbindingen", "verbinding"),
             ("fr", "imprimantes", "imprimante"), ("nb", "tilkoblingen", "tilkobling"), ("pl", "drukarki", "drukarka")]


@pytest.mark.parametrize("language, written, asked", INFLECTED, ids=[i[0] for i in INFLECTED])
def test_each_language_is_stemmed_its_own_way(session, thread, backend, language, written, asked):
    document = replace(documents.load(session, [thread.id])[thread.id], language=language, text=written)
    backend.write({thread.id: document})

    def found(word: str) -> list[int]:
        return [hit.thread_id for hit in backend.search(SearchQuery(text=word)).hits]

    assert found(written) == [thread.id]
    if backend.name == "postgres" and language == "pl":
        # PostgreSQL has no Polish configuration: `simple`, exact words only (README, Languages).
        assert found(asked) == []
    else:
        assert found(asked) == [thread.id]


def test_every_post_language_has_a_postgresql_configuration():
    from app.search.postgres_backend import CONFIGS

    assert set(CONFIGS) == set(documents.LANGUAGES)


# --- the write lock, verify, reconcile, rebuild -----------------------------------------------


def test_a_process_that_finds_the_index_locked_leaves_the_queue_alone(session, thread, backend, write_locked, search):
    with write_locked():
        assert indexer.drain(session, backend) == 0
        assert _queued(session) == 1
    assert indexer.drain(session, backend) == 1
    assert search("offline") == [thread.id]


def test_verify_finds_stale_missing_and_extra_entries_and_reconcile_mends_them(session, backend, make_thread, index):
    first, second = make_thread(), make_thread(title="Scanner makes a grinding noise")
    index()
    assert backend.is_empty() is False and set(backend.digests()) == {first.id, second.id}
    stale = documents.load(session, [first.id])[first.id]
    backend.write({first.id: replace(stale, title="Something else entirely"), second.id: None,
                   999: replace(stale, thread_id=999)})

    problems = {(d.thread_id, d.problem) for d in indexer.verify(session, backend)}
    assert problems == {(first.id, "stale"), (second.id, "missing"), (999, "extra")}

    indexer.reconcile(session, backend)
    index()
    assert indexer.verify(session, backend) == []


def test_rebuild_swaps_in_a_new_index_while_searches_keep_working(session, backend, make_thread, index, search,
                                                                   monkeypatch):
    thread = make_thread()
    index()
    other = make_thread(title="Laptop battery drains overnight", body="The battery drains even when it is shut down.")
    during: list[list[int]] = []
    real_all = documents.all_documents

    def documents_while_searching(*args, **kwargs):
        for document in real_all(*args, **kwargs):
            during.append(search("offline"))  # the old index answers meanwhile
            yield document

    monkeypatch.setattr(documents, "all_documents", documents_while_searching)
    assert indexer.rebuild(session, backend) == 2

    assert during == [[thread.id], [thread.id]]
    assert search("offline") == [thread.id] and search("battery") == [other.id]
    assert _queued(session) == 0  # what waited was read by the rebuild
    assert indexer.verify(session, backend) == []


def test_a_rebuild_of_nothing_empties_the_index(session, backend, thread, index, search):
    index()
    assert backend.rebuild(iter([]), 0) == 0
    assert backend.is_empty() and search("offline") == []


def test_the_cli_rebuilds_verifies_and_reports(app, session, backend, make_thread):
    make_thread()
    app.extensions["search_backend"] = backend
    runner = app.test_cli_runner()

    assert "1 thread(s) waiting" in runner.invoke(args=["search", "status"]).output
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and f"Search index rebuilt ({backend.name}): 1 threads" in rebuilt.output
    assert runner.invoke(args=["search", "rebuild", "--if-empty"]).output.startswith("The search index has content")
    verified = runner.invoke(args=["search", "verify"])
    assert verified.exit_code == 0 and "agrees with the database" in verified.output


# --- several processes ------------------------------------------------------------------------


def _drain_in_process(database_url: str, instance: str, settings: dict, start, results) -> None:  # noqa: ANN001
    """One process: wait for the others, then drain the queue in small batches."""
    from pathlib import Path

    from app import create_app, db

    app = create_app({**config.for_tests(database_url, Path(instance)), **settings})
    with app.app_context():
        backend = registry.backend(app)
        start.wait(timeout=60)
        try:
            results.put(indexer.drain(db.session(), backend, batch=5))
        except Exception:  # noqa: BLE001 - reported to the test, which fails on it
            results.put(traceback.format_exc())
    app.extensions["db_engine"].dispose()


def test_several_processes_draining_at_once_index_every_thread_exactly_once(session, database_url, tmp_path,
                                                                            make_thread, backend, backend_settings,
                                                                            search):
    made = {make_thread(title=f"Model qx{n} jams", body=f"The qx{n} jams on every page.").id: n for n in range(40)}
    assert backend.is_empty()  # the index exists (empty) before the workers start, as `make run` leaves it
    processes = 4
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=_drain_in_process,
                               args=(database_url, str(tmp_path / f"instance{i}"), backend_settings, start, results))
               for i in range(processes)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)

    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert sum(outcomes) >= len(made)
    assert _queued(session) == 0 and search_queue.size(session) == 0
    assert indexer.verify(session, backend) == []
    for thread_id, n in made.items():
        assert search(f"qx{n}") == [thread_id]  # once: no thread has two documents


# --- choosing the backend ---------------------------------------------------------------------


def test_the_postgres_backend_refuses_a_database_that_is_not_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCH_BACKEND", "postgres")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(ValueError, match="SEARCH_BACKEND=postgres needs DATABASE_URL to be a PostgreSQL database"):
        config.from_environment(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://peerdesk@127.0.0.1/peerdesk")
    assert config.from_environment(tmp_path)["SEARCH_BACKEND"] == "postgres"


def test_the_registry_builds_the_configured_backend(app):
    from app.search.postgres_backend import PostgresBackend

    app.config["SEARCH_BACKEND"] = "postgres"
    if wants_postgresql():
        assert isinstance(registry.backend(app), PostgresBackend)
    else:
        with pytest.raises(ValueError, match="needs a PostgreSQL database"):
            registry.backend(app)


def test_a_total_is_exact_unless_a_full_page_was_found(backend, make_thread, index):
    for n in range(3):
        make_thread(title=f"Scanner jams on page {n}", body="The scanner jams on the second page every time.")
    index()

    results = backend.search(SearchQuery(text="scanner jams", per_page=10))

    assert results.total == 3 and not results.total_is_lower_bound
