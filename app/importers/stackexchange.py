"""Importing a Stack Exchange data dump (Users, Posts, Comments, Votes .xml) into one board.

Questions become threads (with their tags), answers and comments become posts, accepted answers
become solutions and up-votes become kudos; the original authors become members who cannot sign
in. Every row gets an `import_key` ("stackexchange:<site host>:<kind>:<id>"), so running the
import again adds nothing and changes no count. The files are streamed and every batch is its own
transaction, so memory stays flat and an interrupted import resumes where it stopped.

Reputation follows Peerdesk's rules, not Stack Exchange's: an imported up-vote is a kudos like any
other (`kudos_received`, no giver), an accepted answer earns what accepting earns here. So the
stored reputation stays the sum of the ledger and `reputation.expected_from_state()` holds.
Imported content is approved, searchable, and carries the CC BY-SA attribution (source link,
author, licence). No notification is sent: only the lower-level writers are used, never the
member-facing services (accept, give kudos, answer) that announce what happens.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import transaction
from app.importers import html_to_markdown, iter_rows
from app.models import Board, Kudos, Post, ReputationEvent, Revision, Thread, User
from app.services import accounts, badges, reputation, search_queue
from app.services.rendering import render_markdown
from app.services.rules import DEFAULT_RULES, ReputationRules
from app.services.solutions import set_solution
from app.services.tags import get_or_create_tags, parse_tags
from app.services.text import clean_body, clean_line, slugify

FILES = ("Users.xml", "Posts.xml", "Comments.xml", "Votes.xml")
QUESTION, ANSWER = "1", "2"
UP_MOD, ACCEPTED_BY_ORIGINATOR = "2", "1"
DELETED_NAME = "Community member (deleted)"
# Never a working password: werkzeug's check finds no method in it, so sign-in always fails.
UNUSABLE_PASSWORD = "!imported-account"
# Stack Exchange's licence by the date of the contribution (its last edit).
_LICENCES = ((datetime(2011, 4, 8, tzinfo=timezone.utc), "CC BY-SA 2.5"),
             (datetime(2018, 5, 2, tzinfo=timezone.utc), "CC BY-SA 3.0"))
_LATEST_LICENCE = "CC BY-SA 4.0"
_SITE_DOMAINS = ("stackexchange.com", "stackoverflow.com", "superuser.com", "serverfault.com",
                 "askubuntu.com", "mathoverflow.net", "stackapps.com")
_OLD_TAGS = re.compile(r"<([^<>]+)>")
_SUFFIX_ROOM = 6  # " (99)"


class ImportProblem(Exception):
    """The dump or the options cannot be imported; the message says why."""


@dataclass
class ImportResult:
    board_slug: str = ""
    users: int = 0
    questions: int = 0
    answers: int = 0
    comments: int = 0
    accepted: int = 0
    kudos: int = 0
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, what: str) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + 1


def licence_for(moment: datetime) -> str:
    """The CC BY-SA version Stack Exchange published a contribution of that date under."""
    for until, licence in _LICENCES:
        if moment < until:
            return licence
    return _LATEST_LICENCE


def parse_date(value: str | None) -> datetime | None:
    """A dump timestamp ("2012-06-12T19:49:26.940", UTC without a zone) as an aware datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def parse_tag_names(raw: str | None) -> list[str]:
    """Tags in the old "<a><b>" form or the newer "|a|b|" form; names Peerdesk refuses are left out."""
    if not raw:
        return []
    parts = _OLD_TAGS.findall(raw) if "<" in raw else [p for p in raw.split("|") if p]
    names, _problems = parse_tags(parts, limit=len(parts))
    return names


