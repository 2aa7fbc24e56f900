"""Kudos, the reputation ledger, badges and "I have this question too".

Adds users.reputation (kept equal to the sum of reputation_events), kudos and me-too counters on
posts and threads, and who accepted a solution when. On SQLite only the threads table is rebuilt
(for its new foreign key); users and posts get plain ADD COLUMNs, so their expression and
partial indexes stay as they are.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa
import app.models.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('badge_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('badge', sa.String(length=40), nullable=False),
    sa.Column('awarded_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_badge_awards_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_awards')),
    sa.UniqueConstraint('user_id', 'badge', name='uq_badge_awards_user_badge')
    )
    op.create_table('me_too',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_me_too_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_me_too_user_id_users')),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_me_too'))
    )
    with op.batch_alter_table('me_too', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_me_too_user_id'), ['user_id'], unique=False)

    op.create_table('kudos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('giver_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['giver_id'], ['users.id'], name=op.f('fk_kudos_giver_id_users')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_kudos_post_id_posts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kudos')),
    sa.UniqueConstraint('post_id', 'giver_id', name='uq_kudos_post_giver')
    )
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.create_index('ix_kudos_giver_created', ['giver_id', 'created_at'], unique=False)

    op.create_table('reputation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_reputation_events_actor_id_users')),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_reputation_events_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reputation_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reputation_events'))
    )
    with op.batch_alter_table('reputation_events', schema=None) as batch_op:
        batch_op.create_index('ix_reputation_events_created', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reputation_events_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_reputation_events_user_created', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kudos_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_posts_thread_kind_kudos', ['thread_id', 'kind', 'kudos_count'], unique=False)

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('kudos_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('me_too_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_threads_board_kudos', ['board_id', 'kudos_count'], unique=False)
        batch_op.create_index('ix_threads_board_me_too', ['board_id', 'me_too_count'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_threads_accepted_by_id_users'), 'users', ['accepted_by_id'], ['id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reputation', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_users_reputation'), ['reputation'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_reputation'))
        batch_op.drop_column('reputation')
    # SQLite rebuilds the table to drop a column and cannot carry an expression index across.
    op.create_index('ix_users_display_name_lower', 'users', [sa.text('lower(display_name)')], unique=True,
                    if_not_exists=True)

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_threads_accepted_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_threads_board_me_too')
        batch_op.drop_index('ix_threads_board_kudos')
        batch_op.drop_column('me_too_count')
        batch_op.drop_column('kudos_count')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('accepted_by_id')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_thread_kind_kudos')
        batch_op.drop_column('kudos_count')

    with op.batch_alter_table('reputation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_reputation_events_user_created')
        batch_op.drop_index(batch_op.f('ix_reputation_events_post_id'))
        batch_op.drop_index('ix_reputation_events_created')

    op.drop_table('reputation_events')
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.drop_index('ix_kudos_giver_created')

    op.drop_table('kudos')
    with op.batch_alter_table('me_too', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_me_too_user_id'))

    op.drop_table('me_too')
    op.drop_table('badge_awards')
