"""Product context on questions: a board's product field and a thread's product and OS/version.

On PostgreSQL the `postgres` search backend's documents (migration 0005) get the two values too,
case-folded, for the search filters; existing rows keep NULL until reconcile or
`flask search rebuild` rewrites them (their digests no longer match the database's).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_label', sa.String(length=40), nullable=True))
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('os_version', sa.String(length=80), nullable=True))
        batch_op.create_index('ix_threads_board_product', ['board_id', 'product'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_documents ADD COLUMN product text, ADD COLUMN os_version text")
        op.execute("CREATE INDEX ix_search_documents_product ON search_documents (product)")
        op.execute("CREATE INDEX ix_search_documents_os_version ON search_documents (os_version)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_documents DROP COLUMN product, DROP COLUMN os_version")
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_board_product')
        batch_op.drop_column('os_version')
        batch_op.drop_column('product')
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('product_label')
