"""The PostgreSQL full-text search backend, for sites on several hosts: the index lives in the
database every host already shares.

One row per thread in `search_documents` (migration 0005): the document's fields and a generated
tsvector, title weighted A and text D, in the thread language's configuration (Polish has none in
PostgreSQL: `simple`, no stemming), under a GIN index. Queries are parsed by postgres_query.py;
relevance is `ts_rank` (title 3× the text, length-normalised) times the same boost for solved,
official and well-kudoed threads as Whoosh's; snippets come from `ts_headline`. `search_words`
holds the vocabulary for "Did you mean".

Writers take a transaction-level advisory lock without waiting, so one writes at a time and the
others leave the queue to it (as with Whoosh's write lock); a rebuild takes the same lock, waiting
for the current writer, fills new tables and swaps them in, while searches go on reading the old
ones until the swap commits.
"""
from __future__ import annotations

import html
import os
import re
import time
from typing import Callable, Iterable

from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from app.search import postgres_query
from app.search.analysis import WORD, snippet
from app.search.backend import QUERY_MAX, Documents, Hit, SearchQuery, SearchResults
from app.search.documents import ThreadDocument, context_key

TABLES = ("search_documents", "search_words")
# Text search configuration per post language. PostgreSQL ships none for Polish, and an ispell
# dictionary (Debian's hunspell-pl) would have to be installed on the server: Polish is `simple`.
CONFIGS = {"en": "english", "de": "german", "fr": "french", "nl": "dutch", "nb": "norwegian", "pl": "simple"}
SEARCHED_CONFIGS = tuple(dict.fromkeys(CONFIGS.values()))
# pg_try_advisory_xact_lock key of the index ("PEERSRCH").
LOCK_KEY = int.from_bytes(b"PEERSRCH", "big")
# Relevance: the same boost as whoosh_backend.Ranking (1 + 0.5 solved + 0.3 official
# + 0.1·min(5, ln(1+kudos))); the title weighs three times the text, as Whoosh's field boost.
SOLVED_BOOST, OFFICIAL_BOOST, KUDOS_BOOST, KUDOS_CAP = 0.5, 0.3, 0.1, 5.0
RANK_WEIGHTS = "{0.1, 0.1, 0.1, 0.3}"  # D, C, B, A
# Ranking reads a thread's whole tsvector; at most this many matches are ranked, the best by a
# cheap score first (docs/decisions.md has the measurements).
RANK_CAP = 1000
# Highlight markers: control characters, removed from the stored text so they cannot occur in it.
START, STOP = "\x02", "\x03"
HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=25, ShortWord=2"
SUGGEST_CANDIDATES, SUGGEST_DISTANCE = 20, 2
VOCABULARY_WORD = (3, 40)  # lengths of the words kept for suggestions
_STRIP = str.maketrans({START: " ", STOP: " ", "\x00": " "})
COLUMNS = ("thread_id", "title", "body", "board_id", "tags", "solved", "official", "kudos", "answers",
           "created", "activity", "language", "config", "digest", "product", "os_version")

_UPSERT = text(f"""
    INSERT INTO search_documents ({", ".join(COLUMNS)})
    VALUES ({", ".join(f"CAST(:{c} AS regconfig)" if c == "config" else f":{c}" for c in COLUMNS)})
    ON CONFLICT (thread_id) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])}
""")
_ADD_WORDS = text("INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) ON CONFLICT DO NOTHING")
# In float8: with numeric literals PostgreSQL computes in numeric, several times slower per row.
_BOOST = (f"(1 + {SOLVED_BOOST}::float8 * d.solved::int + {OFFICIAL_BOOST}::float8 * d.official::int"
          f" + {KUDOS_BOOST}::float8 * least({KUDOS_CAP}::float8, ln(1 + greatest(d.kudos, 0)::float8)))")


def _row(document: ThreadDocument) -> dict:
    return {"thread_id": document.thread_id, "title": document.title.translate(_STRIP),
            "body": document.text.translate(_STRIP), "board_id": document.board_id,
            "tags": [tag.lower() for tag in document.tags], "solved": document.solved, "official": document.official,
            "kudos": document.kudos, "answers": document.answers, "created": document.created,
            "activity": document.activity, "language": document.language,
            "config": CONFIGS.get(document.language, "english"), "digest": document.digest,
            "product": context_key(document.product), "os_version": context_key(document.os_version)}


