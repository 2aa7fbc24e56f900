"""Indexes for the dashboard (bench/dashboard.py): the deflection funnel asks, per ask session,
whether a "Yes" names it (solution_feedback.ask_session_id, unindexed, made the 90-day dashboard
of a 10,000-post benchmark forum take 9 s) and picks sessions by when they were last seen, not by
when they started (the started_at index served no query); top helpers count the kudos given in
the period (kudos.created_at: 0.6 s of a scan at 100,000 posts), and review coverage reads the
posts reviewed in the period (posts.reviewed_at).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_solution_feedback_ask_session_id', 'solution_feedback', ['ask_session_id'], unique=False)
    op.create_index('ix_ask_sessions_last_seen', 'ask_sessions', ['last_seen_at'], unique=False)
    op.drop_index('ix_ask_sessions_started', table_name='ask_sessions')
    op.create_index('ix_kudos_created', 'kudos', ['created_at'], unique=False)
    op.create_index('ix_posts_reviewed_at', 'posts', ['reviewed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_posts_reviewed_at', table_name='posts')
    op.drop_index('ix_kudos_created', table_name='kudos')
    op.create_index('ix_ask_sessions_started', 'ask_sessions', ['started_at'], unique=False)
    op.drop_index('ix_ask_sessions_last_seen', table_name='ask_sessions')
    op.drop_index('ix_solution_feedback_ask_session_id', table_name='solution_feedback')
