"""Ranks from reputation by configurable thresholds, with progress to the next rank."""
from __future__ import annotations

from dataclasses import dataclass

from app.services.rules import DEFAULT_RANKS


@dataclass(frozen=True)
class Rank:
    name: str
    level: int  # 0 for the first rank, rising
    floor: int
    next_name: str | None
    next_at: int | None
    reputation: int

    @property
    def progress(self) -> int:
        """Percent of the way from this rank's floor to the next rank (100 at the top rank)."""
        if self.next_at is None:
            return 100
        return max(0, min(100, round(100 * (self.reputation - self.floor) / (self.next_at - self.floor))))

    @property
    def to_next(self) -> int | None:
        return None if self.next_at is None else self.next_at - self.reputation

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


def rank_for(reputation: int, thresholds: tuple[tuple[str, int], ...] = DEFAULT_RANKS) -> Rank:
    """The highest rank whose threshold the reputation reaches (negative reputation: the first)."""
    level = 0
    for index, (_, floor) in enumerate(thresholds):
        if reputation >= floor:
            level = index
    name, floor = thresholds[level]
    following = thresholds[level + 1] if level + 1 < len(thresholds) else (None, None)
    return Rank(name=name, level=level, floor=floor, next_name=following[0], next_at=following[1],
                reputation=reputation)
