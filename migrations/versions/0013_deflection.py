"""Deflection measured from behaviour: ask sessions, the suggestions they showed and opened,
and "Did this solve your problem?" answers.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa
import app.models.types


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ask_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=43), nullable=False),
        sa.Column('board_id', sa.Integer(), nullable=True),
        sa.Column('terms', sa.String(length=200), server_default='', nullable=False),
        sa.Column('started_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('outcome', sa.String(length=10), server_default='open', nullable=False),
        sa.Column('posted_thread_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("outcome IN ('open', 'posted')", name=op.f('ck_ask_sessions_outcome')),
        sa.ForeignKeyConstraint(['board_id'], ['boards.id'], name=op.f('fk_ask_sessions_board_id_boards'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['posted_thread_id'], ['threads.id'],
                                name=op.f('fk_ask_sessions_posted_thread_id_threads'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ask_sessions')),
        sa.UniqueConstraint('token', name=op.f('uq_ask_sessions_token')),
    )
    op.create_index('ix_ask_sessions_started', 'ask_sessions', ['started_at'], unique=False)
    op.create_table(
        'ask_suggestions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('shown_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('opened_at', app.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['session_id'], ['ask_sessions.id'],
                                name=op.f('fk_ask_suggestions_session_id_ask_sessions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_ask_suggestions_thread_id_threads'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ask_suggestions')),
        sa.UniqueConstraint('session_id', 'thread_id', name='uq_ask_suggestions_session_thread'),
    )
    op.create_index('ix_ask_suggestions_thread_id', 'ask_suggestions', ['thread_id'], unique=False)
    op.create_table(
        'solution_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('voter_key', sa.String(length=64), nullable=False),
        sa.Column('ask_session_id', sa.Integer(), nullable=True),
        sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ask_session_id'], ['ask_sessions.id'],
                                name=op.f('fk_solution_feedback_ask_session_id_ask_sessions'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_solution_feedback_thread_id_threads'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_solution_feedback')),
        sa.UniqueConstraint('thread_id', 'voter_key', name='uq_solution_feedback_thread_voter'),
    )
    op.create_index('ix_solution_feedback_created', 'solution_feedback', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_solution_feedback_created', table_name='solution_feedback')
    op.drop_table('solution_feedback')
    op.drop_index('ix_ask_suggestions_thread_id', table_name='ask_suggestions')
    op.drop_table('ask_suggestions')
    op.drop_index('ix_ask_sessions_started', table_name='ask_sessions')
    op.drop_table('ask_sessions')
