"""Product context on questions: a thread's product (in boards that ask for one) and OS/version,
cleaned and checked; the values a board already uses, offered as suggestions while asking; a
board's product label; and trending issues summed per product for the dashboard."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Board, Thread
from app.services.errors import FieldErrors
from app.services.listings import LISTED
from app.services.text import clean_line

VALUE_MAX = 80   # Thread.product and Thread.os_version hold this many characters
LABEL_MAX = 40   # Board.product_label
SUGGESTIONS = 50  # values offered per field and board, the most used first
# Offered in every board's OS field before the values its members typed.
COMMON_OS = ("Windows 11", "Windows 10", "macOS", "ChromeOS", "Linux", "Android", "iOS")


@dataclass(frozen=True)
class Context:
    """A question's product and OS/version, cleaned; None where nothing was given."""

    product: str | None = None
    os_version: str | None = None


def clean_value(value: str | None) -> str | None:
    """One typed value: trimmed, invisible characters removed, whitespace collapsed; None if empty."""
    return clean_line(value) or None


def match_key(value: str | None) -> str | None:
    """What filters compare: the cleaned value case-folded, so "laserjet M404" finds "LaserJet m404"."""
    cleaned = clean_value(value)
    return cleaned.casefold() if cleaned else None


def validate(board: Board | None, product: str | None, os_version: str | None,
             problems: FieldErrors) -> Context:
    """Clean a question's context, adding a message to `problems` for a value that is too long.
    A board without a product label has no product field: a product sent anyway is dropped."""
    product = clean_value(product) if board is not None and board.product_label else None
    os_version = clean_value(os_version)
    if product is not None and len(product) > VALUE_MAX:
        problems.add("product", "Please keep the product to 80 characters or fewer.")
    if os_version is not None and len(os_version) > VALUE_MAX:
        problems.add("os_version", "Please keep the OS / version to 80 characters or fewer.")
    return Context(product, os_version)


def clean_label(label: str | None, problems: FieldErrors) -> str | None:
    """A board's product label ("Printer model"); None switches the board's product field off."""
    label = clean_value(label)
    if label is not None and len(label) > LABEL_MAX:
        problems.add("product_label", "Please keep the product label to 40 characters or fewer.")
    return label


def _used(session: Session, column, board_ids: list[int]) -> dict[int, list[str]]:  # noqa: ANN001 - a Thread column
    """Per board: the values of `column` in its listed threads, the most used first (at most
    SUGGESTIONS); spellings that differ only in case count as one, shown as the most used one."""
    rows = session.execute(
        select(Thread.board_id, column, func.count()).where(Thread.board_id.in_(board_ids), column.is_not(None),
                                                            *LISTED)
        .group_by(Thread.board_id, column)
    ).all()
    merged: dict[int, dict[str, tuple[str, int]]] = {board_id: {} for board_id in board_ids}
    for board_id, value, count in sorted(rows, key=lambda row: (-row[2], row[1])):
        spelling, total = merged[board_id].get(value.casefold(), (value, 0))
        merged[board_id][value.casefold()] = (spelling, total + count)  # the first seen is the most used

    def ranked(values: dict[str, tuple[str, int]]) -> list[str]:
        return [spelling for spelling, _ in sorted(values.values(), key=lambda v: (-v[1], v[0].casefold()))]

    return {board_id: ranked(values)[:SUGGESTIONS] for board_id, values in merged.items()}


@dataclass(frozen=True)
class Suggestions:
    """What the ask form offers in one board: its product label (None: no product field) and the
    values its product and OS/version fields suggest."""

    label: str | None
    products: list[str]
    os_versions: list[str]


def suggestions(session: Session, boards: list[Board]) -> dict[int, Suggestions]:
    """Per board: the products already named in it, and the common operating systems followed by
    the OS/version values its members typed (two queries, whatever the number of boards)."""
    ids = [board.id for board in boards]
    products, systems = _used(session, Thread.product, ids), _used(session, Thread.os_version, ids)
    common = {value.casefold() for value in COMMON_OS}
    return {board.id: Suggestions(
        label=board.product_label, products=products[board.id] if board.product_label else [],
        os_versions=[*COMMON_OS, *(v for v in systems[board.id] if v.casefold() not in common)],
    ) for board in boards}


@dataclass(frozen=True)
class ProductTrend:
    product: str
    threads: int
    score: int  # the sum of the threads' trending scores (dashboard.Trending.rise)


def by_product(trending: Iterable) -> list[ProductTrend]:  # noqa: ANN001 - dashboard.Rise rows
    """Trending threads summed per product (spellings differing only in case are one product),
    the highest score first; threads without a product are left out."""
    groups: dict[str, list] = {}
    for row in trending:
        if row.product:
            groups.setdefault(row.product.casefold(), []).append(row)
    trends = [ProductTrend(product=_most_common(r.product for r in rows), threads=len(rows),
                           score=sum(r.rise for r in rows)) for rows in groups.values()]
    return sorted(trends, key=lambda t: (-t.score, -t.threads, t.product.casefold()))


def _most_common(spellings: Iterable[str]) -> str:
    counts = Counter(spellings)
    return min(counts, key=lambda s: (-counts[s], s))
