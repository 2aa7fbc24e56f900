"""Unanswered routing: each board's invite and escalation settings, when a thread was invited
and escalated, and the outbox of signed webhooks to the ticket system.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa
import app.models.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invite_after_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('escalate_after_hours', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('escalation_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('escalation_webhook_url', sa.String(length=500), nullable=True))
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        'webhook_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=True),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_webhook_outbox_thread_id_threads'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_outbox')),
    )
    op.create_index('ix_webhook_outbox_due', 'webhook_outbox', ['sent_at', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_webhook_outbox_due', table_name='webhook_outbox')
    op.drop_table('webhook_outbox')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('invited_at')
    with op.batch_alter_table('boards', schema=None) as batch_op:
        batch_op.drop_column('escalation_webhook_url')
        batch_op.drop_column('escalation_email')
        batch_op.drop_column('escalate_after_hours')
        batch_op.drop_column('invite_after_hours')
