"""Administrators' changes to boards: create, rename and describe, name the product field,
reorder, archive and reopen.

Every change writes its row to the audit log in the same transaction. A board's unanswered-routing
settings (services/routing.py checks them) are saved with the rest of its form. A board's slug (its
address, /b/<slug>) stays as it is when the board is renamed: links to it keep working unless an
administrator types a new address on purpose.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.models import Board, User
from app.services import audit, policies, product_context, routing
from app.services.errors import FieldErrors, Forbidden, InvalidInput, NotFound
from app.services.text import clean_line, slugify

NAME_MIN, NAME_MAX = 2, 80
SLUG_MIN, SLUG_MAX = 2, 80
DESCRIPTION_MAX = 300
DIRECTIONS = ("up", "down")
# Lowercase words of letters and digits joined by single hyphens, as slugify() makes them.
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SLUG_RULE = (f"Use {SLUG_MIN} to {SLUG_MAX} lowercase letters, digits and hyphens, "
              f"e.g. “home-printers”.")


def _require_admin(actor: User) -> None:
    if not policies.is_admin(actor):
        raise Forbidden("Only administrators can manage boards.")


def _clean(name: str, description: str, slug: str | None) -> tuple[str, str, str | None]:
    """Clean and check the typed values; raises InvalidInput naming every field that is wrong.
    An empty slug comes back as None (the caller decides what that means)."""
    problems = FieldErrors()
    name, description, slug = clean_line(name), clean_line(description), clean_line(slug) or None
    if not (NAME_MIN <= len(name) <= NAME_MAX):
        problems.add("name", f"The name needs {NAME_MIN} to {NAME_MAX} characters (it has {len(name)}).")
    if len(description) > DESCRIPTION_MAX:
        problems.add("description", f"Please keep the description under {DESCRIPTION_MAX} characters "
                                    f"(it has {len(description)}).")
    if slug is not None and not (SLUG_MIN <= len(slug) <= SLUG_MAX and _SLUG_RE.match(slug)):
        problems.add("slug", _SLUG_RULE)
    problems.raise_if_any()
    return name, description, slug


def _slug_taken(slug: str, owner: Board | None = None) -> InvalidInput:
    name = f"“{owner.name}”" if owner else "another board"
    return InvalidInput.field("slug", f"The address /b/{slug} belongs to {name} already; please choose another.")


def _check_slug_free(session: Session, slug: str) -> None:
    owner = session.scalar(select(Board).where(Board.slug == slug))
    if owner is not None:
        raise _slug_taken(slug, owner)


def _load(session: Session, board_id: int) -> Board:
    board = session.get(Board, board_id, with_for_update=ROW_LOCK, populate_existing=True)
    if board is None:
        raise NotFound("There is no such board.")
    return board


def _as_text(board: Board) -> str:
    label = f"\n\nProduct field: {board.product_label}" if board.product_label else ""
    settings = routing.BoardRouting.of(board).describe()
    return f"{board.name}\n\n{board.description}{label}" + (f"\n\n{settings}" if settings else "")


def _clean_label(label: str | None) -> str | None:
    problems = FieldErrors()
    label = product_context.clean_label(label, problems)
    problems.raise_if_any()
    return label


def _clean_routing(routing_input: Mapping[str, str | None] | None) -> routing.BoardRouting | None:
    """The typed routing settings checked (routing.clean_settings); None when none were given."""
    if routing_input is None:
        return None
    problems = FieldErrors()
    settings = routing.clean_settings(problems, **routing_input)
    problems.raise_if_any()
    return settings


def create(session: Session, actor: User, *, name: str, description: str = "", slug: str | None = None,
           product_label: str | None = None, routing_input: Mapping[str, str | None] | None = None,
           now: datetime | None = None) -> Board:
    """Add a board at the end of the list; its address comes from the name unless one is given.
    With a `product_label` ("Printer model") its questions get a product field. `routing_input`:
    the typed unanswered-routing settings by name (routing.clean_settings's arguments)."""
    _require_admin(actor)
    name, description, slug = _clean(name, description, slug)
    product_label = _clean_label(product_label)
    settings = _clean_routing(routing_input)
    if slug is None:
        slug = slugify(name, fallback="board", max_length=SLUG_MAX)
        if len(slug) < SLUG_MIN:
            raise InvalidInput.field("slug", f"This name makes too short an address. {_SLUG_RULE}")
    now = now or datetime.now(timezone.utc)
    try:
        with transaction(session):
            _check_slug_free(session, slug)
            last = session.scalar(select(func.max(Board.position)))
            board = Board(slug=slug, name=name, description=description, product_label=product_label,
                          position=0 if last is None else last + 1, created_at=now)
            if settings is not None:
                settings.apply_to(board)
            session.add(board)
            session.flush()
            audit.log(session, "board_create", actor_id=actor.id, board_id=board.id, note=name, now=now)
    except IntegrityError as exc:
        # Another administrator took the same address at the same moment: the database decides.
        raise _slug_taken(slug) from exc
    return board


def update(session: Session, actor: User, *, board_id: int, name: str, description: str,
           slug: str | None = None, product_label: str | None = None,
           routing_input: Mapping[str, str | None] | None = None, now: datetime | None = None) -> Board:
    """Rename and describe a board; its address changes only when a new slug is given. The
    product label changes when one is given ("" removes the board's product field), and the
    routing settings when `routing_input` is given."""
    _require_admin(actor)
    name, description, slug = _clean(name, description, slug)
    label = _clean_label(product_label)
    settings = _clean_routing(routing_input)
    try:
        with transaction(session):
            board = _load(session, board_id)
            slug = slug or board.slug
            if slug != board.slug:
                _check_slug_free(session, slug)
            label = board.product_label if product_label is None else label
            settings = settings or routing.BoardRouting.of(board)
            if ((name, description, slug, label, settings)
                    == (board.name, board.description, board.slug, board.product_label, routing.BoardRouting.of(board))):
                return board
            before, old_slug = _as_text(board), board.slug
            board.name, board.description, board.slug, board.product_label = name, description, slug, label
            settings.apply_to(board)
            session.flush()
            audit.log(session, "board_update", actor_id=actor.id, board_id=board.id,
                      note=f"Address changed from /b/{old_slug} to /b/{slug}" if slug != old_slug else None,
                      before=before, after=_as_text(board), now=now)
    except IntegrityError as exc:
        raise _slug_taken(slug) from exc
    return board


def move(session: Session, actor: User, *, board_id: int, direction: str, now: datetime | None = None) -> Board:
    """Swap a board with its neighbour above or below; at either end nothing changes.

    Positions are renumbered 0..n-1 at the same time, so a swap works even where older data gave
    two boards the same position.
    """
    _require_admin(actor)
    if direction not in DIRECTIONS:
        raise InvalidInput.field("direction", "Please move the board up or down.")
    with transaction(session):
        # Locking every board serialises reorderings, so two at once cannot mix up the numbering.
        # Rows are locked in id order (a fixed order: no deadlock) and sorted once locked, since
        # PostgreSQL sorts before it waits for a lock and may return rows moved meanwhile out of order.
        locked = session.scalars(
            select(Board).order_by(Board.id).with_for_update(**ROW_LOCK).execution_options(populate_existing=True)
        )
        ordered = sorted(locked, key=lambda b: (b.position, b.name, b.id))
        index = next((i for i, b in enumerate(ordered) if b.id == board_id), None)
        if index is None:
            raise NotFound("There is no such board.")
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            return ordered[index]
        before = "\n".join(b.name for b in ordered)
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, board in enumerate(ordered):
            board.position = position
        moved = ordered[other]
        audit.log(session, "board_reorder", actor_id=actor.id, board_id=moved.id,
                  note=f"Moved “{moved.name}” {direction}", before=before,
                  after="\n".join(b.name for b in ordered), now=now)
    return moved


def _set_archived(session: Session, actor: User, board_id: int, archived: bool, now: datetime | None) -> Board:
    _require_admin(actor)
    with transaction(session):
        board = _load(session, board_id)
        if board.is_archived != archived:  # archiving twice is harmless and logged once
            board.is_archived = archived
            audit.log(session, "board_archive" if archived else "board_unarchive", actor_id=actor.id,
                      board_id=board.id, note=board.name, now=now)
    return board


def archive(session: Session, actor: User, *, board_id: int, now: datetime | None = None) -> Board:
    """Close a board to new questions; its threads stay readable and answerable."""
    return _set_archived(session, actor, board_id, True, now)


def unarchive(session: Session, actor: User, *, board_id: int, now: datetime | None = None) -> Board:
    """Open an archived board to new questions again."""
    return _set_archived(session, actor, board_id, False, now)
