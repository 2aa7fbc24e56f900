"""The embedded search backend: a Whoosh index on disk, one document per thread.

Layout: `<SEARCH_INDEX_DIR>/current` is a symlink to the live index directory (`ix-<time>`);
`rebuild()` builds a new directory and swaps the link atomically, so searches keep working.
One searcher per process is kept and reopened only when the index changed (opening one per
query costs more than the query). Writers take Whoosh's write lock without waiting: a process that finds it
taken leaves the queue to the holder.
"""
from __future__ import annotations

import math
import os
import re
import shutil
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.qparser import AndGroup, MultifieldParser, PrefixPlugin, WildcardPlugin
from whoosh.query import DateRange, Every, Term
from whoosh.scoring import BM25F

from app.search.analysis import WORD, Stemmer, snippet
from app.search.backend import QUERY_MAX, Documents, Hit, SearchQuery, SearchResults
from app.search.documents import LANGUAGES, ThreadDocument, context_key

# Relevance favours solved, official and well-kudoed threads: the text score is multiplied by this.
SOLVED_BOOST, OFFICIAL_BOOST, KUDOS_BOOST, KUDOS_CAP = 0.5, 0.3, 0.1, 5.0
# final() divides by the largest boost, so it never raises a score: Whoosh skips documents whose
# unboosted score bound is below the current top N, which is only safe if boosting cannot lift
# them (with raw boosts of up to 2.3 the top 10 was measured wrong for most queries).
MAX_BOOST = 1.0 + SOLVED_BOOST + OFFICIAL_BOOST + KUDOS_BOOST * KUDOS_CAP
TITLE_BOOST = 3.0
SPELL_FIELD = "spell"


def _analyzer(language: str):
    return RegexTokenizer() | LowercaseFilter() | StemFilter(stemfn=Stemmer(language), cachesize=50000)


def make_schema() -> Schema:
    fields = {
        "thread_id": NUMERIC(int, bits=32, stored=True, unique=True, signed=False),
        "board_id": ID(),  # a keyword, not a number: exact filtering behaves the same in every fork
        "tags": KEYWORD(commas=True, lowercase=True),
        "solved": BOOLEAN(),
        "official": BOOLEAN(),
        "kudos": NUMERIC(int, bits=32, sortable=True),
        "answers": NUMERIC(int, bits=32),
        "created": DATETIME(sortable=True),
        "activity": DATETIME(),
        "language": ID(stored=True),
        # Product context, case-folded (documents.context_key): one exact term each.
        "product": ID(),
        "os": ID(),
        "digest": STORED(),
        "content": STORED(),  # the plain text, for snippets
        # Unstemmed words for "Did you mean …?".
        SPELL_FIELD: TEXT(analyzer=RegexTokenizer() | LowercaseFilter(), spelling=True, stored=False),
    }
    for language in LANGUAGES:
        fields[f"title_{language}"] = TEXT(analyzer=_analyzer(language), field_boost=TITLE_BOOST)
        fields[f"text_{language}"] = TEXT(analyzer=_analyzer(language))
    return Schema(**fields)


FIELD_NAMES = tuple(make_schema().names())


class Ranking(BM25F):
    """BM25F times a boost for solved, official and well-kudoed threads.

    What the boost reads (the kudos column, the solved and official documents) is loaded once per
    searcher and kept on it, so a query pays only a lookup per matching document."""

    use_final = True

    def final(self, searcher, docnum, score):  # noqa: ANN001 - Whoosh's signature
        kudos, solved, official = _boost_data(searcher)
        boost = 1.0 + KUDOS_BOOST * min(KUDOS_CAP, math.log1p(max(0, kudos[docnum] or 0)))
        if docnum in solved:
            boost += SOLVED_BOOST
        if docnum in official:
            boost += OFFICIAL_BOOST
        return score * boost / MAX_BOOST


def _boost_data(searcher):  # noqa: ANN001
    data = getattr(searcher, "_peerdesk_boost", None)
    if data is None:
        reader = searcher.reader()

        def ids(field: str) -> set[int]:
            return set(reader.postings(field, True).all_ids()) if (field, True) in reader else set()

        data = (reader.column_reader("kudos"), ids("solved"), ids("official"))
        searcher._peerdesk_boost = data
    return data


FILTER_CACHE_SIZE = 64


def _filter_docs(searcher, parts: list):  # noqa: ANN001
    """The document numbers the filter parts all let through (None: no filter). Each part's set is
    kept on the searcher: Whoosh builds a filter anew for every search (the solved filter alone
    was ~a third of a query's time at 100k posts), and a searcher's documents never change, so
    its sets can be reused until it is replaced. A date part differs with every request (it is
    counted back from now), so it is computed each time rather than crowding out the others."""
    if not parts:
        return None
    cache = searcher.__dict__.setdefault("_peerdesk_filters", {})
    allowed: set[int] | None = None
    for part in parts:
        key = repr(part)
        docs = cache.get(key)
        if docs is None:
            docs = set(part.docs(searcher))
            if not isinstance(part, DateRange):
                if len(cache) >= FILTER_CACHE_SIZE:
                    cache.clear()
                cache[key] = docs
        allowed = docs if allowed is None else allowed & docs
    return allowed


