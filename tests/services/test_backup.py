"""`flask backup`: a consistent snapshot of a live SQLite database (while another thread writes) and
of the search index; restoring it; the PostgreSQL case (pg_dump suggested, index copied)."""
from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from app import create_app, migrate
from app.config import for_tests
from app.models import Board, Post, User
from app.search import indexer
from app.search.whoosh_backend import WhooshBackend
from app.services import backup, posting
from app.services.backup import BackupFailed
from tests.databases import wants_postgresql

HEAD = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_heads()
THREADS = 5


@pytest.fixture
def live_site(tmp_path):
    """A site on its own SQLite file (whatever database the suite runs on): a member, a board and
    THREADS questions, all indexed."""
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    migrate.upgrade(url)
    site = create_app(for_tests(url, tmp_path / "instance"))
    session = site.extensions["db_sessionmaker"]()
    member = User(email="anna@example.com", display_name="Asker Anna",
                  password_hash=generate_password_hash("x", method="pbkdf2:sha256:1"))
    board = Board(slug="printers", name="Printers", description="Printing.", position=0)
    session.add_all([member, board])
    session.commit()
    for i in range(THREADS):
        posting.ask(session, member, board_id=board.id, title=f"Printer {i} shows offline after the update",
                    body=f"Printer number {i} worked yesterday; now it is offline.", tags="wireless")
    backend = WhooshBackend(site.config["SEARCH_INDEX_DIR"])
    indexer.drain(session, backend)
    backend.close()
    site.member_id = member.id
    yield site, url, session
    session.close()
    site.extensions["db_engine"].dispose()


def _copy(path):
    return sqlite3.connect(path / backup.DATABASE_FILE)


class Writer(threading.Thread):
    """Keeps answering the site's threads, each answer its own transaction, until stopped."""

    def __init__(self, site) -> None:
        super().__init__(daemon=True)
        self.site, self.written, self.errors = site, 0, []
        self.stop = threading.Event()

    def run(self) -> None:
        session = self.site.extensions["db_sessionmaker"]()
        member = session.get(User, self.site.member_id)
        thread_ids = session.scalars(select(Post.thread_id).where(Post.kind == "question")).all()
        try:
            while not self.stop.is_set():
                posting.answer(session, member, thread_id=thread_ids[self.written % len(thread_ids)],
                               body=f"Answer number {self.written}: reinstall the driver.")
                self.written += 1
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)
        finally:
            session.close()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 60
        while self.written < count and not self.errors and time.monotonic() < deadline:
            time.sleep(0.01)


def test_a_backup_while_another_thread_writes_is_consistent(live_site, tmp_path):
    site, url, session = live_site
    writer = Writer(site)
    writer.start()
    writer.wait_for(20)
    try:
        made = backup.create(url, site.config["SEARCH_INDEX_DIR"], tmp_path / "backup")
        before_stop = writer.written
        writer.wait_for(before_stop + 20)  # the writer went on while and after the copy was made
    finally:
        writer.stop.set()
        writer.join()
    assert writer.errors == []

    copy = _copy(made.path)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert [copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]] == HEAD
    answers = copy.execute("SELECT count(*) FROM posts WHERE kind = 'answer'").fetchone()[0]
    # One moment of the database: every answer in the copy is counted on its thread, no more.
    assert copy.execute("SELECT sum(answer_count) FROM threads").fetchone()[0] == answers
    assert 20 <= answers < writer.written
    manifest = json.loads((made.path / backup.MANIFEST_FILE).read_text())
    assert manifest == made.manifest and manifest["migrations_at_head"] is True
    assert manifest["counts"]["posts"] == answers + THREADS
    assert manifest["database"] == {"dialect": "sqlite", "file": backup.DATABASE_FILE, "integrity_check": "ok"}

    copied_index = WhooshBackend(made.path / backup.INDEX_FOLDER)
    assert len(copied_index.digests()) == THREADS == manifest["search_index"]["documents"]
    copied_index.close()
    assert list(tmp_path.glob(".backup*")) == []  # the folder it was assembled in was renamed


