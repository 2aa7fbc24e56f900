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


@dataclass(frozen=True)
class ReputationRules:
    points: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_POINTS))
    ranks: tuple[tuple[str, int], ...] = DEFAULT_RANKS
    kudos_per_day: int = DEFAULT_KUDOS_PER_DAY

    @classmethod
    def from_config(cls, config: Mapping) -> "ReputationRules":
        return cls(
            points={**DEFAULT_POINTS, **config.get("REPUTATION_POINTS", {})},
            ranks=tuple(config.get("RANK_THRESHOLDS", DEFAULT_RANKS)),
            kudos_per_day=config.get("KUDOS_PER_DAY", DEFAULT_KUDOS_PER_DAY),
        )


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
