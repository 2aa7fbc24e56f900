"""PostgreSQL full-text search: the tables of the `postgres` search backend (PostgreSQL only).

`search_documents` holds one row per thread with a generated, weighted tsvector (title A, text D,
in the thread language's text search configuration) under a GIN index, and the title's own
tsvector for a cheap first ranking. It has no foreign key to `threads` on purpose: deleting a
thread never waits on the index, and reconcile removes the extra row. `search_words` is the
vocabulary (distinct unstemmed words) under a trigram GiST index, for "Did you mean …?". Neither
is a SQLAlchemy model: app/search/postgres_backend.py reads and writes them with SQL. On SQLite
this migration does nothing (that backend needs PostgreSQL).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    # Both are "trusted" contrib extensions: the database owner may create them.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    op.execute("""
        CREATE TABLE search_documents (
            thread_id integer NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            board_id integer NOT NULL,
            tags text[] NOT NULL,
            solved boolean NOT NULL,
            official boolean NOT NULL,
            kudos integer NOT NULL,
            answers integer NOT NULL,
            created timestamp with time zone NOT NULL,
            activity timestamp with time zone NOT NULL,
            language varchar(8) NOT NULL,
            config regconfig NOT NULL,
            digest varchar(40) NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector(config, title), 'A') || setweight(to_tsvector(config, body), 'D')
            ) STORED,
            -- Small, so cheap to rank every match by before the whole text is ranked for the best.
            title_tsv tsvector GENERATED ALWAYS AS (to_tsvector(config, title)) STORED,
            CONSTRAINT pk_search_documents PRIMARY KEY (thread_id)
        )""")
    op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")
    op.execute("CREATE INDEX ix_search_documents_tags ON search_documents USING gin (tags)")
    op.execute("CREATE INDEX ix_search_documents_board_id ON search_documents (board_id)")
    op.execute("CREATE INDEX ix_search_documents_created ON search_documents (created)")
    op.execute("CREATE TABLE search_words (word text NOT NULL, CONSTRAINT pk_search_words PRIMARY KEY (word))")
    # GiST rather than GIN: it orders by trigram distance (`<->`), so the closest words come
    # first without a similarity threshold that short misspellings ("wfi") fall below.
    op.execute("CREATE INDEX ix_search_words_trgm ON search_words USING gist (word gist_trgm_ops)")


def downgrade() -> None:
    if not _postgresql():
        return
    op.execute("DROP TABLE search_words")
    op.execute("DROP TABLE search_documents")
    # The extensions stay: something else in the database may use them by now.
