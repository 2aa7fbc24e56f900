"""Backups of a running site: a consistent snapshot of a SQLite database (SQLite's online backup API)
and of the Whoosh search index, in one new folder with a manifest. PostgreSQL is pg_dump's job
(the command is suggested); the index is copied all the same.

The index's write lock is held while both are copied. Index writers then wait (the queue rows
of what they would write stay in the database), so the copied index plus the queue rows in the
copied database are exactly what the indexer needs to catch up after a restore.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from whoosh import index as whoosh_index

from app import migrate
from app.search.whoosh_backend import WhooshBackend
from app.services.errors import ServiceError

DATABASE_FILE = "peerdesk.sqlite3"
INDEX_FOLDER = "search_index"
MANIFEST_FILE = "manifest.json"
COUNTED_TABLES = ("users", "boards", "threads", "posts", "search_queue")


class BackupFailed(ServiceError):
    """The backup could not be made; nothing was left at the destination."""


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict
    pg_dump: str | None  # for PostgreSQL: the command that backs up the database


def create(database_url: str, index_dir: str | os.PathLike | None, destination: str | os.PathLike) -> Backup:
    """Write the backup into `destination`, a folder that must not exist yet (or be empty).

    It is assembled in a hidden folder beside it and renamed at the end, so a folder with the
    destination's name is always a complete backup."""
    destination = Path(destination).absolute()
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BackupFailed(f"{destination} exists and is not an empty folder; give a new one.")
    url = make_url(database_url)
    work = destination.parent / f".{destination.name}.partial-{os.getpid()}"
    try:
        work.mkdir(parents=True)
        with _locked_index(Path(index_dir) if index_dir else None) as live_index:
            if url.get_backend_name() == "sqlite":
                _snapshot_sqlite(url.database, work / DATABASE_FILE)
                described_url = f"sqlite:///{work / DATABASE_FILE}"
            else:
                described_url = database_url
            documents = _copy_index(live_index, work / INDEX_FOLDER) if live_index else None
        manifest = _manifest(url, described_url, documents)
        (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
        os.rename(work, destination)  # replaces an empty folder of that name
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    pg_dump = None if url.get_backend_name() == "sqlite" else pg_dump_command(database_url, destination)
    return Backup(path=destination, manifest=manifest, pg_dump=pg_dump)


def pg_dump_command(database_url: str, destination: Path) -> str:
    """The pg_dump call for this database, without its password (PGPASSWORD or ~/.pgpass give it)."""
    url = make_url(database_url).set(drivername="postgresql")._replace(password=None)  # set() skips None
    return shlex.join(["pg_dump", "--format=custom", f"--file={destination / 'peerdesk.dump'}",
                       url.render_as_string(hide_password=False)])


# --- the database -------------------------------------------------------------------------------


def _snapshot_sqlite(source_path: str | None, target: Path) -> None:
    """Copy the database as it is at one moment while writers go on: a single backup step is one
    read transaction (WAL readers do not block writers); a stepwise copy would restart on every
    write and never finish on a busy site."""
    if not source_path or source_path == ":memory:" or not Path(source_path).is_file():
        raise BackupFailed(f"There is no SQLite database file at {source_path!r}.")
    # mode=rw: never create an empty database where the real one was expected.
    source = sqlite3.connect(Path(source_path).absolute().as_uri() + "?mode=rw", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: everything in one step
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    finally:
        copy.close()
        source.close()
    if problems != ["ok"]:
        raise BackupFailed("The copy fails SQLite's integrity check: " + "; ".join(problems[:5]))


def _manifest(url, described_url: str, documents: int | None) -> dict:  # noqa: ANN001 - a SQLAlchemy URL
    engine = create_engine(described_url)
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            counts = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in COUNTED_TABLES}
    finally:
        engine.dispose()
    heads = ScriptDirectory.from_config(migrate.alembic_config(described_url)).get_heads()
    sqlite = url.get_backend_name() == "sqlite"
    return {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": {"dialect": url.get_backend_name(), "file": DATABASE_FILE if sqlite else None,
                     "integrity_check": "ok" if sqlite else None},
        "alembic_revision": revision,
        "migrations_at_head": [revision] == heads,
        # On PostgreSQL these are the live database's at backup time, not pg_dump's.
        "counts": counts,
        "search_index": None if documents is None else {"folder": INDEX_FOLDER, "documents": documents},
    }


# --- the search index ---------------------------------------------------------------------------


@contextmanager
def _locked_index(index_dir: Path | None) -> Iterator[Path | None]:
    """The live Whoosh index folder with its write lock held (the lock writers and `rebuild` take),
    or None when there is no index. Waits for a writer or a rebuild to finish."""
    current = WhooshBackend(index_dir).current if index_dir else None
    while current is not None and current.exists():
        live = Path(os.path.realpath(current))
        lock = whoosh_index.open_dir(str(live)).lock("WRITELOCK")
        lock.acquire(blocking=True)
        if Path(os.path.realpath(current)) == live:
            try:
                yield live
            finally:
                lock.release()
            return
        lock.release()  # a rebuild swapped in a new index while we waited: lock that one
    yield None


def _copy_index(live: Path, target: Path) -> int:
    """Copy the index folder into `target` with a `current` link to it, the layout SEARCH_INDEX_DIR
    has (so the copy can be used as it is); returns the number of documents in the copy."""
    target.mkdir()
    shutil.copytree(live, target / live.name, ignore=shutil.ignore_patterns("*WRITELOCK"))
    (target / "current").symlink_to(live.name)
    copied = whoosh_index.open_dir(str(target / "current"))
    try:
        return copied.doc_count()
    finally:
        copied.close()
