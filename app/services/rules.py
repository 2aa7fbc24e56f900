"""The configurable numbers of the reputation system: points per event, rank thresholds, limits."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

DEFAULT_POINTS = {
    "kudos_question": 5,     # kudos received on a question
    "kudos_answer": 10,      # kudos received on an answer
    "answer_accepted": 15,   # your answer accepted as the solution
    "accepted_solution": 2,  # you accepted a solution to your question
    "answer_official": 25,   # your answer marked official by staff
}
DEFAULT_RANKS = (("New member", 0), ("Contributor", 50), ("Helper", 200), ("Expert", 1000), ("Champion", 5000))
DEFAULT_KUDOS_PER_DAY = 40
# Flags: a post whose open flags weigh this much together is hidden at once, pending review.
DEFAULT_FLAG_HIDE_WEIGHT = 3
# A flag's weight by the flagger's rank level (New member, Contributor, Helper, Expert, Champion…);
# ranks beyond the list weigh as much as its last entry.
DEFAULT_FLAG_WEIGHTS = (1, 1, 2, 3, 3)


@dataclass(frozen=True)
class ReputationRules:
    points: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_POINTS))
    ranks: tuple[tuple[str, int], ...] = DEFAULT_RANKS
    kudos_per_day: int = DEFAULT_KUDOS_PER_DAY
    flag_hide_weight: int = DEFAULT_FLAG_HIDE_WEIGHT
    flag_weights: tuple[int, ...] = DEFAULT_FLAG_WEIGHTS

    @classmethod
    def from_config(cls, config: Mapping) -> "ReputationRules":
        return cls(
            points={**DEFAULT_POINTS, **config.get("REPUTATION_POINTS", {})},
            ranks=tuple(config.get("RANK_THRESHOLDS", DEFAULT_RANKS)),
            kudos_per_day=config.get("KUDOS_PER_DAY", DEFAULT_KUDOS_PER_DAY),
            flag_hide_weight=config.get("FLAG_HIDE_WEIGHT", DEFAULT_FLAG_HIDE_WEIGHT),
            flag_weights=tuple(config.get("FLAG_WEIGHTS", DEFAULT_FLAG_WEIGHTS)),
        )

    def flag_weight(self, rank_level: int) -> int:
        return self.flag_weights[min(rank_level, len(self.flag_weights) - 1)]


DEFAULT_RULES = ReputationRules()


def parse_points(text: str | None) -> dict[str, int]:
    """`kudos_answer=10,answer_accepted=15` → a dict; unknown names are refused."""
    if not text:
        return {}
    points = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in DEFAULT_POINTS:
            raise ValueError(f"REPUTATION_POINTS: unknown event {name!r}; known: {', '.join(DEFAULT_POINTS)}")
        points[name] = int(value)
    return points


def parse_ranks(text: str | None) -> tuple[tuple[str, int], ...]:
    """`New member:0,Contributor:50,…` → thresholds, checked to start at 0 and to rise."""
    if not text:
        return DEFAULT_RANKS
    ranks = tuple((name.strip(), int(value)) for name, _, value in (p.rpartition(":") for p in text.split(",")))
    floors = [floor for _, floor in ranks]
    if not ranks or floors[0] != 0 or floors != sorted(set(floors)):
        raise ValueError("RANK_THRESHOLDS must start at 0 and rise, e.g. 'New member:0,Helper:200'")
    return ranks


def parse_weights(text: str | None) -> tuple[int, ...]:
    """`1,1,2,3,3` → flag weights by rank level; each at least 1."""
    if not text:
        return DEFAULT_FLAG_WEIGHTS
    weights = tuple(int(part) for part in text.split(","))
    if not weights or min(weights) < 1:
        raise ValueError("FLAG_WEIGHTS must be whole numbers of at least 1, e.g. '1,1,2,3,3'")
    return weights
