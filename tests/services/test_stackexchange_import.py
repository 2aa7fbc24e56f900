"""Importing a Stack Exchange dump: what lands in the database, checked against the XML itself,
idempotence, dates, reputation, sanitising, members who cannot sign in, and the CLI."""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from app.db import Base
from app.importers import stackexchange
from app.importers.stackexchange import DELETED_NAME, ImportProblem, import_dump
from app.models import Board, Kudos, Post, Thread, User
from app.services import accounts, reputation
from app.services.errors import InvalidInput

DUMP = Path(__file__).resolve().parents[1] / "data" / "stackexchange" / "raspberrypi.meta"
SITE = "https://raspberrypi.meta.stackexchange.com"


def _rows(name: str) -> list[dict[str, str]]:
    return [dict(row.attrib) for row in etree.parse(str(DUMP / name)).getroot().iter("row")]


def _expected() -> dict[str, int]:
    """What the import should bring in, counted straight from the XML."""
    posts = _rows("Posts.xml")
    questions = {p["Id"] for p in posts if p["PostTypeId"] == "1"}
    answers = {p["Id"]: p["ParentId"] for p in posts if p["PostTypeId"] == "2" and p.get("ParentId") in questions}
    live = questions | set(answers)
    comments = [c for c in _rows("Comments.xml") if c["PostId"] in live and c["Text"].strip()]
    users = {u["Id"] for u in _rows("Users.xml")}
    owners = [p.get("OwnerUserId") for p in posts if p["Id"] in live] + [c.get("UserId") for c in comments]
    return {
        "questions": len(questions),
        "answers": len(answers),
        "comments": len(comments),
        "accepted": sum(1 for p in posts if p["Id"] in questions and answers.get(p.get("AcceptedAnswerId")) == p["Id"]),
        "kudos": sum(1 for v in _rows("Votes.xml") if v["VoteTypeId"] == "2" and v["PostId"] in live),
        # Every member of Users.xml, and one placeholder for the authors who are not there.
        "users": len(users) + (1 if any(o not in users for o in owners) else 0),
    }


def _import(session, **options):
    return import_dump(session, str(DUMP), site_url=SITE, **options)


def _post(session, source_id: str) -> Post:
    return session.scalars(select(Post).where(Post.import_key == f"stackexchange:raspberrypi.meta.stackexchange.com:post:{source_id}")).one()


def _state(session) -> dict:
    session.rollback()
    return {
        "rows": {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables},
        "reputation": dict(session.execute(select(User.id, User.reputation)).all()),
        "post_kudos": dict(session.execute(select(Post.id, Post.kudos_count)).all()),
        "threads": session.execute(select(Thread.id, Thread.answer_count, Thread.kudos_count, Thread.status,
                                          Thread.accepted_answer_id, Thread.accepted_at).order_by(Thread.id)).all(),
    }


def test_everything_in_the_dump_is_imported(session):
    expected = _expected()
    result = _import(session)

    assert {k: getattr(result, k) for k in expected} == expected
    count = lambda *where: session.scalar(select(func.count(Post.id)).where(Post.import_key.is_not(None), *where))  # noqa: E731
    assert count(Post.kind == "question") == expected["questions"]
    assert count(Post.kind == "answer") == expected["answers"]
    assert count(Post.kind == "comment") == expected["comments"]
    assert session.scalar(select(func.count(Thread.id)).where(Thread.status == "solved")) == expected["accepted"]
    assert session.scalar(select(func.count(Kudos.id)).where(Kudos.giver_id.is_(None))) == expected["kudos"]
    assert session.scalar(select(func.count(User.id)).where(User.import_key.is_not(None))) == expected["users"]
    assert sum(session.scalars(select(Post.kudos_count))) == expected["kudos"]
    # The board is named after the site; tag wikis and votes on deleted posts are left out.
    board = session.scalars(select(Board)).one()
    assert (board.slug, board.name) == ("raspberrypi-meta", "Raspberrypi Meta")
    assert result.skipped["votes on posts not in the dump"] >= 3
    # Every imported post is approved (reviewed) and carries its attribution.
    assert session.scalar(select(func.count(Post.id)).where(Post.review_state != "approved")) == 0
    assert session.scalar(select(func.count(Post.id)).where(Post.source_url.is_(None))) == 0