def _vocabulary(document: ThreadDocument) -> set[str]:
    shortest, longest = VOCABULARY_WORD
    return {w for w in (m.lower() for m in WORD.findall(f"{document.title} {document.text}"))
            if shortest <= len(w) <= longest}


class PostgresBackend:
    name = "postgres"

    def __init__(self, engine: Engine) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError(f"The postgres search backend needs a PostgreSQL database, not {engine.dialect.name}")
        self.engine = engine

    # --- writing ---------------------------------------------------------------------------

    def write(self, documents: Documents | Callable[[], Documents]) -> bool:
        if not documents:
            return True
        with self.engine.begin() as connection:
            if not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY}):
                return False
            if callable(documents):
                documents = documents()
            removed = sorted(thread_id for thread_id, document in documents.items() if document is None)
            if removed:
                connection.execute(text("DELETE FROM search_documents WHERE thread_id = ANY(:ids)"), {"ids": removed})
            written = [documents[thread_id] for thread_id in sorted(documents) if documents[thread_id] is not None]
            if written:
                connection.execute(_UPSERT, [_row(document) for document in written])
                connection.execute(_ADD_WORDS, {"words": sorted(set().union(*map(_vocabulary, written)))})
        return True

    def rebuild(self, documents: Iterable[ThreadDocument], total: int,
                progress: Callable[[int], None] | None = None) -> int:
        """Fill new tables and swap them in, in one transaction holding the write lock: writers
        leave the queue alone meanwhile (it waits, nothing is lost) and searches read the old
        tables until the commit."""
        count, words = 0, set()
        with self.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            for table in TABLES:
                connection.execute(text(f"CREATE TABLE {table}_new (LIKE {table} INCLUDING ALL)"))
            with connection.connection.driver_connection.cursor() as cursor:  # psycopg's COPY, same transaction
                with cursor.copy(f"COPY search_documents_new ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for document in documents:
                        row = _row(document)
                        copy.write_row([row[column] for column in COLUMNS])
                        words |= _vocabulary(document)
                        count += 1
                        if progress:
                            progress(1)
                with cursor.copy("COPY search_words_new (word) FROM STDIN") as copy:
                    for word in sorted(words):
                        copy.write_row([word])
            for table in TABLES:
                connection.execute(text(f"ANALYZE {table}_new"))
                _swap(connection, table)
        return count

    # --- reading ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return not connection.scalar(text("SELECT EXISTS (SELECT 1 FROM search_documents)"))

    def digests(self) -> dict[int, str]:
        with self.engine.connect() as connection:
            return dict(connection.execute(text("SELECT thread_id, digest FROM search_documents")).all())

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        typed = (query.text or "")[:QUERY_MAX].encode("utf-8", "replace").decode("utf-8").translate(_STRIP).strip()
        page, per_page = max(1, query.page), query.per_page
        parsed = postgres_query.parse(typed)
        with self.engine.connect() as connection:
            if query.lists_by_context:
                total, page, hits = self._listing(connection, query, page)
                return SearchResults(hits=hits, total=total, page=page, per_page=per_page,
                                     elapsed_ms=(time.perf_counter() - started) * 1000)
            tsquery = postgres_query.to_tsquery(connection, parsed, SEARCHED_CONFIGS)
            if tsquery is None:
                return SearchResults(hits=[], total=0, page=page, per_page=per_page)
            total, rows = self._page(connection, tsquery, query, page)
            if rows == [] and total:  # past the last page: show the last one (as Whoosh does)
                page = -(-total // per_page)
                total, rows = self._page(connection, tsquery, query, page)
            hits = [Hit(thread_id=thread_id, score=float(score), snippet=_snippet(headline, body))
                    for thread_id, score, headline, body in rows]
            suggestion = self._suggest(connection, typed) if total == 0 else None
        return SearchResults(hits=hits, total=total, page=page, per_page=per_page, suggestion=suggestion,
                             elapsed_ms=(time.perf_counter() - started) * 1000)

    def _page(self, connection: Connection, tsquery: str, query: SearchQuery, page: int) -> tuple[int, list]:
        """The total of matching threads and one page of (id, score, headline, text)."""
        where, values = _filters(query)
        offset = (page - 1) * query.per_page
        values.update(q=tsquery, limit=query.per_page, offset=offset, weights=RANK_WEIGHTS, headline=HEADLINE,
                      cap=max(RANK_CAP, offset + query.per_page))
        if query.sort == "newest":
            cheap, pool = "0", "SELECT * FROM matched ORDER BY created DESC, thread_id DESC LIMIT :limit OFFSET :offset"
            order, values["page_offset"] = "c.created DESC, c.thread_id DESC", 0
        else:
            # Only the RANK_CAP best by a cheap score (the title's rank × the boost, read from
            # small columns) are ranked on their whole text.
            cheap = "(0.1 + ts_rank(d.title_tsv, q.query)) * d.boost"
            pool = "SELECT * FROM matched ORDER BY cheap DESC, thread_id DESC LIMIT :cap"
            order, values["page_offset"] = "score DESC, c.thread_id DESC", offset
        rows = connection.execute(text(f"""
            WITH q AS (SELECT CAST(:q AS tsquery) AS query),
            matched AS MATERIALIZED (
                SELECT thread_id, created, boost, {cheap} AS cheap FROM (
                    SELECT d.thread_id, d.created, d.title_tsv, {_BOOST} AS boost
                    FROM search_documents d, q WHERE d.tsv @@ q.query{where}) d, q
            ),
            chosen AS (
                SELECT c.thread_id, c.created, ts_rank(CAST(:weights AS float4[]), d.tsv, q.query, 1) * c.boost AS score
                FROM ({pool}) c JOIN search_documents d USING (thread_id), q
                ORDER BY {order} LIMIT :limit OFFSET :page_offset
            )
            SELECT c.thread_id, c.score,
                   ts_headline(d.config, replace(replace(replace(d.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
                               q.query, :headline),
                   d.body, (SELECT count(*) FROM matched)
            FROM chosen c JOIN search_documents d USING (thread_id), q
            ORDER BY {order}
        """), values).all()
        if not rows and page > 1:  # past the end: how many are there?
            return connection.scalar(text(f"""SELECT count(*) FROM search_documents d
                                             WHERE d.tsv @@ CAST(:q AS tsquery){where}"""), values), []
        if not rows:
            return 0, []
        return rows[0][-1], [row[:-1] for row in rows]

    def _listing(self, connection: Connection, query: SearchQuery, page: int) -> tuple[int, int, list[Hit]]:
        """Every thread the filters let through (a product or OS without words), newest first, as
        (total, page, hits); past the last page the last one, as Whoosh does. The snippet is the
        text's beginning, as Whoosh's is when no word matched."""
        where, values = _filters(query)
        total = connection.scalar(text(f"SELECT count(*) FROM search_documents d WHERE TRUE{where}"), values)
        page = max(1, min(page, -(-total // query.per_page)))
        values.update(limit=query.per_page, offset=(page - 1) * query.per_page)
        rows = connection.execute(text(f"""SELECT thread_id, body FROM search_documents d WHERE TRUE{where}
                                         ORDER BY created DESC, thread_id DESC LIMIT :limit OFFSET :offset"""),
                                  values).all()
        return total, page, [Hit(thread_id=thread_id, score=0.0, snippet=snippet(body, set(), set(), "en"))
                       for thread_id, body in rows]

    def _suggest(self, connection: Connection, typed: str) -> str | None:
        """Each word the vocabulary does not know replaced by the closest one it does: the
        smallest edit distance, then the longest shared beginning, then the one that finds the
        most threads (a word no thread holds any more is never offered)."""
        tokens = [(t.group(), t.group().lower()) for t in WORD.finditer(typed)]
        asked = [word for raw, word in tokens if raw not in postgres_query.OPERATORS and len(word) >= 3]
        known = set(connection.scalars(text("SELECT word FROM search_words WHERE word = ANY(:words)"),
                                       {"words": asked}))
        changed, out = False, []
        for raw, word in tokens:
            if raw in postgres_query.OPERATORS or word in known or len(word) < 3:
                out.append(raw if raw in postgres_query.OPERATORS else word)
                continue
            better = self._closest(connection, word)
            changed |= better is not None
            out.append(better or word)
        return " ".join(out) if changed else None

    def _closest(self, connection: Connection, word: str) -> str | None:
        candidates = connection.execute(text("""
            SELECT word, levenshtein(word, :word) FROM search_words ORDER BY word <-> :word LIMIT :limit
        """), {"word": word, "limit": SUGGEST_CANDIDATES}).all()
        near = sorted(((distance, -len(os.path.commonprefix([word, candidate])), candidate)
                       for candidate, distance in candidates if distance <= SUGGEST_DISTANCE))
        best = [entry for entry in near if entry[:2] == near[0][:2]] if near else []
        finds = {candidate: self._threads_with(connection, candidate) for _, _, candidate in best}
        found = [candidate for _, _, candidate in best if finds[candidate]]
        return max(found, key=lambda candidate: finds[candidate]) if found else None

    def _threads_with(self, connection: Connection, word: str, cap: int = 1000) -> int:
        tsquery = postgres_query.to_tsquery(connection, postgres_query.Leaf("word", word), SEARCHED_CONFIGS)
        if tsquery is None:
            return 0
        return connection.scalar(text("""SELECT count(*) FROM (SELECT 1 FROM search_documents
                                          WHERE tsv @@ CAST(:q AS tsquery) LIMIT :cap) s"""),
                                 {"q": tsquery, "cap": cap})


def _filters(query: SearchQuery) -> tuple[str, dict]:
    clauses, values = [], {}
    if query.board_id:
        clauses.append("d.board_id = :board_id")
        values["board_id"] = query.board_id
    if query.tag:
        clauses.append("d.tags @> ARRAY[CAST(:tag AS text)]")
        values["tag"] = query.tag.lower()
    if query.solved:
        clauses.append("d.solved")
    if query.official:
        clauses.append("d.official")
    if query.since:
        clauses.append("d.created >= :since")
        values["since"] = query.since
    if query.product:
        clauses.append("d.product = :product")
        values["product"] = query.product
    if query.os_version:
        clauses.append("d.os_version = :os_version")
        values["os_version"] = query.os_version
    return "".join(f" AND {clause}" for clause in clauses), values


def _snippet(headline: str, body: str) -> str:
    """ts_headline's piece of the text as safe HTML. It was given the text with & < > escaped
    (its parser drops anything that looks like a tag); every piece is unescaped and escaped again,
    so nothing but our <mark> can be markup, whatever the parser did."""
    out, marked = [], False
    for piece in re.split(f"([{START}{STOP}])", headline):
        if piece in (START, STOP):
            marked = piece == START
            continue
        shown = escape(html.unescape(piece))
        out.append(Markup("<mark>") + shown + Markup("</mark>") if marked and piece else shown)
    plain = html.unescape(headline.replace(START, "").replace(STOP, ""))
    return (("" if body.startswith(plain) else "… ") + "".join(str(part) for part in out)
            + ("" if body.endswith(plain) else " …"))


def _swap(connection: Connection, table: str) -> None:
    """Replace `table` by `<table>_new`, giving the new indexes the old ones' names."""
    old, new = _indexes(connection, table), _indexes(connection, f"{table}_new")
    connection.execute(text(f"DROP TABLE {table}"))
    connection.execute(text(f"ALTER TABLE {table}_new RENAME TO {table}"))
    for definition, name in new.items():
        connection.execute(text(f"ALTER INDEX {name} RENAME TO {old[definition]}"))


def _indexes(connection: Connection, table: str) -> dict[str, str]:
    """Index definition (without its name and table) → index name."""
    rows = connection.execute(text("""SELECT indexname, indexdef FROM pg_indexes
                                      WHERE schemaname = current_schema() AND tablename = :table"""), {"table": table})
    return {re.sub(r"INDEX \S+ ON \S+", "INDEX ON", definition): name for name, definition in rows}