def _fields(document: ThreadDocument) -> dict:
    language = document.language
    context = {name: key for name, key in (("product", context_key(document.product)),
                                           ("os", context_key(document.os_version))) if key}
    return {
        **context,
        "thread_id": document.thread_id, "board_id": str(document.board_id), "tags": ",".join(document.tags),
        "solved": document.solved, "official": document.official, "kudos": document.kudos,
        "answers": document.answers, "created": _naive(document.created), "activity": _naive(document.activity),
        "language": language, "digest": document.digest, "content": document.text,
        SPELL_FIELD: f"{document.title} {document.text}",
        f"title_{language}": document.title, f"text_{language}": document.text,
    }


def _naive(moment: datetime) -> datetime:
    """Whoosh stores naive datetimes: UTC without the zone."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


class WhooshBackend:
    name = "whoosh"

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._index = None
        self._searcher = None
        self._opened_path: str | None = None
        self._ranking_for = None

    # --- opening ---------------------------------------------------------------------------

    @property
    def current(self) -> Path:
        return self.directory / "current"

    def _ensure(self) -> None:
        """Create an empty index the first time (searches then simply find nothing). Several
        processes may start at once: each builds its own and links it only if none is linked
        yet, so none replaces an index another already writes to."""
        if self.current.exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        fresh = self._new_directory()
        index.create_in(str(fresh), make_schema())
        try:
            os.symlink(fresh.name, self.current)
        except FileExistsError:
            shutil.rmtree(fresh, ignore_errors=True)

    def _new_directory(self) -> Path:
        path = self.directory / f"ix-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}"
        path.mkdir(parents=True)
        return path

    def _point_current_at(self, target: Path) -> None:
        link = self.directory / f".current-{os.getpid()}-{threading.get_ident()}"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target.name)
        os.replace(link, self.current)  # atomic: readers see the old or the new index, never none

    def _open(self):
        self._ensure()
        ix = _opening(lambda: index.open_dir(str(self.current)))
        return self._add_new_fields(ix)

    def _add_new_fields(self, ix):  # noqa: ANN001, ANN202 - a Whoosh index
        """An index made by an older version lacks the fields added since (product and OS): they
        are added in place, so the index keeps working. Its documents then differ from the
        database's (the digest covers the new fields), so reconcile rewrites them in the
        background; `flask search rebuild` does it at once. Another writer holding the lock
        leaves the upgrade to the next opening."""
        # ix.schema reads the newest TOC, which another process's commit may remove meanwhile.
        schema = _opening(lambda: ix.schema)
        if all(name in schema for name in FIELD_NAMES):
            return ix
        missing = [(name, field) for name, field in make_schema().items() if name not in schema]
        try:
            writer = ix.writer(timeout=0.0)
        except LockError:
            return ix
        for name, field in missing:
            writer.add_field(name, field)
        writer.commit()
        return _opening(lambda: index.open_dir(str(self.current)))

    def _get_searcher(self):
        """This process's searcher, refreshed (reopened when a rebuild swapped the index)."""
        with self._lock:
            real = os.path.realpath(self.current) if self.current.exists() else None
            if self._searcher is None or real != self._opened_path:
                if self._searcher is not None:
                    self._searcher.close()
                self._index = self._open()
                self._opened_path = os.path.realpath(self.current)
                self._searcher = _opening(lambda: self._index.searcher(weighting=Ranking))
            elif self._index.latest_generation() != self._searcher.reader().generation():
                # A fresh searcher, not searcher.refresh(): refresh reuses the readers of unchanged
                # segments and was seen here keeping documents deleted since (an edited thread
                # then matched its old words too).
                self._searcher.close()
                self._searcher = _opening(lambda: self._index.searcher(weighting=Ranking))
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = self._index = None

    # --- writing ---------------------------------------------------------------------------

    def write(self, documents: Documents | Callable[[], Documents]) -> bool:
        if not documents:
            return True
        ix = self._open()
        try:
            writer = ix.writer(timeout=0.0)
        except LockError:
            return False
        try:
            if callable(documents):
                documents = documents()
            for thread_id, document in sorted(documents.items()):
                if document is None:
                    writer.delete_by_term("thread_id", thread_id)
                else:
                    writer.update_document(**_fields(document))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return True

    def rebuild(self, documents: Iterable[ThreadDocument], total: int,
                progress: Callable[[int], None] | None = None) -> int:
        """Build into a new directory and swap it in. Holding the live index's write lock
        meanwhile keeps the queue waiting (not lost): it drains into the new index afterwards."""
        self._ensure()
        live = index.open_dir(str(self.current))
        lock = live.lock("WRITELOCK")  # the lock ix.writer() takes
        lock.acquire(blocking=True)
        try:
            fresh = self._new_directory()
            ix = index.create_in(str(fresh), make_schema())
            writer = ix.writer(limitmb=256)
            count = 0
            for document in documents:
                writer.add_document(**_fields(document))
                count += 1
                if progress:
                    progress(1)
            writer.commit()
            old = os.path.realpath(self.current)
            self._point_current_at(fresh)
        finally:
            lock.release()
        self._remove_old(keep={fresh.name, Path(old).name})
        return count

    def _remove_old(self, keep: set[str]) -> None:
        """Old index directories no searcher needs any more (keep the previous one a while)."""
        for path in self.directory.glob("ix-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    # --- reading ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return self._get_searcher().doc_count() == 0

    def digests(self) -> dict[int, str]:
        searcher = self._get_searcher()
        return {fields["thread_id"]: fields["digest"] for fields in searcher.all_stored_fields()}

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        text = (query.text or "").replace("\x00", " ")[:QUERY_MAX].strip()
        page, per_page = max(1, query.page), query.per_page
        listing = query.lists_by_context
        if not WORD.search(text) and not listing:
            return SearchResults(hits=[], total=0, page=page, per_page=per_page)
        searcher = self._get_searcher()
        parsed = Every() if listing else self._parser(searcher).parse(text)
        words, prefixes = _query_words(text)
        allowed = _filter_docs(searcher, self._filter(query))
        if allowed is not None and not allowed:  # Whoosh reads an empty filter as no filter at all
            return SearchResults(hits=[], total=0, page=page, per_page=per_page,
                                 elapsed_ms=(time.perf_counter() - started) * 1000)
        kwargs = {"filter": allowed}
        if query.sort == "newest" or listing:
            kwargs.update(sortedby="created", reverse=True)
        results = searcher.search_page(parsed, page, pagelen=per_page, terms=False, **kwargs)
        page = results.pagenum
        hits = [Hit(thread_id=hit["thread_id"], score=hit.score or 0.0,
                    snippet=snippet(hit["content"], words, prefixes, hit["language"]))
                for hit in results]
        suggestion = self._suggest(searcher, text) if results.total == 0 and not listing else None
        # Once it holds a full page, Whoosh skips documents that cannot reach it and counts only
        # what it looked at: counting every match exactly was measured at p95 ~160 ms at 100k posts.
        lower_bound = not results.results.has_exact_length() and results.total >= page * per_page
        return SearchResults(hits=hits, total=results.total, page=page, per_page=per_page, suggestion=suggestion,
                             total_is_lower_bound=lower_bound,
                             elapsed_ms=(time.perf_counter() - started) * 1000)

    def _parser(self, searcher):  # noqa: ANN001
        fields = [f"{kind}_{language}" for kind in ("title", "text") for language in LANGUAGES]
        parser = MultifieldParser(fields, schema=searcher.schema, group=AndGroup)
        parser.remove_plugin_class(WildcardPlugin)  # only trailing * (prefix) is offered
        parser.add_plugin(PrefixPlugin())
        return parser

    def _filter(self, query: SearchQuery):
        parts = []
        if query.board_id:
            parts.append(Term("board_id", str(query.board_id)))
        if query.tag:
            parts.append(Term("tags", query.tag.lower()))
        if query.solved:
            parts.append(Term("solved", True))
        if query.official:
            parts.append(Term("official", True))
        if query.since:
            parts.append(DateRange("created", _naive(query.since), None))
        if query.product:
            parts.append(Term("product", query.product))
        if query.os_version:
            parts.append(Term("os", query.os_version))
        return parts

    def _suggest(self, searcher, text: str) -> str | None:  # noqa: ANN001
        """Replace each word the index does not know by the closest one it does."""
        corrector = searcher.corrector(SPELL_FIELD)
        reader = searcher.reader()
        changed, out = False, []
        for token in WORD.finditer(text):
            word = token.group().lower()
            if (SPELL_FIELD, word) in reader or len(word) < 3:
                out.append(word)
                continue
            # Closest first, then the longest shared beginning, then the most used (Whoosh's own
            # order prefers frequent words, so "ofline" became "fine").
            candidates = corrector.suggest(word, limit=10, maxdist=2)
            if candidates:
                out.append(min(candidates, key=lambda c: (_distance(word, c), -len(os.path.commonprefix([word, c])),
                                                          -reader.doc_frequency(SPELL_FIELD, c))))
                changed = True
            else:
                out.append(word)
        return " ".join(out) if changed else None


def _opening(open_once, attempts: int = 20):  # noqa: ANN001
    """Open the index or a searcher, trying again when a file vanished meanwhile: another process's
    commit removes the files of the generation it replaced, and one that was being opened at that
    moment fails with FileNotFoundError (seen with 4 gunicorn workers writing at once); the next
    attempt reads the newer generation."""
    for attempt in range(attempts):
        try:
            return open_once()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (the words are short: the plain dynamic programme is enough)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _query_words(text: str) -> tuple[set[str], set[str]]:
    """The words and prefixes (`print*`) a query looks for, as typed, for highlighting."""
    words, prefixes = set(), set()
    for token in re.findall(r"\w+\*?", text):
        if token in ("AND", "OR", "NOT"):
            continue
        if token.endswith("*"):
            prefixes.add(token[:-1].lower())
        else:
            words.add(token.lower())
    return words, prefixes