def test_running_it_again_adds_nothing_and_changes_no_count(session):
    _import(session)
    before = _state(session)

    again = _import(session)

    assert (again.users, again.questions, again.answers, again.comments, again.accepted, again.kudos) == (0,) * 6
    assert _state(session) == before


def test_reputation_follows_the_ledger_and_the_rules(session):
    _import(session)

    assert reputation.verify(session) == []
    stored = {uid: rep for uid, rep in session.execute(select(User.id, User.reputation)) if rep}
    assert stored == {uid: points for uid, points in reputation.expected_from_state(session).items() if points}
    assert sum(stored.values()) > 0


def test_original_dates_are_kept(session):
    _import(session)
    first = next(p for p in _rows("Posts.xml") if p["PostTypeId"] == "1" and p.get("LastEditDate"))
    question = _post(session, first["Id"])
    thread = session.get(Thread, question.thread_id)

    def date(value: str) -> datetime:
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)

    assert question.created_at == date(first["CreationDate"]) == thread.created_at
    assert question.edited_at == date(first["LastEditDate"])

    accepts = {v["PostId"]: v["CreationDate"] for v in _rows("Votes.xml") if v["VoteTypeId"] == "1"}
    solved = next(p for p in _rows("Posts.xml") if p.get("AcceptedAnswerId") in accepts)
    answer = _post(session, solved["AcceptedAnswerId"])
    thread = session.get(Thread, answer.thread_id)
    assert thread.accepted_answer_id == answer.id and thread.accepted_by_id == thread.author_id
    assert thread.accepted_at == max(date(accepts[solved["AcceptedAnswerId"]]), answer.created_at)


def test_bodies_are_sanitised_and_kept_as_markdown(session):
    _import(session)

    for html in session.scalars(select(Post.body_html)):
        assert "<script" not in html.lower() and "onerror" not in html.lower() and "javascript:" not in html.lower()
    made = _post(session, "900001")  # the hand-made row with a script, an onerror and a javascript: link
    assert "Grüße aus Köln 🍓 日本語" in made.body_html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in made.body_html
    assert 'href="https://raspberrypi.meta.stackexchange.com/questions/1"' in made.body_html
    assert "alert(" not in made.body_source and "<p>" not in made.body_source
    comment = session.scalars(select(Post).where(Post.parent_id == made.id)).one()
    assert "<script" not in comment.body_html and "&lt;script&gt;" in comment.body_html


def test_authors_become_members_who_cannot_sign_in(session):
    _import(session)
    members = session.scalars(select(User).where(User.import_key.is_not(None))).all()

    assert all(m.email.endswith("@import.invalid") for m in members)
    names = [m.display_name.lower() for m in members]
    assert len(names) == len(set(names))
    with pytest.raises(InvalidInput):
        accounts.authenticate(session, email=members[0].email, password=members[0].password_hash)
    # Authors missing from Users.xml (deleted accounts) share one placeholder, with their old name kept.
    placeholder = session.scalars(select(User).where(User.display_name == DELETED_NAME)).one()
    made = _post(session, "900001")
    assert made.author_id == placeholder.id
    assert (made.source_author, made.source_author_url) == ("user999999", None)
    named_only = next(p for p in _rows("Posts.xml") if p.get("OwnerDisplayName") and not p.get("OwnerUserId"))
    assert _post(session, named_only["Id"]).source_author == named_only["OwnerDisplayName"]


