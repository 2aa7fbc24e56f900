"""Members' roles: administrators promote members to moderator or administrator and demote them.

The site must never be left without an administrator: nobody changes their own role (another
administrator must do it), and the last administrator is never demoted.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.db import ROW_LOCK, transaction
from app.i18n import N_
from app.models import ROLES, User
from app.services import audit, policies
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.pagination import Page
from app.services.text import clean_line

ROLE_NAMES = {"member": N_("Member"), "moderator": N_("Moderator"), "admin": N_("Administrator")}


def set_role(session: Session, actor: User, *, user_id: int, role: str, now: datetime | None = None) -> User:
    """Give a member another role; setting the role they have already changes (and logs) nothing."""
    if not policies.is_admin(actor):
        raise Forbidden("Only administrators can change members' roles.")
    if role not in ROLES:
        raise InvalidInput.field("role", "Please choose member, moderator or administrator.")
    if user_id == actor.id:
        raise Forbidden("You cannot change your own role; please ask another administrator.")
    with transaction(session):
        # Lock every administrator and the member, in id order (no deadlock): two administrators
        # demoting each other at the same moment then take turns, and the second one sees the first's change.
        locked = {user.id: user for user in session.scalars(
            select(User).where(or_(User.role == "admin", User.id == user_id))
            .order_by(User.id).with_for_update(**ROW_LOCK).execution_options(populate_existing=True)
        )}
        member = locked.get(user_id)
        if member is None:
            raise NotFound("No such member.")
        if member.role == role:
            return member
        admins = {uid for uid, user in locked.items() if user.role == "admin"}
        if member.role == "admin" and not admins - {member.id}:
            raise Forbidden(f"{member.display_name} is the last administrator; promote someone else first.")
        if actor.id not in admins:  # demoted by someone else since this request began
            raise Forbidden("Only administrators can change members' roles.")
        before, member.role = member.role, role
        audit.log(session, "role", actor_id=actor.id, target_user_id=member.id, before=before, after=role, now=now)
    return member


def members(session: Session, *, query: str = "", role: str | None = None, page: int = 1,
            per_page: int = 50) -> Page[User]:
    """Members whose display name or e-mail address contains `query` (any case), by display name."""
    conditions = []
    query = clean_line(query).lower()
    if query:
        conditions.append(or_(func.lower(User.display_name).contains(query, autoescape=True),
                              func.lower(User.email).contains(query, autoescape=True)))
    if role in ROLES:
        conditions.append(User.role == role)
    total = session.scalar(select(func.count(User.id)).where(*conditions))
    page = min(max(page, 1), max(1, -(-total // per_page)))
    items = session.scalars(
        select(User).where(*conditions).order_by(func.lower(User.display_name), User.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=items, number=page, per_page=per_page, total=total)
