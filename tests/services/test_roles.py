"""Members' roles: who may change them, the rules that keep an administrator, and the members list."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app import db
from app.models import ModerationAction, User
from app.services import roles
from app.services.errors import Forbidden, InvalidInput, NotFound


def _log(session) -> list[ModerationAction]:
    session.rollback()
    return list(session.scalars(select(ModerationAction).order_by(ModerationAction.id)))


def _role(session, user: User) -> str:
    session.expire_all()
    return session.get(User, user.id).role


@pytest.fixture
def other_session(app):
    """A second database session, as another request has: its objects do not see our changes."""
    own = app.extensions["db_sessionmaker"]()
    yield own
    own.close()


@pytest.mark.parametrize(("old", "new"), [("member", "moderator"), ("member", "admin"), ("moderator", "member"),
                                          ("moderator", "admin"), ("admin", "moderator"), ("admin", "member")])
def test_an_administrator_changes_a_role_and_it_is_logged(session, admin, make_user, old, new):
    target = make_user(old)

    changed = roles.set_role(session, admin, user_id=target.id, role=new)

    assert changed.id == target.id and _role(session, target) == new
    [entry] = _log(session)
    assert (entry.action, entry.actor_id, entry.target_user_id, entry.before_text, entry.after_text) == (
        "role", admin.id, target.id, old, new)


def test_the_same_role_again_changes_and_logs_nothing(session, admin, moderator):
    roles.set_role(session, admin, user_id=moderator.id, role="moderator")

    assert _role(session, moderator) == "moderator" and _log(session) == []


@pytest.mark.parametrize("role", ["owner", "", "Admin", "admin "])
def test_unknown_roles_are_refused(session, admin, member, role):
    with pytest.raises(InvalidInput) as caught:
        roles.set_role(session, admin, user_id=member.id, role=role)

    assert list(caught.value.errors) == ["role"]
    assert _role(session, member) == "member" and _log(session) == []


def test_an_administrator_cannot_change_their_own_role(session, admin, make_user):
    make_user("admin", name="Second Admin")  # even when another administrator would remain

    with pytest.raises(Forbidden) as caught:
        roles.set_role(session, admin, user_id=admin.id, role="member")

    assert "ask another administrator" in caught.value.message
    assert _role(session, admin) == "admin" and _log(session) == []


def test_a_missing_member_is_not_found(session, admin):
    with pytest.raises(NotFound):
        roles.set_role(session, admin, user_id=999_999, role="moderator")


@pytest.mark.parametrize("who", ["moderator", "member", "suspended"])
def test_only_administrators_change_roles(request, session, helper, admin, who):
    actor = request.getfixturevalue(who)

    for target, role in [(helper, "moderator"), (actor, "admin"), (admin, "member")]:
        with pytest.raises(Forbidden):
            roles.set_role(session, actor, user_id=target.id, role=role)

    assert [_role(session, u) for u in (helper, actor, admin)] == ["member", actor.role, "admin"]
    assert _log(session) == []


def test_a_visitor_cannot_change_roles(session, member):
    with pytest.raises(Forbidden):
        roles.set_role(session, None, user_id=member.id, role="admin")


def test_the_last_administrator_is_never_demoted(session, other_session, admin, make_user):
    # Two administrators demote each other at the same moment: the second request still holds the
    # other administrator as it was when it began, but finds that it would remove the last one.
    second = make_user("admin", name="Second Admin")
    stale_second = other_session.get(User, second.id)

    roles.set_role(session, admin, user_id=second.id, role="member")
    with pytest.raises(Forbidden) as caught:
        roles.set_role(other_session, stale_second, user_id=admin.id, role="member")

    assert "Admin Ada is the last administrator" in caught.value.message
    assert _role(session, admin) == "admin" and _role(session, second) == "member"
    assert len(_log(session)) == 1


def test_a_demoted_administrator_cannot_act_with_an_old_session(session, other_session, admin, member, make_user):
    second = make_user("admin", name="Second Admin")
    stale_second = other_session.get(User, second.id)
    roles.set_role(session, admin, user_id=second.id, role="moderator")

    with pytest.raises(Forbidden):
        roles.set_role(other_session, stale_second, user_id=member.id, role="admin")

    assert _role(session, member) == "member" and len(_log(session)) == 1


# --- the members list --------------------------------------------------------------------------


@pytest.fixture
def crowd(make_user):
    return {
        "bea": make_user(name="bea Brown"),
        "al": make_user("moderator", name="Al Green"),
        "cy": make_user("admin", name="Cy Black"),
        "dee": make_user(name="Dee 100%_sure"),
    }


def _names(page) -> list[str]:
    return [u.display_name for u in page.items]


def test_members_are_ordered_by_display_name_ignoring_case(session, crowd):
    assert _names(roles.members(session)) == ["Al Green", "bea Brown", "Cy Black", "Dee 100%_sure"]


@pytest.mark.parametrize(("query", "expected"), [
    ("GREEN", ["Al Green"]),
    ("  b ", ["bea Brown", "Cy Black"]),
    ("user", ["Al Green", "bea Brown", "Cy Black", "Dee 100%_sure"]),  # every e-mail is userN@example.com
    ("100%", ["Dee 100%_sure"]),
    ("%", ["Dee 100%_sure"]),  # wildcards are searched for as text
    ("_", ["Dee 100%_sure"]),
    ("nobody", []),
])
def test_members_search_name_and_email(session, crowd, query, expected):
    assert _names(roles.members(session, query=query)) == expected


def test_members_search_finds_one_email(session, crowd):
    email = crowd["cy"].email

    assert _names(roles.members(session, query=email.upper())) == ["Cy Black"]


@pytest.mark.parametrize(("role", "expected"), [
    ("moderator", ["Al Green"]), ("admin", ["Cy Black"]), ("member", ["bea Brown", "Dee 100%_sure"]),
    (None, ["Al Green", "bea Brown", "Cy Black", "Dee 100%_sure"]),
    ("bogus", ["Al Green", "bea Brown", "Cy Black", "Dee 100%_sure"]),
])
def test_members_filter_by_role(session, crowd, role, expected):
    assert _names(roles.members(session, role=role)) == expected


def test_members_are_paged(session, crowd):
    page = roles.members(session, page=2, per_page=3)

    assert (page.number, page.pages, page.total, _names(page)) == (2, 2, 4, ["Dee 100%_sure"])
    assert roles.members(session, page=99, per_page=3).number == 2
    assert roles.members(session, page=0, per_page=3).number == 1


def test_administrators_demoting_each_other_at_once_leave_one(app, session, make_user):
    admins = [make_user("admin", name=f"Admin Number {n}") for n in range(4)]
    ready = threading.Barrier(len(admins))

    def demote_next(index: int) -> str:
        with app.app_context():
            own = db.session()
            actor = own.get(User, admins[index].id)  # loaded before anyone writes, as a request does
            ready.wait()
            try:
                roles.set_role(own, actor, user_id=admins[(index + 1) % len(admins)].id, role="member")
            except Forbidden:
                return "refused"
            return "done"

    with ThreadPoolExecutor(max_workers=len(admins)) as pool:
        outcomes = list(pool.map(demote_next, range(len(admins))))

    session.expire_all()
    remaining = session.scalars(select(User.id).where(User.role == "admin")).all()
    assert len(remaining) >= 1
    assert outcomes.count("done") == len(admins) - len(remaining) == len(_log(session))
