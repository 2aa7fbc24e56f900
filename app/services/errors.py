"""Typed errors the services raise; the web layer maps each to one HTTP answer in one place."""
from __future__ import annotations


class ServiceError(Exception):
    """Base class of every error a service raises on purpose."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The row asked for does not exist (or is not visible to the actor)."""


class Forbidden(ServiceError):
    """The actor may not do this."""


class Conflict(ServiceError):
    """The action clashes with a change made meanwhile; trying again may work."""


class InvalidInput(ServiceError):
    """The input breaks a rule; `errors` maps each form field to its messages."""

    def __init__(self, errors: dict[str, list[str]] | None = None, message: str = "") -> None:
        self.errors = errors or {}
        super().__init__(message or "; ".join(m for msgs in self.errors.values() for m in msgs))

    @classmethod
    def field(cls, name: str, message: str) -> "InvalidInput":
        return cls({name: [message]})


class FieldErrors:
    """Collects messages per field while validating, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(dict(self.errors))
