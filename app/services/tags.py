"""Parsing tags typed by members and attaching them to threads."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Tag
from app.services.text import clean_line

TAG_MAX_LENGTH = 30
_TAG_RE = re.compile(r"^[^\W_][\w+#.\-]*$")
_SEPARATORS = re.compile(r"[,\s]+")


def parse_tags(raw: str | list[str] | None, *, limit: int) -> tuple[list[str], list[str]]:
    """Split typed tags into clean lower-case names; returns (names, problems)."""
    if raw is None:
        return [], []
    parts = raw if isinstance(raw, list) else _SEPARATORS.split(clean_line(raw))
    names: list[str] = []
    problems: list[str] = []
    for part in parts:
        name = clean_line(part).lower().lstrip("#")
        if not name or name in names:
            continue
        if len(name) > TAG_MAX_LENGTH or not _TAG_RE.match(name):
            problems.append(
                f"“{name[:40]}” is not a valid tag: use up to {TAG_MAX_LENGTH} letters, digits, + # . or -."
            )
            continue
        names.append(name)
    if len(names) > limit:
        problems.append(f"Use at most {limit} tags.")
    return names, problems


def get_or_create_tags(session: Session, names: list[str]) -> list[Tag]:
    """The Tag rows for these names, creating the missing ones (safe when two posts race)."""
    if not names:
        return []
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name in existing:
            continue
        try:
            with session.begin_nested():
                tag = Tag(name=name)
                session.add(tag)
            existing[name] = tag
        except IntegrityError:
            existing[name] = session.scalars(select(Tag).where(Tag.name == name)).one()
    return [existing[name] for name in names]