def test_a_restored_backup_serves_the_site_and_its_index_agrees(live_site, tmp_path):
    site, url, session = live_site
    made = backup.create(url, site.config["SEARCH_INDEX_DIR"], tmp_path / "backup")

    restored = create_app({**for_tests(f"sqlite:///{made.path / backup.DATABASE_FILE}", tmp_path / "restored"),
                           "SEARCH_INDEX_DIR": str(made.path / backup.INDEX_FOLDER)})
    try:
        result = restored.test_cli_runner().invoke(args=["search", "verify"])
        assert result.exit_code == 0 and "agrees with the database" in result.output, result.output
        page = restored.test_client().get("/b/printers").get_data(as_text=True)
        assert "Printer 4 shows offline after the update" in page
        own = restored.extensions["db_sessionmaker"]()
        assert own.scalar(select(func.count()).select_from(Post)) == THREADS
        own.close()
    finally:
        restored.extensions["db_engine"].dispose()


def test_the_backup_waits_for_an_index_writer(live_site, tmp_path):
    site, url, _ = live_site
    from whoosh import index

    lock = index.open_dir(str(WhooshBackend(site.config["SEARCH_INDEX_DIR"]).current)).lock("WRITELOCK")
    assert lock.acquire()
    done = threading.Event()
    copier = threading.Thread(target=lambda: (backup.create(url, site.config["SEARCH_INDEX_DIR"],
                                                            tmp_path / "backup"), done.set()))
    copier.start()
    try:
        assert not done.wait(0.5)  # an index writer is busy: the copy waits for it
    finally:
        lock.release()
    copier.join(60)
    assert done.is_set() and (tmp_path / "backup" / backup.MANIFEST_FILE).exists()


def test_the_command_writes_the_backup_and_refuses_a_used_folder(live_site, tmp_path):
    site, _, _ = live_site
    runner = site.test_cli_runner()

    first = runner.invoke(args=["backup", str(tmp_path / "backup")])

    assert first.exit_code == 0, first.output
    assert f"migration {HEAD[0]}" in first.output and f"Search index: {THREADS} threads." in first.output
    again = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert again.exit_code == 1 and "not an empty folder" in again.output
    assert json.loads((tmp_path / "backup" / backup.MANIFEST_FILE).read_text())["counts"]["threads"] == THREADS


def test_an_empty_folder_may_be_the_destination_and_a_site_without_index_has_none(live_site, tmp_path):
    _, url, _ = live_site
    (tmp_path / "empty").mkdir()

    made = backup.create(url, tmp_path / "no-index-here", tmp_path / "empty")

    assert made.manifest["search_index"] is None and not (made.path / backup.INDEX_FOLDER).exists()
    assert (made.path / backup.DATABASE_FILE).exists()


def test_a_missing_database_leaves_nothing_behind(tmp_path):
    with pytest.raises(BackupFailed, match="no SQLite database"):
        backup.create(f"sqlite:///{tmp_path / 'gone.sqlite3'}", None, tmp_path / "backup")

    assert list(tmp_path.iterdir()) == []  # neither the backup, nor an empty database, nor a partial folder


def test_the_pg_dump_command_has_no_password_and_is_quoted(tmp_path):
    command = backup.pg_dump_command("postgresql+psycopg://peerdesk:s3cret@db.example:5432/peer desk?sslmode=require",
                                     tmp_path / "my backup")

    assert "s3cret" not in command
    assert command == (f"pg_dump --format=custom '--file={tmp_path}/my backup/peerdesk.dump' "
                       "'postgresql://peerdesk@db.example:5432/peer desk?sslmode=require'")


@pytest.mark.skipif(not wants_postgresql(), reason="needs the PostgreSQL test database")
def test_on_postgresql_the_command_names_pg_dump_and_copies_the_index(app, session, thread, tmp_path):
    backend = WhooshBackend(app.config["SEARCH_INDEX_DIR"])
    indexer.drain(session, backend)
    backend.close()

    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])

    assert result.exit_code == 0, result.output
    assert "pg_dump --format=custom" in result.output and "Search index: 1 thread." in result.output
    manifest = json.loads((tmp_path / "backup" / backup.MANIFEST_FILE).read_text())
    assert manifest["database"]["dialect"] == "postgresql" and manifest["migrations_at_head"] is True
    assert manifest["counts"]["threads"] == 1 and not (tmp_path / "backup" / backup.DATABASE_FILE).exists()
