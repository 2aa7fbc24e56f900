"""Imports: keys that let a re-run find what it brought in, attribution on posts, and votes
without a known voter (Stack Exchange publishes none). Unique indexes rather than constraints:
adding a constraint makes SQLite rebuild the table, which would lose its expression indexes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_key', sa.String(length=120), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_import_key'), ['import_key'], unique=True)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('source_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('source_author', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('source_author_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('source_licence', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_posts_import_key'), ['import_key'], unique=True)

    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_key', sa.String(length=120), nullable=True))
        batch_op.alter_column('giver_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_kudos_import_key'), ['import_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kudos_import_key'))
        batch_op.alter_column('giver_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('import_key')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_import_key'))
        batch_op.drop_column('source_licence')
        batch_op.drop_column('source_author_url')
        batch_op.drop_column('source_author')
        batch_op.drop_column('source_url')
        batch_op.drop_column('import_key')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_import_key'))
        batch_op.drop_column('import_key')
