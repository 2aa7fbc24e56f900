"""Views per thread per day, for the support dashboard's trending issues.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'thread_view_days',
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('views', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_view_days_thread_id_threads'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('thread_id', 'day', name=op.f('pk_thread_view_days')),
    )
    op.create_index('ix_thread_view_days_day', 'thread_view_days', ['day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_thread_view_days_day', table_name='thread_view_days')
    op.drop_table('thread_view_days')
