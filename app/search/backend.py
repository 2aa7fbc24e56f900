"""The interface every search backend implements, and what a search asks and answers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Protocol

from app.search.analysis import WORD
from app.search.documents import ThreadDocument

SORTS = ("relevance", "newest")
Documents = dict[int, ThreadDocument | None]  # thread id → its document, None: not in the index
QUERY_MAX = 200


@dataclass(frozen=True)
class SearchQuery:
    text: str
    board_id: int | None = None
    tag: str | None = None
    solved: bool = False          # only solved threads
    official: bool = False        # only threads with an official answer
    since: datetime | None = None  # asked on or after
    # Product context, as product_context.match_key makes it (case-folded): exact matches only.
    product: str | None = None
    os_version: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    @property
    def lists_by_context(self) -> bool:
        """A product or OS filter without words: every thread with that context, newest first
        (what the links on a thread page ask for)."""
        return bool(self.product or self.os_version) and not WORD.search(self.text or "")


@dataclass(frozen=True)
class Hit:
    thread_id: int
    score: float
    snippet: str  # safe HTML: escaped text with <mark> around the matched words


@dataclass(frozen=True)
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    suggestion: str | None = None  # "Did you mean …?" — a corrected query, when one finds more
    total_is_lower_bound: bool = False  # at least `total` threads match (Whoosh stops counting early)
    elapsed_ms: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class SearchBackend(Protocol):
    """What the indexer, the search page and the CLI need from a backend."""

    name: str

    def write(self, documents: Documents | Callable[[], Documents]) -> bool:
        """Write these threads (None: remove the thread) in one commit. Returns False, writing
        nothing, when another process holds the index's write lock (it drains the queue then).
        A function instead of the documents is called once the lock is held, so what it reads
        from the database cannot be older than what another writer wrote before."""

    def search(self, query: SearchQuery) -> SearchResults: ...

    def digests(self) -> dict[int, str]:
        """thread id → digest of every document in the index (for verify)."""

    def rebuild(self, documents: Iterable[ThreadDocument], total: int,
                progress: Callable[[int], None] | None = None) -> int:
        """Build a new index from these documents and swap it in; searches keep working."""

    def is_empty(self) -> bool: ...
