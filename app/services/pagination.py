"""A page of results with the numbers a pager needs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")

MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page


def clamp_page(number: int | None) -> int:
    """A page number from user input, kept within sane bounds (never an error)."""
    if number is None or number < 1:
        return 1
    return min(number, MAX_PAGE)