def test_the_stand_in_for_deleted_accounts_is_on_no_list_of_people(session, moderator):
    from datetime import datetime, timezone

    from app.services import dashboard, leaderboard

    _import(session)
    placeholder = session.scalars(select(User).where(User.display_name == DELETED_NAME)).one()
    assert placeholder.reputation > 0  # it holds the points of the posts it stands for …
    everyone = session.scalar(select(func.count(User.id)))
    for measure in ("reputation", "solutions"):
        people = [entry.user for entry in leaderboard.top(session, measure=measure, limit=everyone)]
        assert people and placeholder not in people  # … but is nobody to rank
    # Its posts got 30-odd kudos in the dump's first days, more than anyone's then.
    helpers = dashboard.dashboard(session, None, 7, datetime(2012, 6, 15, tzinfo=timezone.utc)).helpers
    assert helpers and placeholder not in [h.user for h in helpers]


def test_a_taken_name_gets_a_suffix_and_the_attribution_keeps_the_original(session, make_user):
    users = {u["Id"]: u for u in _rows("Users.xml")}
    asked = next(p for p in _rows("Posts.xml") if p["PostTypeId"] == "1" and p.get("OwnerUserId") in users)
    first = users[asked["OwnerUserId"]]
    make_user(name=first["DisplayName"].upper())
    _import(session)

    member = session.scalars(select(User).where(User.import_key.like(f"%:user:{first['Id']}"))).one()
    assert member.display_name == f"{first['DisplayName']} (2)"
    question = _post(session, asked["Id"])
    assert question.author_id == member.id
    assert question.source_author == first["DisplayName"]
    assert question.source_author_url == f"{SITE}/users/{first['Id']}"


def test_the_licence_follows_the_date(session):
    _import(session)

    assert _post(session, "1").source_licence == "CC BY-SA 3.0"  # 2012
    assert _post(session, "900001").source_licence == "CC BY-SA 4.0"  # 2019
    assert stackexchange.licence_for(datetime(2010, 1, 1, tzinfo=timezone.utc)) == "CC BY-SA 2.5"
    assert _post(session, "1").source_url == f"{SITE}/q/1"


def test_an_existing_board_is_used(session, board):
    result = _import(session, board_slug=board.slug)

    assert result.board_slug == board.slug
    assert session.scalar(select(func.count(Board.id))) == 1
    assert session.scalar(select(func.count(Thread.id)).where(Thread.board_id == board.id)) == result.questions


def test_bad_input_is_refused_with_a_reason(session, tmp_path):
    with pytest.raises(ImportProblem, match="Posts.xml"):
        import_dump(session, str(tmp_path), site_url=SITE)
    copy = tmp_path / "raspberrypi.meta"
    shutil.copytree(DUMP, copy)
    with pytest.raises(ImportProblem, match="--site-url"):
        import_dump(session, str(copy))
    with pytest.raises(ImportProblem, match="--site-url"):
        import_dump(session, str(copy), site_url="ftp://example.com")
    assert session.scalar(select(func.count(Post.id))) == 0
    # A folder named after the site needs no --site-url.
    named = tmp_path / "raspberrypi.meta.stackexchange.com"
    copy.rename(named)
    assert import_dump(session, str(named)).questions == _expected()["questions"]


def test_the_cli_imports_and_indexes(app, session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "stackexchange", str(DUMP), "--site-url", SITE, "--board", "pi-meta"])

    assert result.exit_code == 0, result.output
    expected = _expected()
    assert f"{expected['questions']} questions, {expected['answers']} answers" in result.output
    assert f"Search index: {expected['questions']} threads written here; 0 still queued." in result.output
    assert session.scalars(select(Board.slug)).one() == "pi-meta"

    again = runner.invoke(args=["import", "stackexchange", str(DUMP), "--site-url", SITE, "--board", "pi-meta"])
    assert again.exit_code == 0 and "0 members, 0 questions" in again.output

    failed = runner.invoke(args=["import", "stackexchange", str(DUMP), "--site-url", "not a url"])
    assert failed.exit_code == 1 and "Nothing imported" in failed.output
