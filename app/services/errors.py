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


# Each error class, or method, that takes a user-facing message, and the position of that message.
MESSAGE_ARGUMENT = {"Forbidden": 0, "NotFound": 0, "Conflict": 0, "MailNotSent": 0, "field": 1, "add": 1}


def extract_messages(fileobj, keywords, comment_tags, options):
    """Babel extraction method for Python files (babel.cfg): the usual gettext keywords, plus the
    messages given to the calls in MESSAGE_ARGUMENT, so the web layer can translate them when it
    shows them. Only a plain string literal counts: babel's own keyword matching would also glue
    together the pieces of f-strings and `a if x else b`, and take any other `add(x, "...")`."""
    import ast
    import io

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        position = MESSAGE_ARGUMENT.get(name)
        if position is None or len(node.args) <= position:
            continue
        message = node.args[position]
        if isinstance(message, ast.Constant) and isinstance(message.value, str) and message.value:
            yield node.lineno, None, message.value, []  # None: not one of babel's keywords