def site_from(directory: str, site_url: str | None) -> str:
    """The site's base address: --site-url, or the dump folder when it is named after the site."""
    if site_url:
        parts = urlsplit(site_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImportProblem(f"--site-url must be an http(s) address, like https://{_SITE_DOMAINS[0]}.")
        return f"{parts.scheme}://{parts.netloc}"
    name = os.path.basename(os.path.normpath(directory)).lower()
    if any(name == d or name.endswith("." + d) for d in _SITE_DOMAINS):
        return f"https://{name}"
    raise ImportProblem("Cannot tell which site the dump comes from: give --site-url "
                        "(e.g. https://raspberrypi.meta.stackexchange.com); the attribution links need it.")


def _batches(rows: Iterable[dict[str, str]], size: int) -> Iterator[list[dict[str, str]]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


class _Importer:
    def __init__(self, session: Session, directory: str, site: str, *, batch_size: int,
                 rules: ReputationRules, progress: Callable[[int], None] | None) -> None:
        self.session, self.directory, self.site = session, directory, site
        self.host = urlsplit(site).netloc
        self.batch_size, self.rules, self.progress = batch_size, rules, progress
        self.result = ImportResult()
        self.board: Board | None = None
        self.placeholder_id: int | None = None
        # Stack Exchange id -> original name, only for the few members whose Peerdesk name had
        # to differ (taken, or not a valid name), so the attribution names them as they were.
        self.renamed: dict[str, str] = {}

    # -- keys and look-ups --------------------------------------------------------------------
    def key(self, kind: str, source_id: str) -> str:
        return f"stackexchange:{self.host}:{kind}:{source_id}"

    def rows(self, name: str) -> Iterator[dict[str, str]]:
        return iter_rows(os.path.join(self.directory, name), progress=self.progress)

    def _by_key(self, model, keys: Iterable[str]) -> dict:  # noqa: ANN001 - User, Post or Kudos
        wanted = list(set(keys))
        found = {}
        for start in range(0, len(wanted), 500):  # stay far below every database's bind limit
            chunk = wanted[start:start + 500]
            found.update({row.import_key: row for row in self.session.scalars(
                select(model).where(model.import_key.in_(chunk)))})
        return found

    def users_for(self, source_ids: Iterable[str | None]) -> dict[str, User]:
        keyed = {self.key("user", i): i for i in source_ids if i}
        return {keyed[k]: user for k, user in self._by_key(User, keyed).items()}

    def posts_for(self, source_ids: Iterable[str | None]) -> dict[str, Post]:
        keyed = {self.key("post", i): i for i in source_ids if i}
        return {keyed[k]: post for k, post in self._by_key(Post, keyed).items()}

    # -- members -----------------------------------------------------------------------------
    def _free_name(self, wanted: str) -> str:
        """`wanted`, or it with " (2)", " (3)"… when another member has it in any letter case."""
        base, number, name = wanted, 1, wanted
        while self.session.scalar(select(User.id).where(func.lower(User.display_name) == func.lower(name))):
            number += 1
            name = f"{base[:accounts.DISPLAY_NAME_MAX - _SUFFIX_ROOM].rstrip()} ({number})"
        return name

    def _new_member(self, key: str, name: str, email_id: str, created_at: datetime | None) -> User:
        """A member who cannot sign in: no password works, and the address is never delivered
        (.invalid is reserved for that), so nobody can claim the account by a password reset."""
        user = User(import_key=key, display_name=self._free_name(name), password_hash=UNUSABLE_PASSWORD,
                    email=f"se-{email_id}@import.invalid", created_at=created_at or datetime.now(timezone.utc))
        self.session.add(user)
        self.session.flush()
        self.result.users += 1
        return user

    def import_users(self) -> None:
        domain = self.host.replace(":", "-")[:40]
        for batch in _batches(self.rows("Users.xml"), self.batch_size):
            with transaction(self.session):
                existing = self.users_for(row.get("Id") for row in batch)
                for row in batch:
                    source_id, original = row.get("Id"), clean_line(row.get("DisplayName"))
                    if not source_id:
                        self.result.skip("users without an id")
                        continue
                    name = original[:accounts.DISPLAY_NAME_MAX].strip()
                    if accounts.display_name_problems(name):
                        name = f"user{source_id}"  # Stack Exchange's own name for the nameless
                    user = existing.get(source_id) or self._new_member(
                        self.key("user", source_id), name, f"{source_id}.{domain}", parse_date(row.get("CreationDate")))
                    if original and user.display_name != original:
                        self.renamed[source_id] = original

    def placeholder(self) -> int:
        """The one member that stands for deleted or unknown authors in this import (its key ends
        in accounts.STAND_IN_KEY_END, which leaderboards leave out)."""
        if self.placeholder_id is None:
            key = self.key("user", "deleted")
            user = self._by_key(User, [key]).get(key) or self._new_member(
                key, DELETED_NAME, f"deleted.{self.host.replace(':', '-')[:40]}", None)
            self.placeholder_id = user.id
        return self.placeholder_id

    def author(self, users: dict[str, User], user_id: str | None, shown_name: str | None) -> tuple[int, str, str | None]:
        """(Peerdesk author id, original name, profile link) for a row's owner."""
        user = users.get(user_id) if user_id else None
        if user is not None:
            return user.id, self.renamed.get(user_id, user.display_name), f"{self.site}/users/{user_id}"
        name = clean_line(shown_name) or (f"user{user_id}" if user_id else DELETED_NAME)
        return self.placeholder(), name[:200], None

    # -- posts -------------------------------------------------------------------------------
    def ensure_board(self, slug: str | None) -> Board:
        label = self.host.split(":")[0]
        for domain in _SITE_DOMAINS:
            label = label.removesuffix("." + domain)
        slug = slugify(slug or label, fallback="stack-exchange")
        with transaction(self.session):
            board = self.session.scalars(select(Board).where(Board.slug == slug)).one_or_none()
            if board is None:
                position = (self.session.scalar(select(func.max(Board.position))) or 0) + 1
                name = " ".join(w.capitalize() for w in re.split(r"[.\-]", label) if w)[:80] or slug
                board = Board(slug=slug, name=name, position=position,
                              description=f"Questions and answers imported from {self.site} (CC BY-SA).")
                self.session.add(board)
        self.board, self.result.board_slug = board, board.slug
        return board

    def _post(self, row: dict[str, str], *, thread_id: int, kind: str, author: tuple[int, str, str | None],
              source: str, url: str, parent_id: int | None = None, title: str | None = None) -> Post:
        created = parse_date(row.get("CreationDate")) or datetime.now(timezone.utc)
        edited = parse_date(row.get("LastEditDate"))
        if kind == "comment":
            # Comments are plain text with Stack Exchange's few Markdown marks.
            source = clean_body(source)
        author_id, author_name, author_url = author
        post = Post(thread_id=thread_id, author_id=author_id, kind=kind, parent_id=parent_id, body_source=source,
                    body_html=render_markdown(source), created_at=created, edited_at=edited,
                    review_state="approved", reviewed_at=created, views_at_review=0,
                    import_key=self.key("post" if kind != "comment" else "comment", row["Id"]),
                    source_url=url, source_author=author_name, source_author_url=author_url,
                    source_licence=licence_for(edited or created))
        self.session.add(post)
        self.session.flush()
        self.session.add(Revision(post_id=post.id, number=1, editor_id=author_id, body_source=source,
                                  title=title,
                                  created_at=edited or created))
        search_queue.enqueue(self.session, thread_id, now=created)
        return post

    def _markdown(self, row: dict[str, str]) -> str:
        return clean_body(html_to_markdown(row.get("Body") or "", base_url=self.site))

    def import_questions(self) -> None:
        questions = (r for r in self.rows("Posts.xml") if r.get("PostTypeId") == QUESTION)
        for batch in _batches(questions, self.batch_size):
            with transaction(self.session):
                done = self.posts_for(r["Id"] for r in batch)
                users = self.users_for(r.get("OwnerUserId") for r in batch)
                for row in batch:
                    if row["Id"] in done:
                        continue
                    created = parse_date(row.get("CreationDate")) or datetime.now(timezone.utc)
                    title = clean_line(row.get("Title"))[:150] or f"Question {row['Id']}"
                    author = self.author(users, row.get("OwnerUserId"), row.get("OwnerDisplayName"))
                    thread = Thread(board_id=self.board.id, author_id=author[0], title=title,
                                    slug=slugify(title, fallback="question"), created_at=created,
                                    last_activity_at=parse_date(row.get("LastActivityDate")) or created,
                                    view_count=int(row.get("ViewCount") or 0))
                    thread.tags = get_or_create_tags(self.session, parse_tag_names(row.get("Tags")))
                    self.session.add(thread)
                    self.session.flush()
                    self._post(row, thread_id=thread.id, kind="question", author=author,
                               source=self._markdown(row), url=f"{self.site}/q/{row['Id']}", title=title)
                    self.result.questions += 1

    def import_answers(self) -> None:
        answers = (r for r in self.rows("Posts.xml") if r.get("PostTypeId") == ANSWER)
        for batch in _batches(answers, self.batch_size):
            with transaction(self.session):
                done = self.posts_for(r["Id"] for r in batch)
                questions = self.posts_for(r.get("ParentId") for r in batch)
                users = self.users_for(r.get("OwnerUserId") for r in batch)
                for row in batch:
                    question = questions.get(row.get("ParentId"))
                    if row["Id"] in done:
                        continue
                    if question is None or question.kind != "question":
                        self.result.skip("answers to a question not in the dump")
                        continue
                    author = self.author(users, row.get("OwnerUserId"), row.get("OwnerDisplayName"))
                    self._post(row, thread_id=question.thread_id, kind="answer", author=author,
                               source=self._markdown(row), url=f"{self.site}/a/{row['Id']}")
                    self.session.execute(update(Thread).where(Thread.id == question.thread_id)
                                         .values(answer_count=Thread.answer_count + 1))
                    self.result.answers += 1

    def import_accepted(self) -> None:
        """Solutions, dated at the answer for now; the accept vote's date replaces it (import_votes)."""
        accepted = (r for r in self.rows("Posts.xml") if r.get("PostTypeId") == QUESTION and r.get("AcceptedAnswerId"))
        for batch in _batches(accepted, self.batch_size):
            with transaction(self.session):
                questions = self.posts_for(r["Id"] for r in batch)
                answers = self.posts_for(r["AcceptedAnswerId"] for r in batch)
                for row in batch:
                    question, answer = questions.get(row["Id"]), answers.get(row["AcceptedAnswerId"])
                    if question is None or answer is None or answer.thread_id != question.thread_id:
                        self.result.skip("accepted answers not in the dump")
                        continue
                    thread = self.session.get(Thread, question.thread_id)
                    if thread.accepted_answer_id == answer.id:
                        continue
                    # The asker chose it on the source site: the asker is the one who accepted.
                    set_solution(self.session, thread, answer, thread.author_id, self.rules, answer.created_at)
                    self.result.accepted += 1

    def import_comments(self) -> None:
        for batch in _batches(self.rows("Comments.xml"), self.batch_size):
            with transaction(self.session):
                done = self._by_key(Post, (self.key("comment", r["Id"]) for r in batch))
                parents = self.posts_for(r.get("PostId") for r in batch)
                users = self.users_for(r.get("UserId") for r in batch)
                for row in batch:
                    parent = parents.get(row.get("PostId"))
                    if self.key("comment", row["Id"]) in done:
                        continue
                    if parent is None or parent.kind == "comment" or not clean_body(row.get("Text")):
                        self.result.skip("comments on posts not in the dump")
                        continue
                    author = self.author(users, row.get("UserId"), row.get("UserDisplayName"))
                    self._post(row, thread_id=parent.thread_id, kind="comment", author=author,
                               source=row.get("Text", ""), url=f"{self.site}/posts/comments/{row['Id']}",
                               parent_id=parent.id)
                    self.result.comments += 1

    # -- votes -------------------------------------------------------------------------------
    def import_votes(self) -> None:
        votes = (r for r in self.rows("Votes.xml") if r.get("VoteTypeId") in (UP_MOD, ACCEPTED_BY_ORIGINATOR))
        for batch in _batches(votes, self.batch_size):
            with transaction(self.session):
                done = self._by_key(Kudos, (self.key("vote", r["Id"]) for r in batch))
                posts = self.posts_for(r.get("PostId") for r in batch)
                receivers: set[int] = set()
                for row in batch:
                    post = posts.get(row.get("PostId"))
                    if post is None:
                        self.result.skip("votes on posts not in the dump")
                    elif row["VoteTypeId"] == ACCEPTED_BY_ORIGINATOR:
                        self._date_solution(post, parse_date(row.get("CreationDate")))
                    elif self.key("vote", row["Id"]) not in done:
                        self._kudos(post, row)
                        receivers.add(post.author_id)
                self.session.flush()
                badges.check(self.session, sorted(receivers))

    def _kudos(self, post: Post, row: dict[str, str]) -> None:
        """Count an up-vote as a kudos without a giver, as kudos.give counts one with a giver."""
        # Votes carry a day only: never before the post itself.
        when = max(parse_date(row.get("CreationDate")) or post.created_at, post.created_at)
        self.session.add(Kudos(post_id=post.id, giver_id=None, created_at=when, import_key=self.key("vote", row["Id"])))
        self.session.execute(update(Post).where(Post.id == post.id).values(kudos_count=Post.kudos_count + 1))
        if post.kind == "question":
            self.session.execute(update(Thread).where(Thread.id == post.thread_id)
                                 .values(kudos_count=Thread.kudos_count + 1))
        points = self.rules.points["kudos_question" if post.kind == "question" else "kudos_answer"]
        reputation.record(self.session, user_id=post.author_id, delta=points, reason="kudos_received",
                          post_id=post.id, actor_id=None, now=when)
        search_queue.enqueue(self.session, post.thread_id, now=when)
        self.result.kudos += 1

    def _date_solution(self, answer: Post, voted: datetime | None) -> None:
        """Date a solution at the asker's accept vote, and the reputation it earned with it."""
        thread = self.session.get(Thread, answer.thread_id)
        if voted is None or thread.accepted_answer_id != answer.id:
            return
        when = max(voted, answer.created_at)
        thread.accepted_at = when
        self.session.execute(update(ReputationEvent).where(
            ReputationEvent.post_id == answer.id,
            ReputationEvent.reason.in_(("answer_accepted", "accepted_solution")),
        ).values(created_at=when))


def import_dump(session: Session, directory: str, *, board_slug: str | None = None, site_url: str | None = None,
                batch_size: int = 500, rules: ReputationRules = DEFAULT_RULES,
                progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import the dump in `directory` into the board `board_slug` (created when missing).

    `progress` receives the bytes read, of `total_bytes(directory)`. The search index is only
    queued; the caller drains the queue (the CLI does, at the end).
    """
    missing = [name for name in FILES if not os.path.isfile(os.path.join(directory, name))]
    if missing:
        raise ImportProblem(f"{directory} is not a Stack Exchange dump: {', '.join(missing)} missing.")
    importer = _Importer(session, directory, site_from(directory, site_url), batch_size=batch_size,
                         rules=rules, progress=progress)
    importer.ensure_board(board_slug)
    importer.import_users()
    importer.import_questions()
    importer.import_answers()
    importer.import_accepted()
    importer.import_comments()
    importer.import_votes()
    return importer.result


def total_bytes(directory: str) -> int:
    """What `import_dump` reads, in bytes: Posts.xml three times (questions, answers, solutions)."""
    sizes = {name: os.path.getsize(os.path.join(directory, name)) for name in FILES}
    return sum(sizes.values()) + 2 * sizes["Posts.xml"]
